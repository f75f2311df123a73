import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { apiError, json } from '../../server/respond';
import { documentApi, listQuerySchema } from '../api/registry';
import { apiPagination, parseListQuery } from '../../ui/list';
import { ServiceError } from '../service-errors';
import { apiActor, handle, iso, parseBody } from '../api/support';
import {
  categorySchema, createProductSchema, createSupplierSchema, createTaxClassSchema, createUnitSchema, PRODUCT_KINDS, PRODUCT_SORTS, stockAdjustmentSchema, SUPPLIER_SORTS, UNIT_SORTS, UNIT_STATUSES,
  unitStatusOverrideSchema, updateCategorySchema, updateProductSchema, updateSupplierSchema,
} from './schemas';
import { createProduct, getProduct, listProducts, updateProduct, type ProductView } from './products';
import { createCategory, getCategory, listCategoryTree, updateCategory } from './categories';
import { createSupplier, getSupplier, listSuppliers, updateSupplier, type Supplier } from './suppliers';
import { addUnit, getUnit, listUnits, unitPassport } from './units';
import { overrideUnitStatus } from './unit-lifecycle';
import { adjustStock, stockLedger } from './stock';
import { createTaxClass, listTaxClasses, type TaxClassView } from './tax-classes';
import { isUuid } from '../../db/sql-helpers';

// ------------------------------------------------------------------ response shapes (snake_case, cents)

const supplierLinkOut = z.object({ supplier_id: z.uuid(), supplier_name: z.string(), supplier_sku: z.string(), cost_cents: z.number().int(), is_primary: z.boolean() });
const productOut = z.object({
  id: z.uuid(), sku: z.string(), upc: z.string().nullable(), name: z.string(), brand: z.string(), model: z.string(), description: z.string(),
  category_id: z.uuid().nullable(), category_name: z.string().nullable(), kind: z.enum(PRODUCT_KINDS),
  cost_cents: z.number().int(), average_cost_cents: z.number().int(), price_cents: z.number().int(), min_price_cents: z.number().int().nullable(),
  tax_class_id: z.uuid().nullable(), tax_class: z.string().nullable(), sellable: z.boolean(), rentable: z.boolean(), repair_use: z.boolean(), size: z.string(),
  monthly_rental_cents: z.number().int().nullable(), rto_purchase_price_cents: z.number().int().nullable(), reorder_point: z.number().int().nullable(), reorder_quantity: z.number().int().nullable(),
  quantity_on_hand: z.number().int(), unit_count: z.number().int(), is_active: z.boolean(), legacy_id: z.string().nullable(), suppliers: z.array(supplierLinkOut),
  created_at: z.string(), updated_at: z.string(),
});
const productListOut = productOut.omit({ suppliers: true, tax_class: true });

const eventOut = z.object({ id: z.number().int(), at: z.string(), event_type: z.string(), from_status: z.string().nullable(), to_status: z.string().nullable(), summary: z.string(), reference_type: z.string().nullable(), reference_id: z.string().nullable(), actor: z.string() });
const unitOut = z.object({
  id: z.uuid(), product_id: z.uuid(), sku: z.string(), product_name: z.string(), serial_number: z.string(), condition: z.string(), status: z.enum(UNIT_STATUSES), cost_cents: z.number().int(),
  acquired_on: z.string().nullable(), acquired_via: z.string(), location: z.string(), notes: z.string(), legacy_id: z.string().nullable(), created_at: z.string(), updated_at: z.string(),
});
const unitDetailOut = unitOut.extend({ events: z.array(eventOut) });
const movementOut = z.object({ id: z.number().int(), at: z.string(), quantity: z.number().int(), reason: z.string(), note: z.string(), unit_cost_cents: z.number().int(), quantity_after: z.number().int(), average_cost_after_cents: z.number().int(), override_by_user_id: z.uuid().nullable(), actor: z.string() });
const stockOut = z.object({ product_id: z.uuid(), sku: z.string(), quantity_on_hand: z.number().int(), average_cost_cents: z.number().int(), inventory_value_cents: z.number().int(), recent_movements: z.array(movementOut) });
const adjustmentOut = z.object({ product_id: z.uuid(), quantity_on_hand: z.number().int(), average_cost_cents: z.number().int(), movement: movementOut });
const taxClassOut = z.object({ id: z.uuid(), name: z.string(), is_default: z.boolean(), components: z.array(z.object({ name: z.string(), rate_millipercent: z.number().int() })) });
const categoryOut = z.object({ id: z.uuid(), parent_id: z.uuid().nullable(), name: z.string(), depth: z.number().int(), path: z.string(), product_count: z.number().int() });
const supplierOut = z.object({ id: z.uuid(), name: z.string(), contact_name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), account_number: z.string(), notes: z.string(), is_active: z.boolean(), legacy_id: z.string().nullable(), created_at: z.string(), updated_at: z.string() });

type Row = Record<string, any>;
const productListJson = (p: Row) => ({
  id: p.id, sku: p.sku, upc: p.upc, name: p.name, brand: p.brand, model: p.model, description: p.description, category_id: p.categoryId, category_name: p.categoryName ?? null, kind: p.kind,
  cost_cents: p.costCents, average_cost_cents: p.averageCostCents, price_cents: p.priceCents, min_price_cents: p.minPriceCents, tax_class_id: p.taxClassId, sellable: p.sellable, rentable: p.rentable,
  repair_use: p.repairUse, size: p.size, monthly_rental_cents: p.monthlyRentalCents, rto_purchase_price_cents: p.rtoPurchasePriceCents, reorder_point: p.reorderPoint, reorder_quantity: p.reorderQuantity,
  quantity_on_hand: p.quantityOnHand, unit_count: p.unitCount ?? 0, is_active: p.isActive, legacy_id: p.legacyId, created_at: iso(p.createdAt)!, updated_at: iso(p.updatedAt)!,
});
const productJson = (p: ProductView) => ({
  ...productListJson(p),
  tax_class: p.taxClassName,
  suppliers: p.suppliers.map((s) => ({ supplier_id: s.supplierId, supplier_name: s.supplierName, supplier_sku: s.supplierSku, cost_cents: s.costCents, is_primary: s.isPrimary })),
});
const unitJson = (u: Row) => ({
  id: u.id, product_id: u.productId, sku: u.sku, product_name: u.productName, serial_number: u.serialNumber, condition: u.condition, status: u.status, cost_cents: u.costCents,
  acquired_on: u.acquiredOn, acquired_via: u.acquiredVia, location: u.location, notes: u.notes, legacy_id: u.legacyId, created_at: iso(u.createdAt)!, updated_at: iso(u.updatedAt)!,
});
const eventJson = (e: Row) => ({ id: e.id, at: iso(e.at)!, event_type: e.eventType, from_status: e.fromStatus, to_status: e.toStatus, summary: e.summary, reference_type: e.referenceType, reference_id: e.referenceId, actor: e.actorLabel });
const movementJson = (m: Row) => ({ id: m.id, at: iso(m.at)!, quantity: m.quantityDelta, reason: m.reason, note: m.note, unit_cost_cents: m.unitCostCents, quantity_after: m.quantityAfter, average_cost_after_cents: m.averageCostAfterCents, override_by_user_id: m.overrideByUserId, actor: m.actorLabel });
const taxClassJson = (t: TaxClassView) => ({ id: t.id, name: t.name, is_default: t.isDefault, components: t.components.map((c) => ({ name: c.name, rate_millipercent: c.rateMillipercent })) });
const supplierJson = (s: Supplier) => ({ id: s.id, name: s.name, contact_name: s.contactName, email: s.email, phone: s.phone, account_number: s.accountNumber, notes: s.notes, is_active: s.isActive, legacy_id: s.legacyId, created_at: iso(s.createdAt)!, updated_at: iso(s.updatedAt)! });

// ------------------------------------------------------------------ documentation (must match the routes below)

const productQuery = listQuerySchema.extend({ kind: z.enum(PRODUCT_KINDS).optional(), category_id: z.uuid().optional().describe('This category and its sub-categories'), status: z.enum(['active', 'inactive', 'all']).optional().describe('Default active') });
const unitQuery = listQuerySchema.extend({ product_id: z.uuid().optional(), status: z.enum(UNIT_STATUSES).optional() });
const supplierQuery = listQuerySchema.extend({ status: z.enum(['active', 'inactive', 'all']).optional() });
const tag = 'inventory';
documentApi({ method: 'get', path: '/api/v1/products', summary: 'List products (search sku/upc/name/brand/model; filter kind, category_id, status)', tag, permission: 'inventory.view', query: productQuery, response: productListOut, list: true });
documentApi({ method: 'post', path: '/api/v1/products', summary: 'Create a product', tag, permission: 'inventory.manage', body: createProductSchema, response: productOut, responseStatus: 201 });
documentApi({ method: 'get', path: '/api/v1/products/:id', summary: 'One product with its supplier links', tag, permission: 'inventory.view', response: productOut });
documentApi({ method: 'patch', path: '/api/v1/products/:id', summary: 'Change a product (the kind only with stock rules: no stock on hand, no units)', tag, permission: 'inventory.manage', body: updateProductSchema, response: productOut });
documentApi({ method: 'get', path: '/api/v1/products/:id/stock', summary: 'On hand, moving average cost and recent stock movements of a quantity item', tag, permission: 'inventory.view', response: stockOut });
documentApi({ method: 'post', path: '/api/v1/stock/adjustments', summary: 'Adjust stock of a quantity item by a signed quantity; allow_negative needs inventory.override', tag, permission: 'inventory.manage', body: stockAdjustmentSchema, response: adjustmentOut, responseStatus: 201 });
documentApi({ method: 'get', path: '/api/v1/units', summary: 'List serialized units (search serial/sku/name; filter product_id, status)', tag, permission: 'inventory.view', query: unitQuery, response: unitOut, list: true });
documentApi({ method: 'post', path: '/api/v1/units', summary: 'Add a serialized unit (always starts available)', tag, permission: 'inventory.manage', body: createUnitSchema, response: unitDetailOut, responseStatus: 201 });
documentApi({ method: 'get', path: '/api/v1/units/:id', summary: 'One unit with its passport events', tag, permission: 'inventory.view', response: unitDetailOut });
documentApi({ method: 'post', path: '/api/v1/units/:id/status', summary: "Manager's manual status change with a reason", tag, permission: 'inventory.override', body: unitStatusOverrideSchema, response: unitDetailOut });
documentApi({ method: 'get', path: '/api/v1/tax-classes', summary: 'Tax classes with their components', tag, permission: 'inventory.view', response: z.object({ data: z.array(taxClassOut) }) });
documentApi({ method: 'post', path: '/api/v1/tax-classes', summary: 'Create a tax class: name with rate_millipercent (8.875% = 8875) or components[] (at most 100% in total); is_default moves the default here', tag, permission: 'settings.manage', body: createTaxClassSchema, response: taxClassOut, responseStatus: 201 });
documentApi({ method: 'get', path: '/api/v1/categories', summary: 'The category tree, depth-first (q filters by name)', tag, permission: 'inventory.view', query: z.object({ q: z.string().optional() }), response: z.object({ data: z.array(categoryOut) }) });
documentApi({ method: 'post', path: '/api/v1/categories', summary: 'Create a category (parent_id null = top level)', tag, permission: 'inventory.manage', body: categorySchema, response: categoryOut, responseStatus: 201 });
documentApi({ method: 'patch', path: '/api/v1/categories/:id', summary: 'Rename a category or move it under another parent (no cycles)', tag, permission: 'inventory.manage', body: updateCategorySchema, response: categoryOut });
documentApi({ method: 'get', path: '/api/v1/suppliers', summary: 'List suppliers', tag, permission: 'inventory.view', query: supplierQuery, response: supplierOut, list: true });
documentApi({ method: 'post', path: '/api/v1/suppliers', summary: 'Create a supplier', tag, permission: 'inventory.manage', body: createSupplierSchema, response: supplierOut, responseStatus: 201 });
documentApi({ method: 'get', path: '/api/v1/suppliers/:id', summary: 'One supplier', tag, permission: 'inventory.view', response: supplierOut });
documentApi({ method: 'patch', path: '/api/v1/suppliers/:id', summary: 'Change or deactivate (is_active false) a supplier', tag, permission: 'inventory.manage', body: updateSupplierSchema, response: supplierOut });

/** Strict filters: an unknown value is a 400, like a bad sort or page. */
function filter<T extends string>(raw: unknown, allowed: readonly T[] | 'uuid', name: string): T | undefined {
  if (raw === undefined || raw === '') return undefined;
  const ok = allowed === 'uuid' ? isUuid(raw) : typeof raw === 'string' && (allowed as readonly string[]).includes(raw);
  if (!ok) throw new ServiceError('validation_failed', 'Invalid list parameters.', 400, { [name]: allowed === 'uuid' ? `${name} must be a UUID.` : `${name} must be one of: ${(allowed as readonly string[]).join(', ')}.` });
  return raw as T;
}

async function categoryJson(deps: AppDeps, id: string) {
  const node = (await listCategoryTree(deps.db)).find((c) => c.id === id)!;
  return { id: node.id, parent_id: node.parentId, name: node.name, depth: node.depth, path: node.path, product_count: node.productCount };
}

async function unitDetail(deps: AppDeps, id: string) {
  const unit = await getUnit(deps.db, id);
  return { ...unitJson(unit), events: (await unitPassport(deps.db, unit.id)).map(eventJson) };
}

export function inventoryApi(deps: AppDeps) {
  return new Elysia({ name: 'feature.inventory.api' })
    .use(authPlugin(deps))
    .get('/api/v1/products', (ctx) =>
      handle(ctx, async () => {
        const query = parseListQuery(ctx.query, { sorts: PRODUCT_SORTS, defaultSort: 'sku' }, 'strict');
        const q = ctx.query as Record<string, unknown>;
        const { rows, total } = await listProducts(deps.db, query, { kind: filter(q.kind, PRODUCT_KINDS, 'kind'), categoryId: filter(q.category_id, 'uuid', 'category_id'), status: filter(q.status, ['active', 'inactive', 'all'] as const, 'status') });
        return json(ctx, 200, { data: rows.map(productListJson), pagination: apiPagination(query, total) });
      }), { api: 'inventory.view' })
    .post('/api/v1/products', (ctx) =>
      handle(ctx, async () => {
        const input = parseBody(ctx, createProductSchema);
        return json(ctx, 201, productJson(await deps.db.transaction((tx) => createProduct(tx, apiActor(ctx), input))));
      }), { api: 'inventory.manage' })
    .get('/api/v1/products/:id', (ctx) => handle(ctx, async () => json(ctx, 200, productJson(await getProduct(deps.db, ctx.params.id)))), { api: 'inventory.view' })
    .patch('/api/v1/products/:id', (ctx) =>
      handle(ctx, async () => {
        const existing = await getProduct(deps.db, ctx.params.id);
        const input = parseBody(ctx, updateProductSchema);
        return json(ctx, 200, productJson(await deps.db.transaction((tx) => updateProduct(tx, apiActor(ctx), existing.id, input))));
      }), { api: 'inventory.manage' })
    .get('/api/v1/products/:id/stock', (ctx) =>
      handle(ctx, async () => {
        const p = await getProduct(deps.db, ctx.params.id);
        const { rows } = await stockLedger(deps.db, p.id, { q: '', page: 1, limit: 20, sort: 'at', order: 'desc' });
        return json(ctx, 200, { product_id: p.id, sku: p.sku, quantity_on_hand: p.quantityOnHand, average_cost_cents: p.averageCostCents, inventory_value_cents: p.stockValueCents, recent_movements: rows.map(movementJson) });
      }), { api: 'inventory.view' })
    .post('/api/v1/stock/adjustments', (ctx) =>
      handle(ctx, async () => {
        const input = parseBody(ctx, stockAdjustmentSchema);
        const principal = (ctx as any).apiPrincipal;
        if (input.allow_negative && !principal.user.permissions.has('inventory.override')) return apiError(ctx, 403, 'forbidden', 'allow_negative needs the "inventory.override" permission.', { allow_negative: 'Needs inventory.override.' });
        await getProduct(deps.db, input.product_id);
        const result = await deps.db.transaction((tx) => adjustStock(tx, apiActor(ctx), input, principal.user.id));
        return json(ctx, 201, { product_id: input.product_id, quantity_on_hand: result.quantityOnHand, average_cost_cents: result.averageCostCents, movement: movementJson(result.movement) });
      }), { api: 'inventory.manage' })
    .get('/api/v1/units', (ctx) =>
      handle(ctx, async () => {
        const query = parseListQuery(ctx.query, { sorts: UNIT_SORTS, defaultSort: 'serial_number' }, 'strict');
        const q = ctx.query as Record<string, unknown>;
        const { rows, total } = await listUnits(deps.db, query, { productId: filter(q.product_id, 'uuid', 'product_id'), status: filter(q.status, UNIT_STATUSES, 'status') });
        return json(ctx, 200, { data: rows.map(unitJson), pagination: apiPagination(query, total) });
      }), { api: 'inventory.view' })
    .post('/api/v1/units', (ctx) =>
      handle(ctx, async () => {
        const input = parseBody(ctx, createUnitSchema);
        // An unknown product is a field error here (the product is named in the body, not the URL).
        const exists = await getProduct(deps.db, input.product_id).catch(() => null);
        if (!exists) return apiError(ctx, 422, 'validation_failed', 'Some fields are invalid.', { product_id: 'That product does not exist.' });
        const unit = await deps.db.transaction((tx) => addUnit(tx, apiActor(ctx), input));
        return json(ctx, 201, await unitDetail(deps, unit.id));
      }), { api: 'inventory.manage' })
    .get('/api/v1/units/:id', (ctx) => handle(ctx, async () => json(ctx, 200, await unitDetail(deps, ctx.params.id))), { api: 'inventory.view' })
    .post('/api/v1/units/:id/status', (ctx) =>
      handle(ctx, async () => {
        const unit = await getUnit(deps.db, ctx.params.id);
        const input = parseBody(ctx, unitStatusOverrideSchema);
        await deps.db.transaction((tx) => overrideUnitStatus(tx, apiActor(ctx), unit.id, input.status, input.reason));
        return json(ctx, 200, await unitDetail(deps, unit.id));
      }), { api: 'inventory.override' })
    .get('/api/v1/tax-classes', (ctx) =>
      handle(ctx, async () => {
        const rows = await listTaxClasses(deps.db);
        return json(ctx, 200, { data: rows.map(taxClassJson) });
      }), { api: 'inventory.view' })
    .post('/api/v1/tax-classes', (ctx) =>
      handle(ctx, async () => {
        const input = parseBody(ctx, createTaxClassSchema);
        return json(ctx, 201, taxClassJson(await deps.db.transaction((tx) => createTaxClass(tx, apiActor(ctx), input))));
      }), { api: 'settings.manage' })
    .get('/api/v1/categories', (ctx) =>
      handle(ctx, async () => {
        const q = typeof (ctx.query as any).q === 'string' ? ((ctx.query as any).q as string).trim().toLowerCase().slice(0, 100) : '';
        const tree = (await listCategoryTree(deps.db)).filter((c) => !q || c.path.toLowerCase().includes(q));
        return json(ctx, 200, { data: tree.map((c) => ({ id: c.id, parent_id: c.parentId, name: c.name, depth: c.depth, path: c.path, product_count: c.productCount })) });
      }), { api: 'inventory.view' })
    .post('/api/v1/categories', (ctx) =>
      handle(ctx, async () => {
        const input = parseBody(ctx, categorySchema);
        const row = await deps.db.transaction((tx) => createCategory(tx, apiActor(ctx), input));
        return json(ctx, 201, await categoryJson(deps, row.id));
      }), { api: 'inventory.manage' })
    .patch('/api/v1/categories/:id', (ctx) =>
      handle(ctx, async () => {
        const existing = await getCategory(deps.db, ctx.params.id);
        const input = parseBody(ctx, updateCategorySchema);
        await deps.db.transaction((tx) => updateCategory(tx, apiActor(ctx), existing.id, input));
        return json(ctx, 200, await categoryJson(deps, existing.id));
      }), { api: 'inventory.manage' })
    .get('/api/v1/suppliers', (ctx) =>
      handle(ctx, async () => {
        const query = parseListQuery(ctx.query, { sorts: SUPPLIER_SORTS, defaultSort: 'name' }, 'strict');
        const { rows, total } = await listSuppliers(deps.db, query, filter((ctx.query as any).status, ['active', 'inactive', 'all'] as const, 'status'));
        return json(ctx, 200, { data: rows.map(supplierJson), pagination: apiPagination(query, total) });
      }), { api: 'inventory.view' })
    .post('/api/v1/suppliers', (ctx) =>
      handle(ctx, async () => {
        const input = parseBody(ctx, createSupplierSchema);
        return json(ctx, 201, supplierJson(await deps.db.transaction((tx) => createSupplier(tx, apiActor(ctx), input))));
      }), { api: 'inventory.manage' })
    .get('/api/v1/suppliers/:id', (ctx) => handle(ctx, async () => json(ctx, 200, supplierJson(await getSupplier(deps.db, ctx.params.id)))), { api: 'inventory.view' })
    .patch('/api/v1/suppliers/:id', (ctx) =>
      handle(ctx, async () => {
        const existing = await getSupplier(deps.db, ctx.params.id);
        const input = parseBody(ctx, updateSupplierSchema);
        return json(ctx, 200, supplierJson(await deps.db.transaction((tx) => updateSupplier(tx, apiActor(ctx), existing.id, input))));
      }), { api: 'inventory.manage' });
}

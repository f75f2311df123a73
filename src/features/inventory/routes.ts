import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage, redirect, setFlash } from '../../server/respond';
import { formBody } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { ServiceError, zodFieldErrors } from '../service-errors';
import { actorOf } from '../staff/routes';
import { createProductSchema, KIND_LABELS, PRODUCT_KINDS, PRODUCT_SORTS, updateProductSchema, type CreateProductInput } from './schemas';
import { createProduct, getProduct, listProducts, updateProduct, type ProductView } from './products';
import { listCategoryTree } from './categories';
import { activeSuppliers } from './suppliers';
import { listTaxClasses } from './tax-classes';
import { listUnits } from './units';
import { centsInput, FormReader } from './forms';
import { unitRoutes } from './unit-routes';
import { stockRoutes } from './stock-routes';
import { lowStockRoutes } from './low-stock-routes';
import { catalogRoutes } from './catalog-routes';
import { inventoryApi } from './api';
import { warrantyRoutes } from './warranty-routes';
import { warrantyApi } from './warranty-api';
import { csvDownloadHeaders, toCsv, CSV_EXPORT_LIMIT } from '../csv/write';
import { centsToDecimalString } from '../../domain/money';
import { storeToday } from '../settings/service';
import { isUuid } from '../../db/sql-helpers';

type ProductListRow = Awaited<ReturnType<typeof listProducts>>['rows'][number];
const money = (cents: number | null) => (cents === null ? null : centsToDecimalString(cents));

type Values = Record<string, unknown>;
type Errors = Record<string, string>;

/** The raw form values (strings, as typed) of a product, for the edit form. */
function productValues(p: ProductView): Values {
  const primary = p.suppliers.find((s) => s.isPrimary) ?? p.suppliers[0];
  return {
    sku: p.sku, upc: p.upc ?? '', name: p.name, brand: p.brand, model: p.model, description: p.description, category_id: p.categoryId ?? '', kind: p.kind,
    cost: centsInput(p.costCents), price: centsInput(p.priceCents), min_price: centsInput(p.minPriceCents), tax_class_id: p.taxClassId ?? '',
    sellable: p.sellable, rentable: p.rentable, repair_use: p.repairUse, size: p.size, monthly_rental: centsInput(p.monthlyRentalCents), rto_purchase_price: centsInput(p.rtoPurchasePriceCents),
    reorder_point: p.reorderPoint ?? '', reorder_quantity: p.reorderQuantity ?? '', is_active: p.isActive, legacy_id: p.legacyId ?? '',
    supplier_id: primary?.supplierId ?? '', supplier_sku: primary?.supplierSku ?? '', supplier_cost: primary ? centsInput(primary.costCents) : '',
  };
}

/**
 * Reads the product form. The form edits one (primary) supplier link; other links made through the API are
 * kept as they are, so saving the page never silently drops them.
 */
function readProductForm(body: Record<string, unknown>, existing?: ProductView) {
  const r = new FormReader(body);
  const keys = ['sku', 'upc', 'name', 'brand', 'model', 'description', 'category_id', 'kind', 'cost', 'price', 'min_price', 'tax_class_id', 'size', 'monthly_rental', 'rto_purchase_price', 'reorder_point', 'reorder_quantity', 'legacy_id', 'supplier_id', 'supplier_sku', 'supplier_cost'];
  const values: Values = Object.fromEntries(keys.map((k) => [k, r.text(k)]));
  for (const k of ['sellable', 'rentable', 'repair_use', 'is_active']) values[k] = r.checkbox(k);
  const supplierId = r.optionalId('supplier_id');
  const supplierCost = r.money('supplier_cost', 'Supplier cost', undefined);
  const others = (existing?.suppliers ?? []).filter((s) => s.supplierId !== supplierId && (supplierId !== null || !s.isPrimary));
  const input: Record<string, unknown> = {
    sku: r.text('sku'), upc: r.text('upc'), name: r.text('name'), brand: r.text('brand'), model: r.text('model'), description: r.text('description'),
    category_id: r.optionalId('category_id'), kind: r.text('kind') || undefined, cost_cents: r.money('cost', 'Cost'), price_cents: r.money('price', 'Price'),
    min_price_cents: r.money('min_price', 'Minimum price', null),
    // On a new product "blank" is offered as "Default tax class"; on an edit it means no class.
    tax_class_id: r.optionalId('tax_class_id') ?? (existing ? null : undefined), sellable: values.sellable, rentable: values.rentable, repair_use: values.repair_use,
    size: r.text('size'), monthly_rental_cents: r.money('monthly_rental', 'Monthly rental rate', null), rto_purchase_price_cents: r.money('rto_purchase_price', 'Rent-to-own price', null),
    reorder_point: r.integer('reorder_point', 'Reorder point', null), reorder_quantity: r.integer('reorder_quantity', 'Reorder quantity', null), is_active: values.is_active, legacy_id: r.text('legacy_id'),
    suppliers: [
      ...others.map((s) => ({ supplier_id: s.supplierId, supplier_sku: s.supplierSku, cost_cents: s.costCents, is_primary: false })),
      ...(supplierId ? [{ supplier_id: supplierId, supplier_sku: r.text('supplier_sku'), cost_cents: supplierCost ?? 0, is_primary: true }] : []),
    ],
  };
  return { values, input, errors: r.errors };
}

/** Zod's field names are the API's (price_cents); the form's inputs are named without _cents. */
function formErrors(errors: Errors): Errors {
  const out: Errors = {};
  for (const [k, v] of Object.entries(errors)) {
    const key = k.startsWith('suppliers') ? 'supplier_id' : k.replace(/_cents$/, '');
    out[key] ??= v;
  }
  return out;
}

export function inventoryRoutes(deps: AppDeps) {
  const formOptions = async () => ({ categories: await listCategoryTree(deps.db), taxClasses: await listTaxClasses(deps.db), suppliers: await activeSuppliers(deps.db), kinds: PRODUCT_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] })) });

  const listFilters = (ctx: any) => ({
    kind: (PRODUCT_KINDS as readonly string[]).includes(ctx.query.kind) ? (ctx.query.kind as string) : '',
    status: ['active', 'inactive', 'all'].includes(ctx.query.status) ? (ctx.query.status as 'active') : ('active' as const),
    categoryId: isUuid(ctx.query.category_id) ? (ctx.query.category_id as string) : '',
  });

  const listPage = async (ctx: any) => {
    const query = parseListQuery(ctx.query, { sorts: PRODUCT_SORTS, defaultSort: 'sku' });
    const { kind, status, categoryId } = listFilters(ctx);
    const { rows, total } = await listProducts(deps.db, query, { kind: kind || undefined, status, categoryId: categoryId || undefined });
    const params: Record<string, string> = {};
    if (kind) params.kind = kind;
    if (status !== 'active') params.status = status;
    if (categoryId) params.category_id = categoryId;
    const list = buildListModel('/inventory/products', query, rows, total, params, { csv: true });
    return renderPage(deps, ctx, { template: 'inventory/products', fragment: 'inventory/_products_list', title: 'Products', data: { list, kind, status, categoryId, categories: await listCategoryTree(deps.db), kindLabels: KIND_LABELS } });
  };

  const formPage = async (ctx: any, product: ProductView | null, values: Values, errors: Errors = {}, status = 200) =>
    renderPage(deps, ctx, { template: 'inventory/product_form', title: product ? `Edit ${product.sku}` : 'New product', status, data: { product, values, errors, ...(await formOptions()) } });

  const save = async (ctx: any, existing: ProductView | null) => {
    const { values, input, errors } = readProductForm(formBody(ctx.body), existing ?? undefined);
    const parsed = (existing ? updateProductSchema : createProductSchema).safeParse(input);
    if (!parsed.success || Object.keys(errors).length) return formPage(ctx, existing, values, formErrors({ ...(parsed.success ? {} : zodFieldErrors(parsed.error)), ...errors }), 422);
    try {
      const product = await deps.db.transaction((tx) => (existing ? updateProduct(tx, actorOf(ctx), existing.id, parsed.data) : createProduct(tx, actorOf(ctx), parsed.data as CreateProductInput)));
      setFlash(deps, ctx, { kind: 'success', message: existing ? `${product.sku} saved.` : `${product.sku} ${product.name} created.` });
      return redirect(ctx, `/inventory/products/${product.id}`);
    } catch (err) {
      if (err instanceof ServiceError && err.status !== 404) return formPage(ctx, existing, values, { ...formErrors(err.fields), _: err.message }, err.status === 409 ? 409 : 422);
      throw err;
    }
  };

  return new Elysia({ name: 'feature.inventory' })
    .use(authPlugin(deps))
    .use(inventoryApi(deps))
    .use(catalogRoutes(deps))
    .use(unitRoutes(deps))
    .use(stockRoutes(deps))
    .use(warrantyRoutes(deps))
    .use(warrantyApi(deps))
    .use(lowStockRoutes(deps))
    .get('/inventory', (ctx) => redirect(ctx, '/inventory/products'), { permission: 'inventory.view' })
    .get('/inventory/products', listPage, { permission: 'inventory.view' })
    .get(
      '/inventory/products/export.csv',
      async (ctx) => {
        // Same search, filters and sort as the list on screen, every row (capped); money as decimal `*_amount` (docs/csv.md).
        const query = { ...parseListQuery(ctx.query, { sorts: PRODUCT_SORTS, defaultSort: 'sku' }), page: 1, limit: CSV_EXPORT_LIMIT };
        const { kind, status, categoryId } = listFilters(ctx);
        const { rows } = await listProducts(deps.db, query, { kind: kind || undefined, status, categoryId: categoryId || undefined });
        Object.assign(ctx.set.headers, csvDownloadHeaders('products', await storeToday(deps.db, deps.clock)));
        return toCsv<ProductListRow>(
          [
            { header: 'sku', value: (r) => r.sku },
            { header: 'upc', value: (r) => r.upc },
            { header: 'name', value: (r) => r.name },
            { header: 'brand', value: (r) => r.brand },
            { header: 'model', value: (r) => r.model },
            { header: 'kind', value: (r) => r.kind },
            { header: 'category', value: (r) => r.categoryName },
            { header: 'cost_amount', value: (r) => money(r.costCents) },
            { header: 'average_cost_amount', value: (r) => money(r.averageCostCents) },
            { header: 'price_amount', value: (r) => money(r.priceCents) },
            { header: 'min_price_amount', value: (r) => money(r.minPriceCents) },
            { header: 'monthly_rental_amount', value: (r) => money(r.monthlyRentalCents) },
            { header: 'rto_purchase_price_amount', value: (r) => money(r.rtoPurchasePriceCents) },
            { header: 'quantity_on_hand', value: (r) => r.quantityOnHand },
            { header: 'unit_count', value: (r) => r.unitCount },
            { header: 'available_units', value: (r) => r.availableUnits },
            { header: 'reorder_point', value: (r) => r.reorderPoint },
            { header: 'reorder_quantity', value: (r) => r.reorderQuantity },
            { header: 'sellable', value: (r) => r.sellable },
            { header: 'rentable', value: (r) => r.rentable },
            { header: 'repair_use', value: (r) => r.repairUse },
            { header: 'size', value: (r) => r.size },
            { header: 'active', value: (r) => r.isActive },
            { header: 'legacy_id', value: (r) => r.legacyId },
            { header: 'created_at', value: (r) => r.createdAt },
          ],
          rows,
        );
      },
      { permission: 'inventory.view' },
    )
    .get('/inventory/products/new', (ctx) => formPage(ctx, null, { kind: 'stock', sellable: true, is_active: true, tax_class_id: '' }), { permission: 'inventory.manage' })
    .post('/inventory/products', (ctx) => save(ctx, null), { permission: 'inventory.manage' })
    .get(
      '/inventory/products/:id',
      async (ctx) => {
        const product = await getProduct(deps.db, ctx.params.id);
        const units = product.kind === 'serialized' || product.unitCount > 0 ? (await listUnits(deps.db, parseListQuery({}, { sorts: ['serial_number'], defaultSort: 'serial_number', defaultLimit: 100 }), { productId: product.id })).rows : [];
        return renderPage(deps, ctx, { template: 'inventory/product', title: `${product.sku} ${product.name}`, data: { product, units, kindLabels: KIND_LABELS } });
      },
      { permission: 'inventory.view' },
    )
    .get('/inventory/products/:id/edit', async (ctx) => {
      const product = await getProduct(deps.db, ctx.params.id);
      return formPage(ctx, product, productValues(product));
    }, { permission: 'inventory.manage' })
    .post('/inventory/products/:id', async (ctx) => save(ctx, await getProduct(deps.db, ctx.params.id)), { permission: 'inventory.manage' });
}

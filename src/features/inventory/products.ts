import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { categories, inventoryUnits, products, productSuppliers, suppliers, taxClasses } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import type { ListQuery } from '../../ui/list';
import type { CreateProductInput, UpdateProductInput } from './schemas';
import { categoryAndDescendants } from './categories';
import { escapeLike, isUniqueViolation, isUuid } from '../../db/sql-helpers';
import { postRentableChange } from '../ledger/inventory-postings';

export type ProductRow = typeof products.$inferSelect;
export interface ProductSupplierView {
  supplierId: string;
  supplierName: string;
  supplierSku: string;
  costCents: number;
  isPrimary: boolean;
}
export interface ProductView extends ProductRow {
  categoryName: string | null;
  taxClassName: string | null;
  suppliers: ProductSupplierView[];
  unitCount: number;
}

export interface ProductFilter {
  kind?: string;
  categoryId?: string;
  status?: 'active' | 'inactive' | 'all';
}

/** Sort keys; each has a btree (migrations/0005_list_indexes.sql, lower(sku) unique) so a page is an ordered index scan. */
const PRODUCT_SORT_KEYS: Record<string, SQL> = {
  sku: sql`lower(${products.sku})`,
  name: sql`lower(${products.name})`,
  brand: sql`lower(${products.brand})`,
  kind: sql`${products.kind}`,
  price_cents: sql`${products.priceCents}`,
  quantity_on_hand: sql`${products.quantityOnHand}`,
  created_at: sql`${products.createdAt}`,
};

/**
 * The search rules (customers-inventory.md): 1–2 characters are prefixes of the name, SKU or UPC; 3+ are
 * substrings of "name brand model" or the SKU (the trigram-indexed expressions of 0003_search_indexes.sql),
 * UPCs by prefix. Each test is an indexed expression, so the OR is a BitmapOr, never a sequential scan.
 */
export function productSearchCondition(q: string, p: { sku: SQL; upc: SQL; name: SQL; brand: SQL; model: SQL } = { sku: sql`products.sku`, upc: sql`products.upc`, name: sql`products.name`, brand: sql`products.brand`, model: sql`products.model` }): SQL {
  const text = q.trim();
  const escaped = escapeLike(text.toLowerCase());
  const upcPrefix = `${escapeLike(text)}%`;
  if (text.length <= 2) return sql`(lower(${p.name}) like ${`${escaped}%`} or lower(${p.sku}) like ${`${escaped}%`} or ${p.upc} like ${upcPrefix})`;
  const like = `%${escaped}%`;
  return sql`(lower(${p.name} || ' ' || ${p.brand} || ' ' || ${p.model}) like ${like} or lower(${p.sku}) like ${like} or ${p.upc} like ${upcPrefix})`;
}

export async function listProducts(db: DbOrTx, query: ListQuery, filter: ProductFilter = {}) {
  const conditions: SQL[] = [];
  if (query.q) conditions.push(productSearchCondition(query.q));
  if (filter.kind) conditions.push(eq(products.kind, filter.kind));
  if (filter.categoryId) conditions.push(inArray(products.categoryId, await categoryAndDescendants(db, filter.categoryId)));
  if (!filter.status || filter.status === 'active') conditions.push(eq(products.isActive, true));
  if (filter.status === 'inactive') conditions.push(eq(products.isActive, false));
  const where = conditions.length ? and(...conditions) : undefined;
  const col = PRODUCT_SORT_KEYS[query.sort] ?? PRODUCT_SORT_KEYS.sku;
  // The tie-breaker follows the direction so a descending page is a backward scan of the same index.
  const dir = query.order === 'desc' ? desc : asc;
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(products).where(where);
  const rows = await db
    .select({
      product: products,
      categoryName: categories.name,
      unitCount: sql<number>`(select count(*)::int from ${inventoryUnits} u where u.product_id = ${products.id})`,
      availableUnits: sql<number>`(select count(*)::int from ${inventoryUnits} u where u.product_id = ${products.id} and u.status = 'available')`,
    })
    .from(products)
    .leftJoin(categories, eq(categories.id, products.categoryId))
    .where(where)
    .orderBy(dir(col), dir(products.id))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  return { rows: rows.map((r) => ({ ...r.product, categoryName: r.categoryName, unitCount: r.unitCount, availableUnits: r.availableUnits })), total };
}

export async function getProduct(db: DbOrTx, id: string): Promise<ProductView> {
  if (!isUuid(id)) throw new NotFoundError('Product');
  const [row] = await db
    .select({ product: products, categoryName: categories.name, taxClassName: taxClasses.name, unitCount: sql<number>`(select count(*)::int from ${inventoryUnits} u where u.product_id = ${products.id})` })
    .from(products)
    .leftJoin(categories, eq(categories.id, products.categoryId))
    .leftJoin(taxClasses, eq(taxClasses.id, products.taxClassId))
    .where(eq(products.id, id));
  if (!row) throw new NotFoundError('Product');
  const links = await db
    .select({ supplierId: productSuppliers.supplierId, supplierName: suppliers.name, supplierSku: productSuppliers.supplierSku, costCents: productSuppliers.costCents, isPrimary: productSuppliers.isPrimary })
    .from(productSuppliers)
    .innerJoin(suppliers, eq(suppliers.id, productSuppliers.supplierId))
    .where(eq(productSuppliers.productId, id))
    .orderBy(desc(productSuppliers.isPrimary), suppliers.name);
  return { ...row.product, categoryName: row.categoryName, taxClassName: row.taxClassName, unitCount: row.unitCount, suppliers: links };
}

/** Checks references up front so a bad id is a field error (422), not a foreign-key failure. */
async function assertReferences(tx: DbOrTx, input: Partial<CreateProductInput>) {
  const fields: Record<string, string> = {};
  if (input.category_id) {
    const [c] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.id, input.category_id));
    if (!c) fields.category_id = 'That category does not exist.';
  }
  if (input.tax_class_id) {
    const [t] = await tx.select({ id: taxClasses.id }).from(taxClasses).where(eq(taxClasses.id, input.tax_class_id));
    if (!t) fields.tax_class_id = 'That tax class does not exist.';
  }
  if (input.suppliers?.length) {
    const ids = input.suppliers.map((s) => s.supplier_id);
    if (new Set(ids).size !== ids.length) fields.suppliers = 'A supplier is listed twice.';
    const found = await tx.select({ id: suppliers.id }).from(suppliers).where(inArray(suppliers.id, ids));
    if (found.length !== new Set(ids).size) fields.suppliers = 'One of the suppliers does not exist.';
    if (input.suppliers.filter((s) => s.is_primary).length > 1) fields.suppliers = 'Only one supplier can be primary.';
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
}

async function assertUnique(tx: DbOrTx, input: { sku?: string; upc?: string | null; legacy_id?: string | null }, exceptId?: string) {
  const not = exceptId ? sql` and id <> ${exceptId}` : sql``;
  if (input.sku !== undefined) {
    const [clash] = await tx.execute(sql`select 1 from products where lower(sku) = ${input.sku.toLowerCase()}${not}`);
    if (clash) throw new ConflictError(`SKU ${input.sku} is already used by another product.`, { sku: 'This SKU is already used by another product.' });
  }
  if (input.upc) {
    const [clash] = await tx.execute(sql`select 1 from products where upc = ${input.upc}${not}`);
    if (clash) throw new ConflictError(`UPC ${input.upc} is already used by another product.`, { upc: 'This UPC/EAN is already used by another product.' });
  }
  if (input.legacy_id) {
    const [clash] = await tx.execute(sql`select 1 from products where legacy_id = ${input.legacy_id}${not}`);
    if (clash) throw new ConflictError('Another product has that legacy id.', { legacy_id: 'Another product has that legacy id.' });
  }
}

function columnsOf(input: Partial<CreateProductInput>): Partial<typeof products.$inferInsert> {
  const map: [keyof CreateProductInput, keyof typeof products.$inferInsert][] = [
    ['sku', 'sku'], ['upc', 'upc'], ['name', 'name'], ['brand', 'brand'], ['model', 'model'], ['description', 'description'], ['category_id', 'categoryId'], ['kind', 'kind'],
    ['cost_cents', 'costCents'], ['price_cents', 'priceCents'], ['min_price_cents', 'minPriceCents'], ['tax_class_id', 'taxClassId'], ['sellable', 'sellable'], ['rentable', 'rentable'],
    ['repair_use', 'repairUse'], ['size', 'size'], ['monthly_rental_cents', 'monthlyRentalCents'], ['rto_purchase_price_cents', 'rtoPurchasePriceCents'], ['reorder_point', 'reorderPoint'],
    ['reorder_quantity', 'reorderQuantity'], ['is_active', 'isActive'], ['legacy_id', 'legacyId'],
  ];
  const out: Record<string, unknown> = {};
  for (const [from, to] of map) if (input[from] !== undefined) out[to] = input[from];
  return out as Partial<typeof products.$inferInsert>;
}

async function replaceSuppliers(tx: Tx, productId: string, links: NonNullable<CreateProductInput['suppliers']>) {
  await tx.delete(productSuppliers).where(eq(productSuppliers.productId, productId));
  if (links.length) {
    await tx.insert(productSuppliers).values(links.map((l) => ({ productId, supplierId: l.supplier_id, supplierSku: l.supplier_sku, costCents: l.cost_cents, isPrimary: l.is_primary })));
  }
}

function uniqueConflict(): never {
  throw new ConflictError('Another product already uses this SKU, UPC or legacy id.', { sku: 'Check that SKU, UPC and legacy id are not used by another product.' });
}

/** New products get the default tax class unless one is chosen: every sellable item must be taxable somehow. */
async function defaultTaxClassId(tx: DbOrTx): Promise<string | null> {
  const [row] = await tx.select({ id: taxClasses.id }).from(taxClasses).where(eq(taxClasses.isDefault, true));
  return row?.id ?? null;
}

export async function createProduct(tx: Tx, actor: Actor, input: CreateProductInput): Promise<ProductView> {
  await assertReferences(tx, input);
  await assertUnique(tx, input);
  let row: ProductRow;
  try {
    [row] = await tx
      .insert(products)
      .values({ ...(columnsOf(input) as typeof products.$inferInsert), taxClassId: input.tax_class_id === undefined ? await defaultTaxClassId(tx) : input.tax_class_id })
      .returning();
  } catch (err) {
    if (isUniqueViolation(err)) uniqueConflict();
    throw err;
  }
  if (input.suppliers) await replaceSuppliers(tx, row.id, input.suppliers);
  const view = await getProduct(tx, row.id);
  await recordAudit(tx, actor, { action: 'product.create', entityType: 'product', entityId: row.id, summary: `Created product ${row.sku} ${row.name}`, after: view });
  return view;
}

/**
 * Correcting the kind follows the stock rules: quantities and units must not be orphaned, so a stock item
 * must be at zero on hand and a serialized item must have no units before it becomes something else.
 */
async function assertKindChange(tx: DbOrTx, before: ProductView, to: string) {
  if (to === before.kind) return;
  if (before.kind === 'stock' && before.quantityOnHand !== 0) {
    throw new ConflictError(`${before.sku} still has ${before.quantityOnHand} on hand. Adjust the stock to 0 before changing its kind.`, { kind: `Bring on-hand to 0 first (now ${before.quantityOnHand}).` });
  }
  if (before.kind === 'serialized') {
    const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(inventoryUnits).where(eq(inventoryUnits.productId, before.id));
    if (n > 0) throw new ConflictError(`${before.sku} has ${n} serialized unit(s); a product with units must stay serialized.`, { kind: `This product has ${n} unit(s) and must stay serialized.` });
  }
}

export async function updateProduct(tx: Tx, actor: Actor, id: string, input: UpdateProductInput): Promise<ProductView> {
  if (!isUuid(id)) throw new NotFoundError('Product');
  // A rentable change moves the units' cost between Inventory and Rental fleet: lock the units first (before the
  // product, the order a sale or rental takes them), so a unit changing status meanwhile is counted as it ends up.
  if (input.rentable !== undefined) await tx.select({ id: inventoryUnits.id }).from(inventoryUnits).where(eq(inventoryUnits.productId, id)).for('update');
  // Lock first: a stock movement or unit receipt racing a kind change must not slip in between the check and the update.
  const [locked] = await tx.select({ id: products.id }).from(products).where(eq(products.id, id)).for('update');
  if (!locked) throw new NotFoundError('Product');
  const before = await getProduct(tx, id);
  if (input.kind !== undefined) await assertKindChange(tx, before, input.kind);
  const merged = { price_cents: input.price_cents ?? before.priceCents, min_price_cents: input.min_price_cents === undefined ? before.minPriceCents : input.min_price_cents };
  if (merged.min_price_cents != null && merged.min_price_cents > merged.price_cents) throw new ValidationError({ min_price_cents: 'Minimum price cannot be above the price.' });
  await assertReferences(tx, input as Partial<CreateProductInput>);
  await assertUnique(tx, input as Partial<CreateProductInput>, id);
  try {
    await tx.update(products).set({ ...columnsOf(input as Partial<CreateProductInput>), updatedAt: new Date() }).where(eq(products.id, id));
  } catch (err) {
    if (isUniqueViolation(err)) uniqueConflict();
    throw err;
  }
  if (input.suppliers) await replaceSuppliers(tx, id, input.suppliers as NonNullable<CreateProductInput['suppliers']>);
  // Units of a rentable product are Rental fleet, the others Inventory (accounting-reports.md "Cost").
  if (input.rentable !== undefined) await postRentableChange(tx, actor, id, before.sku, before.rentable, input.rentable);
  const after = await getProduct(tx, id);
  const action = input.kind !== undefined && input.kind !== before.kind ? 'product.change_kind' : 'product.update';
  await recordAudit(tx, actor, { action, entityType: 'product', entityId: id, summary: `${action === 'product.change_kind' ? `Changed kind ${before.kind} → ${after.kind} of` : 'Updated'} ${after.sku}`, before, after });
  return after;
}

import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { inventoryUnits, products, unitEvents } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { ConflictError, NotFoundError } from '../service-errors';
import { formatCents } from '../../domain/money';
import type { ListQuery } from '../../ui/list';
import type { CreateUnitInput } from './schemas';
import { productSearchCondition } from './products';
import { createUnit } from './unit-lifecycle';
import { escapeLike, isUniqueViolation, isUuid } from '../../db/sql-helpers';

export interface UnitFilter {
  status?: string;
  productId?: string;
}

const unitColumns = {
  unit: inventoryUnits,
  sku: products.sku,
  productName: products.name,
  brand: products.brand,
  model: products.model,
  rentable: products.rentable,
};

/** Sort keys; each has a btree (migrations/0005_list_indexes.sql; SKU via the products' lower(sku) index). */
const UNIT_SORT_KEYS: Record<string, SQL> = {
  serial_number: sql`lower(${inventoryUnits.serialNumber})`,
  sku: sql`lower(${products.sku})`,
  status: sql`${inventoryUnits.status}`,
  condition: sql`${inventoryUnits.condition}`,
  acquired_on: sql`${inventoryUnits.acquiredOn}`,
  created_at: sql`${inventoryUnits.createdAt}`,
};

export async function listUnits(db: DbOrTx, query: ListQuery, filter: UnitFilter = {}) {
  const conditions: SQL[] = [];
  if (query.q) {
    // Same rules as the global search: serial prefix (1–2 characters) or trigram substring (3+), or a unit of a
    // matching product. The product ids are collected once by index scans and compared with `= any(...)`.
    const text = query.q.trim().toLowerCase();
    const escaped = escapeLike(text);
    const serialLike = text.length <= 2 ? `${escaped}%` : `%${escaped}%`;
    conditions.push(sql`(lower(inventory_units.serial_number) like ${serialLike} or inventory_units.product_id = any(array(select products.id from ${products} where ${productSearchCondition(query.q)})))`);
  }
  if (filter.status) conditions.push(eq(inventoryUnits.status, filter.status));
  if (filter.productId) conditions.push(eq(inventoryUnits.productId, filter.productId));
  const where = conditions.length ? and(...conditions) : undefined;
  const col = UNIT_SORT_KEYS[query.sort] ?? UNIT_SORT_KEYS.serial_number;
  // The tie-breaker follows the direction so a descending page is a backward scan of the same index.
  const dir = query.order === 'desc' ? desc : asc;
  // No condition reads products (the search collects product ids first) and every unit has one (not null
  // foreign key), so the total counts units alone: an index-only scan, not a join.
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(inventoryUnits).where(where);
  const rows = await db
    .select(unitColumns)
    .from(inventoryUnits)
    .innerJoin(products, eq(products.id, inventoryUnits.productId))
    .where(where)
    .orderBy(dir(col), dir(inventoryUnits.id))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  return { rows: rows.map((r) => ({ ...r.unit, sku: r.sku, productName: r.productName, brand: r.brand, model: r.model })), total };
}

export async function getUnit(db: DbOrTx, id: string) {
  if (!isUuid(id)) throw new NotFoundError('Unit');
  const [row] = await db.select(unitColumns).from(inventoryUnits).innerJoin(products, eq(products.id, inventoryUnits.productId)).where(eq(inventoryUnits.id, id));
  if (!row) throw new NotFoundError('Unit');
  return { ...row.unit, sku: row.sku, productName: row.productName, brand: row.brand, model: row.model, rentable: row.rentable };
}

/** The instrument passport: every event of the unit, oldest first (a life story reads forwards). */
export async function unitPassport(db: DbOrTx, unitId: string) {
  return db.select().from(unitEvents).where(eq(unitEvents.unitId, unitId)).orderBy(asc(unitEvents.at), asc(unitEvents.id));
}

/** Exact serial match, case-insensitive, across products (the same serial may exist for two products). */
export async function findUnitsBySerial(db: DbOrTx, serial: string) {
  const wanted = serial.trim().toLowerCase();
  if (!wanted) return [];
  const rows = await db
    .select(unitColumns)
    .from(inventoryUnits)
    .innerJoin(products, eq(products.id, inventoryUnits.productId))
    .where(sql`lower(${inventoryUnits.serialNumber}) = ${wanted}`)
    .orderBy(asc(products.sku));
  return rows.map((r) => ({ ...r.unit, sku: r.sku, productName: r.productName, brand: r.brand, model: r.model }));
}

const VIA_WORDS: Record<string, string> = { purchase: 'Purchased', trade_in: 'Taken in trade', import: 'Imported', other: 'Added' };

/** Adds a unit by hand (not through receiving): createUnit does the passport entry; this adds the audit row. */
export async function addUnit(tx: Tx, actor: Actor, input: CreateUnitInput) {
  if (input.legacy_id) {
    const [clash] = await tx.select({ id: inventoryUnits.id }).from(inventoryUnits).where(eq(inventoryUnits.legacyId, input.legacy_id));
    if (clash) throw new ConflictError('Another unit has that legacy id.', { legacy_id: 'Another unit has that legacy id.' });
  }
  const when = input.acquired_on ? ` on ${input.acquired_on}` : '';
  const unit = await createUnit(tx, actor, {
    productId: input.product_id,
    serialNumber: input.serial_number,
    condition: input.condition,
    costCents: input.cost_cents,
    acquiredOn: input.acquired_on ?? null,
    acquiredVia: input.acquired_via,
    location: input.location,
    notes: input.notes,
    legacyId: input.legacy_id ?? null,
    acquisitionSummary: `${VIA_WORDS[input.acquired_via]}${when} at cost ${formatCents(input.cost_cents)}, condition ${input.condition}; added by ${actor.label}`,
  }).catch((err) => {
    // Two people adding the same serial at once: createUnit's check passes for both, the unique index stops one.
    if (isUniqueViolation(err)) throw new ConflictError(`Serial ${input.serial_number} already exists for this product.`, { serial_number: 'This serial number already exists for this product.' });
    throw err;
  });
  await recordAudit(tx, actor, { action: 'unit.create', entityType: 'inventory_unit', entityId: unit.id, summary: `Added unit ${unit.serialNumber}`, after: unit });
  return unit;
}

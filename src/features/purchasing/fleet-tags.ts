import { and, asc, desc, eq, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import { inventoryUnits, products } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import type { ListQuery } from '../../ui/list';
import { containsPattern, isUuid } from '../../db/sql-helpers';
import { getStoreSettings } from '../settings/service';
import { NotFoundError, ValidationError } from '../service-errors';
import { code128, MAX_COPIES, type Barcode } from './labels';

/**
 * Rental fleet tags: the sturdier tag hung on (or stuck inside the case of) every instrument of the rental
 * fleet, scanned at check-out, return and repair intake. One tag is 2.25 × 1.25 in, the common direct-thermal
 * label on a 1-up roll (Zebra/Rollo/DYMO 4XL), printed one tag per page; public/css/fleet-tags.css sets the
 * page size. It carries the store name, a big Code 128 of the serial, the serial as text, product
 * name/brand/model/size, and "Property of <store> — rental fleet".
 *
 * Only units of rentable products get one (a price label is for selling); units that have left the fleet
 * (sold, lost, retired) are refused too, so a tag never claims property the store no longer has.
 */
export const FLEET_TAG_SIZE = { widthIn: 2.25, heightIn: 1.25 } as const;
/** Units on one sheet; ×copies is capped at MAX_COPIES like the other labels. */
export const MAX_FLEET_UNITS = 100;
/** Statuses of units that are no longer (or not now) the store's property on the shelf or out on rent. */
export const NOT_IN_FLEET = ['sold', 'lost', 'retired'] as const;
export const FLEET_SORTS = ['serial_number', 'sku', 'status'] as const;

export interface FleetTag {
  unitId: string;
  storeName: string;
  serial: string;
  barcode: Barcode | null;
  sku: string;
  productName: string;
  /** "Bach · TR300H2", or '' */
  brandModel: string;
  size: string;
  ownership: string;
}

/**
 * Unit ids as the label page receives them: repeated `unit_id` (a list selection) or one; duplicates are
 * dropped, order kept. A malformed id is a "not found", like the other label links.
 */
export function parseUnitIds(values: string[]): string[] {
  const ids = [...new Set(values.map((v) => v.trim()).filter((v) => v !== ''))];
  if (ids.length > MAX_FLEET_UNITS) throw new ValidationError({ unit_id: `Choose at most ${MAX_FLEET_UNITS} units per sheet (${ids.length} chosen).` });
  if (ids.some((id) => !isUuid(id))) throw new NotFoundError('Unit');
  return ids;
}

export async function fleetTags(db: DbOrTx, unitIds: string[], copies: number): Promise<FleetTag[]> {
  if (!unitIds.length) throw new ValidationError({ unit_id: 'Choose at least one unit.' });
  if (unitIds.length * copies > MAX_COPIES) throw new ValidationError({ copies: `At most ${MAX_COPIES} tags per sheet: ${unitIds.length} units × ${copies} copies is ${unitIds.length * copies}.` });
  const rows = await db
    .select({
      id: inventoryUnits.id,
      serial: inventoryUnits.serialNumber,
      status: inventoryUnits.status,
      sku: products.sku,
      name: products.name,
      brand: products.brand,
      model: products.model,
      size: products.size,
      rentable: products.rentable,
    })
    .from(inventoryUnits)
    .innerJoin(products, eq(products.id, inventoryUnits.productId))
    .where(inArray(inventoryUnits.id, unitIds));
  if (rows.length !== unitIds.length) throw new NotFoundError('Unit');
  const notRentable = rows.filter((r) => !r.rentable);
  if (notRentable.length) {
    const which = notRentable.slice(0, 5).map((r) => `${r.serial} (${r.sku} ${r.name})`).join(', ');
    const more = notRentable.length > 5 ? ` and ${notRentable.length - 5} more` : '';
    throw new ValidationError({ unit_id: `Fleet tags are only for units of rentable products. Not rentable: ${which}${more}. Print a regular label instead, or mark the product rentable.` });
  }
  const gone = rows.filter((r) => (NOT_IN_FLEET as readonly string[]).includes(r.status));
  if (gone.length) {
    const which = gone.slice(0, 5).map((r) => `${r.serial} (${r.status})`).join(', ');
    throw new ValidationError({ unit_id: `These units are not in the rental fleet any more: ${which}.` });
  }
  const storeName = (await getStoreSettings(db))?.storeName ?? 'the store';
  const byId = new Map(rows.map((r) => [r.id, r]));
  const tags: FleetTag[] = [];
  for (const id of unitIds) {
    const r = byId.get(id)!;
    const tag: FleetTag = {
      unitId: r.id,
      storeName,
      serial: r.serial,
      barcode: code128(r.serial),
      sku: r.sku,
      productName: r.name,
      brandModel: [r.brand, r.model].filter(Boolean).join(' · '),
      size: r.size,
      ownership: `Property of ${storeName} — rental fleet`,
    };
    for (let i = 0; i < copies; i++) tags.push(tag);
  }
  return tags;
}

export interface FleetUnitFilter {
  productId?: string;
  status?: string;
}

/** The picker's list: units of rentable products still in the fleet, searchable by serial, SKU or name. */
export async function listFleetUnits(db: DbOrTx, query: ListQuery, filter: FleetUnitFilter = {}) {
  const conditions: SQL[] = [eq(products.rentable, true), notInArray(inventoryUnits.status, [...NOT_IN_FLEET])];
  if (query.q) conditions.push(sql`lower(${inventoryUnits.serialNumber} || ' ' || ${products.sku} || ' ' || ${products.name} || ' ' || ${products.brand} || ' ' || ${products.model}) like ${containsPattern(query.q)}`);
  if (filter.productId) conditions.push(eq(inventoryUnits.productId, filter.productId));
  if (filter.status) conditions.push(eq(inventoryUnits.status, filter.status));
  const where = and(...conditions);
  const col = { serial_number: sql`lower(${inventoryUnits.serialNumber})`, sku: sql`lower(${products.sku})`, status: sql`${inventoryUnits.status}` }[query.sort as 'sku'] ?? sql`lower(${inventoryUnits.serialNumber})`;
  const dir = query.order === 'desc' ? desc : asc;
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(inventoryUnits).innerJoin(products, eq(products.id, inventoryUnits.productId)).where(where);
  const rows = await db
    .select({ id: inventoryUnits.id, serial: inventoryUnits.serialNumber, status: inventoryUnits.status, location: inventoryUnits.location, productId: products.id, sku: products.sku, productName: products.name, size: products.size })
    .from(inventoryUnits)
    .innerJoin(products, eq(products.id, inventoryUnits.productId))
    .where(where)
    .orderBy(dir(col), dir(inventoryUnits.id))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  return { rows, total };
}

/** The product a picker is narrowed to, if it exists (a non-rentable one is refused with the reason). */
export async function fleetProduct(db: DbOrTx, productId: string) {
  if (!isUuid(productId)) throw new NotFoundError('Product');
  const [p] = await db.select({ id: products.id, sku: products.sku, name: products.name, rentable: products.rentable }).from(products).where(eq(products.id, productId));
  if (!p) throw new NotFoundError('Product');
  if (!p.rentable) throw new ValidationError({ product_id: `${p.sku} ${p.name} is not a rentable product, so its units get regular labels, not fleet tags.` });
  return p;
}

/**
 * SVG text has no wrapping: a line estimated wider than its box (about 0.58 em per character, a little
 * generous for sans-serif) gets `textLength` so the printer squeezes it rather than cutting it at the
 * tag's edge. Returns the textLength to set, or null when the text fits.
 */
export function fitText(text: string, fontSize: number, maxWidth: number, emPerChar = 0.58): number | null {
  return text.length * fontSize * emPerChar > maxWidth ? maxWidth : null;
}

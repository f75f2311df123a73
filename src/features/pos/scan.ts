import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { inventoryUnits, products, sales } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { findGiftCard, giftCardBalance } from '../sales/stored-value';
import { globalSearch, type SearchHit } from '../search/service';
import { SearchInputError } from '../search/terms';
import type { SearchKind } from '../search/terms';

/**
 * What a scan (or typed text) in the sale screen's one input means — docs/pos-screen.md "Scan rules":
 *   1. a sale number (S-000123, R-…, P-…)             -> that document (a link; returns are on its page)
 *   2. exact UPC, then exact SKU (case-insensitive)  -> the product (serialized: pick one of its available units)
 *   3. exact serial number (case-insensitive)         -> that unit
 *   4. an existing gift card number                    -> its balance, with a reload action
 *   5. anything else                                   -> search: products by name/SKU and customer accounts
 * Pure lookups: nothing is written here.
 */

export type Product = typeof products.$inferSelect;
export type Unit = typeof inventoryUnits.$inferSelect;

export const MAX_SCAN_LENGTH = 100;

export type ScanOutcome =
  | { kind: 'empty' }
  | { kind: 'too_long' }
  | { kind: 'product'; product: Product }
  | { kind: 'unit'; unit: Unit; product: Product }
  | { kind: 'units'; code: string; choices: { unit: Unit; product: Product }[] }
  | { kind: 'pick_unit'; product: Product; units: Unit[] }
  | { kind: 'gift_card'; card: { id: string; number: string; status: string; expiresOn: string | null; balanceCents: number } }
  | { kind: 'sale'; sale: { id: string; number: string; kind: string; status: string; totalCents: number; businessDate: string } }
  | { kind: 'no_sale'; number: string }
  | { kind: 'search'; query: string; products: SearchHit[]; accounts: SearchHit[]; error: string | null };

/** Scanners send control characters (tabs, CR) and people paste spaces: clean before matching. */
export function cleanScan(raw: string): string {
  return raw.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

const SALE_NUMBER = /^[SRP]-\d{6,}$/i;

/** Units a serialized product can sell right now (available, oldest serial first). */
export async function availableUnits(db: DbOrTx, productId: string, limit = 50): Promise<Unit[]> {
  return db.select().from(inventoryUnits).where(and(eq(inventoryUnits.productId, productId), eq(inventoryUnits.status, 'available'))).orderBy(asc(inventoryUnits.serialNumber)).limit(limit);
}

/** Exact product by UPC (as printed) or SKU (any case); the UPC wins when both match different products. */
export async function productByCode(db: DbOrTx, code: string): Promise<Product | null> {
  const rows = await db
    .select()
    .from(products)
    .where(or(eq(products.upc, code), sql`lower(${products.sku}) = ${code.toLowerCase()}`))
    .limit(2);
  return rows.find((p) => p.upc === code) ?? rows[0] ?? null;
}

export async function resolveScan(db: DbOrTx, searchDb: DbOrTx, raw: string, permissions: ReadonlySet<string>): Promise<ScanOutcome> {
  const code = cleanScan(raw);
  if (!code) return { kind: 'empty' };
  if (code.length > MAX_SCAN_LENGTH) return { kind: 'too_long' };

  if (SALE_NUMBER.test(code)) {
    const [sale] = await db
      .select({ id: sales.id, number: sales.number, kind: sales.kind, status: sales.status, totalCents: sales.totalCents, businessDate: sales.businessDate })
      .from(sales)
      .where(eq(sales.number, code.toUpperCase()));
    return sale ? { kind: 'sale', sale } : { kind: 'no_sale', number: code.toUpperCase() };
  }

  const product = await productByCode(db, code);
  if (product) {
    if (product.kind === 'serialized') return { kind: 'pick_unit', product, units: await availableUnits(db, product.id) };
    return { kind: 'product', product };
  }

  const units = await db
    .select({ unit: inventoryUnits, product: products })
    .from(inventoryUnits)
    .innerJoin(products, eq(products.id, inventoryUnits.productId))
    .where(sql`lower(${inventoryUnits.serialNumber}) = ${code.toLowerCase()}`)
    .limit(10);
  if (units.length === 1) return { kind: 'unit', unit: units[0].unit, product: units[0].product };
  if (units.length > 1) return { kind: 'units', code, choices: units };

  const card = await findGiftCard(db, code);
  if (card) return { kind: 'gift_card', card: { id: card.id, number: card.number, status: card.status, expiresOn: card.expiresOn, balanceCents: await giftCardBalance(db, card.id) } };

  const kinds: SearchKind[] = [];
  if (permissions.has('inventory.view') || permissions.has('pos.sell')) kinds.push('products');
  if (permissions.has('customers.view')) kinds.push('accounts');
  try {
    const found = await globalSearch(db, code, { kinds, limit: 8, searchDb });
    const group = (k: SearchKind) => found.groups.find((g) => g.kind === k)?.hits ?? [];
    return { kind: 'search', query: code, products: group('products'), accounts: group('accounts'), error: null };
  } catch (err) {
    if (!(err instanceof SearchInputError)) throw err;
    return { kind: 'search', query: code, products: [], accounts: [], error: err.message };
  }
}

/** Products of the given ids (for adding from a search result or a quick key). */
export async function productsByIds(db: DbOrTx, ids: string[]): Promise<Product[]> {
  if (ids.length === 0) return [];
  return db.select().from(products).where(inArray(products.id, ids));
}

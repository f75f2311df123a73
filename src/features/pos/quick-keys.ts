import { and, asc, eq, gte, notInArray, sql } from 'drizzle-orm';
import { products, saleLines, sales } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { addDays, type BusinessDate } from '../../domain/business-date';

/**
 * Quick keys (docs/pos-screen.md): the 8 stock products sold most (units, completed sales) over the last 30
 * store days, ties by name; when fewer than 8 sold, the first active stock products by name fill the row.
 * Only active, sellable stock products appear.
 */

export const QUICK_KEY_COUNT = 8;
export const QUICK_KEY_DAYS = 30;

export interface QuickKey {
  id: string;
  name: string;
  sku: string;
  priceCents: number;
}

export async function quickKeys(db: DbOrTx, today: BusinessDate): Promise<QuickKey[]> {
  const sellable = and(eq(products.kind, 'stock'), eq(products.isActive, true), eq(products.sellable, true));
  const cols = { id: products.id, name: products.name, sku: products.sku, priceCents: products.priceCents };
  const sold = sql<number>`sum(${saleLines.quantity})`;
  const top = await db
    .select(cols)
    .from(saleLines)
    .innerJoin(sales, eq(sales.id, saleLines.saleId))
    .innerJoin(products, eq(products.id, saleLines.productId))
    .where(and(eq(sales.kind, 'sale'), eq(sales.status, 'completed'), gte(sales.businessDate, addDays(today, -(QUICK_KEY_DAYS - 1))), sellable))
    .groupBy(products.id)
    .orderBy(sql`${sold} desc`, asc(products.name))
    .limit(QUICK_KEY_COUNT);
  if (top.length >= QUICK_KEY_COUNT) return top;
  const fill = await db
    .select(cols)
    .from(products)
    .where(top.length ? and(sellable, notInArray(products.id, top.map((p) => p.id))) : sellable)
    .orderBy(asc(products.name), asc(products.sku))
    .limit(QUICK_KEY_COUNT - top.length);
  return [...top, ...fill];
}

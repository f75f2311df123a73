import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { getTableColumns } from 'drizzle-orm';
import { products, stockMovements } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { NotFoundError } from '../service-errors';
import type { ListQuery } from '../../ui/list';
import type { StockAdjustmentInput } from './schemas';
import { recordStockMovement } from './stock-ledger';
import { containsPattern, isUuid } from '../../db/sql-helpers';

/**
 * A manual stock adjustment (count found more, breakage, samples …). The free-text reason is kept as the
 * movement's note with reason `adjustment`. `overrideByUserId` is set only when the caller holds
 * inventory.override and asked to allow a negative result; recordStockMovement refuses otherwise.
 */
export async function adjustStock(tx: Tx, actor: Actor, input: StockAdjustmentInput, overrideByUserId: string | null) {
  if (!isUuid(input.product_id)) throw new NotFoundError('Product');
  const [before] = await tx.select({ sku: products.sku, quantityOnHand: products.quantityOnHand, averageCostCents: products.averageCostCents }).from(products).where(eq(products.id, input.product_id));
  if (!before) throw new NotFoundError('Product');
  const result = await recordStockMovement(tx, actor, {
    productId: input.product_id,
    quantityDelta: input.quantity,
    reason: 'adjustment',
    note: input.reason,
    unitCostCents: input.quantity > 0 ? input.unit_cost_cents : undefined,
    overrideByUserId: input.allow_negative ? overrideByUserId : null,
  });
  const after = { quantityOnHand: result.quantityOnHand, averageCostCents: result.averageCostCents, movementId: result.movement.id, overridden: !!result.movement.overrideByUserId };
  await recordAudit(tx, actor, {
    action: result.quantityOnHand < 0 ? 'stock.adjust_negative_override' : 'stock.adjust',
    entityType: 'product',
    entityId: input.product_id,
    summary: `${before.sku}: ${input.quantity > 0 ? '+' : ''}${input.quantity} (${input.reason}) → ${result.quantityOnHand} on hand`,
    before: { quantityOnHand: before.quantityOnHand, averageCostCents: before.averageCostCents },
    after,
  });
  return result;
}

export const MOVEMENT_SORTS = ['at'] as const;

/**
 * Every movement of a product, each row carrying the running quantity and average cost after it, and the number
 * of the counter document (sale, return) that made it, from its reference.
 */
export async function stockLedger(db: DbOrTx, productId: string, query: ListQuery) {
  const documentNumber = sql<string | null>`(select s.number from sales s where s.id = case when ${stockMovements.referenceType} = 'sale' then ${stockMovements.referenceId}::uuid end)`;
  const where = query.q
    ? and(eq(stockMovements.productId, productId), sql`lower(${stockMovements.note} || ' ' || ${stockMovements.reason} || ' ' || ${stockMovements.actorLabel} || ' ' || coalesce(${documentNumber}, '')) like ${containsPattern(query.q)}`)
    : eq(stockMovements.productId, productId);
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(stockMovements).where(where);
  const rows = await db
    .select({ ...getTableColumns(stockMovements), documentNumber })
    .from(stockMovements)
    .where(where)
    .orderBy(query.order === 'asc' ? asc(stockMovements.id) : desc(stockMovements.id))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  return { rows, total };
}

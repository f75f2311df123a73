import { eq, sql } from 'drizzle-orm';
import { products, stockMovements } from '../../db/schema';
import type { Tx } from '../../db/client';
import type { Actor } from '../audit/service';
import { averageCostAfter } from '../../domain/average-cost';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';

export type StockReason = 'receipt' | 'sale' | 'return' | 'repair_use' | 'adjustment' | 'count' | 'transfer_to_fleet' | 'import';

export interface StockMovementInput {
  productId: string;
  quantityDelta: number;
  reason: StockReason;
  note?: string;
  /** Cost per unit of incoming stock (receipts, positive adjustments); ignored for issues. */
  unitCostCents?: number;
  referenceType?: string;
  referenceId?: string;
  /** A manager who allowed on-hand to go below zero (POS override). Without it a negative result is refused. */
  overrideByUserId?: string | null;
}

/**
 * The one way quantity stock changes: locks the product row, appends a stock_movements row and updates
 * on_hand and the moving average in the same transaction. Negative on-hand needs a recorded override.
 * Journal postings for receipts/adjustments plug in here when the ledger core lands (POS issue).
 */
export async function recordStockMovement(tx: Tx, actor: Actor, input: StockMovementInput) {
  if (!Number.isSafeInteger(input.quantityDelta) || input.quantityDelta === 0) throw new ValidationError({ quantity: 'Quantity must be a whole number other than 0.' });
  const [product] = await tx.select().from(products).where(eq(products.id, input.productId)).for('update');
  if (!product) throw new NotFoundError('Product');
  if (product.kind !== 'stock') throw new ValidationError({ product_id: `${product.sku} is not a quantity (stock) item; serialized items are counted as units.` });
  const after = product.quantityOnHand + input.quantityDelta;
  if (after < 0 && !input.overrideByUserId) {
    throw new ConflictError(`Only ${product.quantityOnHand} of ${product.sku} on hand; this would make it ${after}. A manager override is needed.`, { quantity: 'Not enough on hand.' });
  }
  const unitCost = input.quantityDelta > 0 ? input.unitCostCents ?? product.averageCostCents : product.averageCostCents;
  if (!Number.isSafeInteger(unitCost) || unitCost < 0) throw new ValidationError({ unit_cost_cents: 'Unit cost must be a whole number of cents, 0 or more.' });
  const average = averageCostAfter(product.quantityOnHand, product.averageCostCents, input.quantityDelta, unitCost);
  await tx.update(products).set({ quantityOnHand: after, averageCostCents: average, updatedAt: sql`now()` }).where(eq(products.id, product.id));
  const [movement] = await tx
    .insert(stockMovements)
    .values({
      productId: product.id,
      quantityDelta: input.quantityDelta,
      reason: input.reason,
      note: input.note ?? '',
      unitCostCents: unitCost,
      quantityAfter: after,
      averageCostAfterCents: average,
      referenceType: input.referenceType ?? null,
      referenceId: input.referenceId ?? null,
      overrideByUserId: input.overrideByUserId ?? null,
      actorUserId: actor.userId,
      actorLabel: actor.label,
    })
    .returning();
  return { movement, quantityOnHand: after, averageCostCents: average };
}

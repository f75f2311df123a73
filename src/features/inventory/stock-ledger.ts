import { eq, sql } from 'drizzle-orm';
import { products, stockMovements } from '../../db/schema';
import type { Tx } from '../../db/client';
import type { Actor } from '../audit/service';
import { applyStockChange } from '../../domain/stock-value';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import { postStockMovement, SELF_POSTING_STOCK_REASONS, type SelfPostingStockReason } from '../ledger/inventory-postings';

export type StockReason = 'receipt' | 'sale' | 'return' | 'repair_use' | 'adjustment' | 'count' | 'transfer_to_fleet' | 'import';

export interface StockMovementInput {
  productId: string;
  quantityDelta: number;
  reason: StockReason;
  note?: string;
  /** Cost per unit of incoming stock (receipts, positive adjustments); ignored for issues. */
  unitCostCents?: number;
  /**
   * Exact total cost of incoming stock when it is not quantity × unit cost (a receipt line's value with its
   * freight share, before the per-unit rounding); the stock value and the AP credit take it to the cent.
   */
  totalCostCents?: number;
  referenceType?: string;
  referenceId?: string;
  /** A manager who allowed on-hand to go below zero (POS override). Without it a negative result is refused. */
  overrideByUserId?: string | null;
  /** Business date of the journal entry (YYYY-MM-DD); default: today in the store's time zone. */
  entryDate?: string | null;
}

/**
 * The one way quantity stock changes: locks the product row, appends a stock_movements row, updates on-hand,
 * the exact stock value and the derived average (src/domain/stock-value.ts), and posts the value change to the
 * journal — all on the caller's transaction. Negative on-hand needs a recorded override.
 * Receipts, adjustments, counts and imports post their own entry here. Sales, returns, repair use and
 * transfers to the fleet are part of a bigger event whose service posts one entry for all of it, using the
 * value returned: `valueDeltaCents` (Inventory's change) and `costCents` (the value that went out — COGS for
 * a sale — or the cost of what came in).
 */
export async function recordStockMovement(tx: Tx, actor: Actor, input: StockMovementInput) {
  if (!Number.isSafeInteger(input.quantityDelta) || input.quantityDelta === 0) throw new ValidationError({ quantity: 'Quantity must be a whole number other than 0.' });
  const selfPosting = (SELF_POSTING_STOCK_REASONS as readonly string[]).includes(input.reason);
  const [product] = await tx.select().from(products).where(eq(products.id, input.productId)).for('update');
  if (!product) throw new NotFoundError('Product');
  if (product.kind !== 'stock') throw new ValidationError({ product_id: `${product.sku} is not a quantity (stock) item; serialized items are counted as units.` });
  const after = product.quantityOnHand + input.quantityDelta;
  if (after < 0 && !input.overrideByUserId) {
    throw new ConflictError(`Only ${product.quantityOnHand} of ${product.sku} on hand; this would make it ${after}. A manager override is needed.`, { quantity: 'Not enough on hand.' });
  }
  const incoming = input.quantityDelta > 0;
  for (const [field, label, value] of [['unit_cost_cents', 'Unit cost', input.unitCostCents], ['total_cost_cents', 'Total cost', input.totalCostCents]] as const) {
    if (incoming && value !== undefined && (!Number.isSafeInteger(value) || value < 0)) throw new ValidationError({ [field]: `${label} must be a whole number of cents, 0 or more.` });
  }
  const value = applyStockChange(
    { quantity: product.quantityOnHand, valueCents: product.stockValueCents, averageCostCents: product.averageCostCents },
    { quantity: input.quantityDelta, unitCostCents: input.unitCostCents, totalCostCents: input.totalCostCents, fallbackUnitCostCents: product.costCents },
  );
  await tx
    .update(products)
    .set({ quantityOnHand: after, stockValueCents: value.valueAfterCents, averageCostCents: value.averageCostAfterCents, updatedAt: sql`now()` })
    .where(eq(products.id, product.id));
  const [movement] = await tx
    .insert(stockMovements)
    .values({
      productId: product.id,
      quantityDelta: input.quantityDelta,
      reason: input.reason,
      note: input.note ?? '',
      unitCostCents: value.unitCostCents,
      quantityAfter: after,
      averageCostAfterCents: value.averageCostAfterCents,
      referenceType: input.referenceType ?? null,
      referenceId: input.referenceId ?? null,
      overrideByUserId: input.overrideByUserId ?? null,
      actorUserId: actor.userId,
      actorLabel: actor.label,
    })
    .returning();
  const journalEntry = selfPosting
    ? await postStockMovement(tx, actor, {
        reason: input.reason as SelfPostingStockReason,
        movementId: movement.id,
        sku: product.sku,
        quantityDelta: input.quantityDelta,
        valueDeltaCents: value.valueDeltaCents,
        costCents: value.costCents,
        note: input.note ?? '',
        referenceType: input.referenceType,
        referenceId: input.referenceId,
        entryDate: input.entryDate,
      })
    : null;
  return { movement, quantityOnHand: after, averageCostCents: value.averageCostAfterCents, stockValueCents: value.valueAfterCents, valueDeltaCents: value.valueDeltaCents, costCents: value.costCents, journalEntry };
}

import { roundHalfUpDiv } from './rounding';

/**
 * Moving average cost of a stock item after a movement (accounting-reports.md cost rules).
 * Receipts (positive quantity with a cost) blend into the average; issues (sales, negative adjustments)
 * leave it unchanged. When the on-hand quantity is zero or negative before a receipt, the receipt's
 * cost becomes the average (there is nothing valid to blend with). Half-up to the cent once.
 */
export function averageCostAfter(onHandBefore: number, averageBefore: number, quantityIn: number, unitCostIn: number): number {
  if (!Number.isSafeInteger(onHandBefore) || !Number.isSafeInteger(quantityIn) || !Number.isSafeInteger(averageBefore) || !Number.isSafeInteger(unitCostIn)) {
    throw new RangeError('averageCostAfter takes whole numbers (quantities and cents)');
  }
  if (averageBefore < 0 || unitCostIn < 0) throw new RangeError('costs cannot be negative');
  if (quantityIn <= 0) return averageBefore;
  if (onHandBefore <= 0) return unitCostIn;
  const total = BigInt(onHandBefore) * BigInt(averageBefore) + BigInt(quantityIn) * BigInt(unitCostIn);
  return Number(roundHalfUpDiv(total, BigInt(onHandBefore + quantityIn)));
}

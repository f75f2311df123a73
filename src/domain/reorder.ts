/**
 * Reorder rule for the low-stock report. Pure so the page, the CSV and the API agree, and so the
 * edge cases (exactly at the point, stock already on order, no reorder quantity) are unit-tested.
 */
export interface ReorderInput {
  /** On-hand quantity (stock items) or available units (serialized products). May be negative. */
  onHand: number;
  /** Ordered but not yet received on open purchase orders. */
  onOrder: number;
  reorderPoint: number;
  /** Null = no preferred order size: order just enough to get above the point. */
  reorderQuantity: number | null;
}

export interface ReorderSuggestion {
  low: boolean;
  /** How far the projected stock (on hand + on order) is below the point plus one; 0 when not low. */
  shortfall: number;
  /** Suggested order quantity; 0 when not low. */
  suggestedQuantity: number;
}

/**
 * Low when on hand + on order ≤ reorder point. The suggestion is the reorder quantity, or more when
 * that would still leave projected stock at or below the point (so one order always clears it).
 */
export function reorderSuggestion(input: ReorderInput): ReorderSuggestion {
  const projected = input.onHand + input.onOrder;
  if (projected > input.reorderPoint) return { low: false, shortfall: 0, suggestedQuantity: 0 };
  const shortfall = input.reorderPoint - projected + 1;
  return { low: true, shortfall, suggestedQuantity: Math.max(input.reorderQuantity ?? 0, shortfall) };
}

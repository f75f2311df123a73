/**
 * Value of a stock (quantity) item, kept exactly (accounting-reports.md "Cost").
 *
 * A product keeps its on-hand quantity and the total value of that stock in cents. The average cost is derived
 * from them, never the other way round, so no rounding error accumulates:
 * - issuing q of Q on hand takes half_up(value × q / Q); issuing the last unit(s) takes all that is left, so
 *   the value is exactly 0 whenever the shelf is empty;
 * - incoming stock adds what it cost (a receipt's quantity × unit cost, or the exact total when known, e.g.
 *   with freight spread in); incoming stock without a cost (a positive adjustment or count) is valued at the
 *   current average — half_up(value × q / Q) — or, with nothing on hand, at the last average, or the product's
 *   cost when there never was one;
 * - on-hand may go negative only with a manager's override. Stock below zero is valued at the average
 *   (value = quantity × average). A receipt into zero or negative stock makes its own unit cost the new average
 *   (there is nothing valid to blend with); the difference between what the oversold units were issued at and what they
 *   really cost is returned as `varianceCents` for the caller to post (to COGS, for a receipt).
 * Half-up means half away from zero (roundHalfUpDiv), at one point per calculation.
 */

import { bigintToCents, type Cents } from './money';
import { roundHalfUpDiv } from './rounding';

export interface StockPosition {
  quantity: number;
  valueCents: Cents;
  /** The average shown and used while on-hand is zero or negative; derived from value / quantity otherwise. */
  averageCostCents: Cents;
}

export interface StockChange {
  /** Signed quantity: positive comes in, negative goes out; never 0. */
  quantity: number;
  /** Cost per unit of incoming stock; ignored for issues. */
  unitCostCents?: Cents;
  /** Exact total cost of incoming stock (overrides quantity × unitCostCents); ignored for issues. */
  totalCostCents?: Cents;
  /** The product's catalog cost: values incoming stock without a cost when there is no average at all. */
  fallbackUnitCostCents?: Cents;
}

export interface StockValueResult {
  quantityAfter: number;
  valueAfterCents: Cents;
  /** valueAfter − valueBefore: what the Inventory account moves by. Negative for an issue. */
  valueDeltaCents: Cents;
  averageCostAfterCents: Cents;
  /** Per-unit cost recorded on the movement: the given unit cost, or the value moved ÷ quantity, half-up. */
  unitCostCents: Cents;
  /** Incoming: what the stock cost (the amount owed for a receipt). Issues: the value taken out (positive). */
  costCents: Cents;
  /** costCents − valueDelta for incoming stock (non-zero only when it fills negative stock); 0 for issues. */
  varianceCents: Cents;
}

function assertWhole(x: unknown, label: string): asserts x is number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x)) throw new RangeError(`${label} must be a whole number, got ${String(x)}`);
}

function assertCost(x: unknown, label: string): asserts x is number {
  assertWhole(x, label);
  if (x < 0) throw new RangeError(`${label} cannot be negative`);
}

/** The average of `value` over `quantity` units, half-up (0 for nothing on hand). */
export function averageOf(valueCents: Cents, quantity: number): Cents {
  if (quantity <= 0) return 0;
  return bigintToCents(roundHalfUpDiv(BigInt(valueCents), BigInt(quantity)), 'average');
}

/** Value of q of the Q units on hand: half_up(value × q / Q); the whole value when q = Q. */
export function shareOfValue(valueCents: Cents, onHand: number, q: number): Cents {
  if (q === onHand) return valueCents;
  return bigintToCents(roundHalfUpDiv(BigInt(valueCents) * BigInt(q), BigInt(onHand)), 'share of value');
}

/** Applies one movement to a stock position; see the module comment for the rules. Throws RangeError on bad input. */
export function applyStockChange(before: StockPosition, change: StockChange): StockValueResult {
  assertWhole(before.quantity, 'quantity on hand');
  assertWhole(before.valueCents, 'stock value');
  assertCost(before.averageCostCents, 'average cost');
  assertWhole(change.quantity, 'quantity');
  if (change.quantity === 0) throw new RangeError('quantity cannot be 0');
  const q = change.quantity;
  const onHand = before.quantity;
  const quantityAfter = onHand + q;
  assertWhole(quantityAfter, 'quantity after');

  if (q < 0) {
    const n = -q;
    let out: bigint;
    if (onHand <= 0) out = BigInt(n) * BigInt(before.averageCostCents);
    else if (n <= onHand) out = BigInt(shareOfValue(before.valueCents, onHand, n));
    // Overselling past zero: the units on hand take all their value, the rest go out at the average.
    else out = BigInt(before.valueCents) + BigInt(n - onHand) * BigInt(before.averageCostCents);
    const valueAfter = BigInt(before.valueCents) - out;
    const average = quantityAfter > 0 ? averageOf(bigintToCents(valueAfter), quantityAfter) : before.averageCostCents;
    const outCents = bigintToCents(out, 'value out');
    return {
      quantityAfter,
      valueAfterCents: bigintToCents(valueAfter, 'value after'),
      valueDeltaCents: -outCents + 0,
      averageCostAfterCents: average,
      unitCostCents: bigintToCents(roundHalfUpDiv(out, BigInt(n))),
      costCents: outCents,
      varianceCents: 0,
    };
  }

  // Incoming: what it cost.
  let costIn: bigint;
  if (change.totalCostCents !== undefined) {
    assertCost(change.totalCostCents, 'total cost');
    costIn = BigInt(change.totalCostCents);
  } else if (change.unitCostCents !== undefined) {
    assertCost(change.unitCostCents, 'unit cost');
    costIn = BigInt(q) * BigInt(change.unitCostCents);
  } else if (onHand > 0) {
    costIn = BigInt(shareOfValue(before.valueCents, onHand, q));
  } else {
    const fallback = before.averageCostCents > 0 ? before.averageCostCents : change.fallbackUnitCostCents ?? 0;
    assertCost(fallback, 'fallback unit cost');
    costIn = BigInt(q) * BigInt(fallback);
  }
  const unitCost = change.unitCostCents !== undefined && change.totalCostCents === undefined ? change.unitCostCents : bigintToCents(roundHalfUpDiv(costIn, BigInt(q)));

  let valueAfter: bigint;
  let average: Cents;
  if (onHand > 0 || (onHand === 0 && before.valueCents === 0)) {
    valueAfter = BigInt(before.valueCents) + costIn;
    average = averageOf(bigintToCents(valueAfter, 'value after'), quantityAfter);
  } else {
    // Filling a hole (or clearing value left on an empty shelf): this receipt's cost becomes the average.
    average = unitCost;
    valueAfter = quantityAfter > 0 ? BigInt(shareOfValue(bigintToCents(costIn), q, quantityAfter)) : BigInt(quantityAfter) * BigInt(unitCost);
  }
  const delta = valueAfter - BigInt(before.valueCents);
  return {
    quantityAfter,
    valueAfterCents: bigintToCents(valueAfter, 'value after'),
    valueDeltaCents: bigintToCents(delta, 'value change'),
    averageCostAfterCents: average,
    unitCostCents: unitCost,
    costCents: bigintToCents(costIn, 'cost'),
    varianceCents: bigintToCents(costIn - delta, 'variance'),
  };
}

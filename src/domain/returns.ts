/**
 * What a return with a receipt gives back — spec/pos.md "Tax" and "After the sale"; cost rule from
 * spec/accounting-reports.md ("a restocked return comes back at the sale line's recorded cost").
 *
 * Returning k more units of a sale line recorded as quantity Q, net N, tax T, with r units already
 * returned, refunds
 *     half_up(N·(r+k)/Q) − half_up(N·r/Q)   of net, and the same formula on T for tax
 * (and on the line's recorded cost C for the value that goes back to stock). Because each step is
 * a difference of cumulative amounts, the refunds of any sequence of partial returns telescope:
 * once all Q units are back, exactly N, T and C have been refunded — never a cent more or less.
 *
 * Amounts come back with the recorded amount's sign (positive for a sale line); the return
 * document stores them negated.
 */

import { assertCents, bigintToCents, describeValue, type Cents } from './money';
import { roundHalfUpDiv } from './rounding';

function assertWhole(x: unknown, label: string, min: number): asserts x is number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < min) {
    throw new RangeError(`${label} must be a whole number of ${min} or more, got ${describeValue(x)}`);
  }
}

function cumulative(recordedCents: Cents, units: number, quantity: number): bigint {
  return roundHalfUpDiv(BigInt(recordedCents) * BigInt(units), BigInt(quantity));
}

/**
 * The part of `recordedCents` (a line's net, tax or cost) that returning `returning` more of
 * `quantity` units refunds, given `alreadyReturned` units were returned before.
 * prorateReturnCents(1798, 2, 0, 1) = 899; prorateReturnCents(1798, 2, 1, 1) = 899.
 */
export function prorateReturnCents(recordedCents: Cents, quantity: number, alreadyReturned: number, returning: number): Cents {
  assertCents(recordedCents, 'recorded amount');
  assertWhole(quantity, 'line quantity', 1);
  assertWhole(alreadyReturned, 'units already returned', 0);
  assertWhole(returning, 'units to return', 1);
  if (alreadyReturned + returning > quantity) {
    throw new RangeError(
      `cannot return ${returning} more unit(s): ${alreadyReturned} of ${quantity} already returned, ${quantity - alreadyReturned} left`,
    );
  }
  const after = cumulative(recordedCents, alreadyReturned + returning, quantity);
  const before = cumulative(recordedCents, alreadyReturned, quantity);
  return bigintToCents(after - before, 'refund');
}

export interface ReturnableLine {
  quantity: number;
  netCents: Cents;
  taxCents: Cents;
  /** Recorded cost of goods for the line (stock items); null for lines without one (services, fees). */
  costCents: Cents | null;
  /** Units of this line already returned by earlier returns. */
  returnedQuantity: number;
}

export interface LineRefund {
  netCents: Cents;
  taxCents: Cents;
  /** netCents + taxCents: what the customer gets back for this line. */
  totalCents: Cents;
  /** The cost that goes back to stock (or to damaged/repair); null when the line recorded no cost. */
  costCents: Cents | null;
}

/** The refund (net, tax, total) and returned cost for returning `returning` more units of `line`. */
export function refundForReturn(line: ReturnableLine, returning: number): LineRefund {
  const net = prorateReturnCents(line.netCents, line.quantity, line.returnedQuantity, returning);
  const tax = prorateReturnCents(line.taxCents, line.quantity, line.returnedQuantity, returning);
  let cost: Cents | null = null;
  if (line.costCents !== null && line.costCents !== undefined) {
    cost = restockCostCents(line.costCents, line.quantity, line.returnedQuantity, returning);
  }
  return { netCents: net, taxCents: tax, totalCents: bigintToCents(BigInt(net) + BigInt(tax), 'refund total'), costCents: cost };
}

/**
 * The value a returned stock line brings back to inventory: the sale line's recorded cost,
 * prorated exactly like the refund. Cost can't be negative.
 */
export function restockCostCents(lineCostCents: Cents, quantity: number, alreadyReturned: number, returning: number): Cents {
  assertCents(lineCostCents, 'line cost');
  if (lineCostCents < 0) throw new RangeError(`line cost cannot be negative, got ${lineCostCents}`);
  return prorateReturnCents(lineCostCents, quantity, alreadyReturned, returning);
}

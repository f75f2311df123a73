/**
 * Landed cost of a receipt: the freight (and duty) paid for one delivery is spread over the lines
 * received in it, so each item's cost includes its share of getting it to the store.
 *
 * The rule (docs/purchasing.md):
 *  1. Each received line's weight is its value, quantity × unit cost in cents.
 *  2. The freight is split over the lines by weight with the largest-remainder method
 *     (allocateLargestRemainder): shares are whole cents, they add up to the freight exactly, and
 *     leftover cents go to the lines with the largest fractional share, ties to the earlier line.
 *     When every line is worth $0.00 the freight is split evenly by line instead.
 *  3. A line's landed unit cost is its unit cost + share / quantity, rounded half-up to the cent
 *     once. This one figure is what the stock ledger and the moving average receive.
 *  4. Serialized items carry a cost per unit, so there the share is split exactly over the units
 *     (splitEvenly: the first `share mod quantity` units get the extra cent) and the units of a
 *     line add up to line value + share to the cent.
 */
import { allocateLargestRemainder, splitEvenly } from './allocation';
import { assertCents, type Cents } from './money';
import { roundHalfUpDiv } from './rounding';

export interface ReceivedLine {
  quantity: number;
  unitCostCents: Cents;
}

export interface LandedLine {
  /** This line's part of the freight, in cents. */
  freightShareCents: Cents;
  /** Unit cost + share / quantity, half-up to the cent. */
  landedUnitCostCents: Cents;
}

function assertLine(line: ReceivedLine, i: number) {
  if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) throw new RangeError(`line ${i}: quantity must be a whole number of 1 or more`);
  assertCents(line.unitCostCents, `line ${i} unit cost`);
  if (line.unitCostCents < 0) throw new RangeError(`line ${i}: unit cost cannot be negative`);
}

/** Spreads `freightCents` over the received lines by value (rules 1–3 above). */
export function allocateFreight(freightCents: Cents, lines: readonly ReceivedLine[]): LandedLine[] {
  assertCents(freightCents, 'freight');
  if (freightCents < 0) throw new RangeError('freight cannot be negative');
  lines.forEach(assertLine);
  const weights = lines.map((l) => {
    const value = BigInt(l.quantity) * BigInt(l.unitCostCents);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('line value is too large');
    return Number(value);
  });
  const shares = allocateLargestRemainder(freightCents, weights);
  return lines.map((l, i) => {
    const share = shares[i] as Cents;
    return { freightShareCents: share, landedUnitCostCents: l.unitCostCents + Number(roundHalfUpDiv(BigInt(share), BigInt(l.quantity))) };
  });
}

/** Exact per-unit landed costs of one serialized line (rule 4): they sum to quantity × unit cost + share. */
export function unitLandedCosts(unitCostCents: Cents, quantity: number, freightShareCents: Cents): Cents[] {
  assertLine({ quantity, unitCostCents }, 0);
  assertCents(freightShareCents, 'freight share');
  return splitEvenly(freightShareCents, quantity).map((extra) => unitCostCents + extra);
}

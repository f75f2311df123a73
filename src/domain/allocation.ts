/**
 * Splitting an amount of money into parts that add back up exactly.
 *
 * Used wherever one amount must be spread over several lines: an order-level
 * discount across line items, a payment across invoices, a deposit across
 * installments. Rounding each share independently can gain or lose a cent;
 * these functions never do — the parts always sum to the total.
 */

import { assertCents, describeValue, type Cents } from './money';

/**
 * Splits `totalCents` into `n` parts as evenly as possible.
 * The first `|total| mod n` parts get one extra cent (extra magnitude, for a
 * negative total): 100 / 3 -> [34, 33, 33], -100 / 3 -> [-34, -33, -33].
 * Putting remainders first is arbitrary but deterministic, so the same split
 * always comes out the same way (e.g. installment 1 absorbs odd cents).
 */
export function splitEvenly(totalCents: Cents, n: number): Cents[] {
  assertCents(totalCents, 'total');
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`number of parts must be a positive integer, got ${describeValue(n)}`);
  }
  const sign = totalCents < 0 ? -1 : 1;
  const magnitude = Math.abs(totalCents);
  const base = Math.floor(magnitude / n);
  const extra = magnitude % n;
  const parts: Cents[] = [];
  for (let i = 0; i < n; i++) {
    // `+ 0` normalises -0 (from sign -1 × 0) to 0.
    parts.push(sign * (base + (i < extra ? 1 : 0)) + 0);
  }
  return parts;
}

/**
 * Splits `totalCents` in proportion to `weights` using the largest-remainder
 * (Hamilton) method:
 *
 *  1. each part gets the floor of its exact share |total| × wᵢ / Σw;
 *  2. the cents left over (fewer than the number of parts) go one each to the
 *     parts with the largest fractional remainders, ties broken by the lowest
 *     index, so the result is fully deterministic.
 *
 * Guarantees: the parts sum exactly to the total, and every part is within
 * one cent of its exact share (a part with weight 0 always gets 0 unless all
 * weights are 0).
 *
 * Negative totals are split symmetrically: the result is the negation of
 * splitting |total|, so a refund mirrors the original sale cent for cent.
 *
 * All-zero weights: there is no proportion to honour, so the total is split
 * evenly (see splitEvenly) instead of failing — e.g. a discount spread over
 * lines that are all $0.00 still has to land somewhere.
 *
 * Weights must be non-negative safe integers (typically line amounts in cents,
 * or quantities). An empty weight list is fine for a zero total (nothing to
 * split: returns []) but throws for a nonzero total, which would vanish.
 * Arithmetic is done in BigInt so large totals × large weights stay exact.
 */
export function allocateLargestRemainder(totalCents: Cents, weights: readonly number[]): Cents[] {
  assertCents(totalCents, 'total');
  let weightSum = 0n;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (typeof w !== 'number' || !Number.isSafeInteger(w) || w < 0) {
      throw new RangeError(
        `weight at index ${i} must be a non-negative safe integer, got ${describeValue(w)}`,
      );
    }
    weightSum += BigInt(w);
  }
  if (weights.length === 0) {
    if (totalCents === 0) return [];
    throw new RangeError(`cannot allocate ${totalCents} cents across zero parts`);
  }
  if (weightSum === 0n) return splitEvenly(totalCents, weights.length);

  const sign = totalCents < 0 ? -1n : 1n;
  const magnitude = BigInt(Math.abs(totalCents));
  const floors: bigint[] = [];
  const remainders: bigint[] = [];
  let allocated = 0n;
  for (const w of weights) {
    const product = magnitude * BigInt(w);
    const floor = product / weightSum;
    floors.push(floor);
    remainders.push(product % weightSum);
    allocated += floor;
  }

  // Indexes ordered by remainder (largest first), then by index (lowest first).
  const order = weights.map((_, i) => i);
  order.sort((a, b) => {
    const ra = remainders[a] as bigint;
    const rb = remainders[b] as bigint;
    if (ra !== rb) return ra > rb ? -1 : 1;
    return a - b;
  });
  // Σ remainders = leftover × Σw and every remainder < Σw, so more than
  // `leftover` parts have a nonzero remainder: zero weights never get a cent.
  const leftover = Number(magnitude - allocated);
  for (let k = 0; k < leftover; k++) {
    const i = order[k] as number;
    floors[i] = (floors[i] as bigint) + 1n;
  }
  return floors.map((f) => Number(sign * f) + 0);
}

/**
 * Rates and the single rounding rule.
 *
 * Rates (sales tax, finance charges) are integers in thousandths of a percent
 * ("millipercent"): 8.875% is 8875 and 100% is 100000. Three decimals of a
 * percent covers every US sales-tax rate, and keeping rates integral means
 * `amount × rate` can be computed exactly.
 *
 * Rounding rule: half-up, where "up" means away from zero. So 0.5¢ -> 1¢ and
 * -0.5¢ -> -1¢. Rounding symmetrically keeps a refund the exact mirror image of
 * the sale it reverses (tax on -$x is minus the tax on $x), which plain
 * Math.round (-0.5 -> -0) would not. Each calculation rounds exactly once, at
 * the end, on an exact BigInt intermediate — never float multiplication.
 */

import { assertCents, bigintToCents, describeValue, type Cents } from './money';

/** A rate in thousandths of a percent: 8875 = 8.875%, 100000 = 100%. */
export type Millipercent = number;

/** 100% expressed in millipercent; the denominator when applying a rate. */
export const MILLIPERCENT_PER_WHOLE = 100_000;

/**
 * numerator / denominator rounded half away from zero, exactly.
 * Works for any sign combination; throws RangeError on a zero denominator.
 */
export function roundHalfUpDiv(numerator: bigint, denominator: bigint): bigint {
  if (typeof numerator !== 'bigint' || typeof denominator !== 'bigint') {
    throw new TypeError('roundHalfUpDiv takes bigint arguments');
  }
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d; // BigInt division truncates; on magnitudes that's floor.
  const remainder = n % d;
  // remainder/d >= 1/2  <=>  2·remainder >= d: a tie rounds away from zero.
  if (remainder * 2n >= d) quotient += 1n;
  return negative ? -quotient : quotient;
}

/**
 * Throws RangeError unless `rate` is an integer millipercent in 0..100000
 * (0%..100%). Nothing Forte charges — tax, finance charge, discount — exceeds
 * 100%, so a larger value is far more likely a units mistake (e.g. passing
 * 8.875 or 887500) than a real rate.
 */
export function assertMillipercent(rate: unknown, label = 'rate'): asserts rate is Millipercent {
  if (
    typeof rate !== 'number' ||
    !Number.isSafeInteger(rate) ||
    rate < 0 ||
    rate > MILLIPERCENT_PER_WHOLE
  ) {
    throw new RangeError(
      `${label} must be an integer number of thousandths of a percent between 0 and 100000, got ${describeValue(rate)}`,
    );
  }
}

/**
 * amountCents × rate, rounded half away from zero to the cent.
 * e.g. applyRate(1000, 8875) = round(88.75) = 89 (tax on $10.00 at 8.875%).
 */
export function applyRate(amountCents: Cents, rateMillipercent: Millipercent): Cents {
  assertCents(amountCents);
  assertMillipercent(rateMillipercent);
  const exact = roundHalfUpDiv(
    BigInt(amountCents) * BigInt(rateMillipercent),
    BigInt(MILLIPERCENT_PER_WHOLE),
  );
  return bigintToCents(exact);
}

// Digits, optional "." with 1–3 digits, optional "%" (spaces allowed before it).
// No sign: negative rates are rejected; no leading "." and no trailing ".",
// matching the money parser's strictness.
const RATE_PATTERN = /^(\d+)(?:\.(\d{1,3}))?\s*%?$/;

/**
 * Parses a percentage typed by a person into millipercent, or null if invalid.
 * "8.875" -> 8875, "8.875%" -> 8875, "0" -> 0, "100" -> 100000.
 * Rejects more than three decimals, negatives, values over 100, and junk.
 */
export function parseRateToMillipercent(input: string): Millipercent | null {
  if (typeof input !== 'string') return null;
  const match = RATE_PATTERN.exec(input.trim());
  if (match === null) return null;
  const [, wholeText, fracText] = match;
  const value =
    BigInt(wholeText ?? '0') * 1000n + BigInt((fracText ?? '').padEnd(3, '0'));
  if (value > BigInt(MILLIPERCENT_PER_WHOLE)) return null;
  return Number(value);
}

/** 8875 -> "8.875%", 8500 -> "8.5%", 8000 -> "8%", 0 -> "0%". */
export function formatMillipercent(rate: Millipercent): string {
  assertMillipercent(rate);
  const whole = Math.floor(rate / 1000);
  const frac = String(rate % 1000).padStart(3, '0').replace(/0+$/, '');
  return frac === '' ? `${whole}%` : `${whole}.${frac}%`;
}

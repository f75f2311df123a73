/**
 * Charging for part of a period.
 *
 * When a rental or lesson contract covers only some days of a billing period,
 * the customer pays amount × days / daysInPeriod, rounded once, half away from
 * zero, to the cent (the house rounding rule in rounding.ts). Computed in
 * BigInt so the product can't lose precision.
 */

import { assertCents, bigintToCents, describeValue, type Cents } from './money';
import { roundHalfUpDiv } from './rounding';

/**
 * amountCents × days / daysInPeriod, rounded half away from zero.
 * Requires integers with daysInPeriod > 0 and 0 <= days <= daysInPeriod:
 * prorating can only ever charge between nothing and the full amount.
 */
export function prorate(amountCents: Cents, days: number, daysInPeriod: number): Cents {
  assertCents(amountCents);
  if (!Number.isSafeInteger(daysInPeriod) || daysInPeriod <= 0) {
    throw new RangeError(`daysInPeriod must be a positive integer, got ${describeValue(daysInPeriod)}`);
  }
  if (!Number.isSafeInteger(days) || days < 0 || days > daysInPeriod) {
    throw new RangeError(
      `days must be an integer between 0 and daysInPeriod (${daysInPeriod}), got ${describeValue(days)}`,
    );
  }
  return bigintToCents(roundHalfUpDiv(BigInt(amountCents) * BigInt(days), BigInt(daysInPeriod)));
}

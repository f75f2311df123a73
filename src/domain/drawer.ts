/**
 * The cash drawer's arithmetic — spec/pos.md "Registers and the cash drawer"; examples in
 * docs/pos-money.md.
 *
 *   expected cash = float + cash taken − change given − cash refunds + paid-ins − paid-outs − drops
 *
 * Counts are by denomination, keyed by the denomination's value in cents as the API sends them:
 * `{"2000": 3, "500": 1, "25": 4}` = 3 × $20 + 1 × $5 + 4 × 25¢ = $66.00. Over/short is
 * counted − expected: negative means short, positive means over.
 */

import { assertCents, bigintToCents, describeValue, sumCents, type Cents } from './money';

/** US bills and coins a count may contain, largest first ($100 … 1¢; 200 is the $2 bill, 100 the dollar coin). */
export const US_DENOMINATIONS_CENTS = [10000, 5000, 2000, 1000, 500, 200, 100, 50, 25, 10, 5, 1] as const;

export interface DenominationLine {
  denominationCents: number;
  count: number;
  totalCents: Cents;
}

export interface CashCount {
  /** One per denomination present in the input, largest first. */
  lines: DenominationLine[];
  totalCents: Cents;
}

/**
 * Validates and totals a denomination count. Keys must be the canonical text of an allowed
 * denomination ("2000", not "020" or "20.00"); counts non-negative whole numbers.
 */
export function countCash(denominations: unknown): CashCount {
  if (denominations === null || typeof denominations !== 'object' || Array.isArray(denominations)) {
    throw new RangeError(`cash denominations must be an object of {"cents value": count}, got ${describeValue(denominations)}`);
  }
  const lines: DenominationLine[] = [];
  let total = 0n;
  for (const [key, count] of Object.entries(denominations as Record<string, unknown>)) {
    const value = Number(key);
    if (!/^[1-9][0-9]*$/.test(key) || !(US_DENOMINATIONS_CENTS as readonly number[]).includes(value)) {
      throw new RangeError(
        `denomination ${describeValue(key)} is not one of ${US_DENOMINATIONS_CENTS.join(', ')} (cents)`,
      );
    }
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`count of denomination ${key} must be a whole number of 0 or more, got ${describeValue(count)}`);
    }
    const lineTotal = bigintToCents(BigInt(value) * BigInt(count), `total of denomination ${key}`);
    total += BigInt(lineTotal);
    lines.push({ denominationCents: value, count, totalCents: lineTotal });
  }
  lines.sort((a, b) => b.denominationCents - a.denominationCents);
  return { lines, totalCents: bigintToCents(total, 'cash count') };
}

export interface CashMovements {
  floatCents: Cents;
  /** Cash handed over by customers (before change). */
  cashTakenCents: Cents;
  changeGivenCents: Cents;
  cashRefundsCents: Cents;
  paidInsCents: Cents;
  paidOutsCents: Cents;
  dropsCents: Cents;
}

function assertMovement(x: unknown, label: string): asserts x is Cents {
  assertCents(x, label);
  if (x < 0) throw new RangeError(`${label} cannot be negative, got ${x}`);
}

/**
 * float + cash taken − change given − cash refunds + paid-ins − paid-outs − drops.
 * Each movement is a non-negative total; the result may be negative (a drawer that paid out more
 * than it held is a real finding the close must show, not an input error).
 */
export function expectedCashCents(m: CashMovements): Cents {
  assertMovement(m.floatCents, 'float');
  assertMovement(m.cashTakenCents, 'cash taken');
  assertMovement(m.changeGivenCents, 'change given');
  assertMovement(m.cashRefundsCents, 'cash refunds');
  assertMovement(m.paidInsCents, 'paid-ins');
  assertMovement(m.paidOutsCents, 'paid-outs');
  assertMovement(m.dropsCents, 'drops');
  return sumCents([
    m.floatCents,
    m.cashTakenCents,
    -m.changeGivenCents,
    -m.cashRefundsCents,
    m.paidInsCents,
    -m.paidOutsCents,
    -m.dropsCents,
  ]);
}

export interface CheckMovements {
  checksTakenCents: Cents;
  /** Checks handed back on a refund or void; default 0. */
  checkRefundsCents?: Cents;
  /** Checks moved to "Checks to deposit" before the close; default 0. */
  checkDropsCents?: Cents;
}

/** Checks taken − checks refunded − checks dropped ("checks work the same way" as cash). */
export function expectedChecksCents(m: CheckMovements): Cents {
  assertMovement(m.checksTakenCents, 'checks taken');
  const refunds = m.checkRefundsCents ?? 0;
  const drops = m.checkDropsCents ?? 0;
  assertMovement(refunds, 'check refunds');
  assertMovement(drops, 'check drops');
  return sumCents([m.checksTakenCents, -refunds, -drops]);
}

export interface TenderReconciliation {
  expectedCents: Cents;
  countedCents: Cents;
  /** counted − expected: negative = short, positive = over. */
  overShortCents: Cents;
}

/** counted − expected, exactly. */
export function overShortCents(expectedCents: Cents, countedCents: Cents): Cents {
  assertCents(expectedCents, 'expected');
  assertCents(countedCents, 'counted');
  return bigintToCents(BigInt(countedCents) - BigInt(expectedCents), 'over/short');
}

export interface DrawerCloseInput {
  expectedCashCents: Cents;
  expectedChecksCents: Cents;
  /** The close body's `cash_denominations`. */
  cashDenominations: unknown;
  /** The close body's `checks_cents`: the total of the checks counted. */
  checksCents: Cents;
}

export interface DrawerClose {
  cash: TenderReconciliation & { count: CashCount };
  checks: TenderReconciliation;
  /** cash + checks over/short: the amount posted to Cash over/short. */
  overShortCents: Cents;
}

/** Expected vs counted per tender (cash, checks) and the total over/short. */
export function closeDrawer(input: DrawerCloseInput): DrawerClose {
  const count = countCash(input.cashDenominations);
  assertMovement(input.checksCents, 'checks counted');
  const cashOverShort = overShortCents(input.expectedCashCents, count.totalCents);
  const checksOverShort = overShortCents(input.expectedChecksCents, input.checksCents);
  return {
    cash: { expectedCents: input.expectedCashCents, countedCents: count.totalCents, overShortCents: cashOverShort, count },
    checks: { expectedCents: input.expectedChecksCents, countedCents: input.checksCents, overShortCents: checksOverShort },
    overShortCents: sumCents([cashOverShort, checksOverShort]),
  };
}

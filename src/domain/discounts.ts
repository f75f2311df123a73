/**
 * Discounts at the point of sale (spec/pos.md, "The sale screen"; worked examples in docs/pos-money.md).
 *
 * Rules:
 *  - A line's gross is unit price × quantity.
 *  - A percent discount is half_up(base × percent). Percents are integers in thousandths of a
 *    percent (millipercent, 10% = 10000), the same unit as tax rates, so one type and one parser
 *    (parseRateToMillipercent) serve both: 10% of $24.95 = half_up(249.5¢) = $2.50.
 *  - An amount discount is capped at its base: $30 off a $24.95 line takes $24.95, never more, so
 *    no line ever sells below $0.00.
 *  - A line discount's base is the line gross. An order discount's base is the order subtotal (Σ
 *    line nets after line discounts); it is spread over the lines by largest remainder weighted by
 *    each line's net after its own discount, ties to the earlier line (allocateLargestRemainder).
 *  - line net = gross − line discount − share of the order discount (never negative).
 *
 * Bad values (negative amounts, percents over 100%, fractions of a cent) throw RangeError with a
 * message naming the value; the services turn that into a field error.
 */

import { allocateLargestRemainder } from './allocation';
import { assertCents, bigintToCents, describeValue, sumCents, type Cents } from './money';
import { assertMillipercent, MILLIPERCENT_PER_WHOLE, roundHalfUpDiv, type Millipercent } from './rounding';

/** A discount as the cashier (or a named discount) states it. */
export type DiscountSpec =
  | { kind: 'percent'; percentMillipercent: Millipercent }
  | { kind: 'amount'; amountCents: Cents };

function assertNonNegativeCents(x: unknown, label: string): asserts x is Cents {
  assertCents(x, label);
  if (x < 0) throw new RangeError(`${label} cannot be negative, got ${x}`);
}

function assertQuantity(x: unknown, label: string): asserts x is number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 1) {
    throw new RangeError(`${label} must be a whole number of 1 or more, got ${describeValue(x)}`);
  }
}

/** unit price × quantity, exact (BigInt), refused if it doesn't fit in a safe integer. */
export function lineGrossCents(unitPriceCents: Cents, quantity: number): Cents {
  assertNonNegativeCents(unitPriceCents, 'unit price');
  assertQuantity(quantity, 'quantity');
  return bigintToCents(BigInt(unitPriceCents) * BigInt(quantity), 'line gross');
}

/** half_up(base × percent / 100000): percentDiscountCents(2495, 10000) = 250. */
export function percentDiscountCents(baseCents: Cents, percentMillipercent: Millipercent): Cents {
  assertNonNegativeCents(baseCents, 'discount base');
  assertMillipercent(percentMillipercent, 'discount percent');
  return bigintToCents(
    roundHalfUpDiv(BigInt(baseCents) * BigInt(percentMillipercent), BigInt(MILLIPERCENT_PER_WHOLE)),
    'discount',
  );
}

/** min(amount, base): an amount discount never takes a line (or order) below $0.00. */
export function amountDiscountCents(baseCents: Cents, amountCents: Cents): Cents {
  assertNonNegativeCents(baseCents, 'discount base');
  assertNonNegativeCents(amountCents, 'discount amount');
  return Math.min(amountCents, baseCents);
}

/** The discount in cents that `spec` takes from `baseCents` (percent or capped amount). */
export function discountCents(baseCents: Cents, spec: DiscountSpec): Cents {
  if (spec === null || typeof spec !== 'object') {
    throw new RangeError(`discount must be an object, got ${describeValue(spec)}`);
  }
  switch (spec.kind) {
    case 'percent':
      return percentDiscountCents(baseCents, spec.percentMillipercent);
    case 'amount':
      return amountDiscountCents(baseCents, spec.amountCents);
    default:
      throw new RangeError(
        `discount kind must be "percent" or "amount", got ${describeValue((spec as { kind: unknown }).kind)}`,
      );
  }
}

/**
 * Spreads an order discount over lines by largest remainder weighted by line net (ties to the
 * earlier line). The discount may not exceed Σ nets: then every share is at most its line's net
 * (share ≤ ceil(D·w/W) ≤ w), so no line goes negative.
 */
export function spreadOrderDiscount(orderDiscountCents: Cents, lineNetsCents: readonly Cents[]): Cents[] {
  assertNonNegativeCents(orderDiscountCents, 'order discount');
  lineNetsCents.forEach((net, i) => assertNonNegativeCents(net, `line ${i} net`));
  const subtotal = sumCents(lineNetsCents);
  if (orderDiscountCents > subtotal) {
    throw new RangeError(`order discount ${orderDiscountCents} exceeds the order subtotal ${subtotal}`);
  }
  return allocateLargestRemainder(orderDiscountCents, lineNetsCents);
}

export interface OrderLineInput {
  /** unit price × quantity (see lineGrossCents). */
  grossCents: Cents;
  lineDiscount?: DiscountSpec | null;
}

export interface PricedLine {
  grossCents: Cents;
  lineDiscountCents: Cents;
  /** This line's share of the order discount. */
  orderDiscountCents: Cents;
  /** gross − line discount − order discount share: the "line net" tax is computed on. */
  netCents: Cents;
}

export interface PricedOrder {
  lines: PricedLine[];
  grossCents: Cents;
  lineDiscountsCents: Cents;
  /** Σ (gross − line discount): the base of a percent order discount. */
  subtotalCents: Cents;
  orderDiscountCents: Cents;
  /** Σ line nets = subtotal − order discount. */
  netCents: Cents;
}

/**
 * Prices an order: line discounts on each line's gross, then the order discount on the subtotal,
 * spread over the lines. Invariants: every net ≥ 0, Σ order shares = order discount,
 * Σ nets = gross − line discounts − order discount.
 */
export function priceOrder(lines: readonly OrderLineInput[], orderDiscount?: DiscountSpec | null): PricedOrder {
  const afterLine = lines.map((line, i) => {
    assertNonNegativeCents(line.grossCents, `line ${i} gross`);
    const lineDiscount = line.lineDiscount ? discountCents(line.grossCents, line.lineDiscount) : 0;
    return { grossCents: line.grossCents, lineDiscountCents: lineDiscount, base: line.grossCents - lineDiscount };
  });
  const bases = afterLine.map((l) => l.base);
  const subtotal = sumCents(bases);
  const orderDiscountTotal = orderDiscount ? discountCents(subtotal, orderDiscount) : 0;
  const shares = spreadOrderDiscount(orderDiscountTotal, bases);
  const priced = afterLine.map((l, i) => ({
    grossCents: l.grossCents,
    lineDiscountCents: l.lineDiscountCents,
    orderDiscountCents: shares[i] as Cents,
    netCents: l.base - (shares[i] as Cents),
  }));
  const gross = sumCents(priced.map((l) => l.grossCents));
  const lineDiscounts = sumCents(priced.map((l) => l.lineDiscountCents));
  return {
    lines: priced,
    grossCents: gross,
    lineDiscountsCents: lineDiscounts,
    subtotalCents: subtotal,
    orderDiscountCents: orderDiscountTotal,
    netCents: subtotal - orderDiscountTotal,
  };
}

export type ApprovalReason = 'above_user_limit' | 'below_minimum_price';

export interface MinimumPriceLine {
  /** The line's net after every discount (its own and its order share) or price override. */
  netCents: Cents;
  quantity: number;
  /** The product's minimum unit price; null when the product has none. */
  minUnitPriceCents: Cents | null;
}

export interface DiscountApprovalInput {
  /** What the discount is taken from: the line gross for a line discount, the subtotal for an order discount. */
  baseCents: Cents;
  /** The discount being applied (0 for a plain price override). */
  discountCents: Cents;
  /** The user's discount limit as a percent of the base, in millipercent (100000 = no limit). */
  userLimitMillipercent: Millipercent;
  /** The lines the discount lands on, checked against their product's minimum price. */
  lines?: readonly MinimumPriceLine[];
}

export interface DiscountApproval {
  needsApproval: boolean;
  reasons: ApprovalReason[];
  /** Indexes (into `lines`) of the lines whose price falls below the product minimum. */
  linesBelowMinimum: number[];
}

/**
 * Whether a discount (or price override) needs a manager's PIN at the register.
 *
 *  - above the user's limit: discount > half_up(base × limit). The allowance is rounded the same
 *    way a percent discount is, so a percent discount exactly at the user's limit never asks for a
 *    PIN (10% of $24.95 is $2.50, and a 10% limit on $24.95 allows $2.50).
 *  - below the minimum price: line net < minimum unit price × quantity, compared exactly. The net
 *    is after every discount, so stacking a line and an order discount can't slip under the floor.
 */
export function discountNeedsApproval(input: DiscountApprovalInput): DiscountApproval {
  assertNonNegativeCents(input.baseCents, 'discount base');
  assertNonNegativeCents(input.discountCents, 'discount');
  assertMillipercent(input.userLimitMillipercent, 'user discount limit');
  const reasons: ApprovalReason[] = [];
  const allowance = percentDiscountCents(input.baseCents, input.userLimitMillipercent);
  if (input.discountCents > allowance) reasons.push('above_user_limit');

  const linesBelowMinimum: number[] = [];
  (input.lines ?? []).forEach((line, i) => {
    assertCents(line.netCents, `line ${i} net`);
    assertQuantity(line.quantity, `line ${i} quantity`);
    if (line.minUnitPriceCents === null || line.minUnitPriceCents === undefined) return;
    assertNonNegativeCents(line.minUnitPriceCents, `line ${i} minimum price`);
    if (BigInt(line.netCents) < BigInt(line.minUnitPriceCents) * BigInt(line.quantity)) linesBelowMinimum.push(i);
  });
  if (linesBelowMinimum.length > 0) reasons.push('below_minimum_price');
  return { needsApproval: reasons.length > 0, reasons, linesBelowMinimum };
}

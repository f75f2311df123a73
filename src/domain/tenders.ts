/**
 * Paying for a document with one or more tenders, and the default way a refund goes back —
 * spec/pos.md "Tenders"; worked examples in docs/pos-money.md.
 *
 * Paying: tenders are applied in the order given, each against what is still due.
 *  - Only cash may be more than what is due; the excess comes back as change. Every other tender
 *    (check, card, external card, store credit, gift card, charge to account, trade-in credit)
 *    must be at most what is due: nobody hands change back for a card swipe.
 *  - Once nothing is due, no further tender is accepted, so change can only come from the last
 *    tender, and only when it is cash.
 *  - Optional cash rounding (for stores that don't handle pennies): when a cash tender settles the
 *    balance, the balance is first rounded half-up to the increment; the difference is reported
 *    as `roundingCents` (positive: the customer paid a little more), and cash tendered must then
 *    be a multiple of the increment. A cash tender that doesn't settle the balance isn't rounded.
 *
 * Refunding (default rule): back to the original tenders in reverse order, each capped at what it
 * paid (less what was already refunded to it). A manager may choose otherwise; that choice is the
 * service's, not this rule's.
 */

import { assertCents, bigintToCents, describeValue, sumCents, type Cents } from './money';
import { roundHalfUpDiv } from './rounding';

export const TENDER_KINDS = [
  'cash',
  'check',
  'card',
  'external_card',
  'store_credit',
  'gift_card',
  'account',
  'trade_in',
  'deposit',
] as const;
export type TenderKind = (typeof TENDER_KINDS)[number];

/** Cash rounding increments a store may pick; 1 means no rounding. */
export const CASH_ROUNDING_INCREMENTS = [1, 5, 10, 25, 50, 100] as const;

export interface TenderInput {
  kind: TenderKind;
  /** What the customer hands over (cash) or authorises (everything else). */
  amountCents: Cents;
}

export interface AppliedTender {
  /** Index of the tender in the input list. */
  index: number;
  kind: TenderKind;
  tenderedCents: Cents;
  /** The part that pays the document (tendered − change − rounding). */
  appliedCents: Cents;
  changeCents: Cents;
}

export interface TenderResult {
  tenders: AppliedTender[];
  /** Σ applied = total − remaining. */
  appliedCents: Cents;
  changeCents: Cents;
  /** Cash rounding adjustment; 0 unless a rounding increment is set. */
  roundingCents: Cents;
  /** Still due after every tender; 0 when the document is paid. */
  remainingCents: Cents;
}

export interface TenderOptions {
  /** One of CASH_ROUNDING_INCREMENTS; default 1 (no rounding). */
  cashRoundingIncrementCents?: number;
}

export function isTenderKind(x: unknown): x is TenderKind {
  return typeof x === 'string' && (TENDER_KINDS as readonly string[]).includes(x);
}

function assertIncrement(x: unknown): asserts x is number {
  if (typeof x !== 'number' || !(CASH_ROUNDING_INCREMENTS as readonly number[]).includes(x)) {
    throw new RangeError(
      `cash rounding increment must be one of ${CASH_ROUNDING_INCREMENTS.join(', ')} cents, got ${describeValue(x)}`,
    );
  }
}

/**
 * The cash a customer owes for `amountCents` under a rounding increment: the nearest multiple of
 * the increment, a tie rounding up. cashDueCents(1003, 5) = 1005, cashDueCents(1002, 5) = 1000.
 */
export function cashDueCents(amountCents: Cents, incrementCents: number): Cents {
  assertCents(amountCents, 'amount due');
  if (amountCents < 0) throw new RangeError(`amount due cannot be negative, got ${amountCents}`);
  assertIncrement(incrementCents);
  const inc = BigInt(incrementCents);
  return bigintToCents(roundHalfUpDiv(BigInt(amountCents), inc) * inc, 'cash due');
}

/** Applies `tenders` in order to `totalCents` (≥ 0). Throws RangeError on a tender that breaks a rule. */
export function applyTenders(totalCents: Cents, tenders: readonly TenderInput[], options: TenderOptions = {}): TenderResult {
  assertCents(totalCents, 'total');
  if (totalCents < 0) throw new RangeError(`total to pay cannot be negative, got ${totalCents} (use the refund rule)`);
  const increment = options.cashRoundingIncrementCents ?? 1;
  assertIncrement(increment);

  let remaining = totalCents;
  let rounding = 0;
  const applied: AppliedTender[] = [];
  tenders.forEach((tender, index) => {
    if (!isTenderKind(tender.kind)) throw new RangeError(`tender ${index}: unknown kind ${describeValue(tender.kind)}`);
    assertCents(tender.amountCents, `tender ${index} amount`);
    if (tender.amountCents <= 0) throw new RangeError(`tender ${index}: amount must be more than 0, got ${tender.amountCents}`);
    if (remaining === 0) throw new RangeError(`tender ${index}: nothing is left to pay`);

    if (tender.kind === 'cash') {
      if (tender.amountCents % increment !== 0) {
        throw new RangeError(`tender ${index}: cash must be a multiple of ${increment} cents, got ${tender.amountCents}`);
      }
      const due = cashDueCents(remaining, increment);
      if (tender.amountCents >= due) {
        applied.push({ index, kind: 'cash', tenderedCents: tender.amountCents, appliedCents: remaining, changeCents: tender.amountCents - due });
        rounding += due - remaining;
        remaining = 0;
      } else {
        // With a multiple-of-increment amount below the rounded due, amount < remaining as well.
        applied.push({ index, kind: 'cash', tenderedCents: tender.amountCents, appliedCents: tender.amountCents, changeCents: 0 });
        remaining -= tender.amountCents;
      }
      return;
    }

    if (tender.amountCents > remaining) {
      throw new RangeError(
        `tender ${index}: ${tender.kind} of ${tender.amountCents} is more than the ${remaining} still due (only cash gives change)`,
      );
    }
    applied.push({ index, kind: tender.kind, tenderedCents: tender.amountCents, appliedCents: tender.amountCents, changeCents: 0 });
    remaining -= tender.amountCents;
  });

  return {
    tenders: applied,
    appliedCents: sumCents(applied.map((t) => t.appliedCents)),
    changeCents: sumCents(applied.map((t) => t.changeCents)),
    roundingCents: rounding,
    remainingCents: remaining,
  };
}

export interface PaidTender {
  kind: TenderKind;
  /** What this tender paid on the original sale (its applied amount, after change). */
  paidCents: Cents;
  /** Already refunded to this tender by earlier returns; default 0. */
  refundedCents?: Cents;
}

export interface RefundPart {
  /** Index of the original tender. */
  index: number;
  kind: TenderKind;
  amountCents: Cents;
}

/**
 * The default split of a refund over the original tenders: last tender first, each capped at what
 * it paid less what it already got back. Returns only the tenders that receive something, in the
 * order they are refunded. Throws RangeError if the refund is more than the tenders can take back
 * (a manager must then choose, e.g. store credit).
 */
export function defaultRefundTenders(refundCents: Cents, paid: readonly PaidTender[]): RefundPart[] {
  assertCents(refundCents, 'refund');
  if (refundCents < 0) throw new RangeError(`refund cannot be negative, got ${refundCents}`);
  const refundable = paid.map((t, i) => {
    if (!isTenderKind(t.kind)) throw new RangeError(`original tender ${i}: unknown kind ${describeValue(t.kind)}`);
    assertCents(t.paidCents, `original tender ${i} paid`);
    const refunded = t.refundedCents ?? 0;
    assertCents(refunded, `original tender ${i} refunded`);
    if (t.paidCents < 0 || refunded < 0) throw new RangeError(`original tender ${i}: amounts cannot be negative`);
    if (refunded > t.paidCents) {
      throw new RangeError(`original tender ${i}: refunded ${refunded} is more than it paid (${t.paidCents})`);
    }
    return t.paidCents - refunded;
  });
  const available = sumCents(refundable);
  if (refundCents > available) {
    throw new RangeError(`refund of ${refundCents} is more than the original tenders can take back (${available})`);
  }
  const parts: RefundPart[] = [];
  let left = refundCents;
  for (let i = paid.length - 1; i >= 0 && left > 0; i--) {
    const amount = Math.min(left, refundable[i] as Cents);
    if (amount === 0) continue;
    parts.push({ index: i, kind: paid[i]!.kind, amountCents: amount });
    left -= amount;
  }
  return parts;
}

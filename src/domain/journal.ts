/**
 * Double-entry rules of the journal (accounting-reports.md "The journal"), with no I/O.
 *
 * An entry is a list of lines; each line debits or credits one account by a positive whole number of cents
 * (never both, never zero). An entry balances when its debits equal its credits, and has at least two lines.
 * The database checks the same at COMMIT (migration 0009_ledger_rules); this module lets services refuse a bad
 * entry early with a readable message and gives the posting rules small builders.
 */

import { assertCents, bigintToCents, type Cents } from './money';

/** Who a line is about, for the QuickBooks "name" column: a customer account or a supplier. */
export interface JournalParty {
  type: 'customer' | 'supplier';
  id: string;
}

/** A line before posting: the account is named by its system key ('inventory', 'cogs', …). */
export interface JournalLineDraft {
  accountKey: string;
  debitCents?: Cents;
  creditCents?: Cents;
  memo?: string;
  party?: JournalParty | null;
}

/** Debit `cents` to `accountKey`. */
export function debit(accountKey: string, cents: Cents, memo?: string, party?: JournalParty | null): JournalLineDraft {
  return { accountKey, debitCents: cents, memo, party: party ?? null };
}

/** Credit `cents` to `accountKey`. */
export function credit(accountKey: string, cents: Cents, memo?: string, party?: JournalParty | null): JournalLineDraft {
  return { accountKey, creditCents: cents, memo, party: party ?? null };
}

/**
 * A line from a signed amount: positive debits, negative credits, zero gives no line (returned as []).
 * Posting rules whose amounts can go either way (a value change of stock) use it and spread the result.
 */
export function signedLine(accountKey: string, signedCents: Cents, memo?: string, party?: JournalParty | null): JournalLineDraft[] {
  assertCents(signedCents, `${accountKey} amount`);
  if (signedCents === 0) return [];
  return signedCents > 0 ? [debit(accountKey, signedCents, memo, party)] : [credit(accountKey, -signedCents, memo, party)];
}

/** Debit amount of a line (0 when it is a credit line). */
export const lineDebit = (l: JournalLineDraft): Cents => l.debitCents ?? 0;
/** Credit amount of a line (0 when it is a debit line). */
export const lineCredit = (l: JournalLineDraft): Cents => l.creditCents ?? 0;

/**
 * Everything wrong with an entry's lines, in words (empty when it is valid): fewer than two lines, a line
 * without an account, an amount that is not a whole positive number of cents, a line with both or neither
 * side, or debits that differ from credits.
 */
export function journalEntryProblems(lines: readonly JournalLineDraft[]): string[] {
  const problems: string[] = [];
  if (lines.length < 2) problems.push(`An entry needs at least two lines (has ${lines.length}).`);
  let debits = 0n;
  let credits = 0n;
  lines.forEach((line, i) => {
    const n = i + 1;
    if (typeof line.accountKey !== 'string' || line.accountKey.trim() === '') problems.push(`Line ${n} has no account.`);
    const d = line.debitCents ?? 0;
    const c = line.creditCents ?? 0;
    for (const [side, amount] of [['debit', d], ['credit', c]] as const) {
      if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) problems.push(`Line ${n}: the ${side} must be a whole number of cents.`);
      else if (amount < 0) problems.push(`Line ${n}: the ${side} cannot be negative.`);
    }
    if (Number.isSafeInteger(d) && Number.isSafeInteger(c)) {
      if (d > 0 && c > 0) problems.push(`Line ${n} has both a debit and a credit; use one side per line.`);
      if (d === 0 && c === 0) problems.push(`Line ${n} has neither a debit nor a credit.`);
      if (d >= 0 && c >= 0) {
        debits += BigInt(d);
        credits += BigInt(c);
      }
    }
  });
  if (debits !== credits) problems.push(`Debits (${debits}) do not equal credits (${credits}).`);
  return problems;
}

/** Throws RangeError listing the problems unless the lines form a valid, balanced entry. */
export function assertValidEntry(lines: readonly JournalLineDraft[]): void {
  const problems = journalEntryProblems(lines);
  if (problems.length) throw new RangeError(`Invalid journal entry: ${problems.join(' ')}`);
}

/** Total of one side of a valid entry (debits = credits). */
export function entryTotal(lines: readonly JournalLineDraft[]): Cents {
  return bigintToCents(lines.reduce((s, l) => s + BigInt(lineDebit(l)), 0n), 'entry total');
}

/**
 * The lines of the entry that undoes `lines`: same accounts, amounts, memos and parties, sides swapped.
 * Posting it nets every account touched by the original back to where it was.
 */
export function reversalLines<T extends { debitCents?: Cents; creditCents?: Cents }>(lines: readonly T[]): T[] {
  return lines.map((l) => ({ ...l, debitCents: l.creditCents ?? 0, creditCents: l.debitCents ?? 0 }));
}

/**
 * Combines lines of the same account, side, memo and party into one (a rule that adds two debits to Inventory
 * for the same reason shows one line), keeping first-seen order. Debits and credits are not netted against
 * each other: both sides stay visible.
 */
export function mergeLines(lines: readonly JournalLineDraft[]): JournalLineDraft[] {
  const merged: JournalLineDraft[] = [];
  const index = new Map<string, number>();
  for (const l of lines) {
    const side = lineDebit(l) > 0 ? 'D' : 'C';
    const key = [l.accountKey, side, l.memo ?? '', l.party?.type ?? '', l.party?.id ?? ''].join('\u0000');
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, merged.length);
      merged.push({ ...l });
    } else if (side === 'D') merged[at].debitCents = lineDebit(merged[at]) + lineDebit(l);
    else merged[at].creditCents = lineCredit(merged[at]) + lineCredit(l);
  }
  return merged;
}

export type NormalSide = 'debit' | 'credit';

/** Debit and credit totals of one account over a period, as summed from its lines. */
export interface AccountActivity {
  debitCents: Cents;
  creditCents: Cents;
  normalSide: NormalSide;
}

/**
 * Balance of an account on its normal side: a debit-normal account (asset, expense, contra revenue) is
 * debits − credits, a credit-normal one credits − debits. Negative means the account is on its unusual side.
 */
export function normalBalance(a: AccountActivity): Cents {
  const net = BigInt(a.debitCents) - BigInt(a.creditCents);
  return bigintToCents(a.normalSide === 'debit' ? net : -net, 'balance');
}

export interface TrialBalanceRow<T> {
  account: T;
  /** The balance shown in the Debit column (0 when the account has a credit balance). */
  debitBalanceCents: Cents;
  /** The balance shown in the Credit column (0 when the account has a debit balance). */
  creditBalanceCents: Cents;
  /** Balance on the account's normal side (see normalBalance). */
  balanceCents: Cents;
}

export interface TrialBalance<T> {
  rows: TrialBalanceRow<T>[];
  totalDebitsCents: Cents;
  totalCreditsCents: Cents;
  /** Total debits − total credits: 0 for books that balance. */
  differenceCents: Cents;
}

/**
 * Trial balance: each account's net balance goes in the Debit or Credit column by its sign (debits − credits
 * > 0 is a debit balance, whatever the account's normal side), and the two columns' totals are equal when
 * every entry balanced. Accounts with no activity at all are left out; accounts that net to zero are kept.
 */
export function trialBalance<T extends AccountActivity>(accounts: readonly T[]): TrialBalance<T> {
  let totalDebits = 0n;
  let totalCredits = 0n;
  const rows: TrialBalanceRow<T>[] = [];
  for (const account of accounts) {
    assertCents(account.debitCents, 'debits');
    assertCents(account.creditCents, 'credits');
    if (account.debitCents === 0 && account.creditCents === 0) continue;
    const net = BigInt(account.debitCents) - BigInt(account.creditCents);
    const debitBalance = net > 0n ? net : 0n;
    const creditBalance = net < 0n ? -net : 0n;
    totalDebits += debitBalance;
    totalCredits += creditBalance;
    rows.push({ account, debitBalanceCents: bigintToCents(debitBalance), creditBalanceCents: bigintToCents(creditBalance), balanceCents: normalBalance(account) });
  }
  return {
    rows,
    totalDebitsCents: bigintToCents(totalDebits, 'total debits'),
    totalCreditsCents: bigintToCents(totalCredits, 'total credits'),
    differenceCents: bigintToCents(totalDebits - totalCredits, 'difference'),
  };
}

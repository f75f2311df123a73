import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { bankDeposits } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { isUuid } from '../../db/sql-helpers';
import { NotFoundError, ValidationError } from '../service-errors';
import { nextInSeries } from '../numbering';
import { countCash, type CashCount } from '../../domain/drawer';
import { addDays, compareDates, type BusinessDate } from '../../domain/business-date';
import { formatCents } from '../../domain/money';
import { postEvent } from '../ledger/journal';
import { MAX_DEPOSIT_AMOUNT_CENTS, MAX_DEPOSIT_BACKDATE_DAYS, type BankDepositInput } from './schemas';

/**
 * Bank deposits (pos.md "Registers and the cash drawer"): cash from the safe and checks waiting to be deposited
 * go to the bank on a numbered deposit slip (BD-000001 …). One transaction posts Dr Bank / Cr Safe, Cr Checks to
 * deposit (the bank_deposit rule), stores the slip and audits it. A deposit can't take more than the ledger says
 * the safe or the checks-to-deposit account holds. Deposits are append-only: a wrong one is corrected by
 * reversing its journal entry (docs/deposits.md).
 */

export type BankDeposit = typeof bankDeposits.$inferSelect;
export interface DepositCheck {
  number: string;
  amount_cents: number;
  from: string;
}

const SOURCE = 'bank_deposit';

/** What the safe and the checks-to-deposit account hold now (every posted entry, on their debit side). */
export async function depositableBalances(db: DbOrTx): Promise<{ safeCents: number; checksCents: number }> {
  const rows = await db.execute<{ key: string; balance: string }>(sql`
    select a.system_key as key, coalesce(sum(l.debit_cents - l.credit_cents), 0) as balance
    from ledger_accounts a left join journal_lines l on l.account_id = a.id
    where a.system_key in ('safe_cash', 'checks_to_deposit')
    group by a.system_key`);
  const of = (key: string) => Number(rows.find((r) => r.key === key)?.balance ?? 0);
  return { safeCents: of('safe_cash'), checksCents: of('checks_to_deposit') };
}

/** A deposit by id or by its BD- number; 404 for anything else. */
export async function getBankDeposit(db: DbOrTx, idOrNumber: string): Promise<BankDeposit> {
  const where = isUuid(idOrNumber) ? sql`${bankDeposits.id} = ${idOrNumber}` : /^BD-\d{6,}$/.test(idOrNumber) ? sql`${bankDeposits.number} = ${idOrNumber}` : null;
  if (!where) throw new NotFoundError('Bank deposit');
  const [row] = await db.select().from(bankDeposits).where(where);
  if (!row) throw new NotFoundError('Bank deposit');
  return row;
}

export const depositChecks = (d: Pick<BankDeposit, 'checks'>): DepositCheck[] => (Array.isArray(d.checks) ? (d.checks as DepositCheck[]) : []);

function countOrThrow(denominations: unknown): CashCount {
  try {
    return countCash(denominations);
  } catch (err) {
    if (err instanceof RangeError) throw new ValidationError({ cash_denominations: err.message });
    throw err;
  }
}

/** Cash and checks of the input, checked for shape and size (not yet against the balances). */
export function depositAmounts(input: BankDepositInput): { cashCents: number; denominations: Record<string, number> | null; checks: DepositCheck[]; checksCents: number } {
  let cashCents = input.cash_cents;
  let denominations: Record<string, number> | null = null;
  if (input.cash_denominations !== undefined) {
    const count = countOrThrow(input.cash_denominations);
    if (count.totalCents > MAX_DEPOSIT_AMOUNT_CENTS) throw new ValidationError({ cash_denominations: `The cash counted (${formatCents(count.totalCents)}) is more than one deposit may hold (${formatCents(MAX_DEPOSIT_AMOUNT_CENTS)}).` });
    if (cashCents !== undefined && cashCents !== count.totalCents) throw new ValidationError({ cash_cents: `cash_cents (${cashCents}) is not the total of cash_denominations (${count.totalCents}).` });
    cashCents = count.totalCents;
    denominations = Object.fromEntries(count.lines.filter((l) => l.count > 0).map((l) => [String(l.denominationCents), l.count]));
    if (Object.keys(denominations).length === 0) denominations = null;
  }
  const checks = (input.checks ?? []).map((c) => ({ number: c.number, amount_cents: c.amount_cents, from: c.from ?? '' }));
  const checksCents = checks.reduce((s, c) => s + c.amount_cents, 0);
  if (checksCents > MAX_DEPOSIT_AMOUNT_CENTS) throw new ValidationError({ checks: `The checks add up to ${formatCents(checksCents)}, more than one deposit may hold (${formatCents(MAX_DEPOSIT_AMOUNT_CENTS)}).` });
  cashCents ??= 0;
  if (cashCents === 0 && checksCents === 0) throw new ValidationError({ _: 'Nothing to deposit: count the cash or list at least one check.' }, 'Nothing to deposit: count the cash or list at least one check.');
  return { cashCents, denominations, checks, checksCents };
}

/**
 * Records a deposit. `today` is the store's business date; the deposit (and its journal entry) is dated
 * `deposited_on` (default today; not in the future, at most a year back). The balance check reads the accounts
 * after taking a lock that every deposit takes, so two deposits of the same safe can't both pass it.
 */
export async function createBankDeposit(tx: Tx, actor: Actor, input: BankDepositInput, today: BusinessDate): Promise<BankDeposit> {
  const { cashCents, denominations, checks, checksCents } = depositAmounts(input);
  const depositedOn = input.deposited_on ?? today;
  if (compareDates(depositedOn, today) > 0) throw new ValidationError({ deposited_on: `The deposit date can't be after today (${today}).` });
  if (compareDates(depositedOn, addDays(today, -MAX_DEPOSIT_BACKDATE_DAYS)) < 0) throw new ValidationError({ deposited_on: `The deposit date can be at most ${MAX_DEPOSIT_BACKDATE_DAYS} days back.` });

  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('forte:bank-deposit'))`);
  const held = await depositableBalances(tx);
  const fields: Record<string, string> = {};
  if (cashCents > held.safeCents) fields[input.cash_denominations !== undefined ? 'cash_denominations' : 'cash_cents'] = `The safe holds ${formatCents(held.safeCents)}; you can't deposit ${formatCents(cashCents)} of cash.`;
  if (checksCents > held.checksCents) fields.checks = `Checks to deposit holds ${formatCents(held.checksCents)}; these checks add up to ${formatCents(checksCents)}.`;
  if (Object.keys(fields).length) throw new ValidationError(fields, Object.values(fields).join(' '));

  const id = randomUUID();
  const number = await nextInSeries(tx, 'bank_deposit', 'BD-');
  const memo = `${number} bank deposit${input.note ? `: ${input.note}` : ''}`;
  const entry = await postEvent(tx, actor, 'bank_deposit', { cashCents, checksCents, memo }, { sourceType: SOURCE, sourceId: id, date: depositedOn, memo });
  const [row] = await tx
    .insert(bankDeposits)
    .values({ id, number, cashCents, checksCents, cashDenominations: denominations, checks, depositedOn, note: input.note ?? '', journalEntryId: entry?.id ?? null, byUserId: actor.userId, byLabel: actor.label })
    .returning();
  await recordAudit(tx, actor, {
    action: 'bank_deposit.create',
    entityType: 'bank_deposit',
    entityId: id,
    summary: `${number}: deposited ${formatCents(cashCents)} cash and ${checks.length} check${checks.length === 1 ? '' : 's'} (${formatCents(checksCents)}) on ${depositedOn}`,
    after: row,
  });
  return row;
}

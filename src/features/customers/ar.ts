import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { addDays, compareDates, daysBetween } from '../../domain/business-date';
import { storeCreditBalance } from '../sales/stored-value';
import { openReceivableCents } from '../sales/invoices';

/**
 * Accounts receivable of house accounts (accounting-reports.md "AR aging (current/30/60/90+) and statements"):
 * open invoices with their aging, an account's balance on any day, and the statement of a period.
 *
 * Balances "as of a day" use the dates the journal uses, so they agree with its account balances: a charge is
 * dated by its invoice's issue date; an allocation (and a gift-card or store-credit entry) by the business date
 * of the document that made it — the payment, the return, the sale — or, when it undoes a voided sale, by the
 * date of the void's reversing entry; one without a document by the journal entry of its source, else the
 * store-time date it was made. For today and later an invoice's balance equals the stored balance_cents.
 */

export const AGING_BUCKETS = [
  { key: 'current', label: 'Current' },
  { key: 'days_1_30', label: '1–30 days' },
  { key: 'days_31_60', label: '31–60 days' },
  { key: 'days_61_90', label: '61–90 days' },
  { key: 'days_over_90', label: 'Over 90 days' },
] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number]['key'];
export type Aging = Record<AgingBucket, number> & { total: number };

/** Days past the due date → bucket. Not yet due (or due that day) is current. */
export function agingBucket(daysPastDue: number): AgingBucket {
  if (daysPastDue <= 0) return 'current';
  if (daysPastDue <= 30) return 'days_1_30';
  if (daysPastDue <= 60) return 'days_31_60';
  if (daysPastDue <= 90) return 'days_61_90';
  return 'days_over_90';
}

export const emptyAging = (): Aging => ({ current: 0, days_1_30: 0, days_31_60: 0, days_61_90: 0, days_over_90: 0, total: 0 });

export interface OpenInvoice {
  id: string;
  number: string;
  accountId: string;
  accountNumber: string;
  accountName: string;
  issuedOn: string;
  dueOn: string;
  memo: string;
  totalCents: number;
  balanceCents: number;
  daysPastDue: number;
  bucket: AgingBucket;
}

const TZ = sql`coalesce((select time_zone from store_settings where id = 1), 'UTC')`;
const VOID_DATE = (sale: string) => sql.raw(`(select ve.entry_date from journal_entries ve where ve.id = ${sale}.void_entry_id)`);
/** The business date an allocation counts from (see the file comment); `x` = invoice_allocations, `s` = its sale. */
const ALLOCATED_ON = sql`coalesce(case when s.status = 'voided' then ${VOID_DATE('s')} else s.business_date end, (x.at at time zone ${TZ})::date)`;

/** The business date of a stored-value entry `e` (gift_card_entries or store_credit_entries, see the file comment). */
function valueEntryOn(table: 'gift_card_entries' | 'store_credit_entries') {
  const bySale = sql`(select case when vs.kind = 'sale' and e.kind in ('void', 'refund') then ${VOID_DATE('vs')} else vs.business_date end from sales vs where vs.id = e.sale_id)`;
  const bySource = table === 'store_credit_entries' ? sql`(select min(je.entry_date) from journal_entries je where je.source_type = e.source_type and je.source_id = e.source_id::text)` : sql`null::date`;
  return sql`coalesce(${bySale}, ${bySource}, (e.at at time zone ${TZ})::date)`;
}
export const GIFT_CARD_ENTRY_ON = valueEntryOn('gift_card_entries');
export const STORE_CREDIT_ENTRY_ON = valueEntryOn('store_credit_entries');

/**
 * Invoices with a balance at the end of `asOf`, oldest first per account. `today` lets the common case (as of
 * today) use the open-invoice index only; an earlier day also looks at invoices paid off since.
 */
export async function openInvoicesAsOf(db: DbOrTx, asOf: string, today: string, accountId: string | null = null): Promise<OpenInvoice[]> {
  const paidSince =
    compareDates(asOf, today) < 0
      ? sql`or i.id in (select x.invoice_id from invoice_allocations x left join sales s on s.id = x.sale_id where ${ALLOCATED_ON} > ${asOf}::date)`
      : sql``;
  const rows = await db.execute<{ id: string; number: string; account_id: string; account_number: string; account_name: string; issued_on: string; due_on: string; memo: string; total: string; balance: string }>(sql`
    select * from (
      select i.id, i.number, i.account_id, a.number as account_number, a.name as account_name, i.issued_on::text as issued_on, i.due_on::text as due_on, i.memo,
             i.total_cents as total, i.total_cents - coalesce(al.applied, 0) as balance
      from invoices i
      join accounts a on a.id = i.account_id
      left join lateral (
        select sum(x.amount_cents) as applied from invoice_allocations x left join sales s on s.id = x.sale_id
        where x.invoice_id = i.id and ${ALLOCATED_ON} <= ${asOf}::date) al on true
      where i.issued_on <= ${asOf}::date and (i.balance_cents > 0 ${paidSince}) ${accountId ? sql`and i.account_id = ${accountId}` : sql``}
    ) open where balance > 0
    order by account_name, account_number, issued_on, number`);
  return rows.map((r) => {
    const daysPastDue = daysBetween(r.due_on, asOf);
    return {
      id: r.id,
      number: r.number,
      accountId: r.account_id,
      accountNumber: r.account_number,
      accountName: r.account_name,
      issuedOn: r.issued_on,
      dueOn: r.due_on,
      memo: r.memo,
      totalCents: Number(r.total),
      balanceCents: Number(r.balance),
      daysPastDue,
      bucket: agingBucket(daysPastDue),
    };
  });
}

export function agingOf(invoices: OpenInvoice[]): Aging {
  const out = emptyAging();
  for (const i of invoices) {
    out[i.bucket] += i.balanceCents;
    out.total += i.balanceCents;
  }
  return out;
}

export interface AccountAging extends Aging {
  accountId: string;
  accountNumber: string;
  accountName: string;
  invoices: number;
  oldestDueOn: string;
}

/** Aging per account (the AR aging report's rows), by account name. */
export function agingByAccount(invoices: OpenInvoice[]): AccountAging[] {
  const byAccount = new Map<string, AccountAging>();
  for (const i of invoices) {
    let row = byAccount.get(i.accountId);
    if (!row) {
      row = { ...emptyAging(), accountId: i.accountId, accountNumber: i.accountNumber, accountName: i.accountName, invoices: 0, oldestDueOn: i.dueOn };
      byAccount.set(i.accountId, row);
    }
    row[i.bucket] += i.balanceCents;
    row.total += i.balanceCents;
    row.invoices += 1;
    if (i.dueOn < row.oldestDueOn) row.oldestDueOn = i.dueOn;
  }
  return [...byAccount.values()];
}

/** Store credit per account at the end of a day (entries dated as the journal dates them). */
export async function storeCreditBalancesAsOf(db: DbOrTx, asOf: string, accountId: string | null = null) {
  return db.execute<{ account_id: string; account_number: string; account: string; last_on: string; balance: string }>(sql`
    select a.id as account_id, a.number as account_number, a.name as account, max(v.on)::text as last_on, sum(e.amount_cents) as balance
    from store_credit_entries e
    cross join lateral (select ${STORE_CREDIT_ENTRY_ON} as on) v
    join accounts a on a.id = e.account_id
    where v.on <= ${asOf}::date ${accountId ? sql`and e.account_id = ${accountId}` : sql``}
    group by a.id
    having sum(e.amount_cents) <> 0
    order by a.name, a.number`);
}

/** What the account page shows: open invoices today with their aging, and the store credit to spend. */
export async function accountReceivables(db: DbOrTx, accountId: string, today: string) {
  const [invoices, balanceCents, storeCreditCents] = await Promise.all([openInvoicesAsOf(db, today, today, accountId), openReceivableCents(db, accountId), storeCreditBalance(db, accountId)]);
  const aging = agingOf(invoices);
  return { invoices, aging, balanceCents, storeCreditCents, pastDueCents: aging.total - aging.current };
}
export type AccountReceivables = Awaited<ReturnType<typeof accountReceivables>>;

/** The account's AR balance at the end of a day: invoices issued by then less what was applied by then. */
export async function receivableAsOf(db: DbOrTx, accountId: string, asOf: string): Promise<number> {
  const [r] = await db.execute<{ charged: string | null; applied: string | null }>(sql`
    select (select sum(i.total_cents) from invoices i where i.account_id = ${accountId} and i.issued_on <= ${asOf}::date) as charged,
           (select sum(x.amount_cents) from invoice_allocations x join invoices i on i.id = x.invoice_id left join sales s on s.id = x.sale_id
             where i.account_id = ${accountId} and ${ALLOCATED_ON} <= ${asOf}::date) as applied`);
  return Number(r?.charged ?? 0) - Number(r?.applied ?? 0);
}

export interface StatementLine {
  date: string;
  reference: string;
  description: string;
  chargeCents: number;
  creditCents: number;
  balanceCents: number;
}

/**
 * A statement of a period: the balance brought forward, every charge (invoice issued) and credit (payment,
 * return or void applied to invoices) in date order with the running balance, the balance at the end, and the
 * invoices still open then with their aging. Store credit is shown apart: it is the store's debt, not the
 * customer's, and is spent at the counter.
 */
export async function accountStatement(db: DbOrTx, accountId: string, period: { from: string; to: string }, today: string) {
  const { from, to } = period;
  const [opening, charges, credits, invoices, credit] = await Promise.all([
    receivableAsOf(db, accountId, addDays(from, -1)),
    db.execute<{ on: string; number: string; memo: string; total: string; at: string }>(sql`
      select i.issued_on::text as on, i.number, i.memo, i.total_cents as total, to_char(i.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as at
      from invoices i where i.account_id = ${accountId} and i.issued_on between ${from}::date and ${to}::date`),
    db.execute<{ on: string; number: string | null; kind: string | null; status: string | null; amount: string; invoices: string; at: string }>(sql`
      select ${ALLOCATED_ON}::text as on, s.number, s.kind, s.status, sum(x.amount_cents) as amount, string_agg(i.number, ', ' order by i.number) as invoices,
             to_char(min(x.at) at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as at
      from invoice_allocations x join invoices i on i.id = x.invoice_id left join sales s on s.id = x.sale_id
      where i.account_id = ${accountId} and ${ALLOCATED_ON} between ${from}::date and ${to}::date
      group by 1, s.id, s.number, s.kind, s.status`),
    openInvoicesAsOf(db, to, today, accountId),
    storeCreditBalancesAsOf(db, to, accountId),
  ]);
  const creditText = (c: (typeof credits)[number]) =>
    c.kind === 'payment' ? `Payment, applied to ${c.invoices}` : c.kind === 'return' ? `Return, credited to ${c.invoices}` : c.kind === 'sale' ? `Sale voided, ${c.invoices} cancelled` : `Credit to ${c.invoices}`;
  const entries = [
    ...charges.map((c) => ({ sort: `${c.on} ${c.at} 0`, date: c.on, reference: c.number, description: c.memo ? `Charge: ${c.memo}` : 'Charge', chargeCents: Number(c.total), creditCents: 0 })),
    ...credits.map((c) => ({ sort: `${c.on} ${c.at} 1`, date: c.on, reference: c.number ?? '', description: creditText(c), chargeCents: 0, creditCents: Number(c.amount) })),
  ].sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0));
  let balance = opening;
  const lines: StatementLine[] = entries.map((e) => {
    balance += e.chargeCents - e.creditCents;
    return { date: e.date, reference: e.reference, description: e.description, chargeCents: e.chargeCents, creditCents: e.creditCents, balanceCents: balance };
  });
  const aging = agingOf(invoices);
  return {
    from,
    to,
    openingCents: opening,
    chargesCents: lines.reduce((s, l) => s + l.chargeCents, 0),
    creditsCents: lines.reduce((s, l) => s + l.creditCents, 0),
    closingCents: balance,
    lines,
    invoices,
    aging,
    pastDueCents: aging.total - aging.current,
    storeCreditCents: credit.reduce((s, c) => s + Number(c.balance), 0),
  };
}
export type AccountStatement = Awaited<ReturnType<typeof accountStatement>>;

import type { DbOrTx } from '../../db/client';
import { AGING_BUCKETS, agingByAccount, agingOf, openInvoicesAsOf } from '../customers/ar';
import { date, int, journalBalance, money, text, totalRow, type Column, type ReportResult, type Row } from './model';

/**
 * AR aging (accounting-reports.md): every house account's open invoices at the end of a day, by days past due
 * (current, 1–30, 31–60, 61–90, over 90), and their total beside the Accounts receivable balance of the journal.
 */
export async function arAgingReport(db: DbOrTx, asOf: string, today: string): Promise<ReportResult> {
  const [invoices, journal] = await Promise.all([openInvoicesAsOf(db, asOf, today), journalBalance(db, 'accounts_receivable', asOf)]);
  const accounts = agingByAccount(invoices);
  const aging = agingOf(invoices);
  const bucketColumns = AGING_BUCKETS.map((b) => money(`${b.key}_cents`, b.label));

  const accountColumns: Column[] = [text('account_number', 'Account #'), text('account', 'Customer'), int('invoices', 'Invoices'), date('oldest_due_on', 'Oldest due'), ...bucketColumns, money('total_cents', 'Total')];
  const accountRows: Row[] = accounts.map((a) => ({
    account_number: a.accountNumber,
    account: a.accountName,
    invoices: a.invoices,
    oldest_due_on: a.oldestDueOn,
    ...Object.fromEntries(AGING_BUCKETS.map((b) => [`${b.key}_cents`, a[b.key]])),
    total_cents: a.total,
  }));

  const invoiceColumns: Column[] = [text('account', 'Customer'), text('invoice', 'Invoice'), text('memo', 'For'), date('issued_on', 'Issued'), date('due_on', 'Due'), int('days_past_due', 'Days past due'), text('bucket', 'Aging'), money('total_cents', 'Amount'), money('balance_cents', 'Open')];
  const bucketLabel = Object.fromEntries(AGING_BUCKETS.map((b) => [b.key, b.label]));
  const invoiceRows: Row[] = invoices.map((i) => ({ account: i.accountName, invoice: i.number, memo: i.memo, issued_on: i.issuedOn, due_on: i.dueOn, days_past_due: Math.max(0, i.daysPastDue), bucket: bucketLabel[i.bucket], total_cents: i.totalCents, balance_cents: i.balanceCents }));
  const invoiceTotal = totalRow(invoiceColumns, invoiceRows);
  invoiceTotal.days_past_due = null;

  return {
    name: 'ar-aging',
    title: 'AR aging',
    period: { kind: 'as_of', asOf },
    summary: [
      ...AGING_BUCKETS.map((b) => ({ key: `${b.key}_cents`, label: b.label, kind: 'money' as const, value: aging[b.key] })),
      { key: 'total_cents', label: 'Total receivable', kind: 'money', value: aging.total },
      { key: 'accounts_count', label: 'Accounts owing', kind: 'int', value: accounts.length },
    ],
    sections: [
      { key: 'accounts', title: 'By account', columns: accountColumns, rows: accountRows, total: accountRows.length ? totalRow(accountColumns, accountRows) : null, links: accounts.map((a) => ({ account: `/customers/${a.accountId}` })), empty: 'No account owed anything at the end of this day.' },
      { key: 'invoices', title: 'Open invoices', columns: invoiceColumns, rows: invoiceRows, total: invoiceRows.length ? invoiceTotal : null, links: invoices.map((i) => ({ account: `/customers/${i.accountId}` })), empty: 'No open invoices.' },
    ],
    checks: [{ key: 'accounts_receivable', label: 'Open invoices = Accounts receivable account', reportLabel: 'Open invoices', reportCents: aging.total, journalLabel: 'Journal balance', journalCents: journal }],
    notes: [],
  };
}

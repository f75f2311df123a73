import type { DbOrTx } from '../../db/client';
import { storeCreditBalancesAsOf } from '../customers/ar';
import { date, journalBalance, money, n, text, totalRow, type ReportResult, type Row } from './model';

/**
 * Store credit liability (accounting-reports.md): each account's store credit at the end of a day — the sum of
 * its entries dated on or before it (as the journal dates them) — and their total beside the Store credit liability account's
 * balance from the journal entries dated on or before it.
 */
export async function storeCreditLiabilityReport(db: DbOrTx, asOf: string): Promise<ReportResult> {
  const [accounts, journal] = await Promise.all([storeCreditBalancesAsOf(db, asOf), journalBalance(db, 'store_credit_liability', asOf)]);
  const columns = [text('account_number', 'Account #'), text('account', 'Customer'), date('last_activity_on', 'Last change'), money('balance_cents', 'Store credit')];
  const rows: Row[] = accounts.map((a) => ({ account_number: a.account_number, account: a.account, last_activity_on: a.last_on, balance_cents: n(a.balance) }));
  const total = totalRow(columns, rows);
  const totalCents = total.balance_cents as number;
  return {
    name: 'store-credit-liability',
    title: 'Store credit liability',
    period: { kind: 'as_of', asOf },
    summary: [
      { key: 'accounts_count', label: 'Accounts with credit', kind: 'int', value: rows.length },
      { key: 'balance_cents', label: 'Total store credit', kind: 'money', value: totalCents },
      { key: 'journal_cents', label: 'Store credit liability (journal)', kind: 'money', value: journal },
    ],
    sections: [{ key: 'accounts', title: 'Accounts', columns, rows, total: rows.length ? total : null, links: accounts.map((a) => ({ account: `/customers/${a.account_id}` })), empty: 'No account held store credit at the end of this day.' }],
    checks: [{ key: 'store_credit_liability', label: 'Account balances = Store credit liability account', reportLabel: 'Account balances', reportCents: totalCents, journalLabel: 'Journal balance', journalCents: journal }],
    notes: [],
  };
}

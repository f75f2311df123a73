import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { GIFT_CARD_ENTRY_ON } from '../customers/ar';
import { date, journalBalance, money, n, text, totalRow, type ReportResult, type Row } from './model';

/**
 * Gift card liability (accounting-reports.md): what each card held at the end of a day — the sum of its entries
 * dated on or before it (as the journal dates them: by the sale, return or void that made them) — and their total
 * beside the Gift card liability account's balance from the journal entries dated on or before it.
 */
export async function giftCardLiabilityReport(db: DbOrTx, asOf: string): Promise<ReportResult> {
  const [cards, journal] = await Promise.all([
    db.execute<{ account_id: string | null; number: string; status: string; expires_on: string | null; account: string | null; issued_on: string; last_on: string; balance: string }>(sql`
      select g.number, g.status, g.expires_on::text as expires_on, a.name as account, g.account_id,
             min(v.on)::text as issued_on, max(v.on)::text as last_on, sum(e.amount_cents) as balance
      from gift_cards g
      join gift_card_entries e on e.gift_card_id = g.id
      cross join lateral (select ${GIFT_CARD_ENTRY_ON} as on) v
      left join accounts a on a.id = g.account_id
      where v.on <= ${asOf}::date
      group by g.id, a.name
      having sum(e.amount_cents) <> 0
      order by g.number`),
    journalBalance(db, 'gift_card_liability', asOf),
  ]);
  const columns = [text('number', 'Card'), text('status', 'Status'), text('account', 'Customer'), date('issued_on', 'Issued'), date('last_activity_on', 'Last used'), date('expires_on', 'Expires'), money('balance_cents', 'Balance')];
  const rows: Row[] = cards.map((c) => ({ number: c.number, status: c.status === 'void' ? 'Void' : 'Active', account: c.account ?? '', issued_on: c.issued_on, last_activity_on: c.last_on, expires_on: c.expires_on, balance_cents: n(c.balance) }));
  const total = totalRow(columns, rows);
  const totalCents = total.balance_cents as number;
  return {
    name: 'gift-card-liability',
    title: 'Gift card liability',
    period: { kind: 'as_of', asOf },
    summary: [
      { key: 'cards_count', label: 'Cards with a balance', kind: 'int', value: rows.length },
      { key: 'balance_cents', label: 'Total of card balances', kind: 'money', value: totalCents },
      { key: 'journal_cents', label: 'Gift card liability (journal)', kind: 'money', value: journal },
    ],
    sections: [{ key: 'cards', title: 'Cards', columns, rows, total: rows.length ? total : null, links: cards.map((c) => (c.account_id ? { account: `/customers/${c.account_id}` } : {})), empty: 'No gift card held a balance at the end of this day.' }],
    checks: [{ key: 'gift_card_liability', label: 'Card balances = Gift card liability account', reportLabel: 'Card balances', reportCents: totalCents, journalLabel: 'Journal balance', journalCents: journal }],
    notes: [],
  };
}

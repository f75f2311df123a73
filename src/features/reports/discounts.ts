import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { date, DETAIL_ROW_LIMIT, int, money, n, text, totalRow, type Column, type ReportResult, type Row } from './model';

/**
 * Discounts and approvals (accounting-reports.md): every discount given on a completed sale of the period — the
 * line it was on (or the whole sale), what kind, how much, who gave it and which manager approved it and why —
 * with totals per person who applied and per approver. Voided sales gave nothing and are left out.
 */

const KIND_LABELS: Record<string, string> = { percent: 'Percent', amount: 'Amount', price_override: 'Price override' };
const REASON_LABELS: Record<string, string> = { above_user_limit: 'over the cashier’s discount limit', below_minimum_price: 'below the minimum price' };

export async function discountsReport(db: DbOrTx, period: { from: string; to: string }): Promise<ReportResult> {
  const { from, to } = period;
  const inPeriod = sql`s.business_date between ${from}::date and ${to}::date and s.status = 'completed'`;
  const [detail, applied, approved] = await Promise.all([
    db.execute<{ business_date: string; number: string; line_no: number | null; description: string | null; label: string; kind: string; percent: number | null; amount: string; applied_by: string; approved_by: string | null; reasons: string[] }>(sql`
      select s.business_date::text as business_date, s.number, l.line_no, l.description, d.label, d.kind, d.percent_millipercent as percent, d.amount_cents as amount,
             d.applied_by_label as applied_by, d.approved_by_label as approved_by, d.approval_reasons as reasons
      from sales s
      join sale_discounts d on d.sale_id = s.id
      left join sale_lines l on l.id = d.sale_line_id
      where ${inPeriod}
      order by s.business_date, s.number, l.line_no nulls last, d.id
      limit ${DETAIL_ROW_LIMIT + 1}`),
    db.execute<{ person: string; count: number; amount: string; approved: number }>(sql`
      select d.applied_by_label as person, count(*)::int as count, sum(d.amount_cents) as amount, (count(*) filter (where d.approved_by_label is not null))::int as approved
      from sales s join sale_discounts d on d.sale_id = s.id
      where ${inPeriod}
      group by d.applied_by_label order by d.applied_by_label`),
    db.execute<{ person: string; count: number; amount: string }>(sql`
      select d.approved_by_label as person, count(*)::int as count, sum(d.amount_cents) as amount
      from sales s join sale_discounts d on d.sale_id = s.id
      where ${inPeriod} and d.approved_by_label is not null
      group by d.approved_by_label order by d.approved_by_label`),
  ]);

  const truncated = detail.length > DETAIL_ROW_LIMIT;
  const detailColumns: Column[] = [date('date', 'Date'), text('sale', 'Sale'), text('line', 'Line'), text('label', 'Discount'), text('kind', 'Kind'), { key: 'percent_millipercent', label: 'Percent', kind: 'rate' }, money('amount_cents', 'Amount'), text('applied_by', 'Given by'), text('approved_by', 'Approved by'), text('reasons', 'Why approval')];
  const detailRows: Row[] = detail.slice(0, DETAIL_ROW_LIMIT).map((r) => ({
    date: r.business_date,
    sale: r.number,
    line: r.line_no === null ? 'Whole sale' : `${r.line_no}. ${r.description ?? ''}`,
    label: r.label,
    kind: KIND_LABELS[r.kind] ?? r.kind,
    percent_millipercent: r.percent,
    amount_cents: n(r.amount),
    applied_by: r.applied_by,
    approved_by: r.approved_by ?? '',
    reasons: (r.reasons ?? []).map((x) => REASON_LABELS[x] ?? x.replace(/_/g, ' ')).join('; '),
  }));
  const detailTotal = totalRow(detailColumns, detailRows);

  const personColumns = [text('person', 'Given by'), int('count', 'Discounts'), int('approved_count', 'Needed approval'), money('amount_cents', 'Amount')];
  const personRows: Row[] = applied.map((r) => ({ person: r.person, count: r.count, approved_count: r.approved, amount_cents: n(r.amount) }));
  const approverColumns = [text('person', 'Approved by'), int('count', 'Approvals'), money('amount_cents', 'Amount')];
  const approverRows: Row[] = approved.map((r) => ({ person: r.person, count: r.count, amount_cents: n(r.amount) }));
  const personTotal = totalRow(personColumns, personRows);

  return {
    name: 'discounts',
    title: 'Discounts and approvals',
    period: { kind: 'range', from, to },
    summary: [
      { key: 'discount_count', label: 'Discounts given', kind: 'int', value: personTotal.count },
      { key: 'discount_cents', label: 'Total discounted', kind: 'money', value: personTotal.amount_cents },
      { key: 'approved_count', label: 'Manager approvals', kind: 'int', value: personTotal.approved_count },
    ],
    sections: [
      { key: 'discounts', title: 'Every discount', columns: detailColumns, rows: detailRows, total: detailRows.length ? detailTotal : null, empty: 'No discounts were given in this period.', truncated },
      { key: 'by_person', title: 'By person who gave them', columns: personColumns, rows: personRows, total: personRows.length ? personTotal : null, empty: 'No discounts were given in this period.' },
      { key: 'by_approver', title: 'By approving manager', columns: approverColumns, rows: approverRows, total: approverRows.length ? totalRow(approverColumns, approverRows) : null, empty: 'No discounts needed approval in this period.' },
    ],
    checks: [],
    notes: [],
  };
}

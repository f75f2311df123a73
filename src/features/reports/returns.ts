import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { formatCents } from '../../domain/money';
import { TENDER_LABELS } from '../sales/checkout';
import { date, DETAIL_ROW_LIMIT, int, money, n, text, totalRow, type ReportResult, type Row } from './model';

/**
 * Returns (accounting-reports.md): the period's completed return documents with the sale they came from (or "no
 * receipt"), what was refunded and how, whether the goods went back on the shelf or to repair/damaged, and the
 * manager who approved (past the return window, other tenders, no receipt). Refunds read positive here.
 */

export async function returnsReport(db: DbOrTx, period: { from: string; to: string }): Promise<ReportResult> {
  const { from, to } = period;
  const inPeriod = sql`s.business_date between ${from}::date and ${to}::date and s.status = 'completed' and s.kind = 'return'`;
  const [docs, lines] = await Promise.all([
    db.execute<{ number: string; business_date: string; original: string | null; account: string | null; account_id: string | null; cashier: string; approver: string | null; net: string; tax: string; qty: number; restocked: number; tenders: string | null }>(sql`
      select s.number, s.business_date::text as business_date, o.number as original, a.name as account, s.account_id, s.cashier_label as cashier, s.approved_by_label as approver,
             -s.net_cents as net, -s.tax_cents as tax, q.qty, q.restocked, tn.tenders
      from sales s
      left join sales o on o.id = s.original_sale_id
      left join accounts a on a.id = s.account_id
      cross join lateral (select coalesce(sum(l.quantity), 0)::int as qty, coalesce(sum(l.quantity) filter (where l.restock), 0)::int as restocked from sale_lines l where l.sale_id = s.id) q
      cross join lateral (select string_agg(t.method || ':' || (-t.amount_cents)::text, ',' order by t.seq) as tenders from sale_tenders t where t.sale_id = s.id) tn
      where ${inPeriod}
      order by s.business_date, s.number
      limit ${DETAIL_ROW_LIMIT + 1}`),
    db.execute<{ number: string; original: string | null; description: string; sku: string; quantity: number; restock: boolean | null; net: string; tax: string; cost: string | null }>(sql`
      select s.number, o.number as original, l.description, l.sku, l.quantity, l.restock, -l.net_cents as net, -l.tax_cents as tax, case when l.restock then l.cost_cents end as cost
      from sales s
      cross join lateral (select l.* from sale_lines l where l.sale_id = s.id offset 0) l
      left join sales o on o.id = s.original_sale_id
      where ${inPeriod}
      order by s.business_date, s.number, l.line_no
      limit ${DETAIL_ROW_LIMIT + 1}`),
  ]);

  const refundedTo = (raw: string | null) =>
    (raw ?? '')
      .split(',')
      .filter(Boolean)
      .map((p) => {
        const [method, cents] = p.split(':');
        return `${TENDER_LABELS[method as keyof typeof TENDER_LABELS] ?? method} ${formatCents(Number(cents))}`;
      })
      .join(', ');

  const docColumns = [date('date', 'Date'), text('number', 'Return'), text('original', 'Original sale'), text('account', 'Customer'), text('cashier', 'Cashier'), text('approved_by', 'Approved by'), int('quantity', 'Items'), int('restocked', 'Restocked'), int('damaged', 'Damaged / repair'), money('net_cents', 'Refund before tax'), money('tax_cents', 'Tax refunded'), money('refund_cents', 'Refund'), text('refunded_to', 'Refunded to')];
  const docSlice = docs.slice(0, DETAIL_ROW_LIMIT);
  const docRows: Row[] = docSlice.map((r) => ({
    date: r.business_date,
    number: r.number,
    original: r.original ?? 'No receipt',
    account: r.account ?? '',
    cashier: r.cashier,
    approved_by: r.approver ?? '',
    quantity: r.qty,
    restocked: r.restocked,
    damaged: r.qty - r.restocked,
    net_cents: n(r.net),
    tax_cents: n(r.tax),
    refund_cents: n(r.net) + n(r.tax),
    refunded_to: refundedTo(r.tenders),
  }));
  const docTotal = totalRow(docColumns, docRows);

  const lineColumns = [text('number', 'Return'), text('original', 'Original sale'), text('description', 'Item'), text('sku', 'SKU'), int('quantity', 'Qty'), text('disposition', 'Goods'), money('net_cents', 'Refund before tax'), money('tax_cents', 'Tax refunded'), money('cost_back_cents', 'Cost back in stock')];
  const lineRows: Row[] = lines.slice(0, DETAIL_ROW_LIMIT).map((r) => ({
    number: r.number,
    original: r.original ?? 'No receipt',
    description: r.description,
    sku: r.sku,
    quantity: r.quantity,
    disposition: r.restock ? 'Restocked' : 'Damaged / to repair',
    net_cents: n(r.net),
    tax_cents: n(r.tax),
    cost_back_cents: r.cost === null ? null : n(r.cost),
  }));

  return {
    name: 'returns',
    title: 'Returns',
    period: { kind: 'range', from, to },
    summary: [
      { key: 'returns_count', label: 'Returns', kind: 'int', value: docRows.length },
      { key: 'refund_cents', label: 'Refunded', kind: 'money', value: docTotal.refund_cents },
      { key: 'tax_cents', label: 'Tax refunded', kind: 'money', value: docTotal.tax_cents },
      { key: 'restocked_count', label: 'Items restocked', kind: 'int', value: docTotal.restocked },
      { key: 'damaged_count', label: 'Items damaged / to repair', kind: 'int', value: docTotal.damaged },
      { key: 'approved_count', label: 'Approved by a manager', kind: 'int', value: docRows.filter((r) => r.approved_by).length },
    ],
    sections: [
      { key: 'returns', title: 'Return documents', columns: docColumns, rows: docRows, total: docRows.length ? docTotal : null, links: docSlice.map((r) => (r.account_id ? { account: `/customers/${r.account_id}` } : {})), empty: 'No returns in this period.', truncated: docs.length > DETAIL_ROW_LIMIT },
      { key: 'lines', title: 'Returned items', columns: lineColumns, rows: lineRows, total: lineRows.length ? totalRow(lineColumns, lineRows) : null, empty: 'No returns in this period.', truncated: lines.length > DETAIL_ROW_LIMIT },
    ],
    checks: [],
    notes: [],
  };
}

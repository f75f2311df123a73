import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { TENDER_METHODS } from '../../db/schema';
import { TENDER_LABELS } from '../sales/checkout';
import { int, money, n, text, totalRow, type ReportResult, type Row } from './model';

/**
 * Daily sales summary (accounting-reports.md): completed counter documents of the period by category, tender,
 * tax class and cashier. Sales revenue is item lines only — gift cards sold, payments on account, layaway
 * payments and special-order deposits are money taken for balances, shown apart as "other receipts". Returns
 * count negative (they are documents with negative amounts); voided sales are left out (only counted).
 * Discounts and returns are shown negative so every row reads gross + discounts + returns = net, as the journal
 * has them (Sales, Discounts and Returns accounts). Set-based: three grouped queries over the period's rows,
 * reached through sales_business_date_idx and then the sale_id keys of the line and tender tables.
 */

const LINE_KIND_LABELS: Record<string, string> = {
  gift_card: 'Gift cards sold or reloaded',
  account_payment: 'Payments on account',
  layaway_payment: 'Layaway payments',
  special_order_deposit: 'Special-order deposits',
};

type LineAgg = {
  g_cat: number;
  g_tax: number;
  g_emp: number;
  g_kind: number;
  kind: string | null;
  item_lines: number;
  other_lines: number;
  other_amount: string | null;
  cat_id: string | null;
  cat_name: string | null;
  tax_class_id: string | null;
  tax_name: string | null;
  cashier_user_id: string | null;
  cashier_label: string | null;
  qty: string;
  gross: string | null;
  discounts: string | null;
  returns: string | null;
  net: string | null;
  tax: string | null;
};

/**
 * The lines of one sale, fetched through the sale_id index. `offset 0` keeps PostgreSQL from flattening the
 * lateral subquery into a plain join, which on a big sale_lines table it would answer with a full scan and a hash
 * join: reading only the period's lines keeps the report as fast on year five as on day one.
 */
export const LINES_OF_SALE = sql`select l.kind, l.quantity, l.gross_cents, l.line_discount_cents, l.order_discount_cents, l.net_cents, l.tax_cents, l.product_id, l.tax_class_id from sale_lines l where l.sale_id = s.id offset 0`;

const measures = (r: LineAgg) => {
  const gross = n(r.gross);
  const discounts = -n(r.discounts);
  const returns = n(r.returns);
  return { gross_sales_cents: gross, discounts_cents: discounts, returns_cents: returns, net_sales_cents: n(r.net), tax_cents: n(r.tax) };
};
const ZERO = { gross_sales_cents: 0, discounts_cents: 0, returns_cents: 0, net_sales_cents: 0, tax_cents: 0 };

export async function dailySalesReport(db: DbOrTx, period: { from: string; to: string }): Promise<ReportResult> {
  const { from, to } = period;
  const inPeriod = sql`s.business_date between ${from}::date and ${to}::date`;
  const [lines, docs, tenders] = await Promise.all([
    // One pass over the period's lines: items by category, tax class, cashier and in total; other lines by kind.
    db.execute<LineAgg>(sql`
      select grouping(c.id) as g_cat, grouping(l.tax_class_id) as g_tax, grouping(s.cashier_user_id) as g_emp, grouping(l.kind) as g_kind,
             c.id as cat_id, max(case when pc.name is null then c.name else pc.name || ' › ' || c.name end) as cat_name,
             l.tax_class_id, max(tc.name) as tax_name, s.cashier_user_id, s.cashier_label, l.kind,
             (count(*) filter (where l.kind = 'item'))::int as item_lines,
             sum(case when s.kind = 'return' then -l.quantity else l.quantity end) filter (where l.kind = 'item') as qty,
             sum(l.gross_cents) filter (where l.kind = 'item' and s.kind = 'sale') as gross,
             sum(l.line_discount_cents + l.order_discount_cents) filter (where l.kind = 'item' and s.kind = 'sale') as discounts,
             sum(l.net_cents) filter (where l.kind = 'item' and s.kind = 'return') as returns,
             sum(l.net_cents) filter (where l.kind = 'item') as net, sum(l.tax_cents) filter (where l.kind = 'item') as tax,
             (count(*) filter (where l.kind <> 'item'))::int as other_lines, sum(l.net_cents) filter (where l.kind <> 'item') as other_amount
      from sales s
      cross join lateral (${LINES_OF_SALE}) l
      left join products p on p.id = l.product_id
      left join categories c on c.id = p.category_id
      left join categories pc on pc.id = c.parent_id
      left join tax_classes tc on tc.id = l.tax_class_id
      where ${inPeriod} and s.status = 'completed'
      group by grouping sets ((c.id), (l.tax_class_id), (s.cashier_user_id, s.cashier_label), (l.kind), ())`),
    db.execute<{ g: number; cashier_user_id: string | null; cashier_label: string | null; sales: number; returns: number; payments: number; voided: number; rounding: string | null }>(sql`
      select grouping(s.cashier_user_id) as g, s.cashier_user_id, s.cashier_label,
             (count(*) filter (where s.status = 'completed' and s.kind = 'sale'))::int as sales,
             (count(*) filter (where s.status = 'completed' and s.kind = 'return'))::int as returns,
             (count(*) filter (where s.status = 'completed' and s.kind = 'payment'))::int as payments,
             (count(*) filter (where s.status = 'voided'))::int as voided,
             sum(s.rounding_cents) filter (where s.status = 'completed') as rounding
      from sales s
      where ${inPeriod}
      group by grouping sets ((s.cashier_user_id, s.cashier_label), ())`),
    db.execute<{ method: string; taken_n: number; refunded_n: number; taken: string | null; refunded: string | null; net: string }>(sql`
      select t.method,
             (count(*) filter (where t.amount_cents > 0))::int as taken_n, (count(*) filter (where t.amount_cents < 0))::int as refunded_n,
             sum(t.amount_cents) filter (where t.amount_cents > 0) as taken, sum(t.amount_cents) filter (where t.amount_cents < 0) as refunded,
             sum(t.amount_cents) as net
      from sales s cross join lateral (select t.method, t.amount_cents from sale_tenders t where t.sale_id = s.id offset 0) t
      where ${inPeriod} and s.status = 'completed'
      group by t.method`),
  ]);

  const items = lines.filter((r) => r.g_kind === 1);
  const grand = items.find((r) => r.g_cat === 1 && r.g_tax === 1 && r.g_emp === 1);
  const totals = grand ? measures(grand) : ZERO;
  const docTotal = docs.find((r) => r.g === 1);

  // By category.
  const salesColumns = [money('gross_sales_cents', 'Gross sales'), money('discounts_cents', 'Discounts'), money('returns_cents', 'Returns'), money('net_sales_cents', 'Net sales'), money('tax_cents', 'Tax')];
  const catColumns = [text('category', 'Category'), int('units', 'Units'), ...salesColumns];
  const catRows: Row[] = items
    .filter((r) => r.g_cat === 0 && r.item_lines > 0)
    .map((r) => ({ category: r.cat_id ? r.cat_name : 'Uncategorized', units: n(r.qty), ...measures(r) }))
    .sort((a, b) => (a.category === 'Uncategorized' ? 1 : b.category === 'Uncategorized' ? -1 : String(a.category).localeCompare(String(b.category))));

  // By tax class.
  const taxColumns = [text('tax_class', 'Tax class'), money('net_sales_cents', 'Net sales'), money('tax_cents', 'Tax')];
  const taxRows: Row[] = items
    .filter((r) => r.g_tax === 0 && r.item_lines > 0)
    .map((r) => ({ tax_class: r.tax_class_id ? r.tax_name : 'No tax class', net_sales_cents: n(r.net), tax_cents: n(r.tax) }))
    .sort((a, b) => String(a.tax_class).localeCompare(String(b.tax_class)));

  // By cashier: document counts from every document, money from their item lines.
  const empKey = (id: string | null, label: string | null) => `${id ?? ''}|${label ?? ''}`;
  const empItems = new Map(items.filter((r) => r.g_emp === 0).map((r) => [empKey(r.cashier_user_id, r.cashier_label), r]));
  const empColumns = [text('cashier', 'Cashier'), int('sales_count', '# sales'), int('returns_count', '# returns'), int('payments_count', '# payments'), ...salesColumns];
  const empRows: Row[] = docs
    .filter((r) => r.g === 0 && r.sales + r.returns + r.payments > 0)
    .map((r) => {
      const it = empItems.get(empKey(r.cashier_user_id, r.cashier_label));
      return { cashier: r.cashier_label, sales_count: r.sales, returns_count: r.returns, payments_count: r.payments, ...(it ? measures(it) : ZERO) };
    })
    .sort((a, b) => String(a.cashier).localeCompare(String(b.cashier)));

  // Tenders, in the usual order of the sale screen.
  const tenderColumns = [text('method', 'Tender'), int('count', 'Payments'), money('taken_cents', 'Taken'), int('refund_count', 'Refunds'), money('refunded_cents', 'Refunded'), money('net_cents', 'Net')];
  const order = (m: string) => (TENDER_METHODS as readonly string[]).indexOf(m);
  const tenderRows: Row[] = [...tenders]
    .sort((a, b) => order(a.method) - order(b.method))
    .map((r) => ({ method: TENDER_LABELS[r.method as keyof typeof TENDER_LABELS] ?? r.method, count: r.taken_n, taken_cents: n(r.taken), refund_count: r.refunded_n, refunded_cents: n(r.refunded), net_cents: n(r.net) }));

  // Money taken that is not revenue.
  const otherColumns = [text('kind', 'Received for'), int('lines', 'Lines'), money('amount_cents', 'Amount')];
  const otherRows: Row[] = Object.keys(LINE_KIND_LABELS)
    .map((k) => lines.find((o) => o.g_kind === 0 && o.kind === k))
    .filter((o): o is LineAgg => !!o)
    .map((o) => ({ kind: LINE_KIND_LABELS[o.kind!], lines: o.other_lines, amount_cents: n(o.other_amount) }));

  const otherTotal = otherRows.reduce((s, r) => s + (r.amount_cents as number), 0);
  const tenderTotal = tenderRows.reduce((s, r) => s + (r.net_cents as number), 0);
  const salesCount = docTotal?.sales ?? 0;
  const returnsCount = docTotal?.returns ?? 0;
  const voided = docTotal?.voided ?? 0;

  return {
    name: 'daily-sales',
    title: 'Daily sales summary',
    period: { kind: 'range', from, to },
    summary: [
      { key: 'sales_count', label: 'Number of sales', kind: 'int', value: salesCount },
      { key: 'returns_count', label: 'Number of returns', kind: 'int', value: returnsCount },
      { key: 'payments_count', label: 'Payments on account', kind: 'int', value: docTotal?.payments ?? 0 },
      { key: 'voided_count', label: 'Voided sales (left out)', kind: 'int', value: voided },
      { key: 'gross_sales_cents', label: 'Gross sales', kind: 'money', value: totals.gross_sales_cents },
      { key: 'discounts_cents', label: 'Discounts', kind: 'money', value: totals.discounts_cents },
      { key: 'returns_cents', label: 'Returns', kind: 'money', value: totals.returns_cents },
      { key: 'net_sales_cents', label: 'Net sales', kind: 'money', value: totals.net_sales_cents },
      { key: 'tax_cents', label: 'Sales tax', kind: 'money', value: totals.tax_cents },
      { key: 'total_cents', label: 'Sales with tax', kind: 'money', value: totals.net_sales_cents + totals.tax_cents },
      { key: 'other_receipts_cents', label: 'Other receipts', kind: 'money', value: otherTotal, note: 'Gift cards, payments on account, deposits' },
      { key: 'tenders_cents', label: 'All tenders', kind: 'money', value: tenderTotal },
      { key: 'rounding_cents', label: 'Cash rounding', kind: 'money', value: n(docTotal?.rounding) },
    ],
    sections: [
      { key: 'by_category', title: 'By category', columns: catColumns, rows: catRows, total: catRows.length ? totalRow(catColumns, catRows) : null, empty: 'No items sold or returned in this period.' },
      { key: 'by_tender', title: 'By tender', description: 'Everything paid or refunded on sales, returns and payments. Charges to account, store credit, gift cards and deposits applied move balances, not money.', columns: tenderColumns, rows: tenderRows, total: tenderRows.length ? totalRow(tenderColumns, tenderRows) : null, empty: 'No tenders in this period.' },
      { key: 'by_tax_class', title: 'By tax class', columns: taxColumns, rows: taxRows, total: taxRows.length ? totalRow(taxColumns, taxRows) : null, empty: 'No items sold or returned in this period.' },
      { key: 'by_employee', title: 'By cashier', columns: empColumns, rows: empRows, total: empRows.length ? totalRow(empColumns, empRows) : null, empty: 'No sales, returns or payments in this period.' },
      { key: 'other_receipts', title: 'Other receipts (not sales revenue)', description: 'Money taken for balances the store owes or is owed: they are not sales and carry no sales tax.', columns: otherColumns, rows: otherRows, total: otherRows.length ? totalRow(otherColumns, otherRows) : null, empty: 'No gift cards, payments on account or deposits in this period.' },
    ],
    checks: [],
    notes: voided ? [`${voided} voided sale${voided === 1 ? ' is' : 's are'} left out of every figure.`] : [],
  };
}

import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { date, DETAIL_ROW_LIMIT, money, n, text, totalRow, type Column, type ReportResult, type Row } from './model';

/**
 * Sales tax liability by jurisdiction component (accounting-reports.md): the tax recorded per class component on
 * each completed sale and return (sale_taxes), returns netted against sales. Each component row's taxable amount
 * is its class's net on the document, so components of one class share it; the by-class table counts each
 * document's class net once. Documents exempted by a certificate (or returns of such sales) are not taxable
 * sales: they are listed apart with their certificate numbers.
 */

const DOCS = (from: string, to: string) => sql`
  select s.id, s.kind, s.number, s.business_date, s.created_at, s.account_id, s.net_cents,
         coalesce(s.tax_exempt_certificate, o.tax_exempt_certificate) as cert
  from sales s left join sales o on o.id = s.original_sale_id
  where s.business_date between ${from}::date and ${to}::date and s.status = 'completed' and s.kind in ('sale', 'return')`;

export async function salesTaxReport(db: DbOrTx, period: { from: string; to: string }): Promise<ReportResult> {
  const { from, to } = period;
  const [components, classes, exempt] = await Promise.all([
    db.execute<{ class_name: string; component_name: string; rate: number; sales_net: string | null; returns_net: string | null; collected: string | null; refunded: string | null }>(sql`
      with docs as (${DOCS(from, to)})
      select t.class_name, t.component_name, t.rate_millipercent as rate,
             sum(t.net_cents) filter (where d.kind = 'sale') as sales_net, sum(t.net_cents) filter (where d.kind = 'return') as returns_net,
             sum(t.tax_cents) filter (where d.kind = 'sale') as collected, sum(t.tax_cents) filter (where d.kind = 'return') as refunded
      from docs d cross join lateral (select t.* from sale_taxes t where t.sale_id = d.id offset 0) t
      where d.cert is null
      group by t.class_name, t.component_code, t.component_name, t.rate_millipercent
      order by t.class_name, t.rate_millipercent desc, t.component_name`),
    db.execute<{ class_name: string; sales_net: string | null; returns_net: string | null; tax: string | null }>(sql`
      with docs as (${DOCS(from, to)}),
      per_doc as (
        select d.kind, t.class_name, max(t.net_cents) as net, sum(t.tax_cents) as tax
        from docs d cross join lateral (select t.* from sale_taxes t where t.sale_id = d.id offset 0) t
        where d.cert is null
        group by d.id, d.kind, t.tax_class_id, t.class_name)
      select class_name, sum(net) filter (where kind = 'sale') as sales_net, sum(net) filter (where kind = 'return') as returns_net, sum(tax) as tax
      from per_doc group by class_name order by class_name`),
    db.execute<{ id: string; number: string; kind: string; business_date: string; account_name: string | null; account_id: string | null; cert: string; net: string }>(sql`
      with docs as (${DOCS(from, to)})
      select d.id, d.number, d.kind, d.business_date::text as business_date, a.name as account_name, d.account_id, d.cert, d.net_cents as net
      from docs d left join accounts a on a.id = d.account_id
      where d.cert is not null
      order by d.business_date, d.created_at, d.number
      limit ${DETAIL_ROW_LIMIT + 1}`),
  ]);

  const compColumns: Column[] = [text('tax_class', 'Tax class'), text('component', 'Jurisdiction'), { key: 'rate_millipercent', label: 'Rate', kind: 'rate' }, money('taxable_sales_cents', 'Taxable sales'), money('taxable_returns_cents', 'Taxable returns'), money('taxable_net_cents', 'Net taxable'), money('tax_collected_cents', 'Tax collected'), money('tax_refunded_cents', 'Tax refunded'), money('tax_cents', 'Net tax')];
  const compRows: Row[] = components.map((r) => ({
    tax_class: r.class_name,
    component: r.component_name,
    rate_millipercent: r.rate,
    taxable_sales_cents: n(r.sales_net),
    taxable_returns_cents: n(r.returns_net),
    taxable_net_cents: n(r.sales_net) + n(r.returns_net),
    tax_collected_cents: n(r.collected),
    tax_refunded_cents: n(r.refunded),
    tax_cents: n(r.collected) + n(r.refunded),
  }));
  const compTotal = totalRow(compColumns, compRows);
  // Components of one class share the taxable amount: adding it up across components would count it again.
  for (const k of ['taxable_sales_cents', 'taxable_returns_cents', 'taxable_net_cents']) compTotal[k] = null;

  const classColumns = [text('tax_class', 'Tax class'), money('taxable_sales_cents', 'Taxable sales'), money('taxable_returns_cents', 'Taxable returns'), money('taxable_net_cents', 'Net taxable'), money('tax_cents', 'Net tax')];
  const classRows: Row[] = classes.map((r) => ({ tax_class: r.class_name, taxable_sales_cents: n(r.sales_net), taxable_returns_cents: n(r.returns_net), taxable_net_cents: n(r.sales_net) + n(r.returns_net), tax_cents: n(r.tax) }));

  const truncated = exempt.length > DETAIL_ROW_LIMIT;
  const exemptRows = exempt.slice(0, DETAIL_ROW_LIMIT);
  const exColumns = [date('date', 'Date'), text('number', 'Document'), text('kind', 'Kind'), text('account', 'Customer'), text('certificate', 'Certificate'), money('net_cents', 'Net')];
  const exRows: Row[] = exemptRows.map((r) => ({ date: r.business_date, number: r.number, kind: r.kind === 'return' ? 'Return' : 'Sale', account: r.account_name ?? '', certificate: r.cert, net_cents: n(r.net) }));
  const exTotal = totalRow(exColumns, exRows);
  exTotal.date = null;
  exTotal.number = 'Total';
  exTotal.kind = null;

  const classTotal = totalRow(classColumns, classRows);
  return {
    name: 'sales-tax',
    title: 'Sales tax liability',
    period: { kind: 'range', from, to },
    summary: [
      { key: 'taxable_net_cents', label: 'Net taxable sales', kind: 'money', value: classTotal.taxable_net_cents },
      { key: 'tax_collected_cents', label: 'Tax collected', kind: 'money', value: compTotal.tax_collected_cents },
      { key: 'tax_refunded_cents', label: 'Tax refunded on returns', kind: 'money', value: compTotal.tax_refunded_cents },
      { key: 'tax_cents', label: 'Net tax due', kind: 'money', value: compTotal.tax_cents },
      { key: 'exempt_net_cents', label: 'Exempt sales', kind: 'money', value: exTotal.net_cents, note: `${exRows.length} document${exRows.length === 1 ? '' : 's'} with a certificate` },
    ],
    sections: [
      { key: 'by_component', title: 'By jurisdiction component', description: 'What to file with each taxing authority. Taxable amounts are each class’s net, shared by its components.', columns: compColumns, rows: compRows, total: compRows.length ? compTotal : null, empty: 'No taxed sales or returns in this period.' },
      { key: 'by_class', title: 'By tax class', columns: classColumns, rows: classRows, total: classRows.length ? classTotal : null, empty: 'No taxed sales or returns in this period.' },
      { key: 'exempt', title: 'Exempt sales', description: 'Sales to customers with an approved exemption certificate, and returns of them.', columns: exColumns, rows: exRows, total: exRows.length ? exTotal : null, links: exemptRows.map((r) => (r.account_id ? { account: `/customers/${r.account_id}` } : {})), empty: 'No tax-exempt sales in this period.', truncated },
    ],
    checks: [],
    notes: [],
  };
}

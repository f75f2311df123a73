import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { DETAIL_ROW_LIMIT, int, money, n, STORE_TZ, text, totalRow, type Column, type ReportResult, type Row } from './model';

/**
 * Drawer over/short history (accounting-reports.md "X/Z and drawer history"): the drawer sessions closed in the
 * period (by the store-time date of the close), per person who counted and closed them — how many, total over,
 * total short, net — and the sessions themselves. A session a manager reopened counts only once it is closed
 * again. Over/short is cash and checks together, as the Z report and the Cash over/short account have it.
 */

export async function drawerVarianceReport(db: DbOrTx, period: { from: string; to: string }): Promise<ReportResult> {
  const { from, to } = period;
  const closedInPeriod = sql`d.status = 'closed' and (d.closed_at at time zone ${STORE_TZ})::date between ${from}::date and ${to}::date`;
  const [people, sessions] = await Promise.all([
    db.execute<{ person: string; sessions: number; over_n: number; short_n: number; over: string | null; short: string | null; net: string }>(sql`
      select d.closed_by_label as person, count(*)::int as sessions,
             (count(*) filter (where d.over_short_cents > 0))::int as over_n, (count(*) filter (where d.over_short_cents < 0))::int as short_n,
             sum(d.over_short_cents) filter (where d.over_short_cents > 0) as over, sum(d.over_short_cents) filter (where d.over_short_cents < 0) as short,
             sum(d.over_short_cents) as net
      from drawer_sessions d
      where ${closedInPeriod}
      group by d.closed_by_user_id, d.closed_by_label
      order by d.closed_by_label`),
    db.execute<{ id: string; number: string; register: string; opened_by: string; closed_at: string; closed_by: string; expected_cash: string; counted_cash: string; expected_checks: string | null; counted_checks: string; over_short: string }>(sql`
      select d.id, d.number, r.name as register, d.opened_by_label as opened_by, to_char(d.closed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as closed_at, d.closed_by_label as closed_by,
             d.expected_cash_cents as expected_cash, d.counted_cash_cents as counted_cash, d.expected_checks_cents as expected_checks, d.counted_checks_cents as counted_checks, d.over_short_cents as over_short
      from drawer_sessions d join registers r on r.id = d.register_id
      where ${closedInPeriod}
      order by d.closed_at, d.number
      limit ${DETAIL_ROW_LIMIT + 1}`),
  ]);

  const personColumns = [text('cashier', 'Closed by'), int('sessions', 'Sessions'), int('over_count', 'Over'), int('short_count', 'Short'), money('over_cents', 'Total over'), money('short_cents', 'Total short'), money('net_cents', 'Net over/short')];
  const personRows: Row[] = people.map((r) => ({ cashier: r.person, sessions: r.sessions, over_count: r.over_n, short_count: r.short_n, over_cents: n(r.over), short_cents: n(r.short), net_cents: n(r.net) }));
  const personTotal = totalRow(personColumns, personRows);

  const slice = sessions.slice(0, DETAIL_ROW_LIMIT);
  const sessionColumns: Column[] = [text('number', 'Session'), text('register', 'Register'), text('opened_by', 'Opened by'), { key: 'closed_at', label: 'Closed', kind: 'datetime' }, text('closed_by', 'Closed by'), money('expected_cash_cents', 'Expected cash'), money('counted_cash_cents', 'Counted cash'), money('expected_checks_cents', 'Expected checks'), money('counted_checks_cents', 'Counted checks'), money('over_short_cents', 'Over/short')];
  const sessionRows: Row[] = slice.map((r) => ({
    number: r.number,
    register: r.register,
    opened_by: r.opened_by,
    closed_at: r.closed_at,
    closed_by: r.closed_by,
    expected_cash_cents: n(r.expected_cash),
    counted_cash_cents: n(r.counted_cash),
    expected_checks_cents: n(r.expected_checks),
    counted_checks_cents: n(r.counted_checks),
    over_short_cents: n(r.over_short),
  }));

  return {
    name: 'drawer-variance',
    title: 'Drawer over/short',
    period: { kind: 'range', from, to },
    summary: [
      { key: 'sessions_count', label: 'Sessions closed', kind: 'int', value: personTotal.sessions },
      { key: 'over_cents', label: 'Total over', kind: 'money', value: personTotal.over_cents },
      { key: 'short_cents', label: 'Total short', kind: 'money', value: personTotal.short_cents },
      { key: 'net_cents', label: 'Net over/short', kind: 'money', value: personTotal.net_cents },
    ],
    sections: [
      { key: 'by_cashier', title: 'By person who closed', columns: personColumns, rows: personRows, total: personRows.length ? personTotal : null, empty: 'No drawer sessions were closed in this period.' },
      { key: 'sessions', title: 'Sessions', columns: sessionColumns, rows: sessionRows, total: null, links: slice.map((r) => ({ number: `/registers/sessions/${r.id}` })), linkPermission: 'drawer.open', empty: 'No drawer sessions were closed in this period.', truncated: sessions.length > DETAIL_ROW_LIMIT },
    ],
    checks: [],
    notes: [],
  };
}

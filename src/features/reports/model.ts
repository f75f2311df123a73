import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';

/**
 * The shape every report produces, whatever it is about: a few headline figures (summary), one or more tables
 * (sections, each with an optional total row) and reconciliation checks (report figure = journal balance). One
 * renderer (render.ts, views/reports/report.eta) turns it into the page, the CSV and the API's JSON, so the three
 * always agree. Money is integer cents in the model and in JSON (`*_cents` keys); CSV writes dollars.
 */

export type CellKind = 'text' | 'money' | 'int' | 'date' | 'datetime' | 'rate';
export type CellValue = string | number | boolean | null;
export type Row = Record<string, CellValue>;

export interface Column {
  /** JSON key (money columns end in _cents). */
  key: string;
  label: string;
  kind: CellKind;
}

export interface Section {
  /** JSON key of the section (by_category, sessions, …). */
  key: string;
  title: string;
  description?: string;
  columns: Column[];
  rows: Row[];
  /** Totals of the money/count columns; its first text column reads "Total". */
  total?: Row | null;
  /** Page links per row (same order as rows); not part of JSON or CSV. */
  links?: Partial<Record<string, string>>[];
  /** Permission the links lead to (default customers.view); without it the cells are plain text. */
  linkPermission?: string;
  /** Shown when there are no rows. */
  empty: string;
  /** Set when the rows were cut at DETAIL_ROW_LIMIT. */
  truncated?: boolean;
}

export interface SummaryItem {
  key: string;
  label: string;
  kind: CellKind;
  value: CellValue;
  note?: string;
}

/** A reconciliation: the report's figure against the journal's balance of the same thing. */
export interface Check {
  key: string;
  label: string;
  reportLabel: string;
  reportCents: number;
  journalLabel: string;
  journalCents: number;
}

export type ReportPeriod = { kind: 'range'; from: string; to: string } | { kind: 'as_of'; asOf: string };

export interface ReportResult {
  name: string;
  title: string;
  period: ReportPeriod;
  summary: SummaryItem[];
  sections: Section[];
  checks: Check[];
  notes: string[];
}

/** Detail tables (discounts, returned lines, sessions) stop here; narrow the dates to see the rest. */
export const DETAIL_ROW_LIMIT = 5000;

export const money = (key: string, label: string): Column => ({ key, label, kind: 'money' });
export const int = (key: string, label: string): Column => ({ key, label, kind: 'int' });
export const text = (key: string, label: string): Column => ({ key, label, kind: 'text' });
export const date = (key: string, label: string): Column => ({ key, label, kind: 'date' });

/** Sums the money and count columns of rows into a total row labelled in the first text column. */
export function totalRow(columns: Column[], rows: Row[], label = 'Total'): Row {
  const out: Row = {};
  let labelled = false;
  for (const c of columns) {
    if (c.kind === 'money' || c.kind === 'int') out[c.key] = rows.reduce((s, r) => s + (typeof r[c.key] === 'number' ? (r[c.key] as number) : 0), 0);
    else if (c.kind === 'text' && !labelled) {
      out[c.key] = label;
      labelled = true;
    } else out[c.key] = null;
  }
  return out;
}

/** bigint sums arrive from PostgreSQL as strings; cents fit a JS number (safe integers). */
export const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** The store's time zone as SQL, for turning timestamps into business dates inside a query. */
export const STORE_TZ = sql`coalesce((select time_zone from store_settings where id = 1), 'UTC')`;

/** Balance of a system ledger account on its normal side from entries dated on or before `asOf`. */
export async function journalBalance(db: DbOrTx, systemKey: string, asOf: string): Promise<number> {
  const [r] = await db.execute<{ b: string | null; side: string | null }>(sql`
    select sum(l.debit_cents - l.credit_cents) as b, max(a.normal_side) as side
    from ledger_accounts a
    join journal_lines l on l.account_id = a.id
    join journal_entries e on e.id = l.entry_id
    where a.system_key = ${systemKey} and e.entry_date <= ${asOf}::date`);
  const net = n(r?.b);
  return r?.side === 'credit' ? -net || 0 : net;
}

export const checkPasses = (c: Check) => c.reportCents === c.journalCents;

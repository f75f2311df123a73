import { stringify } from 'csv-stringify/sync';
import { centsToDecimalString, formatCents } from '../../domain/money';
import { formatMillipercent } from '../../domain/rounding';
import { neutralizeFormula } from '../csv/write';
import { checkPasses, type CellKind, type CellValue, type Column, type ReportResult, type Section } from './model';

/**
 * One report, three outputs: JSON for the API (cents, snake_case keys), CSV for spreadsheets (dollars, formula-
 * safe text) and the cells the page shows (formatted money, dates). docs/reports.md describes the formats.
 */

/** A period's text for file names: one day, or first_to_last. */
export const periodSlug = (r: ReportResult) => (r.period.kind === 'as_of' ? r.period.asOf : r.period.from === r.period.to ? r.period.from : `${r.period.from}_to_${r.period.to}`);

const periodJson = (r: ReportResult) => (r.period.kind === 'range' ? { from: r.period.from, to: r.period.to } : { as_of: r.period.asOf });

export function reportJson(r: ReportResult) {
  return {
    report: r.name,
    title: r.title,
    ...periodJson(r),
    summary: Object.fromEntries(r.summary.map((s) => [s.key, s.value])),
    sections: Object.fromEntries(r.sections.map((s) => [s.key, { rows: s.rows, total: s.total ?? null, ...(s.truncated ? { truncated: true } : {}) }])),
    checks: r.checks.map((c) => ({ key: c.key, label: c.label, report_cents: c.reportCents, journal_cents: c.journalCents, ok: checkPasses(c) })),
  };
}

/** A CSV cell: money in dollars ("12.34"), rates as "8.875%", text neutralized against formula injection. */
function csvCell(kind: CellKind, v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (kind === 'money' && typeof v === 'number') return centsToDecimalString(v);
  if (kind === 'rate' && typeof v === 'number') return formatMillipercent(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return neutralizeFormula(v);
}

const sectionRecords = (s: Section): string[][] => [s.columns.map((c) => c.label), ...s.rows.map((row) => s.columns.map((c) => csvCell(c.kind, row[c.key]))), ...(s.total ? [s.columns.map((c) => csvCell(c.kind, s.total![c.key]))] : [])];

/**
 * A report with one table is a plain CSV (header row, data rows, total row). A report with several tables writes
 * them one after another, each introduced by a row holding only its title and followed by a blank row, so it
 * opens readably in a spreadsheet; the headline figures come first as a "Summary" block of label/value rows.
 */
export function reportCsv(r: ReportResult): string {
  const records: string[][] = [];
  if (r.sections.length === 1) {
    records.push(...sectionRecords(r.sections[0]));
  } else {
    const period = r.period.kind === 'range' ? `${r.period.from} to ${r.period.to}` : `as of ${r.period.asOf}`;
    records.push([neutralizeFormula(r.title), period], []);
    if (r.summary.length) {
      records.push(['Summary'], ...r.summary.map((s) => [neutralizeFormula(s.label), csvCell(s.kind, s.value)]), []);
    }
    for (const s of r.sections) records.push([neutralizeFormula(s.title)], ...sectionRecords(s), []);
    for (const c of r.checks) records.push([neutralizeFormula(c.label), centsToDecimalString(c.reportCents), centsToDecimalString(c.journalCents), checkPasses(c) ? 'matches' : 'DIFFERS']);
  }
  return stringify(records, { record_delimiter: '\r\n' });
}

/** The text a page shows in a cell. */
export function displayCell(kind: CellKind, v: CellValue, timeZone: string): string {
  if (v === null || v === undefined || v === '') return kind === 'text' ? '' : '—';
  if (kind === 'money' && typeof v === 'number') return formatCents(v);
  if (kind === 'rate' && typeof v === 'number') return formatMillipercent(v);
  if (kind === 'int' && typeof v === 'number') return v.toLocaleString('en-US');
  if (kind === 'date' && typeof v === 'string') return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(`${v}T12:00:00Z`));
  if (kind === 'datetime' && typeof v === 'string') return new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(new Date(v));
  return String(v);
}

/** Right-aligned (numeric) columns on the page. */
export const isNumeric = (c: Column) => c.kind === 'money' || c.kind === 'int' || c.kind === 'rate';

export interface CellView {
  text: string;
  numeric: boolean;
  negative: boolean;
  href: string | null;
}

/** The page's view of a report: every cell already formatted, links only where the user may follow them. */
export function reportView(r: ReportResult, timeZone: string, can: (permission: string) => boolean) {
  const cell = (c: Column, v: CellValue, href: string | null = null): CellView => ({ text: displayCell(c.kind, v, timeZone), numeric: isNumeric(c), negative: typeof v === 'number' && v < 0 && c.kind === 'money', href });
  return {
    summary: r.summary.map((s) => ({ key: s.key, label: s.label, text: displayCell(s.kind, s.value, timeZone), note: s.note ?? '', negative: typeof s.value === 'number' && s.value < 0 && s.kind === 'money' })),
    sections: r.sections.map((s) => {
      const mayLink = can(s.linkPermission ?? 'customers.view');
      return {
        key: s.key,
        title: s.title,
        description: s.description ?? '',
        empty: s.empty,
        truncated: !!s.truncated,
        headers: s.columns.map((c) => ({ label: c.label, numeric: isNumeric(c) })),
        rows: s.rows.map((row, i) => s.columns.map((c) => cell(c, row[c.key], mayLink ? (s.links?.[i]?.[c.key] ?? null) : null))),
        total: s.total ? s.columns.map((c) => cell(c, s.total![c.key])) : null,
      };
    }),
    checks: r.checks.map((c) => ({ label: c.label, reportLabel: c.reportLabel, reportText: displayCell('money', c.reportCents, timeZone), journalLabel: c.journalLabel, journalText: displayCell('money', c.journalCents, timeZone), ok: checkPasses(c) })),
    notes: r.notes,
  };
}
export type ReportView = ReturnType<typeof reportView>;

import { stringify } from 'csv-stringify/sync';

/** Exports stop here; a store needing more filters the list first. */
export const CSV_EXPORT_LIMIT = 50_000;

export interface CsvColumn<Row> {
  header: string;
  value(row: Row): string | number | boolean | null | undefined | Date;
}

/**
 * A spreadsheet opening our export must not run formulas someone typed into a customer's name
 * (CSV injection): text cells starting with = + @ or a tab/CR get a leading apostrophe. Negative
 * numbers stay numbers.
 */
export function neutralizeFormula(value: string): string {
  if (/^[=+@\t\r]/.test(value) || (/^-/.test(value) && !/^-\d+(\.\d+)?$/.test(value))) return `'${value}`;
  return value;
}

function cell(v: string | number | boolean | null | undefined | Date): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return neutralizeFormula(v);
}

export function toCsv<Row>(columns: CsvColumn<Row>[], rows: Row[]): string {
  return stringify([columns.map((c) => c.header), ...rows.map((r) => columns.map((c) => cell(c.value(r))))], { record_delimiter: '\r\n' });
}

/** Headers for a CSV download; the filename carries the date so repeated exports don't overwrite. */
export function csvDownloadHeaders(baseName: string, date: string): Record<string, string> {
  return {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${baseName.replace(/[^A-Za-z0-9_-]/g, '_')}-${date}.csv"`,
    'cache-control': 'no-store',
  };
}

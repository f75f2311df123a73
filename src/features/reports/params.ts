import { addDays, compareDates, daysBetween, isValidBusinessDate } from '../../domain/business-date';
import type { ReportPeriod } from './model';

/**
 * Query parameters of every report (page, CSV and API): `from`/`to` (YYYY-MM-DD, inclusive) for reports over a
 * period, `as_of` for balances on a day (`to` is accepted as its alias). Blank means today in the store's time
 * zone; only `from` → from that day to today; only `to` → that one day. Errors are per field, so the page shows
 * them next to the filters and the API answers 400 with `fields`.
 */

/** A longer period is refused: a year (plus a leap day) keeps every report quick. */
export const MAX_RANGE_DAYS = 366;

export type PeriodKind = ReportPeriod['kind'];

export interface ParsedParams {
  period: ReportPeriod | null;
  errors: Record<string, string>;
  /** What the filter form shows back (the raw text when it was wrong). */
  values: Record<string, string>;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : v === undefined ? '' : String(v));

function readDate(raw: Record<string, unknown>, key: string, label: string, errors: Record<string, string>): string | null {
  const v = str(raw[key]);
  if (v === '') return null;
  if (Array.isArray(raw[key]) || !isValidBusinessDate(v)) {
    errors[key] = `${label} must be a date as YYYY-MM-DD.`;
    return null;
  }
  return v;
}

export function readReportParams(raw: Record<string, unknown>, kind: PeriodKind, today: string): ParsedParams {
  const errors: Record<string, string> = {};
  if (kind === 'as_of') {
    const key = str(raw.as_of) !== '' ? 'as_of' : 'to';
    const asOf = readDate(raw, key, key === 'as_of' ? 'As of' : 'To', errors);
    const values = { as_of: str(raw[key]) || today };
    return { period: Object.keys(errors).length ? null : { kind, asOf: asOf ?? today }, errors, values };
  }
  let from = readDate(raw, 'from', 'From', errors);
  let to = readDate(raw, 'to', 'To', errors);
  const values = { from: str(raw.from), to: str(raw.to) };
  if (Object.keys(errors).length === 0) {
    if (!from && !to) from = to = today;
    else if (!to) to = compareDates(from!, today) > 0 ? from : today;
    else if (!from) from = to;
    if (compareDates(from!, to!) > 0) errors.to = 'To must be on or after From.';
    else if (daysBetween(from!, to!) >= MAX_RANGE_DAYS) errors.to = `The period can be at most ${MAX_RANGE_DAYS} days (To at most ${addDays(from!, MAX_RANGE_DAYS - 1)}).`;
  }
  if (Object.keys(errors).length) return { period: null, errors, values };
  return { period: { kind, from: from!, to: to! }, errors, values: { from: from!, to: to! } };
}

/** `format` of the API: json (default) or csv. */
export function readFormat(raw: Record<string, unknown>): { format: 'json' | 'csv' | null; error: string | null } {
  const v = str(raw.format);
  if (v === '' || v === 'json') return { format: 'json', error: null };
  if (v === 'csv') return { format: 'csv', error: null };
  return { format: null, error: 'format must be json or csv.' };
}

/** One-click periods for the filter bar. */
export function rangePresets(today: string): { label: string; from: string; to: string }[] {
  const [y, m] = today.split('-').map(Number);
  const monthStart = `${today.slice(0, 7)}-01`;
  const lastMonthEnd = addDays(monthStart, -1);
  const pad = (x: number) => String(x).padStart(2, '0');
  const lastMonthStart = m === 1 ? `${y - 1}-12-01` : `${y}-${pad(m - 1)}-01`;
  return [
    { label: 'Today', from: today, to: today },
    { label: 'Yesterday', from: addDays(today, -1), to: addDays(today, -1) },
    { label: 'Last 7 days', from: addDays(today, -6), to: today },
    { label: 'This month', from: monthStart, to: today },
    { label: 'Last month', from: lastMonthStart, to: lastMonthEnd },
  ];
}

import { parseMoneyToCents } from '../../domain/money';

/** Spreadsheet cells are text; these turn them into typed values or say what is wrong. */
export type Cell<T> = { ok: true; value: T } | { ok: false; reason: string };

export function boolCell(raw: string | undefined): Cell<boolean | undefined> {
  const v = (raw ?? '').trim().toLowerCase();
  if (v === '') return { ok: true, value: undefined };
  if (['y', 'yes', 'true', '1', 'x'].includes(v)) return { ok: true, value: true };
  if (['n', 'no', 'false', '0'].includes(v)) return { ok: true, value: false };
  return { ok: false, reason: `"${raw}" is not yes/no.` };
}

export function moneyCell(raw: string | undefined): Cell<number | undefined> {
  const v = (raw ?? '').trim();
  if (v === '') return { ok: true, value: undefined };
  const cents = parseMoneyToCents(v);
  return cents === null ? { ok: false, reason: `"${raw}" is not an amount like 12.50.` } : { ok: true, value: cents };
}

export function intCell(raw: string | undefined): Cell<number | undefined> {
  const v = (raw ?? '').trim();
  if (v === '') return { ok: true, value: undefined };
  return /^-?\d{1,9}$/.test(v) ? { ok: true, value: Number(v) } : { ok: false, reason: `"${raw}" is not a whole number.` };
}

/** Dates: YYYY-MM-DD, or US M/D/YYYY as older systems export them. */
export function dateCell(raw: string | undefined): Cell<string | undefined> {
  const v = (raw ?? '').trim();
  if (v === '') return { ok: true, value: undefined };
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return { ok: true, value: v };
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  if (us) return { ok: true, value: `${us[3]}-${us[1].padStart(2, '0')}-${us[2].padStart(2, '0')}` };
  return { ok: false, reason: `"${raw}" is not a date (YYYY-MM-DD or M/D/YYYY).` };
}

export const textCell = (raw: string | undefined) => (raw ?? '').trim();
export const optionalTextCell = (raw: string | undefined) => ((raw ?? '').trim() === '' ? undefined : (raw ?? '').trim());

/** Collects cell conversions and Zod field errors into the importer's per-column error list. */
export class RowErrors {
  list: { column: string; reason: string }[] = [];
  take<T>(column: string, cell: Cell<T>): T | undefined {
    if (cell.ok) return cell.value;
    this.list.push({ column, reason: cell.reason });
    return undefined;
  }
  add(column: string, reason: string) {
    this.list.push({ column, reason });
  }
  get empty() {
    return this.list.length === 0;
  }
}

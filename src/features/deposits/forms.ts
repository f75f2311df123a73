import { formString, type FormBody } from '../../server/forms';
import { readAmount, readDenominationGrid } from '../registers/forms';
import { MAX_DEPOSIT_CHECKS } from './schemas';

/**
 * The deposit form: the denomination grid (count_<cents>, as on the drawer forms) or a plain cash total, and
 * check rows check_number_<i> / check_amount_<i> / check_from_<i>. A row left wholly blank is skipped.
 */

export const DEFAULT_CHECK_ROWS = 6;
export const MAX_FORM_CHECK_ROWS = 50;

type Errors = Record<string, string>;

/** How many check rows to show: ?rows= / the posted check_rows, within 1..50. */
export function checkRowCount(raw: unknown, atLeast = 0): number {
  const n = typeof raw === 'string' && /^\d{1,3}$/.test(raw) ? Number(raw) : DEFAULT_CHECK_ROWS;
  return Math.min(MAX_FORM_CHECK_ROWS, Math.max(1, n, atLeast));
}

export interface DepositForm {
  values: Record<string, string>;
  errors: Errors;
  rows: number;
  /** The API-shaped input (only when there are no errors). */
  input: Record<string, unknown>;
  /** checks[k] came from form row checkRows[k] (blank rows are skipped). */
  checkRows: number[];
}

export function readDepositForm(body: FormBody): DepositForm {
  const grid = readDenominationGrid(body);
  const values: Record<string, string> = { ...grid.values, cash_total: formString(body, 'cash_total'), deposited_on: formString(body, 'deposited_on').trim(), note: formString(body, 'note'), check_rows: formString(body, 'check_rows') };
  const errors: Errors = { ...grid.errors };
  const input: Record<string, unknown> = {};

  const total = readAmount(body, 'cash_total', 'The cash total');
  if (total.error) errors.cash_total = total.error;
  const counted = Object.keys(grid.denominations).length > 0;
  if (counted) {
    input.cash_denominations = grid.denominations;
    const sum = Object.entries(grid.denominations).reduce((s, [cents, n]) => s + Number(cents) * n, 0);
    if (total.value !== undefined && total.value !== sum) errors.cash_total = 'The cash total does not match the count above; clear one of them.';
  } else if (total.value !== undefined) {
    input.cash_cents = total.value;
  }

  const rows = checkRowCount(values.check_rows);
  const checks: { number: string; amount_cents: number; from?: string }[] = [];
  const checkRows: number[] = [];
  for (let i = 0; i < Math.min(rows, MAX_DEPOSIT_CHECKS); i++) {
    const number = formString(body, `check_number_${i}`).trim();
    const from = formString(body, `check_from_${i}`).trim();
    const amountRaw = formString(body, `check_amount_${i}`).trim();
    values[`check_number_${i}`] = number;
    values[`check_from_${i}`] = from;
    values[`check_amount_${i}`] = amountRaw;
    if (!number && !from && !amountRaw) continue;
    const amount = readAmount(body, `check_amount_${i}`, 'The check amount');
    if (amount.error) errors[`check_amount_${i}`] = amount.error;
    else if (amount.value === undefined) errors[`check_amount_${i}`] = 'Enter the check amount.';
    if (!number) errors[`check_number_${i}`] = 'Enter the check number.';
    if (amount.value !== undefined) {
      checks.push({ number, amount_cents: amount.value, ...(from ? { from } : {}) });
      checkRows.push(i);
    }
  }
  if (checks.length) input.checks = checks;
  if (values.deposited_on) input.deposited_on = values.deposited_on;
  if (values.note.trim()) input.note = values.note;
  return { values, errors, rows, input, checkRows };
}

/** Schema/service field errors (checks.2.amount_cents …) moved next to the form controls that hold them. */
export function formFieldErrors(fields: Errors, checkRows: number[]): Errors {
  const out: Errors = {};
  for (const [key, message] of Object.entries(fields)) {
    const m = /^checks\.(\d+)\.(number|amount_cents|from)$/.exec(key);
    if (m) out[`check_${m[2] === 'amount_cents' ? 'amount' : m[2]}_${checkRows[Number(m[1])] ?? 0}`] = message;
    else if (key === 'cash_cents') out.cash_total = message;
    else out[key] = message;
  }
  return out;
}

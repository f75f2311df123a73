import { z } from 'zod';
import { isValidBusinessDate, compareDates } from '../../domain/business-date';

/** Editable parts of a ledger account: its number and name as in the store's QuickBooks. */
export const accountEditSchema = z
  .object({
    code: z.string({ error: 'Number is required.' }).trim().min(1, 'Number is required.').max(20, 'Number must be at most 20 characters.').regex(/^[A-Za-z0-9][A-Za-z0-9.\-]*$/, 'Use letters, digits, dots or dashes (e.g. 1200 or 1200-01).'),
    name: z.string({ error: 'Name is required.' }).trim().min(1, 'Name is required.').max(100, 'Name must be at most 100 characters.'),
  })
  .strict();
export type AccountEditInput = z.infer<typeof accountEditSchema>;

export interface DateRange {
  from: string | null;
  to: string | null;
}

/**
 * Reads `from`/`to` (YYYY-MM-DD, both optional, inclusive) from a query. Returns the field errors instead of
 * throwing so HTML shows them next to the filters and the API turns them into a 400.
 */
export function readDateRange(raw: Record<string, unknown>): { range: DateRange; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const pick = (key: 'from' | 'to') => {
    const v = raw[key];
    if (v === undefined || v === '') return null;
    if (typeof v !== 'string' || !isValidBusinessDate(v)) {
      errors[key] = `${key === 'from' ? 'From' : 'To'} must be a date as YYYY-MM-DD.`;
      return null;
    }
    return v;
  };
  const range = { from: pick('from'), to: pick('to') };
  if (range.from && range.to && compareDates(range.from, range.to) > 0) errors.to = 'To must be on or after From.';
  return { range, errors };
}

/** Reads `as_of` (YYYY-MM-DD); blank means the caller's default (today). */
export function readAsOf(raw: Record<string, unknown>): { asOf: string | null; error: string | null } {
  const v = raw.as_of;
  if (v === undefined || v === '') return { asOf: null, error: null };
  if (typeof v !== 'string' || !isValidBusinessDate(v)) return { asOf: null, error: 'As of must be a date as YYYY-MM-DD.' };
  return { asOf: v, error: null };
}

import { US_DENOMINATIONS_CENTS } from '../../domain/drawer';
import { formatCents, parseMoneyToCents } from '../../domain/money';
import { formString, type FormBody } from '../../server/forms';

/** The denomination grid's fields: `count_<cents>` (count_2000 = how many $20 bills). */
export const DENOMINATION_FIELDS = US_DENOMINATIONS_CENTS.map((cents) => ({
  cents,
  name: `count_${cents}`,
  // Whole-dollar denominations drop the cents ("$20", not "$20.00"); coins are shown in cents.
  label: cents >= 100 ? formatCents(cents).replace(/\.00$/, '') : `${cents}¢`,
  kind: cents === 100 ? 'Dollar coins / $1 bills' : cents > 100 ? 'Bills' : 'Coins',
}));

/** Reads the grid: blank = 0; anything but a whole number of 0 or more is an error next to that cell. */
export function readDenominationGrid(body: FormBody): { values: Record<string, string>; denominations: Record<string, number>; errors: Record<string, string> } {
  const values: Record<string, string> = {};
  const denominations: Record<string, number> = {};
  const errors: Record<string, string> = {};
  for (const f of DENOMINATION_FIELDS) {
    const raw = formString(body, f.name).trim();
    values[f.name] = raw;
    if (!raw) continue;
    if (!/^\d{1,6}$/.test(raw)) {
      errors[f.name] = `Count of ${f.label} must be a whole number of 0 or more.`;
      continue;
    }
    if (Number(raw) > 0) denominations[String(f.cents)] = Number(raw);
  }
  return { values, denominations, errors };
}

/** Money typed as "12.50" (a $ sign allowed); blank → undefined, bad → an error message. */
export function readAmount(body: FormBody, key: string, label: string): { value?: number; error?: string } {
  const raw = formString(body, key).replace(/^\$/, '').trim();
  if (!raw) return {};
  const cents = raw.length > 20 ? null : parseMoneyToCents(raw);
  if (cents === null) return { error: `${label} must be an amount like 12.50.` };
  return { value: cents };
}

import { z } from 'zod';
import { isValidTimeZone } from '../../domain/business-date';
import { parseRateToMillipercent } from '../../domain/rounding';
import { CASH_ROUNDING_INCREMENTS } from '../../domain/tenders';

export const storeDetailsSchema = z.object({
  store_name: z.string({ error: 'Store name is required.' }).trim().min(1, 'Store name is required.').max(120, 'Store name must be at most 120 characters.'),
  address: z.string().trim().max(500, 'Address must be at most 500 characters.').default(''),
  phone: z
    .string()
    .trim()
    .max(40, 'Phone must be at most 40 characters.')
    .regex(/^[0-9+().\-\s]*(x\d{1,6})?$/i, 'Use digits, spaces and + ( ) - . only.')
    .default(''),
  time_zone: z.string({ error: 'Time zone is required.' }).trim().refine((tz) => isValidTimeZone(tz), 'Pick a time zone from the list.'),
  default_tax_rate: z
    .string({ error: 'Tax rate is required.' })
    .trim()
    .transform((value, ctx) => {
      const rate = parseRateToMillipercent(value === '' ? '0' : value.replace(/%$/, ''));
      if (rate === null) {
        ctx.addIssue({ code: 'custom', message: 'Enter a percentage between 0 and 100 with up to 3 decimals, e.g. 8.875.' });
        return z.NEVER;
      }
      return rate;
    }),
});
export type StoreDetailsInput = z.infer<typeof storeDetailsSchema>;

/** Cash rounding increments the POS offers (cents; 1 = off), as src/domain/tenders.ts applies them. */
export const CASH_ROUNDING_CHOICES = CASH_ROUNDING_INCREMENTS;
export const MAX_RETURN_WINDOW_DAYS = 3650;
export const MAX_RETURN_POLICY_LENGTH = 500;

/** Point-of-sale settings as the settings form sends them (text fields, a checkbox "on"). */
export const posSettingsSchema = z.object({
  return_window_days: z
    .string({ error: 'Enter the number of days.' })
    .trim()
    .transform((value, ctx) => {
      if (!/^\d{1,4}$/.test(value) || Number(value) > MAX_RETURN_WINDOW_DAYS) {
        ctx.addIssue({ code: 'custom', message: `Enter a whole number of days from 0 to ${MAX_RETURN_WINDOW_DAYS} (0 = no limit).` });
        return z.NEVER;
      }
      return Number(value);
    }),
  cash_rounding_cents: z
    .string({ error: 'Choose a rounding.' })
    .transform((value, ctx) => {
      const n = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
      if (!(CASH_ROUNDING_CHOICES as readonly number[]).includes(n)) {
        ctx.addIssue({ code: 'custom', message: 'Choose a rounding from the list.' });
        return z.NEVER;
      }
      return n;
    }),
  return_policy: z.string().trim().max(MAX_RETURN_POLICY_LENGTH, `The return policy must be at most ${MAX_RETURN_POLICY_LENGTH} characters.`).default(''),
  auto_print_receipt: z
    .string()
    .default('')
    .transform((v) => v === 'on' || v === 'true'),
});
export type PosSettingsInput = z.infer<typeof posSettingsSchema>;

/** Common IANA zones shown first in the picker; any valid zone is accepted. */
export function timeZoneOptions(): string[] {
  const all = typeof (Intl as any).supportedValuesOf === 'function' ? ((Intl as any).supportedValuesOf('timeZone') as string[]) : [];
  const set = new Set(['UTC', ...all]);
  return [...set];
}

export function systemTimeZone(): string {
  try {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return tz && isValidTimeZone(tz) ? tz : 'UTC';
  } catch {
    return 'UTC';
  }
}

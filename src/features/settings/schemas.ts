import { z } from 'zod';
import { isValidTimeZone } from '../../domain/business-date';
import { parseRateToMillipercent } from '../../domain/rounding';

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

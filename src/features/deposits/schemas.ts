import { z } from 'zod';
import { US_DENOMINATIONS_CENTS } from '../../domain/drawer';
import { isValidBusinessDate } from '../../domain/business-date';

/**
 * Input of a bank deposit, shared by the API (JSON) and the deposit form (converted to the same snake_case
 * shape). Denomination maps are checked by countCash in the service, so both give the same messages.
 */

/** One deposit is far smaller; the cap keeps every sum a safe integer and catches a typo of extra zeros. */
export const MAX_DEPOSIT_AMOUNT_CENTS = 100_000_000; // $1,000,000.00
export const MAX_DEPOSIT_CHECKS = 200;
export const MAX_CHECK_NUMBER_LENGTH = 30;
export const MAX_CHECK_FROM_LENGTH = 100;
export const MAX_DEPOSIT_NOTE_LENGTH = 500;
/** How far back a deposit may be dated (the bank's date can be a few days before it is recorded). */
export const MAX_DEPOSIT_BACKDATE_DAYS = 366;

const cents = (label: string, min: number) =>
  z
    .number({ error: `${label} must be a whole number of cents.` })
    .int({ error: `${label} must be a whole number of cents.` })
    .min(min, { error: min > 0 ? `${label} must be more than $0.00.` : `${label} cannot be negative.` })
    .max(MAX_DEPOSIT_AMOUNT_CENTS, { error: `${label} must be at most ${MAX_DEPOSIT_AMOUNT_CENTS} cents ($1,000,000.00).` });

const denominations = z.record(z.string(), z.unknown(), { error: `Send cash_denominations as an object of {"cents value": count}, e.g. {"2000": 3, "25": 4}; allowed values: ${US_DENOMINATIONS_CENTS.join(', ')}.` });

export const depositCheckSchema = z
  .object({
    number: z
      .string({ error: 'The check number must be text.' })
      .trim()
      .min(1, { error: 'Enter the check number.' })
      .max(MAX_CHECK_NUMBER_LENGTH, { error: `The check number must be at most ${MAX_CHECK_NUMBER_LENGTH} characters.` }),
    amount_cents: cents('The check amount', 1),
    from: z
      .string({ error: 'Who the check is from must be text.' })
      .trim()
      .max(MAX_CHECK_FROM_LENGTH, { error: `Who the check is from must be at most ${MAX_CHECK_FROM_LENGTH} characters.` })
      .optional(),
  })
  .strict();
export type DepositCheckInput = z.infer<typeof depositCheckSchema>;

export const bankDepositSchema = z
  .object({
    cash_denominations: denominations.optional(),
    cash_cents: cents('The cash total', 0).optional(),
    checks: z.array(depositCheckSchema, { error: 'checks must be a list of {number, amount_cents, from}.' }).max(MAX_DEPOSIT_CHECKS, { error: `At most ${MAX_DEPOSIT_CHECKS} checks on one deposit.` }).optional(),
    deposited_on: z
      .string({ error: 'deposited_on must be a date as YYYY-MM-DD.' })
      .refine((v) => isValidBusinessDate(v), { error: 'deposited_on must be a date as YYYY-MM-DD.' })
      .optional(),
    note: z.string({ error: 'The note must be text.' }).trim().max(MAX_DEPOSIT_NOTE_LENGTH, { error: `The note must be at most ${MAX_DEPOSIT_NOTE_LENGTH} characters.` }).optional(),
  })
  .strict();
export type BankDepositInput = z.infer<typeof bankDepositSchema>;

import { uuid } from '../sales/schemas';
import { z } from 'zod';
import { dateField, noteField } from '../layaways/schemas';

/** Inputs of in-home trials (API and pages); docs/layaway-orders-trials.md. */

export const DEFAULT_TRIAL_DAYS = 7;
export const MAX_TRIAL_DAYS = 90;

export const startTrialSchema = z
  .object({
    account_id: uuid('account_id'),
    unit_id: uuid('unit_id'),
    /** How long it may stay out (default 7 days) — or give due_on. */
    days: z
      .number({ error: 'days must be a whole number of days.' })
      .int({ error: 'days must be a whole number of days.' })
      .min(1, { error: 'days must be at least 1.' })
      .max(MAX_TRIAL_DAYS, { error: `A trial lasts at most ${MAX_TRIAL_DAYS} days.` })
      .optional(),
    due_on: dateField('due_on').optional(),
    note: noteField.optional(),
  })
  .strict()
  .refine((v) => v.days === undefined || v.due_on === undefined, { error: 'Give days or due_on, not both.', path: ['days'] });
export type StartTrialInput = z.infer<typeof startTrialSchema>;

export const returnTrialSchema = z.object({ note: noteField.optional() }).strict();

export const TRIAL_STATUSES = ['out', 'returned', 'converted'] as const;
export const TRIAL_SORTS = ['due_on', 'out_on', 'number', 'account'] as const;

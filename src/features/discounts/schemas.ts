import { z } from 'zod';

/** Named discounts the POS offers ("Teacher 10%", "Band night $5"): API input; the form converts to this shape. */

export const DISCOUNT_KINDS = ['percent', 'amount'] as const;
export type DiscountKind = (typeof DISCOUNT_KINDS)[number];
/** A fixed discount above this is a typo, not a discount. */
export const MAX_DISCOUNT_AMOUNT_CENTS = 10_000_000; // $100,000.00
export const MAX_DISCOUNT_NAME_LENGTH = 60;

const name = z
  .string({ error: 'Enter a name.' })
  .trim()
  .min(1, { error: 'Enter a name.' })
  .max(MAX_DISCOUNT_NAME_LENGTH, { error: `The name must be at most ${MAX_DISCOUNT_NAME_LENGTH} characters.` });

export const createDiscountSchema = z
  .object({
    name,
    kind: z.enum(DISCOUNT_KINDS, { error: 'kind must be percent or amount.' }),
    percent_millipercent: z
      .number({ error: 'percent_millipercent must be a whole number of thousandths of a percent (12.5% = 12500).' })
      .int({ error: 'percent_millipercent must be a whole number of thousandths of a percent (12.5% = 12500).' })
      .min(1, { error: 'The percentage must be more than 0%.' })
      .max(100_000, { error: 'The percentage can be at most 100% (100000).' })
      .optional(),
    amount_cents: z
      .number({ error: 'amount_cents must be a whole number of cents.' })
      .int({ error: 'amount_cents must be a whole number of cents.' })
      .min(1, { error: 'The amount must be more than $0.00.' })
      .max(MAX_DISCOUNT_AMOUNT_CENTS, { error: `The amount must be at most ${MAX_DISCOUNT_AMOUNT_CENTS} cents ($100,000.00).` })
      .optional(),
    active: z.boolean({ error: 'active must be true or false.' }).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'percent') {
      if (v.percent_millipercent === undefined) ctx.addIssue({ code: 'custom', path: ['percent_millipercent'], message: 'A percent discount needs percent_millipercent (10% = 10000).' });
      if (v.amount_cents !== undefined) ctx.addIssue({ code: 'custom', path: ['amount_cents'], message: 'A percent discount has no amount_cents.' });
    } else if (v.kind === 'amount') {
      if (v.amount_cents === undefined) ctx.addIssue({ code: 'custom', path: ['amount_cents'], message: 'An amount discount needs amount_cents.' });
      if (v.percent_millipercent !== undefined) ctx.addIssue({ code: 'custom', path: ['percent_millipercent'], message: 'An amount discount has no percent_millipercent.' });
    }
  });
export type CreateDiscountInput = z.infer<typeof createDiscountSchema>;

/** Rename and/or (de)activate. The value is fixed: a new value is a new discount (old sales keep their label). */
export const updateDiscountSchema = z
  .object({ name: name.optional(), active: z.boolean({ error: 'active must be true or false.' }).optional() })
  .strict()
  .refine((v) => v.name !== undefined || v.active !== undefined, { error: 'Nothing to change: send name and/or active.', path: ['_'] });
export type UpdateDiscountInput = z.infer<typeof updateDiscountSchema>;

import { z } from 'zod';
import { US_DENOMINATIONS_CENTS } from '../../domain/drawer';

/**
 * Inputs of the register and drawer services, shared by the API (JSON) and the pages (forms converted to the
 * same snake_case shape). Denomination maps are checked by countCash (src/domain/drawer.ts) in the service, so
 * the API and the forms give the same messages for "300" or a negative count.
 */

/** A drawer holds far less; the cap keeps every sum a safe integer and catches a typo of extra zeros. */
export const MAX_DRAWER_AMOUNT_CENTS = 10_000_000; // $100,000.00
export const MAX_REASON_LENGTH = 200;

const cents = (label: string) =>
  z
    .number({ error: `${label} must be a whole number of cents.` })
    .int({ error: `${label} must be a whole number of cents.` })
    .min(0, { error: `${label} cannot be negative.` })
    .max(MAX_DRAWER_AMOUNT_CENTS, { error: `${label} must be at most ${MAX_DRAWER_AMOUNT_CENTS} cents ($100,000.00).` });

/** {"2000": 3, …}: keys are denomination values in cents; countCash validates keys and counts. */
const denominations = z.record(z.string(), z.unknown(), { error: `Send denominations as an object of {"cents value": count}, e.g. {"2000": 3, "25": 4}; allowed values: ${US_DENOMINATIONS_CENTS.join(', ')}.` });

export const registerNameSchema = z.object({
  name: z
    .string({ error: 'Enter a register name.' })
    .trim()
    .min(1, { error: 'Enter a register name.' })
    .max(60, { error: 'The name must be at most 60 characters.' }),
});
export const registerCreateSchema = registerNameSchema.strict();
export const registerPatchSchema = registerNameSchema.partial().extend({ active: z.boolean({ error: 'active must be true or false.' }).optional() }).strict();

export const openSessionSchema = z
  .object({
    float_cents: cents('The float').optional(),
    float_denominations: denominations.optional(),
    blind: z.boolean({ error: 'blind must be true or false.' }).optional(),
  })
  .strict()
  .refine((v) => v.float_cents !== undefined || v.float_denominations !== undefined, { error: 'Give the float as float_cents or float_denominations.', path: ['float_cents'] });
export type OpenSessionInput = z.infer<typeof openSessionSchema>;

/** Movements a person records at the drawer; sales and refunds come from the POS. */
export const MANUAL_MOVEMENT_KINDS = ['paid_in', 'paid_out', 'drop', 'no_sale'] as const;
export type ManualMovementKind = (typeof MANUAL_MOVEMENT_KINDS)[number];

export const movementSchema = z
  .object({
    kind: z.enum(MANUAL_MOVEMENT_KINDS, { error: `kind must be one of ${MANUAL_MOVEMENT_KINDS.join(', ')}.` }),
    amount_cents: cents('The amount').optional(),
    reason: z
      .string({ error: 'The reason must be text.' })
      .trim()
      .max(MAX_REASON_LENGTH, { error: `The reason must be at most ${MAX_REASON_LENGTH} characters.` })
      .optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'no_sale') {
      if (v.amount_cents) ctx.addIssue({ code: 'custom', path: ['amount_cents'], message: 'A no-sale moves no money; leave the amount out.' });
      return;
    }
    if (!v.amount_cents) ctx.addIssue({ code: 'custom', path: ['amount_cents'], message: 'Enter an amount of more than $0.00.' });
    if ((v.kind === 'paid_out' || v.kind === 'paid_in') && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: `Say what the ${v.kind === 'paid_out' ? 'paid-out' : 'paid-in'} is for.` });
  });
export type MovementInput = z.infer<typeof movementSchema>;

export const closeSessionSchema = z
  .object({
    cash_denominations: denominations,
    checks_cents: cents('The checks total').optional(),
    note: z.string({ error: 'The note must be text.' }).trim().max(500, { error: 'The note must be at most 500 characters.' }).optional(),
  })
  .strict();
export type CloseSessionInput = z.infer<typeof closeSessionSchema>;

export const reopenSchema = z
  .object({
    note: z
      .string({ error: 'Say why the session is reopened.' })
      .trim()
      .min(3, { error: 'Say why the session is reopened (at least 3 characters).' })
      .max(500, { error: 'The note must be at most 500 characters.' }),
  })
  .strict();

export const MOVEMENT_LABELS: Record<string, string> = {
  paid_in: 'Paid-in',
  paid_out: 'Paid-out',
  drop: 'Drop to safe',
  no_sale: 'No-sale',
  sale_cash: 'Cash taken',
  change_given: 'Change given',
  refund_cash: 'Cash refund',
  check_in: 'Check taken',
  check_refund: 'Check refunded',
  check_drop: 'Checks dropped',
  reopen: 'Reopened',
};

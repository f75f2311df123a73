import { z } from 'zod';
import { isValidBusinessDate } from '../../domain/business-date';
import { approvalSchema, cents, MAX_QUANTITY, millipercent, tenderSchema, uuid } from '../sales/schemas';

/**
 * Inputs of layaways (and the counter bits special orders share: a payment with tenders, a refund choice),
 * for the JSON API and the pages alike (docs/layaway-orders-trials.md).
 */

export const MAX_LAYAWAY_LINES = 50;
export const MAX_NOTE = 1000;

/** The counter's field builders (src/features/sales/schemas.ts); centsField keeps the name the other counter features import. */
export const centsField = cents;
export const dateField = (label: string) => z.string({ error: `${label} must be a date (YYYY-MM-DD).` }).refine((v) => isValidBusinessDate(v), { error: `${label} must be a real date written YYYY-MM-DD.` });
export const noteField = z.string({ error: 'The note must be text.' }).trim().max(MAX_NOTE, { error: `The note must be at most ${MAX_NOTE} characters.` });

/** Money taken at the counter: the deposit tender is applied by the service itself, never sent. */
export const counterTenders = z
  .array(tenderSchema, { error: 'tenders must be a list.' })
  .min(1, { error: 'Say how it is paid (tenders).' })
  .max(20, { error: 'At most 20 tenders.' })
  .superRefine((list, ctx) => {
    list.forEach((t, i) => {
      if (t.method === 'deposit') ctx.addIssue({ code: 'custom', path: [i, 'method'], message: 'Deposits held are applied by the service; pay with cash, check, card, store credit, gift card or account.' });
    });
  });

/** A payment into customer deposits (a layaway payment, a special-order deposit). */
export const depositPaymentSchema = z
  .object({
    amount_cents: centsField('amount_cents', 1),
    tenders: counterTenders,
    register_session_id: uuid('register_session_id').optional(),
    note: noteField.optional(),
  })
  .strict();
export type DepositPaymentInput = z.infer<typeof depositPaymentSchema>;

export const layawayLineSchema = z
  .object({
    product_id: uuid('product_id').optional(),
    unit_id: uuid('unit_id').optional(),
    quantity: z
      .number({ error: 'quantity must be a whole number from 1.' })
      .int({ error: 'quantity must be a whole number from 1.' })
      .min(1, { error: 'quantity must be at least 1.' })
      .max(MAX_QUANTITY, { error: `quantity must be at most ${MAX_QUANTITY}.` })
      .optional(),
    unit_price_cents: centsField('unit_price_cents').optional(),
    discount_cents: centsField('discount_cents').optional(),
    discount_percent_millipercent: millipercent('discount_percent_millipercent').optional(),
    named_discount_id: uuid('named_discount_id').optional(),
  })
  .strict()
  .refine((l) => l.product_id || l.unit_id, { error: 'Each line needs a product_id or a unit_id.', path: ['product_id'] });

export const createLayawaySchema = z
  .object({
    account_id: uuid('account_id'),
    lines: z.array(layawayLineSchema, { error: 'lines must be a list.' }).min(1, { error: 'Put at least one item on the layaway.' }).max(MAX_LAYAWAY_LINES, { error: `A layaway has at most ${MAX_LAYAWAY_LINES} lines.` }),
    order_discount: z
      .object({ percent_millipercent: millipercent('order_discount.percent_millipercent').optional(), amount_cents: centsField('order_discount.amount_cents', 1).optional(), named_discount_id: uuid('named_discount_id').optional() })
      .strict()
      .optional(),
    due_on: dateField('due_on').optional(),
    approval: approvalSchema.optional(),
    note: noteField.optional(),
    /** A first payment taken when the layaway is made. */
    deposit: depositPaymentSchema.optional(),
  })
  .strict();
export type CreateLayawayInput = z.infer<typeof createLayawaySchema>;

export const pickupSchema = z.object({ note: noteField.optional() }).strict();

export const DEPOSIT_REFUND_METHODS = ['store_credit', 'cash'] as const;
export type DepositRefundMethod = (typeof DEPOSIT_REFUND_METHODS)[number];

/** Cancelling something customers paid deposits on: the deposits go back as store credit (default) or cash. */
export const cancelWithRefundSchema = z
  .object({
    reason: z.string({ error: 'Say why it is cancelled.' }).trim().min(3, { error: 'Say why it is cancelled (at least 3 characters).' }).max(500, { error: 'The reason must be at most 500 characters.' }),
    refund: z.enum(DEPOSIT_REFUND_METHODS, { error: 'refund must be store_credit or cash.' }).optional(),
    register_session_id: uuid('register_session_id').optional(),
    approval: approvalSchema.optional(),
  })
  .strict();
export type CancelWithRefundInput = z.infer<typeof cancelWithRefundSchema>;

export const LAYAWAY_STATUSES = ['open', 'picked_up', 'cancelled'] as const;
export const LAYAWAY_SORTS = ['created', 'number', 'due_on', 'balance', 'account'] as const;

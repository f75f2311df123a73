import { z } from 'zod';
import { SALE_LINE_KINDS, TENDER_METHODS } from '../../db/schema';

/**
 * Inputs of the counter services (api.md "POST /api/v1/sales", ".../returns", "accounts/{id}/payments"),
 * shared by the JSON API and the sale screen (which builds the same shape from its draft).
 */

/** A single counter document above this is a typo of extra zeros; the cap keeps every sum a safe integer. */
export const MAX_DOCUMENT_CENTS = 100_000_000; // $1,000,000.00
export const MAX_LINES = 200;
export const MAX_QUANTITY = 9999;

/** Field builders shared by every counter input (sales, layaways, special orders, trade-ins, trials). */
export const uuid = (label: string) => z.uuid({ error: `${label} must be an id (uuid).` });
export const cents = (label: string, min = 0) =>
  z
    .number({ error: `${label} must be a whole number of cents.` })
    .int({ error: `${label} must be a whole number of cents.` })
    .min(min, { error: min > 0 ? `${label} must be more than 0.` : `${label} cannot be negative.` })
    .max(MAX_DOCUMENT_CENTS, { error: `${label} must be at most ${MAX_DOCUMENT_CENTS} cents.` });
export const millipercent = (label: string) =>
  z
    .number({ error: `${label} must be a whole number of thousandths of a percent (10% = 10000).` })
    .int({ error: `${label} must be a whole number of thousandths of a percent (10% = 10000).` })
    .min(1, { error: `${label} must be more than 0.` })
    .max(100000, { error: `${label} cannot be more than 100% (100000).` });

export const approvalSchema = z
  .object({
    username: z.string({ error: 'Enter the manager\'s username.' }).trim().min(1, { error: 'Enter the manager\'s username.' }).max(100),
    pin: z.string({ error: 'Enter the manager\'s PIN.' }).trim().min(1, { error: 'Enter the manager\'s PIN.' }).max(20),
  })
  .strict();

export const saleLineSchema = z
  .object({
    kind: z.enum(SALE_LINE_KINDS, { error: `kind must be one of ${SALE_LINE_KINDS.join(', ')}.` }).optional(),
    product_id: uuid('product_id').optional(),
    unit_id: uuid('unit_id').optional(),
    quantity: z
      .number({ error: 'quantity must be a whole number from 1.' })
      .int({ error: 'quantity must be a whole number from 1.' })
      .min(1, { error: 'quantity must be at least 1 (use a return to take items back).' })
      .max(MAX_QUANTITY, { error: `quantity must be at most ${MAX_QUANTITY}.` })
      .optional(),
    unit_price_cents: cents('unit_price_cents').optional(),
    discount_cents: cents('discount_cents').optional(),
    discount_percent_millipercent: millipercent('discount_percent_millipercent').optional(),
    named_discount_id: uuid('named_discount_id').optional(),
    /** Non-item lines: the amount paid in. */
    amount_cents: cents('amount_cents', 1).optional(),
    gift_card_number: z.string().trim().max(40).optional(),
    ref_id: uuid('ref_id').optional(),
    invoice_ids: z.array(uuid('invoice_ids')).max(100).optional(),
  })
  .strict();
export type SaleLineInput = z.infer<typeof saleLineSchema>;

export const tenderSchema = z
  .object({
    method: z.enum(TENDER_METHODS, { error: `method must be one of cash, check, external_card, store_credit, gift_card, account.` }),
    amount_cents: cents('amount_cents', 1),
    reference: z.string().trim().max(60).optional(),
    last4: z.string().trim().regex(/^\d{4}$/, { error: 'last4 must be the card\'s last 4 digits.' }).optional(),
    auth_code: z.string().trim().min(1).max(20, { error: 'auth_code must be at most 20 characters.' }).optional(),
    gift_card_number: z.string().trim().max(40).optional(),
  })
  .strict();
export type TenderInputApi = z.infer<typeof tenderSchema>;

export const saleSchema = z
  .object({
    register_session_id: uuid('register_session_id').optional(),
    account_id: uuid('account_id').optional(),
    lines: z.array(saleLineSchema, { error: 'lines must be a list.' }).min(1, { error: 'A sale needs at least one line.' }).max(MAX_LINES, { error: `A sale has at most ${MAX_LINES} lines.` }),
    tenders: z.array(tenderSchema, { error: 'tenders must be a list.' }).max(20, { error: 'At most 20 tenders.' }),
    order_discount: z
      .object({ percent_millipercent: millipercent('order_discount.percent_millipercent').optional(), amount_cents: cents('order_discount.amount_cents', 1).optional(), named_discount_id: uuid('named_discount_id').optional() })
      .strict()
      .optional(),
    approval: approvalSchema.optional(),
    note: z.string().max(1000, { error: 'The note must be at most 1000 characters.' }).optional(),
  })
  .strict();
export type SaleInput = z.infer<typeof saleSchema>;

export const returnLineSchema = z
  .object({
    line_id: uuid('line_id'),
    quantity: z.number({ error: 'quantity must be a whole number from 1.' }).int({ error: 'quantity must be a whole number from 1.' }).min(1, { error: 'quantity must be at least 1.' }).max(MAX_QUANTITY),
    restock: z.boolean({ error: 'restock must be true or false.' }).optional(),
  })
  .strict();

export const refundTenderSchema = z
  .object({
    method: z.enum(TENDER_METHODS, { error: 'method must be one of cash, check, external_card, store_credit, gift_card, account.' }),
    amount_cents: cents('amount_cents', 1).optional(),
    last4: z.string().trim().regex(/^\d{4}$/, { error: 'last4 must be the card\'s last 4 digits.' }).optional(),
    auth_code: z.string().trim().max(20).optional(),
  })
  .strict();

export const returnSchema = z
  .object({
    register_session_id: uuid('register_session_id').optional(),
    lines: z.array(returnLineSchema).min(1, { error: 'Choose at least one line to return.' }).max(MAX_LINES),
    tenders: z.array(refundTenderSchema).max(20).optional(),
    approval: approvalSchema.optional(),
    note: z.string().max(1000).optional(),
  })
  .strict();
export type ReturnInput = z.infer<typeof returnSchema>;

/** A return without a receipt: current price and tax, store credit, a manager's approval. */
export const noReceiptReturnSchema = z
  .object({
    register_session_id: uuid('register_session_id').optional(),
    account_id: uuid('account_id', ),
    lines: z
      .array(z.object({ product_id: uuid('product_id'), unit_id: uuid('unit_id').optional(), quantity: z.number().int().min(1).max(MAX_QUANTITY), restock: z.boolean().optional() }).strict())
      .min(1, { error: 'Choose at least one item.' })
      .max(MAX_LINES),
    approval: approvalSchema.optional(),
    note: z.string().max(1000).optional(),
  })
  .strict();
export type NoReceiptReturnInput = z.infer<typeof noReceiptReturnSchema>;

export const voidSchema = z
  .object({
    reason: z.string({ error: 'Say why the sale is voided.' }).trim().min(3, { error: 'Say why the sale is voided (at least 3 characters).' }).max(500),
    approval: approvalSchema.optional(),
  })
  .strict();
export type VoidInput = z.infer<typeof voidSchema>;

export const accountPaymentSchema = z
  .object({
    register_session_id: uuid('register_session_id').optional(),
    amount_cents: cents('amount_cents', 1),
    invoice_ids: z.array(uuid('invoice_ids')).max(100).optional(),
    tenders: z.array(tenderSchema).min(1, { error: 'Say how the payment is made (tenders).' }).max(20),
    note: z.string().max(1000).optional(),
  })
  .strict();
export type AccountPaymentInput = z.infer<typeof accountPaymentSchema>;

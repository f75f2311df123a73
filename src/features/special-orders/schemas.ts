import { uuid } from '../sales/schemas';
import { z } from 'zod';
import { approvalSchema, tenderSchema } from '../sales/schemas';
import { centsField, depositPaymentSchema, noteField } from '../layaways/schemas';

/** Inputs of special orders (API and pages); docs/layaway-orders-trials.md. */

export const MAX_SPECIAL_ORDER_QUANTITY = 999;

export const createSpecialOrderSchema = z
  .object({
    account_id: uuid('account_id'),
    product_id: uuid('product_id'),
    quantity: z
      .number({ error: 'quantity must be a whole number from 1.' })
      .int({ error: 'quantity must be a whole number from 1.' })
      .min(1, { error: 'quantity must be at least 1.' })
      .max(MAX_SPECIAL_ORDER_QUANTITY, { error: `quantity must be at most ${MAX_SPECIAL_ORDER_QUANTITY}.` })
      .optional(),
    /** Default: the product's price. Below it needs the discount approval a sale would. */
    unit_price_cents: centsField('unit_price_cents').optional(),
    note: noteField.optional(),
    approval: approvalSchema.optional(),
    deposit: depositPaymentSchema.optional(),
  })
  .strict();
export type CreateSpecialOrderInput = z.infer<typeof createSpecialOrderSchema>;

/** Put the order on a purchase order: an open PO line of the product, or a new line on the supplier's draft PO. */
export const orderSpecialOrderSchema = z
  .object({
    purchase_order_line_id: uuid('purchase_order_line_id').optional(),
    supplier_id: uuid('supplier_id').optional(),
    unit_cost_cents: centsField('unit_cost_cents').optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!!v.purchase_order_line_id === !!v.supplier_id) ctx.addIssue({ code: 'custom', path: ['purchase_order_line_id'], message: 'Give either purchase_order_line_id (an open PO line) or supplier_id (a new line on its draft PO).' });
    if (v.purchase_order_line_id && v.unit_cost_cents !== undefined) ctx.addIssue({ code: 'custom', path: ['unit_cost_cents'], message: 'unit_cost_cents is only for a new PO line (with supplier_id).' });
  });
export type OrderSpecialOrderInput = z.infer<typeof orderSpecialOrderSchema>;

export const arrivedSchema = z.object({ note: noteField.optional() }).strict();

export const completeSpecialOrderSchema = z
  .object({
    register_session_id: uuid('register_session_id').optional(),
    /** Serialized products: the units handed over, one per item ordered. */
    unit_ids: z.array(uuid('unit_ids')).max(MAX_SPECIAL_ORDER_QUANTITY).optional(),
    /** What is paid on top of the deposit (the deposit itself is applied by the service). */
    tenders: z
      .array(tenderSchema, { error: 'tenders must be a list.' })
      .max(20, { error: 'At most 20 tenders.' })
      .superRefine((list, ctx) => {
        list.forEach((t, i) => {
          if (t.method === 'deposit') ctx.addIssue({ code: 'custom', path: [i, 'method'], message: 'The deposit is applied by the service; send only what is paid on top of it.' });
        });
      })
      .default([]),
    approval: approvalSchema.optional(),
    note: noteField.optional(),
  })
  .strict();
export type CompleteSpecialOrderInput = z.infer<typeof completeSpecialOrderSchema>;

export const SPECIAL_ORDER_STATUSES = ['open', 'ordered', 'received', 'completed', 'cancelled'] as const;
export type SpecialOrderStatus = (typeof SPECIAL_ORDER_STATUSES)[number];
export const SPECIAL_ORDER_SORTS = ['created', 'number', 'status', 'account', 'received'] as const;
export const SPECIAL_ORDER_STATUS_LABELS: Record<SpecialOrderStatus, string> = { open: 'Open', ordered: 'On order', received: 'Arrived — call the customer', completed: 'Completed', cancelled: 'Cancelled' };

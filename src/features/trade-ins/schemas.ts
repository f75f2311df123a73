import { uuid } from '../sales/schemas';
import { z } from 'zod';
import { UNIT_CONDITIONS } from '../inventory/schemas';
import { approvalSchema } from '../sales/schemas';
import { centsField, noteField } from '../layaways/schemas';

/** Inputs of trade-ins (API and pages); docs/layaway-orders-trials.md. */


export const appraiseTradeInSchema = z
  .object({
    account_id: uuid('account_id'),
    /** The serialized product (model) the instrument is; it becomes a unit of it. */
    product_id: uuid('product_id'),
    serial_number: z.string({ error: 'Enter the serial number.' }).trim().min(1, { error: 'Enter the serial number.' }).max(100, { error: 'The serial number must be at most 100 characters.' }),
    condition: z.enum(UNIT_CONDITIONS, { error: `condition must be one of ${UNIT_CONDITIONS.join(', ')}.` }),
    value_cents: centsField('value_cents', 1),
    note: noteField.optional(),
    /** Accept at once (unit + store credit) instead of only recording the appraisal. */
    accept: z.boolean({ error: 'accept must be true or false.' }).optional(),
    approval: approvalSchema.optional(),
  })
  .strict();
export type AppraiseTradeInInput = z.infer<typeof appraiseTradeInSchema>;

export const acceptTradeInSchema = z.object({ approval: approvalSchema.optional() }).strict();

export const TRADE_IN_STATUSES = ['appraised', 'accepted'] as const;
export const TRADE_IN_SORTS = ['created', 'number', 'value', 'account'] as const;

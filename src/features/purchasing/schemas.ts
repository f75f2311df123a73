import { z } from 'zod';
import { isValidBusinessDate } from '../../domain/business-date';

/**
 * Zod schemas of purchasing, shared by the HTML forms (after formInput.ts turns form strings into
 * numbers/cents) and the JSON API, so both give the same messages.
 */
const text = (max: number, label: string) => z.string({ error: `${label} must be text.` }).trim().max(max, `${label} must be at most ${max} characters.`);
const uuid = (label: string) => z.uuid({ error: `Unknown ${label}.` });

export const quantitySchema = z
  .number({ error: 'Quantity must be a whole number.' })
  .int('Quantity must be a whole number.')
  .min(1, 'Quantity must be at least 1.')
  .max(100_000, 'Quantity must be at most 100000.');
export const centsSchema = (label: string) =>
  z
    .number({ error: `${label} must be an amount in cents.` })
    .int(`${label} must be a whole number of cents.`)
    .min(0, `${label} cannot be negative.`)
    .max(100_000_000_00, `${label} is too large.`);

const expectedOnSchema = z
  .string({ error: 'Expected date must be text (YYYY-MM-DD).' })
  .trim()
  .optional()
  .nullable()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || isValidBusinessDate(v), 'Enter a date as YYYY-MM-DD.');

export const poLineSchema = z.object({
  product_id: uuid('product'),
  quantity: quantitySchema,
  unit_cost_cents: centsSchema('Unit cost'),
  note: text(200, 'Note').default(''),
});
export type PoLineInput = z.infer<typeof poLineSchema>;

export const createPoSchema = z.object({
  supplier_id: uuid('supplier'),
  expected_on: expectedOnSchema,
  notes: text(2000, 'Notes').default(''),
  lines: z.array(poLineSchema, { error: 'Lines must be a list.' }).max(500, 'At most 500 lines.').default([]),
});
export type CreatePoInput = z.infer<typeof createPoSchema>;

export const updatePoLineSchema = poLineSchema.omit({ product_id: true });
export type UpdatePoLineInput = z.infer<typeof updatePoLineSchema>;

const atLeastOne = (keys: readonly string[]) => (v: Record<string, unknown>) => keys.some((k) => v[k] !== undefined);

/** API PATCH of one draft line: any of quantity, unit cost, note; what is left out stays. */
export const patchPoLineSchema = z
  .object({ quantity: quantitySchema.optional(), unit_cost_cents: centsSchema('Unit cost').optional(), note: text(200, 'Note').optional() })
  .refine(atLeastOne(['quantity', 'unit_cost_cents', 'note']), { message: 'Send at least one of quantity, unit_cost_cents, note.', path: ['_'] });
export type PatchPoLineInput = z.infer<typeof patchPoLineSchema>;

/**
 * API PATCH of a purchase order. Omitted fields stay as they are; `expected_on: null` clears the date.
 * `lines`, when sent, replaces every line (draft only).
 */
export const updatePoSchema = z
  .object({
    supplier_id: uuid('supplier').optional(),
    expected_on: z
      .string({ error: 'Expected date must be text (YYYY-MM-DD) or null.' })
      .trim()
      .nullable()
      .optional()
      .transform((v) => (v === '' ? null : v))
      .refine((v) => v === null || v === undefined || isValidBusinessDate(v), 'Enter a date as YYYY-MM-DD.'),
    notes: text(2000, 'Notes').optional(),
    lines: z.array(poLineSchema, { error: 'Lines must be a list.' }).max(500, 'At most 500 lines.').optional(),
  })
  .refine(atLeastOne(['supplier_id', 'expected_on', 'notes', 'lines']), { message: 'Send at least one of supplier_id, expected_on, notes, lines.', path: ['_'] });
export type UpdatePoInput = z.infer<typeof updatePoSchema>;

/** Reorder suggestions → draft POs. No product_ids = every current suggestion. */
export const fromSuggestionsSchema = z.object({
  product_ids: z
    .array(uuid('product'), { error: 'product_ids must be a list of product ids.' })
    .min(1, 'Select at least one product.')
    .max(1000, 'At most 1000 products at a time.')
    .optional(),
});
export type FromSuggestionsInput = z.infer<typeof fromSuggestionsSchema>;

const serialSchema = z.string({ error: 'Serial numbers must be text.' }).trim().min(1, 'Serial number is required.').max(100, 'Serial number must be at most 100 characters.');

export const receiptSchema = z.object({
  lines: z
    .array(
      z.object({
        line_id: uuid('purchase order line'),
        quantity: z.number({ error: 'Quantity must be a whole number.' }).int('Quantity must be a whole number.').min(0, 'Quantity cannot be negative.').max(100_000, 'Quantity must be at most 100000.'),
        serials: z.array(serialSchema, { error: 'Serials must be a list.' }).max(1000, 'At most 1000 serials per line.').default([]),
      }),
      { error: 'Lines must be a list.' },
    )
    .min(1, 'Receive at least one line.')
    .max(500, 'At most 500 lines.'),
  freight_cents: centsSchema('Freight').default(0),
  notes: text(2000, 'Notes').default(''),
});
export type ReceiptInput = z.infer<typeof receiptSchema>;

export const PO_STATUSES = ['draft', 'ordered', 'partially_received', 'received', 'cancelled'] as const;
export const PO_SORTS = ['number', 'supplier', 'status', 'created_at', 'expected_on', 'total'] as const;

export const startCountSchema = z
  .object({
    name: text(100, 'Name').min(1, 'Name is required.'),
    category_id: uuid('category').nullable().default(null),
    location: text(100, 'Location').default(''),
  })
  .refine((v) => v.category_id !== null || v.location !== '', { message: 'Pick a category or a location to count.', path: ['category_id'] });
export type StartCountInput = z.infer<typeof startCountSchema>;

export const scanSchema = z.object({
  code: text(100, 'Code').min(1, 'Scan or type a SKU, UPC or serial number.'),
  quantity: z.number({ error: 'Quantity must be a whole number.' }).int('Quantity must be a whole number.').min(1, 'Quantity must be at least 1.').max(100_000, 'Quantity must be at most 100000.').default(1),
});
export type ScanInput = z.infer<typeof scanSchema>;

export const setCountedSchema = z.object({
  line_id: uuid('count line'),
  counted_quantity: z.number({ error: 'Counted quantity must be a whole number.' }).int('Counted quantity must be a whole number.').min(0, 'Counted quantity cannot be negative.').max(1_000_000, 'Counted quantity is too large.'),
});

/**
 * API: several scans and/or hand corrections in one request (a handheld scanner's upload). Applied in order,
 * all or nothing; errors are keyed by position (`scans.3.code`, `lines.0.counted_quantity`).
 */
export const countEntriesSchema = z
  .object({
    scans: z.array(scanSchema, { error: 'scans must be a list.' }).max(1000, 'At most 1000 scans at a time.').default([]),
    lines: z.array(setCountedSchema, { error: 'lines must be a list.' }).max(1000, 'At most 1000 lines at a time.').default([]),
  })
  .refine((v) => v.scans.length + v.lines.length > 0, { message: 'Send at least one scan or line.', path: ['_'] });
export type CountEntriesInput = z.infer<typeof countEntriesSchema>;

export const COUNT_SORTS = ['number', 'name', 'status', 'created_at'] as const;
export const COUNT_STATUSES = ['open', 'posted', 'cancelled'] as const;

/** Like zodFieldErrors, but keeps list positions (`lines.2.quantity`) so each message lands on its row. */
export function indexedFieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    if (!fields[key]) fields[key] = issue.message;
  }
  return fields;
}

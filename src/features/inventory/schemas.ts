import { z } from 'zod';
import { UNIT_STATUSES } from '../../db/schema';

/**
 * Zod schemas shared by the HTML forms and the JSON API of the inventory area. Money is integer cents;
 * HTML forms turn "12.50" into 1250 before parsing (see forms.ts) so both paths validate the same way.
 */

const text = (max: number, label: string) => z.string({ error: `${label} must be text.` }).trim().max(max, `${label} must be at most ${max} characters.`);
const required = (max: number, label: string) => z.string({ error: `${label} is required.` }).trim().min(1, `${label} is required.`).max(max, `${label} must be at most ${max} characters.`);
/** Blank means "none" (null), so a cleared optional field is stored as NULL, not ''. */
const optionalText = (max: number, label: string) =>
  text(max, label)
    .nullable()
    .optional()
    .transform((v) => (v ? v : null));
const cents = (label: string) => z.number({ error: `${label} must be a whole number of cents.` }).int(`${label} must be a whole number of cents.`).min(0, `${label} can't be negative.`).max(1_000_000_000_00, `${label} is too large.`);
const optionalCents = (label: string) => cents(label).nullable().optional();
const count = (label: string) => z.number({ error: `${label} must be a whole number.` }).int(`${label} must be a whole number.`).min(0, `${label} can't be negative.`).max(1_000_000, `${label} is too large.`);
const flag = (label: string) => z.boolean({ error: `${label} must be true or false.` });
const id = (label: string) => z.uuid(`Unknown ${label}.`);

export const PRODUCT_KINDS = ['serialized', 'stock', 'service', 'non_inventory'] as const;
export const KIND_LABELS: Record<(typeof PRODUCT_KINDS)[number], string> = { serialized: 'Serialized', stock: 'Stock (quantity)', service: 'Service', non_inventory: 'Non-inventory' };
export const UNIT_CONDITIONS = ['new', 'excellent', 'good', 'fair', 'poor'] as const;
export const ACQUIRED_VIA = ['purchase', 'trade_in', 'import', 'other'] as const;
export { UNIT_STATUSES };

export const productSupplierSchema = z.object({
  supplier_id: id('supplier'),
  supplier_sku: text(60, 'Supplier SKU').default(''),
  cost_cents: cents('Supplier cost').default(0),
  is_primary: flag('Primary').default(false),
});

const productFields = {
  sku: required(40, 'SKU').regex(/^\S+$/, 'SKU cannot contain spaces.'),
  upc: optionalText(20, 'UPC/EAN').refine((v) => v === null || v === undefined || /^\d{6,20}$/.test(v), 'UPC/EAN must be 6 to 20 digits.'),
  name: required(200, 'Name'),
  brand: text(100, 'Brand').default(''),
  model: text(100, 'Model').default(''),
  description: text(4000, 'Description').default(''),
  category_id: id('category').nullable().optional(),
  kind: z.enum(PRODUCT_KINDS, { error: 'Kind must be serialized, stock, service or non_inventory.' }),
  cost_cents: cents('Cost').default(0),
  price_cents: cents('Price').default(0),
  min_price_cents: optionalCents('Minimum price'),
  tax_class_id: id('tax class').nullable().optional(),
  sellable: flag('Sellable').default(true),
  rentable: flag('Rentable').default(false),
  repair_use: flag('Usable in repairs').default(false),
  size: text(20, 'Size').default(''),
  monthly_rental_cents: optionalCents('Monthly rental rate'),
  rto_purchase_price_cents: optionalCents('Rent-to-own purchase price'),
  reorder_point: count('Reorder point').nullable().optional(),
  reorder_quantity: count('Reorder quantity').nullable().optional(),
  is_active: flag('Active').default(true),
  legacy_id: optionalText(100, 'Legacy id'),
  suppliers: z.array(productSupplierSchema, { error: 'Suppliers must be a list.' }).max(20, 'At most 20 suppliers.').optional(),
};

const minPriceRule = (v: { price_cents?: number; min_price_cents?: number | null }) => v.min_price_cents == null || v.price_cents === undefined || v.min_price_cents <= v.price_cents;
const minPriceIssue = { message: 'Minimum price cannot be above the price.', path: ['min_price_cents'] };

export const createProductSchema = z.object(productFields).strict().refine(minPriceRule, minPriceIssue);
export type CreateProductInput = z.infer<typeof createProductSchema>;

/** In a PATCH a missing field keeps its value; null clears an optional one. */
export const updateProductSchema = z
  .object(Object.fromEntries(Object.entries(productFields).map(([k, s]) => [k, k === 'kind' ? (s as z.ZodType).optional() : stripDefault(s as z.ZodType).optional()])) as { [K in keyof typeof productFields]: z.ZodOptional<z.ZodType<z.output<(typeof productFields)[K]>, z.input<(typeof productFields)[K]>>> })
  .strict()
  .refine(minPriceRule, minPriceIssue);
export type UpdateProductInput = z.infer<typeof updateProductSchema>;

/** A PATCH must not fill in create-time defaults for fields the caller didn't send. */
function stripDefault(s: z.ZodType): z.ZodType {
  return s instanceof z.ZodDefault ? (s.unwrap() as z.ZodType) : s;
}

export const PRODUCT_SORTS = ['sku', 'name', 'brand', 'kind', 'price_cents', 'quantity_on_hand', 'created_at'] as const;
export const UNIT_SORTS = ['serial_number', 'sku', 'status', 'condition', 'acquired_on', 'created_at'] as const;
export const SUPPLIER_SORTS = ['name', 'contact_name', 'created_at'] as const;

export const createUnitSchema = z
  .object({
    product_id: id('product'),
    serial_number: required(100, 'Serial number'),
    condition: z.enum(UNIT_CONDITIONS, { error: 'Condition must be new, excellent, good, fair or poor.' }).default('new'),
    status: z.literal('available', { error: 'New units are always available; status changes come from sales, rentals, repairs or a manager override.' }).optional(),
    cost_cents: cents('Cost').default(0),
    acquired_on: z.iso.date('Acquired on must be a date (YYYY-MM-DD).').nullable().optional(),
    acquired_via: z.enum(ACQUIRED_VIA, { error: 'Acquired via must be purchase, trade_in, import or other.' }).default('purchase'),
    location: text(100, 'Location').default(''),
    notes: text(2000, 'Notes').default(''),
    legacy_id: optionalText(100, 'Legacy id'),
  })
  .strict();
export type CreateUnitInput = z.infer<typeof createUnitSchema>;

export const unitStatusOverrideSchema = z.object({
  status: z.enum(UNIT_STATUSES, { error: 'Pick a status.' }),
  reason: required(500, 'Reason').min(3, 'Say why the status is changed (at least 3 characters).'),
});

export const stockAdjustmentSchema = z
  .object({
    product_id: id('product'),
    quantity: z
      .number({ error: 'Quantity must be a whole number.' })
      .int('Quantity must be a whole number.')
      .min(-1_000_000, 'Quantity is too large.')
      .max(1_000_000, 'Quantity is too large.')
      .refine((n) => n !== 0, 'Quantity must not be 0.'),
    reason: required(200, 'Reason'),
    unit_cost_cents: cents('Unit cost').optional(),
    allow_negative: flag('Allow negative').default(false),
  })
  .strict();
export type StockAdjustmentInput = z.infer<typeof stockAdjustmentSchema>;

export const categorySchema = z.object({ name: required(80, 'Name'), parent_id: id('parent category').nullable().optional() }).strict();
export const updateCategorySchema = z.object({ name: required(80, 'Name').optional(), parent_id: id('parent category').nullable().optional() }).strict();
export type CategoryInput = z.infer<typeof categorySchema>;
export type UpdateCategoryInput = z.infer<typeof updateCategorySchema>;

const supplierFields = {
  name: required(120, 'Name'),
  contact_name: text(100, 'Contact').default(''),
  email: optionalText(200, 'Email').refine((v) => v == null || z.email().safeParse(v).success, 'Enter a valid email address.'),
  phone: optionalText(40, 'Phone'),
  account_number: text(60, 'Account number').default(''),
  notes: text(2000, 'Notes').default(''),
  is_active: flag('Active').default(true),
  legacy_id: optionalText(100, 'Legacy id'),
};
export const createSupplierSchema = z.object(supplierFields).strict();
export const updateSupplierSchema = z
  .object(Object.fromEntries(Object.entries(supplierFields).map(([k, s]) => [k, stripDefault(s as z.ZodType).optional()])) as { [K in keyof typeof supplierFields]: z.ZodOptional<z.ZodType<z.output<(typeof supplierFields)[K]>, z.input<(typeof supplierFields)[K]>>> })
  .strict();
export type CreateSupplierInput = z.infer<typeof createSupplierSchema>;
export type UpdateSupplierInput = z.infer<typeof updateSupplierSchema>;

/** Rates are thousandths of a percent (8.875% = 8875); 100000 = 100%, the most a class may total. */
export const MAX_TAX_RATE_MILLIPERCENT = 100_000;
const rateMillipercent = (label: string) =>
  z
    .number({ error: `${label} must be a whole number of thousandths of a percent (8.875% = 8875).` })
    .int(`${label} must be a whole number of thousandths of a percent (8.875% = 8875).`)
    .min(0, `${label} can't be negative.`)
    .max(MAX_TAX_RATE_MILLIPERCENT, `${label} can't be above 100% (100000).`);
export const taxComponentSchema = z.object({ name: required(60, 'Component name'), rate_millipercent: rateMillipercent('Component rate') }).strict();
/** Either one rate (stored as one component named after the class) or the components (state + county + city). */
export const createTaxClassSchema = z
  .object({
    name: required(60, 'Name'),
    rate_millipercent: rateMillipercent('Rate').optional(),
    components: z.array(taxComponentSchema, { error: 'Components must be a list.' }).min(1, 'Give at least one component.').max(10, 'At most 10 components.').optional(),
    is_default: flag('Default').default(false),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.rate_millipercent !== undefined && v.components !== undefined) ctx.addIssue({ code: 'custom', path: ['rate_millipercent'], message: 'Give either rate_millipercent or components, not both.' });
    else if (v.rate_millipercent === undefined && v.components === undefined) ctx.addIssue({ code: 'custom', path: ['rate_millipercent'], message: 'Give rate_millipercent or components.' });
    if (!v.components) return;
    const seen = new Set<string>();
    for (const c of v.components) {
      const key = c.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['components'], message: `Component "${c.name}" is listed twice.` });
      seen.add(key);
    }
    const total = v.components.reduce((s, c) => s + c.rate_millipercent, 0);
    if (total > MAX_TAX_RATE_MILLIPERCENT) ctx.addIssue({ code: 'custom', path: ['components'], message: `The components add up to more than 100% (${total}).` });
  });
export type CreateTaxClassInput = z.infer<typeof createTaxClassSchema>;

import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../api/idempotency';
import { MAX_DOCUMENT_CENTS, MAX_LINES, MAX_QUANTITY, type SaleInput, type SaleLineInput, type TenderInputApi } from '../sales/schemas';

/**
 * The sale screen's working ticket (a `sale_drafts` row): what `data` holds and how it becomes the sales core's
 * SaleInput. The draft is the screen's state, not a financial record — it is edited in place and deleted when
 * the sale completes. Lines carry a few display facts (description, SKU, serial, list price) captured when they
 * were rung up, so the screen can list them even while pricing refuses the ticket (e.g. a serialized unit
 * before a customer is attached); prices, discounts and tax always come from priceSale.
 */

const cents = (min = 0) => z.number().int().min(min).max(MAX_DOCUMENT_CENTS);
const lineId = z.string().regex(/^[a-z0-9]{6,24}$/);

/** A discount as the cashier gave it (the amount it takes is priceSale's business). */
export const draftDiscountSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('percent'), percent_millipercent: z.number().int().min(1).max(100000) }),
  z.object({ type: z.literal('amount'), amount_cents: cents(1) }),
  z.object({ type: z.literal('named'), named_discount_id: z.uuid(), label: z.string().max(100) }),
]);
export type DraftDiscount = z.infer<typeof draftDiscountSchema>;

export const draftItemLineSchema = z.object({
  id: lineId,
  kind: z.literal('item'),
  product_id: z.uuid(),
  unit_id: z.uuid().nullable(),
  quantity: z.number().int().min(1).max(MAX_QUANTITY),
  /** Price override per unit; null = the product's list price. */
  unit_price_cents: cents().nullable(),
  discount: draftDiscountSchema.nullable(),
  description: z.string().max(300),
  sku: z.string().max(100),
  serial: z.string().max(100).nullable(),
  list_price_cents: cents(),
  product_kind: z.string().max(20),
});
export const draftGiftCardLineSchema = z.object({
  id: lineId,
  kind: z.literal('gift_card'),
  amount_cents: cents(1),
  /** Null: a new card whose number checkout generates. */
  gift_card_number: z.string().max(40).nullable(),
});
export const draftAccountPaymentLineSchema = z.object({ id: lineId, kind: z.literal('account_payment'), amount_cents: cents(1) });

export const draftLineSchema = z.discriminatedUnion('kind', [draftItemLineSchema, draftGiftCardLineSchema, draftAccountPaymentLineSchema]);
export type DraftLine = z.infer<typeof draftLineSchema>;
export type DraftItemLine = z.infer<typeof draftItemLineSchema>;

/** Tenders the screen offers (the processor-integrated card and deposits are not rung up here). */
export const SCREEN_TENDER_METHODS = ['cash', 'check', 'external_card', 'gift_card', 'store_credit', 'account'] as const;
export type ScreenTenderMethod = (typeof SCREEN_TENDER_METHODS)[number];

export const draftTenderSchema = z.object({
  id: lineId,
  method: z.enum(SCREEN_TENDER_METHODS),
  amount_cents: cents(1),
  reference: z.string().max(60).optional(),
  last4: z.string().regex(/^\d{4}$/).optional(),
  auth_code: z.string().max(20).optional(),
  gift_card_number: z.string().max(40).optional(),
});
export type DraftTender = z.infer<typeof draftTenderSchema>;

/**
 * A manager's approval given on this screen. The PIN itself is never stored: the approval is bound to the
 * discounts as they were approved (`fingerprint`) and is dropped as soon as they change.
 */
export const draftApprovalSchema = z.object({
  user_id: z.uuid(),
  username: z.string().max(100),
  label: z.string().max(100),
  name: z.string().max(200),
  fingerprint: z.string().max(100_000),
  at: z.string(),
});
export type DraftApproval = z.infer<typeof draftApprovalSchema>;

export const draftDataSchema = z.object({
  lines: z.array(draftLineSchema).max(MAX_LINES).default([]),
  order_discount: draftDiscountSchema.nullable().default(null),
  tenders: z.array(draftTenderSchema).max(20).default([]),
  approval: draftApprovalSchema.nullable().default(null),
  note: z.string().max(1000).default(''),
});
export type DraftData = z.infer<typeof draftDataSchema>;

export const emptyDraftData = (): DraftData => ({ lines: [], order_discount: null, tenders: [], approval: null, note: '' });

/** Reads a row's jsonb; a row written by an older shape degrades to an empty ticket rather than breaking the screen. */
export function parseDraftData(raw: unknown): DraftData {
  const parsed = draftDataSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : emptyDraftData();
}

export const newLineId = () => randomBytes(6).toString('hex');

export const itemLines = (data: DraftData) => data.lines.filter((l): l is DraftItemLine => l.kind === 'item');

/**
 * What a manager's approval covers: every discounted or re-priced line (with its quantity) and the order
 * discount; with an order discount, every item line (its spread and the minimum prices depend on all of them).
 * Adding an undiscounted line to a ticket without an order discount keeps the approval.
 */
export function approvalFingerprint(data: DraftData): string {
  const items = itemLines(data);
  const all = data.order_discount !== null;
  return canonicalJson({
    lines: items.filter((l) => all || l.discount || l.unit_price_cents !== null).map((l) => [l.id, l.product_id, l.unit_id, l.quantity, l.unit_price_cents, l.discount]),
    order: data.order_discount,
  });
}

/** Drops an approval that no longer matches the discounts (call after every change to the ticket). */
export function withCurrentApproval(data: DraftData): DraftData {
  if (data.approval && data.approval.fingerprint !== approvalFingerprint(data)) return { ...data, approval: null };
  return data;
}

/** Placeholder PIN handed to priceSale when the draft already carries an approval (the context answers it). */
export const STORED_APPROVAL_PIN = 'stored-approval';

function discountFields(d: DraftDiscount | null): Pick<SaleLineInput, 'discount_cents' | 'discount_percent_millipercent' | 'named_discount_id'> {
  if (!d) return {};
  if (d.type === 'percent') return { discount_percent_millipercent: d.percent_millipercent };
  if (d.type === 'amount') return { discount_cents: d.amount_cents };
  return { named_discount_id: d.named_discount_id };
}

export function toTenderInput(t: DraftTender): TenderInputApi {
  return {
    method: t.method,
    amount_cents: t.amount_cents,
    ...(t.reference ? { reference: t.reference } : {}),
    ...(t.last4 ? { last4: t.last4 } : {}),
    ...(t.auth_code ? { auth_code: t.auth_code } : {}),
    ...(t.gift_card_number ? { gift_card_number: t.gift_card_number } : {}),
  };
}

/** The core's input for this ticket (lines, order discount, customer, tenders, the stored approval). */
export function toSaleInput(data: DraftData, opts: { accountId: string | null; sessionId: string | null; withTenders: boolean }): SaleInput {
  const od = data.order_discount;
  const approval = data.approval && data.approval.fingerprint === approvalFingerprint(data) ? data.approval : null;
  return {
    ...(opts.sessionId ? { register_session_id: opts.sessionId } : {}),
    ...(opts.accountId ? { account_id: opts.accountId } : {}),
    lines: data.lines.map((l): SaleLineInput => {
      if (l.kind === 'item') {
        return {
          product_id: l.product_id,
          ...(l.unit_id ? { unit_id: l.unit_id } : {}),
          quantity: l.quantity,
          ...(l.unit_price_cents !== null ? { unit_price_cents: l.unit_price_cents } : {}),
          ...discountFields(l.discount),
        };
      }
      if (l.kind === 'gift_card') return { kind: 'gift_card', amount_cents: l.amount_cents, ...(l.gift_card_number ? { gift_card_number: l.gift_card_number } : {}) };
      return { kind: 'account_payment', amount_cents: l.amount_cents };
    }),
    tenders: opts.withTenders ? data.tenders.map(toTenderInput) : [],
    ...(od ? { order_discount: od.type === 'percent' ? { percent_millipercent: od.percent_millipercent } : od.type === 'amount' ? { amount_cents: od.amount_cents } : { named_discount_id: od.named_discount_id } } : {}),
    ...(approval ? { approval: { username: approval.username, pin: STORED_APPROVAL_PIN } } : {}),
    ...(data.note ? { note: data.note } : {}),
  };
}

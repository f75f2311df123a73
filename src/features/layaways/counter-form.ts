import { eq, sql } from 'drizzle-orm';
import { accounts, inventoryUnits, products } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { formString, type FormBody } from '../../server/forms';
import { isUuid } from '../../db/sql-helpers';
import type { z } from 'zod';
import { ServiceError, ValidationError, zodFieldErrors } from '../service-errors';
import type { ApprovalRequest } from '../sales/context';
import { ApprovalRequiredError } from '../sales/context';
import type { TenderInputApi } from '../sales/schemas';
import { GIFT_CARD_NUMBER_RE, normalizeGiftCardNumber } from '../sales/stored-value';
import { readMoney } from '../pos/forms';
import { approversFor, openSessions, pickSession } from '../sales-pages/counter';

/**
 * The counter bits the layaway, special-order, trade-in and trial pages share: one payment (amount, how it is
 * paid, which drawer), a manager's approval (views/sales/_approval.eta), the account typed by its number, an
 * item typed as SKU / UPC / serial, and service errors moved next to the form's fields. Readers never throw:
 * they return values and messages.
 */

export type Errors = Record<string, string>;

export const FORM_TENDER_METHODS = ['cash', 'check', 'external_card', 'store_credit', 'gift_card', 'account'] as const;
export const TENDER_METHOD_LABELS: Record<(typeof FORM_TENDER_METHODS)[number], string> = { cash: 'Cash', check: 'Check', external_card: 'Card (terminal)', store_credit: 'Store credit', gift_card: 'Gift card', account: 'Charge to account' };
export const PAYMENT_FIELDS = ['amount', 'tender_method', 'tender_amount', 'tender_reference', 'tender_last4', 'tender_auth_code', 'register_session_id'] as const;

export interface PaymentForm {
  values: Record<string, string>;
  /** Null when the form left the payment blank (allowed where the payment is optional). */
  amountCents: number | null;
  tenders: TenderInputApi[];
  registerSessionId: string | undefined;
}

/**
 * A payment: `amount` (what goes to the layaway / order; blank allowed when `optional`), paid by one tender
 * (`tender_method`, `tender_amount` — blank = the amount; cash may be more and gives change —, check number
 * or gift card number in `tender_reference`, card `tender_last4` + `tender_auth_code`) through the chosen
 * drawer session. With `amountField: false` there is no amount: the tender pays what the service says is due.
 */
export function readPaymentForm(body: FormBody, errors: Errors, opts: { optional?: boolean; amountField?: boolean } = {}): PaymentForm {
  const values: Record<string, string> = Object.fromEntries(PAYMENT_FIELDS.map((k) => [k, formString(body, k).trim()]));
  const withAmount = opts.amountField !== false;
  const amount = withAmount ? readMoney(values.amount, 'amount', 'The amount', errors, { optional: opts.optional, min: 1 }) : null;
  const registerSessionId = isUuid(values.register_session_id) ? values.register_session_id : undefined;
  if (withAmount && amount === null) return { values, amountCents: null, tenders: [], registerSessionId };
  if (!withAmount && !values.tender_method && !values.tender_amount) return { values, amountCents: null, tenders: [], registerSessionId };
  const method = values.tender_method as (typeof FORM_TENDER_METHODS)[number];
  if (!(FORM_TENDER_METHODS as readonly string[]).includes(method)) {
    errors.tender_method = 'Choose how the customer pays.';
    return { values, amountCents: amount, tenders: [], registerSessionId };
  }
  const tendered = values.tender_amount ? readMoney(values.tender_amount, 'tender_amount', 'The amount tendered', errors, { min: 1 }) : withAmount ? amount : readMoney('', 'tender_amount', 'The amount paid', errors);
  const tender: TenderInputApi = { method, amount_cents: tendered ?? 0 };
  if (method === 'check') {
    if (!values.tender_reference) errors.tender_reference = 'Enter the check number.';
    else if (values.tender_reference.length > 30) errors.tender_reference = 'A check number is at most 30 characters.';
    else tender.reference = values.tender_reference;
  } else if (method === 'gift_card') {
    const number = normalizeGiftCardNumber(values.tender_reference);
    if (!number) errors.tender_reference = 'Scan or type the gift card number.';
    else if (!GIFT_CARD_NUMBER_RE.test(number)) errors.tender_reference = 'A gift card number is 6–30 digits, capital letters or dashes.';
    else tender.gift_card_number = number;
  } else if (method === 'external_card') {
    if (!/^\d{4}$/.test(values.tender_last4)) errors.tender_last4 = 'Enter the last 4 digits of the card.';
    else tender.last4 = values.tender_last4;
    if (!values.tender_auth_code) errors.tender_auth_code = 'Enter the auth code from the terminal slip.';
    else if (values.tender_auth_code.length > 20 || !/^[\x21-\x7e]+$/.test(values.tender_auth_code)) errors.tender_auth_code = 'The auth code is up to 20 letters and digits.';
    else tender.auth_code = values.tender_auth_code;
  }
  if ((method === 'cash' || method === 'check') && !registerSessionId) errors.register_session_id = 'Cash and checks go into a drawer: choose the open drawer session.';
  return { values, amountCents: amount, tenders: [tender], registerSessionId };
}

/** The manager's approval typed into a form (views/sales/_approval.eta): both fields or neither. */
export function readApproval(body: FormBody, errors: Errors): { approval: ApprovalRequest | undefined; values: Record<string, string> } {
  const username = formString(body, 'approver_username').trim();
  const pin = formString(body, 'approver_pin').trim();
  if (pin && !username) errors.approver_username = 'Pick the manager who approves.';
  if (username && !pin) errors.approver_pin = "Enter the manager's PIN.";
  if (pin.length > 20) errors.approver_pin = 'A PIN is 4 to 6 digits.';
  // The PIN is never sent back into the page.
  return { approval: username && pin && pin.length <= 20 ? { username, pin } : undefined, values: { approver_username: username } };
}

/** What a one-time form key stores a hash of: never the PIN (a 4–6 digit search would recover it). */
export const withoutPin = <T extends { approval?: ApprovalRequest }>(input: T) => ({ ...input, approval: input.approval ? { username: input.approval.username } : undefined });

/** Field names of the services (API shape) → the form controls that show them. */
const FIELD_MAP: [RegExp, string][] = [
  [/^(deposit\.)?amount_cents$/, 'amount'],
  [/^(deposit\.)?tenders(\.\d+)?\.(reference|gift_card_number)$/, 'tender_reference'],
  [/^(deposit\.)?tenders(\.\d+)?\.last4$/, 'tender_last4'],
  [/^(deposit\.)?tenders(\.\d+)?\.auth_code$/, 'tender_auth_code'],
  [/^(deposit\.)?tenders(\.\d+)?\.method$/, 'tender_method'],
  [/^(deposit\.)?tenders(\.\d+)?(\.amount_cents)?$/, 'tender_amount'],
  [/^store_credit$/, 'tender_amount'],
  [/^(deposit\.)?register_session_id$/, 'register_session_id'],
  [/^account_id$/, 'account'],
  [/^approval\.username$/, 'approver_username'],
  [/^approval\.pin$/, 'approver_pin'],
];

/**
 * A failed money form's messages, next to the fields (`rename` first, then the shared map) and the status to
 * answer with; a 404 is rethrown (the error page). A needed approval opens the PIN box.
 */
export function formErrors(err: unknown, rename: Record<string, string> = {}): { errors: Errors; status: number } {
  if (!(err instanceof ServiceError) || err.status === 404) throw err;
  if (err instanceof ApprovalRequiredError) return { errors: { approval: err.message }, status: 403 };
  if (err.code === 'idempotency_mismatch') return { errors: { _: 'This form was already sent with other values. Reload the page to start again.' }, status: 409 };
  if (err.code === 'in_progress') return { errors: { _: 'Your first click is still being recorded. Wait a moment, then reload the page.' }, status: 409 };
  const errors: Errors = {};
  for (const [k, v] of Object.entries(err.fields)) {
    const to = rename[k] ?? FIELD_MAP.find(([re]) => re.test(k))?.[1] ?? k;
    if (!errors[to]) errors[to] = v;
  }
  if (!(Object.keys(errors).length && err.status === 422)) errors._ = err.message;
  return { errors, status: err.status };
}

/** A schema's refusal of what a form built, as form messages (the form's own checks catch nearly everything first). */
export const schemaErrors = (error: z.ZodError, rename: Record<string, string> = {}): Errors => formErrors(new ValidationError(zodFieldErrors(error)), rename).errors;

/** Open drawer sessions for the drawer select, and the one to preselect (this PC's register, or the only one). */
export async function drawerChoices(db: DbOrTx, ctx: any) {
  const sessions = await openSessions(db);
  // The sale screen remembers this PC's register in a cookie; the sale pages read the same one.
  const picked = pickSession(sessions, ctx.cookies?.forte_pos_register ?? ctx.cookies?.forte_register, ctx.user?.id ?? null);
  return { options: [{ value: '', label: sessions.length ? 'Choose…' : 'No drawer is open' }, ...sessions.map((s) => ({ value: s.id, label: `${s.registerName} — ${s.number}` }))], preselect: picked.sessionId ?? '' };
}

export const approversOf = approversFor;

/** An account typed by its number (or given by id, from a link): its id, or a message for the field. */
export async function resolveAccount(db: DbOrTx, raw: string): Promise<{ id?: string; name?: string; error?: string }> {
  const text = raw.trim();
  if (!text) return { error: 'Enter the account number (on the customer’s page).' };
  const where = isUuid(text) ? eq(accounts.id, text) : /^\d{1,12}$/.test(text) ? eq(accounts.number, text) : null;
  if (!where) return { error: 'Enter the account number, e.g. 104233.' };
  const [row] = await db.select({ id: accounts.id, name: accounts.name, active: accounts.isActive }).from(accounts).where(where);
  if (!row) return { error: `No account with number ${text}.` };
  if (!row.active) return { error: `${row.name} is inactive.` };
  return { id: row.id, name: row.name };
}

/** A product typed as SKU or UPC: its id and kind, or a message. */
export async function resolveProduct(db: DbOrTx, raw: string): Promise<{ id?: string; kind?: string; sku?: string; error?: string }> {
  const code = raw.trim();
  if (!code) return { error: 'Enter the SKU or UPC.' };
  if (code.length > 100) return { error: 'That is not a SKU or UPC.' };
  const [p] = await db
    .select({ id: products.id, kind: products.kind, sku: products.sku })
    .from(products)
    .where(sql`lower(${products.sku}) = ${code.toLowerCase()} or ${products.upc} = ${code}`)
    .orderBy(sql`lower(${products.sku}) = ${code.toLowerCase()} desc`)
    .limit(1);
  return p ?? { error: `No product with SKU or UPC ${code}.` };
}

/** A unit typed by its serial number: its id, or a message (a serial found under two products is ambiguous). */
export async function resolveUnit(db: DbOrTx, raw: string): Promise<{ id?: string; error?: string }> {
  const serial = raw.trim();
  if (!serial) return { error: 'Enter the serial number.' };
  if (serial.length > 100) return { error: 'That is not a serial number.' };
  const units = await db.select({ id: inventoryUnits.id }).from(inventoryUnits).where(sql`lower(${inventoryUnits.serialNumber}) = ${serial.toLowerCase()}`).limit(2);
  if (units.length === 0) return { error: `No unit with serial number ${serial}.` };
  if (units.length > 1) return { error: `Serial ${serial} is on more than one product; open the unit's page and start from there.` };
  return { id: units[0].id };
}

/** An item line typed at the counter: a stock item by SKU/UPC, or a serialized unit by its serial number. */
export async function resolveItem(db: DbOrTx, raw: string): Promise<{ productId?: string; unitId?: string; error?: string }> {
  const product = await resolveProduct(db, raw);
  if (product.id) return product.kind === 'serialized' ? { error: `${product.sku} is serialized: type the unit's serial number instead.` } : { productId: product.id };
  const unit = await resolveUnit(db, raw);
  return unit.id ? { unitId: unit.id } : { error: `No product (SKU/UPC) or unit (serial) ${raw.trim()}.` };
}

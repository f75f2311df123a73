import { formString, type FormBody } from '../../server/forms';
import { centsToDecimalString, formatCents, parseMoneyToCents } from '../../domain/money';
import { formatMillipercent, parseRateToMillipercent } from '../../domain/rounding';
import { isUuid } from '../../db/sql-helpers';
import { MAX_DOCUMENT_CENTS, MAX_QUANTITY } from '../sales/schemas';
import { GIFT_CARD_NUMBER_RE, normalizeGiftCardNumber } from '../sales/stored-value';
import { SCREEN_TENDER_METHODS, type DraftDiscount, type DraftTender, type ScreenTenderMethod } from './draft';

/**
 * The sale screen's small forms, read into draft values: each reader returns the value or a message for the
 * field (shown next to it), never throws. Amounts are typed like 12.50 (a $ allowed); a discount is "10%"
 * (percent, up to 3 decimals) or an amount like 2.50, or a named discount picked from the list.
 */

export type Errors = Record<string, string>;

export const QUANTITY_MESSAGE = `Quantity must be a whole number from 1 to ${MAX_QUANTITY}.`;

export function readQuantity(raw: string, field: string, errors: Errors): number {
  const text = raw.trim();
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > MAX_QUANTITY) {
    errors[field] = QUANTITY_MESSAGE;
    return 1;
  }
  return Number(text);
}

/** An amount (blank allowed when `optional`): cents, or an error next to the field. */
export function readMoney(raw: string, field: string, label: string, errors: Errors, opts: { optional?: boolean; min?: number } = {}): number | null {
  const text = raw.replace(/^\s*\$/, '').trim();
  if (!text) {
    if (!opts.optional) errors[field] = `Enter ${label.toLowerCase()}.`;
    return null;
  }
  const cents = text.length > 20 ? null : parseMoneyToCents(text);
  if (cents === null || cents < 0) {
    errors[field] = `${label} must be an amount like 12.50.`;
    return null;
  }
  if (cents < (opts.min ?? 0)) {
    errors[field] = `${label} must be more than $0.00.`;
    return null;
  }
  if (cents > MAX_DOCUMENT_CENTS) {
    errors[field] = `${label} can be at most $1,000,000.00.`;
    return null;
  }
  return cents;
}

export interface NamedDiscountOption {
  id: string;
  name: string;
  description: string;
}

/**
 * A discount from the two inputs: `discount` ("10%" or "2.50", blank = none) and `named_discount_id` (one of the
 * active named discounts, blank = none). Both given is an error.
 */
export function readDiscount(body: FormBody, keys: { text: string; named: string }, named: NamedDiscountOption[], errors: Errors): DraftDiscount | null {
  const text = formString(body, keys.text).trim();
  const namedId = formString(body, keys.named).trim();
  if (text && namedId) {
    errors[keys.text] = 'Give a named discount or a typed one, not both.';
    return null;
  }
  if (namedId) {
    const d = isUuid(namedId) ? named.find((n) => n.id === namedId) : undefined;
    if (!d) {
      errors[keys.named] = 'Pick one of the named discounts.';
      return null;
    }
    return { type: 'named', named_discount_id: d.id, label: d.name };
  }
  if (!text) return null;
  if (text.endsWith('%')) {
    const rate = text.length > 12 ? null : parseRateToMillipercent(text.slice(0, -1).trim());
    if (rate === null || rate <= 0) {
      errors[keys.text] = 'A percent discount is more than 0% and at most 100%, like 10% or 12.5%.';
      return null;
    }
    return { type: 'percent', percent_millipercent: rate };
  }
  const cents = readMoney(text, keys.text, 'The discount', errors, { min: 1 });
  if (cents === null) {
    errors[keys.text] = 'Type a discount like 10% (percent) or 2.50 (amount).';
    return null;
  }
  return { type: 'amount', amount_cents: cents };
}

/** What the discount field shows for a discount already on the ticket. */
export function discountFieldValue(d: DraftDiscount | null): { text: string; named: string } {
  if (!d) return { text: '', named: '' };
  if (d.type === 'named') return { text: '', named: d.named_discount_id };
  if (d.type === 'percent') return { text: formatMillipercent(d.percent_millipercent), named: '' };
  return { text: centsToDecimalString(d.amount_cents), named: '' };
}

export const TENDER_FIELD_LABELS: Record<ScreenTenderMethod, string> = {
  cash: 'Cash',
  check: 'Check',
  external_card: 'Card (terminal)',
  gift_card: 'Gift card',
  store_credit: 'Store credit',
  account: 'Charge to account',
};

/** A tender from the payment form; `amount` may come from a quick button (exact, next $5…). */
export function readTender(body: FormBody, errors: Errors): Omit<DraftTender, 'id'> | null {
  const method = formString(body, 'method').trim() as ScreenTenderMethod;
  if (!(SCREEN_TENDER_METHODS as readonly string[]).includes(method)) {
    errors.method = 'Choose how the customer pays.';
    return null;
  }
  const amount = readMoney(formString(body, 'amount'), 'tender_amount', 'The amount', errors, { min: 1 });
  const out: Omit<DraftTender, 'id'> = { method, amount_cents: amount ?? 0 };
  if (method === 'check') {
    const ref = formString(body, 'check_number').trim();
    if (!ref) errors.check_number = 'Enter the check number.';
    else if (ref.length > 30) errors.check_number = 'A check number is at most 30 characters.';
    else out.reference = ref;
  } else if (method === 'external_card') {
    const last4 = formString(body, 'last4').trim();
    const auth = formString(body, 'auth_code').trim();
    if (!/^\d{4}$/.test(last4)) errors.last4 = 'Enter the last 4 digits of the card.';
    else out.last4 = last4;
    if (!auth) errors.auth_code = 'Enter the auth code from the terminal slip.';
    else if (auth.length > 20 || !/^[\x21-\x7e]+$/.test(auth)) errors.auth_code = 'The auth code is up to 20 letters and digits.';
    else out.auth_code = auth;
  } else if (method === 'gift_card') {
    const number = normalizeGiftCardNumber(formString(body, 'tender_gift_card'));
    if (!number) errors.tender_gift_card = 'Scan or type the gift card number.';
    else if (!GIFT_CARD_NUMBER_RE.test(number)) errors.tender_gift_card = 'A gift card number is 6–30 digits, capital letters or dashes.';
    else out.gift_card_number = number;
  }
  return Object.keys(errors).length ? null : out;
}

/** Quick cash amounts for what is due: exact, then the next $5, $10 and $20 above it (each shown once). */
export function quickCashAmounts(dueCents: number): { label: string; cents: number }[] {
  if (dueCents <= 0) return [];
  const out: { label: string; cents: number }[] = [{ label: 'Exact', cents: dueCents }];
  for (const step of [500, 1000, 2000]) {
    const cents = dueCents + ((step - (dueCents % step)) % step); // the next multiple of step, in integers
    if (!out.some((o) => o.cents === cents)) out.push({ label: formatCents(cents).replace(/\.00$/, ''), cents });
  }
  return out;
}

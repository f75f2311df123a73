import { formString, type FormBody } from '../../server/forms';
import { centsToDecimalString, parseMoneyToCents } from '../../domain/money';
import type { AccountRow } from './account-service';
import type { MemberRow } from './member-service';

/**
 * HTML forms send strings; the shared Zod schemas expect JSON types. These turn a form body into the
 * schema's input (leaving unparseable text in place so the schema reports it next to the field) and keep
 * the raw strings for re-rendering the form exactly as typed.
 */
export type FormValues = Record<string, string>;

const ACCOUNT_FIELDS = ['name', 'type', 'email', 'phone', 'phone2', 'address_line1', 'address_line2', 'city', 'region', 'postal_code', 'country', 'billing_mode', 'billing_day', 'charge_allowed', 'credit_limit', 'notes', 'tags', 'legacy_id'] as const;
const MEMBER_FIELDS = ['first_name', 'last_name', 'date_of_birth', 'minor', 'email', 'phone', 'school', 'grade', 'teacher', 'notes', 'legacy_id'] as const;

export function readFields(body: FormBody, names: readonly string[]): FormValues {
  return Object.fromEntries(names.map((n) => [n, formString(body, n)]));
}

export const accountFormValues = (body: FormBody) => readFields(body, ACCOUNT_FIELDS);
export const memberFormValues = (body: FormBody) => readFields(body, MEMBER_FIELDS);

const wholeNumber = (s: string): number | string | null => (s.trim() === '' ? null : /^\d{1,6}$/.test(s.trim()) ? Number(s.trim()) : s);

export function accountInputFromForm(v: FormValues): { input: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  let creditLimit: number | undefined = 0;
  if (v.credit_limit.trim() !== '') {
    const cents = parseMoneyToCents(v.credit_limit);
    if (cents === null) errors.credit_limit = 'Enter an amount such as 500 or 500.00.';
    else creditLimit = cents;
  }
  const input = {
    name: v.name,
    type: v.type,
    email: v.email,
    phone: v.phone,
    phone2: v.phone2,
    address_line1: v.address_line1,
    address_line2: v.address_line2,
    city: v.city,
    region: v.region,
    postal_code: v.postal_code,
    country: v.country,
    billing_mode: v.billing_mode,
    billing_day: wholeNumber(v.billing_day),
    charge_allowed: v.charge_allowed === '1',
    credit_limit_cents: errors.credit_limit ? undefined : creditLimit,
    notes: v.notes,
    tags: v.tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    legacy_id: v.legacy_id,
  };
  return { input, errors };
}

/** The credit limit field is typed in dollars; schema errors about cents belong next to it. */
export function accountFormErrors(errors: Record<string, string>): Record<string, string> {
  const out = { ...errors };
  if (out.credit_limit_cents) {
    out.credit_limit = out.credit_limit_cents.replace('a whole number of cents', 'an amount such as 500.00');
    delete out.credit_limit_cents;
  }
  return out;
}

export function accountFormFromRow(a: AccountRow): FormValues {
  return {
    name: a.name,
    type: a.type,
    email: a.email ?? '',
    phone: a.phone ?? '',
    phone2: a.phone2 ?? '',
    address_line1: a.addressLine1,
    address_line2: a.addressLine2,
    city: a.city,
    region: a.region,
    postal_code: a.postalCode,
    country: a.country,
    billing_mode: a.billingMode,
    billing_day: a.billingDay === null ? '' : String(a.billingDay),
    charge_allowed: a.chargeAllowed ? '1' : '',
    credit_limit: centsToDecimalString(a.creditLimitCents),
    notes: a.notes,
    tags: a.tags.join(', '),
    legacy_id: a.legacyId ?? '',
  };
}

/** The minor select: "auto" = derive from the date of birth, "yes"/"no" = staff's explicit flag. */
export function memberInputFromForm(v: FormValues): Record<string, unknown> {
  return {
    first_name: v.first_name,
    last_name: v.last_name,
    date_of_birth: v.date_of_birth,
    is_minor: v.minor === 'yes' ? true : v.minor === 'no' ? false : v.minor === 'auto' || v.minor === '' ? null : v.minor,
    email: v.email,
    phone: v.phone,
    school: v.school,
    grade: v.grade,
    teacher: v.teacher,
    notes: v.notes,
    legacy_id: v.legacy_id,
  };
}

export function memberFormErrors(errors: Record<string, string>): Record<string, string> {
  const out = { ...errors };
  if (out.is_minor) {
    out.minor = 'Pick "From date of birth", "Minor" or "Adult".';
    delete out.is_minor;
  }
  return out;
}

export function memberFormFromRow(m: MemberRow): FormValues {
  return {
    first_name: m.firstName,
    last_name: m.lastName,
    date_of_birth: m.dateOfBirth ?? '',
    minor: m.minorOverride === null ? 'auto' : m.minorOverride ? 'yes' : 'no',
    email: m.email ?? '',
    phone: m.phone ?? '',
    school: m.school,
    grade: m.grade,
    teacher: m.teacher,
    notes: m.notes,
    legacy_id: m.legacyId ?? '',
  };
}

import { z } from 'zod';
import { isValidBusinessDate } from '../../domain/business-date';
import { PHONE_PATTERN, phoneDigits } from '../../domain/phone';

/**
 * One schema per input, shared by the HTML forms (which convert form strings into these types first) and
 * the API. Fields left out mean "database default" on create and "keep" on PATCH, so the create and
 * update schemas are the same shape made optional (no Zod defaults that would overwrite on PATCH).
 */

export const ACCOUNT_TYPES = ['individual', 'family', 'business', 'school'] as const;
export const BILLING_MODES = ['consolidated', 'split'] as const;
export const ID_DOC_TYPES = ['drivers_license', 'state_id', 'passport', 'other'] as const;
export const EXEMPTION_INPUT_STATUSES = ['pending', 'approved'] as const;
export const ACCOUNT_SORTS = ['number', 'name', 'type', 'created_at', 'updated_at'] as const;
export const MEMBER_SORTS = ['last_name', 'first_name', 'number', 'date_of_birth', 'created_at'] as const;

const text = (max: number, label: string) => z.string({ error: `${label} must be text.` }).trim().max(max, `${label} must be at most ${max} characters.`);
const requiredText = (max: number, label: string) => z.string({ error: `${label} is required.` }).trim().min(1, `${label} is required.`).max(max, `${label} must be at most ${max} characters.`);
/** Text that may be cleared: '' and null both store NULL. */
const clearable = (max: number, label: string) =>
  z
    .string({ error: `${label} must be text.` })
    .trim()
    .max(max, `${label} must be at most ${max} characters.`)
    .nullable()
    .transform((v) => (v ? v : null));

export const emailField = clearable(200, 'Email').refine((v) => v === null || z.email().safeParse(v).success, 'Enter a valid email address.');
export const phoneField = (label: string) =>
  clearable(40, label)
    .refine((v) => v === null || PHONE_PATTERN.test(v), 'Use digits, spaces and + ( ) - . only (an extension as x123).')
    .refine((v) => v === null || !PHONE_PATTERN.test(v) || (phoneDigits(v)?.length ?? 0) >= 7, `${label} needs at least 7 digits.`);
export const dateField = (label: string) =>
  z
    .string({ error: `${label} must be a date (YYYY-MM-DD).` })
    .trim()
    .nullable()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || isValidBusinessDate(v), `${label} must be a real date written YYYY-MM-DD.`);

const accountShape = {
  name: requiredText(120, 'Name'),
  type: z.enum(ACCOUNT_TYPES, { error: 'Type must be individual, family, business or school.' }),
  email: emailField,
  phone: phoneField('Phone'),
  phone2: phoneField('Second phone'),
  address_line1: text(200, 'Address line 1'),
  address_line2: text(200, 'Address line 2'),
  city: text(100, 'City'),
  region: text(100, 'State/region'),
  postal_code: text(20, 'Postal code'),
  country: text(2, 'Country').regex(/^([A-Za-z]{2})?$/, 'Country must be a 2-letter code such as US.').transform((v) => v.toUpperCase() || 'US'),
  billing_mode: z.enum(BILLING_MODES, { error: 'Billing mode must be consolidated or split.' }),
  billing_day: z
    .number({ error: 'Billing day must be a whole number from 1 to 28.' })
    .int('Billing day must be a whole number from 1 to 28.')
    .min(1, 'Billing day must be a whole number from 1 to 28.')
    .max(28, 'Billing day must be a whole number from 1 to 28.')
    .nullable(),
  charge_allowed: z.boolean({ error: 'Charge allowed must be true or false.' }),
  credit_limit_cents: z
    .number({ error: 'Credit limit must be a whole number of cents.' })
    .int('Credit limit must be a whole number of cents.')
    .min(0, 'Credit limit cannot be negative.')
    .max(100_000_000, 'Credit limit must be at most 1,000,000.00.'),
  notes: text(2000, 'Notes'),
  tags: z
    .array(text(40, 'Tag').min(1, 'Tags cannot be empty.'), { error: 'Tags must be a list of words.' })
    .max(20, 'At most 20 tags.')
    .transform((tags) => [...new Set(tags.map((t) => t.toLowerCase()))]),
  legacy_id: clearable(100, 'Legacy id'),
};

export const createAccountSchema = z
  .object(accountShape)
  .partial()
  .extend({
    name: accountShape.name,
    /** Create even though the email or phone matches another active account. */
    confirm_duplicate: z.boolean({ error: 'confirm_duplicate must be true or false.' }).optional(),
  })
  .strict();
export type CreateAccountInput = z.infer<typeof createAccountSchema>;

export const updateAccountSchema = z
  .object(accountShape)
  .partial()
  .extend({ is_active: z.boolean({ error: 'is_active must be true or false.' }).optional() })
  .strict();
export type UpdateAccountInput = z.infer<typeof updateAccountSchema>;

const memberShape = {
  first_name: requiredText(60, 'First name'),
  last_name: requiredText(60, 'Last name'),
  date_of_birth: dateField('Date of birth').refine((v) => v === null || v >= '1900-01-01', 'Date of birth must be after 1900.'),
  /** Staff's explicit minor flag; null = derive from the date of birth. */
  is_minor: z.boolean({ error: 'is_minor must be true, false or null.' }).nullable(),
  email: emailField,
  phone: phoneField('Phone'),
  school: text(120, 'School'),
  grade: text(20, 'Grade'),
  teacher: text(120, 'Teacher'),
  notes: text(2000, 'Notes'),
  legacy_id: clearable(100, 'Legacy id'),
};

export const createMemberSchema = z
  .object(memberShape)
  .partial()
  .extend({ first_name: memberShape.first_name, last_name: memberShape.last_name })
  .strict();
export type CreateMemberInput = z.infer<typeof createMemberSchema>;

export const updateMemberSchema = z.object(memberShape).partial().strict();
export type UpdateMemberInput = z.infer<typeof updateMemberSchema>;

export const moveMemberSchema = z
  .object({
    to_account_id: z.uuid({ error: 'Pick the account to move to.' }),
    reason: requiredText(500, 'Reason'),
  })
  .strict();
export type MoveMemberInput = z.infer<typeof moveMemberSchema>;

export const identityDocumentSchema = z
  .object({
    doc_type: z.enum(ID_DOC_TYPES, { error: "Type must be driver's license, state ID, passport or other." }),
    number: requiredText(60, 'Document number'),
    issuing_region: text(60, 'Issuing state/region').optional(),
    expires_on: dateField('Expiry date').optional(),
    notes: text(500, 'Notes').optional(),
  })
  .strict();
export type IdentityDocumentInput = z.infer<typeof identityDocumentSchema>;

export const taxExemptionSchema = z
  .object({
    certificate_number: text(60, 'Certificate number').optional(),
    issuing_state: text(60, 'Issuing state').optional(),
    expires_on: dateField('Expiry date').optional(),
    status: z.enum(EXEMPTION_INPUT_STATUSES, { error: 'Status must be pending or approved.' }).optional(),
    notes: text(500, 'Notes').optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    // Same rule as the tax_exemptions_approval_check constraint, reported per field.
    if (v.status !== 'approved') return;
    if (!v.certificate_number) ctx.addIssue({ code: 'custom', path: ['certificate_number'], message: 'An approved exemption needs the certificate number.' });
    if (!v.expires_on) ctx.addIssue({ code: 'custom', path: ['expires_on'], message: 'An approved exemption needs the expiry date.' });
  });
export type TaxExemptionInput = z.infer<typeof taxExemptionSchema>;

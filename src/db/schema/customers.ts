import { pgTable, text, timestamp, boolean, uuid, integer, bigint, date, index, uniqueIndex, check, bigserial } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** Who pays: a family, an adult, a business, a school. Numbers are random unique 6-digit strings. */
export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull().unique(),
    name: text('name').notNull(),
    type: text('type').notNull().default('individual'),
    email: text('email'),
    phone: text('phone'),
    /** Digits of `phone` only: searched by prefix and compared for duplicate warnings. */
    phoneDigits: text('phone_digits').generatedAlwaysAs(sql`nullif(regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'), '')`),
    phone2: text('phone2'),
    addressLine1: text('address_line1').notNull().default(''),
    addressLine2: text('address_line2').notNull().default(''),
    city: text('city').notNull().default(''),
    region: text('region').notNull().default(''),
    postalCode: text('postal_code').notNull().default(''),
    country: text('country').notNull().default('US'),
    billingMode: text('billing_mode').notNull().default('consolidated'),
    billingDay: integer('billing_day'),
    chargeAllowed: boolean('charge_allowed').notNull().default(false),
    creditLimitCents: bigint('credit_limit_cents', { mode: 'number' }).notNull().default(0),
    notes: text('notes').notNull().default(''),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    primaryMemberId: uuid('primary_member_id'),
    isActive: boolean('is_active').notNull().default(true),
    legacyId: text('legacy_id').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('accounts_type_check', sql`${t.type} in ('individual', 'family', 'business', 'school')`),
    check('accounts_billing_mode_check', sql`${t.billingMode} in ('consolidated', 'split')`),
    check('accounts_billing_day_check', sql`${t.billingDay} is null or ${t.billingDay} between 1 and 28`),
    check('accounts_credit_limit_check', sql`${t.creditLimitCents} >= 0`),
    check('accounts_number_check', sql`${t.number} ~ '^[0-9]{6}$'`),
    index('accounts_email_lower_idx').on(sql`lower(${t.email})`),
  ],
);

/** A person on an account (renter, student, repair customer). */
export const members = pgTable(
  'members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull().unique(),
    accountId: uuid('account_id').notNull().references(() => accounts.id),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    dateOfBirth: date('date_of_birth', { mode: 'string' }),
    /** Staff's explicit minor flag; null = derived from the date of birth. */
    minorOverride: boolean('minor_override'),
    email: text('email'),
    phone: text('phone'),
    phoneDigits: text('phone_digits').generatedAlwaysAs(sql`nullif(regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'), '')`),
    school: text('school').notNull().default(''),
    grade: text('grade').notNull().default(''),
    teacher: text('teacher').notNull().default(''),
    notes: text('notes').notNull().default(''),
    isActive: boolean('is_active').notNull().default(true),
    legacyId: text('legacy_id').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('members_account_idx').on(t.accountId), check('members_number_check', sql`${t.number} ~ '^[0-9]{6}$'`)],
);

/** When a member moves households the history follows them; this records each move. */
export const memberMoves = pgTable('member_moves', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  memberId: uuid('member_id').notNull().references(() => members.id),
  fromAccountId: uuid('from_account_id').notNull().references(() => accounts.id),
  toAccountId: uuid('to_account_id').notNull().references(() => accounts.id),
  reason: text('reason').notNull().default(''),
  movedAt: timestamp('moved_at', { withTimezone: true }).notNull().defaultNow(),
  movedByUserId: uuid('moved_by_user_id'),
});

export const identityDocuments = pgTable(
  'identity_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id').notNull().references(() => members.id),
    docType: text('doc_type').notNull(),
    number: text('number').notNull(),
    issuingRegion: text('issuing_region').notNull().default(''),
    expiresOn: date('expires_on', { mode: 'string' }),
    notes: text('notes').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('identity_documents_member_idx').on(t.memberId), check('identity_documents_type_check', sql`${t.docType} in ('drivers_license', 'state_id', 'passport', 'other')`)],
);

/** Sales-tax exemption certificate of an account. An approved certificate past its expiry no longer exempts. */
export const taxExemptions = pgTable(
  'tax_exemptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id').notNull().references(() => accounts.id),
    certificateNumber: text('certificate_number').notNull().default(''),
    issuingState: text('issuing_state').notNull().default(''),
    expiresOn: date('expires_on', { mode: 'string' }),
    status: text('status').notNull().default('pending'),
    approvedByUserId: uuid('approved_by_user_id'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    notes: text('notes').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('tax_exemptions_account_idx').on(t.accountId),
    check('tax_exemptions_status_check', sql`${t.status} in ('none', 'pending', 'approved', 'expired')`),
    check('tax_exemptions_approval_check', sql`${t.status} <> 'approved' or (${t.certificateNumber} <> '' and ${t.expiresOn} is not null)`),
  ],
);

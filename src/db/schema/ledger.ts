import { pgTable, text, timestamp, boolean, uuid, integer, bigint, bigserial, date, index, uniqueIndex, check, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * The double-entry journal (accounting-reports.md "The journal"). Balance and immutability are enforced by
 * the database itself (triggers in migration 0009_ledger_rules), not only by src/features/ledger.
 */

export const LEDGER_ACCOUNT_TYPES = ['asset', 'liability', 'equity', 'revenue', 'contra_revenue', 'expense'] as const;

/**
 * Chart of accounts. `code` and `name` mirror the store's QuickBooks and may be edited; `system_key` is the
 * stable name the posting rules use ('cash_drawer', 'inventory', …) and never changes once set.
 */
export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    type: text('type').notNull(),
    normalSide: text('normal_side').notNull(),
    systemKey: text('system_key'),
    parentId: uuid('parent_id').references((): AnyPgColumn => ledgerAccounts.id),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ledger_accounts_code_key').on(t.code),
    uniqueIndex('ledger_accounts_name_lower_key').on(sql`lower(${t.name})`),
    uniqueIndex('ledger_accounts_system_key_key').on(t.systemKey),
    check('ledger_accounts_type_check', sql`${t.type} in ('asset', 'liability', 'equity', 'revenue', 'contra_revenue', 'expense')`),
    check('ledger_accounts_normal_side_check', sql`${t.normalSide} in ('debit', 'credit')`),
    check('ledger_accounts_code_check', sql`length(${t.code}) between 1 and 20`),
    check('ledger_accounts_name_check', sql`length(${t.name}) between 1 and 100`),
  ],
);

/** One business event's posting: gap-free number JE-000001, the store's business date, what caused it. */
export const journalEntries = pgTable(
  'journal_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull(),
    entryDate: date('entry_date', { mode: 'string' }).notNull(),
    eventType: text('event_type').notNull(),
    /** What the entry is about, e.g. 'stock_movement' + its id, 'inventory_unit' + its id. */
    sourceType: text('source_type').notNull(),
    sourceId: text('source_id'),
    memo: text('memo').notNull().default(''),
    /** Set on a reversing entry; unique, so an entry can be reversed only once. */
    reversesEntryId: uuid('reverses_entry_id').references((): AnyPgColumn => journalEntries.id),
    createdByUserId: uuid('created_by_user_id'),
    createdByLabel: text('created_by_label').notNull().default('system'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('journal_entries_number_key').on(t.number),
    uniqueIndex('journal_entries_reverses_key').on(t.reversesEntryId),
    index('journal_entries_date_idx').on(t.entryDate, t.number),
    index('journal_entries_source_idx').on(t.sourceType, t.sourceId),
    check('journal_entries_not_self_reversal_check', sql`${t.reversesEntryId} is null or ${t.reversesEntryId} <> ${t.id}`),
  ],
);

/** A line of an entry: exactly one of debit/credit is positive. `party` names the customer/supplier (QuickBooks "name"). */
export const journalLines = pgTable(
  'journal_lines',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => journalEntries.id),
    lineNo: integer('line_no').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    debitCents: bigint('debit_cents', { mode: 'number' }).notNull().default(0),
    creditCents: bigint('credit_cents', { mode: 'number' }).notNull().default(0),
    memo: text('memo').notNull().default(''),
    partyType: text('party_type'),
    partyId: uuid('party_id'),
  },
  (t) => [
    uniqueIndex('journal_lines_entry_line_key').on(t.entryId, t.lineNo),
    index('journal_lines_account_idx').on(t.accountId),
    check('journal_lines_amount_check', sql`${t.debitCents} >= 0 and ${t.creditCents} >= 0 and (${t.debitCents} > 0) <> (${t.creditCents} > 0)`),
    check('journal_lines_party_check', sql`(${t.partyType} is null) = (${t.partyId} is null) and (${t.partyType} is null or ${t.partyType} in ('customer', 'supplier'))`),
    check('journal_lines_line_no_check', sql`${t.lineNo} >= 1`),
  ],
);

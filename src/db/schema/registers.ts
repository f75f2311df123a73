import { pgTable, text, timestamp, boolean, uuid, bigint, jsonb, index, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { staffUsers } from './staff';
import { journalEntries } from './ledger';

/**
 * Registers (counter PCs) and their cash-drawer sessions (pos.md "Registers and the cash drawer"). The rules
 * the database enforces itself (one open session per register, append-only movements) are in migrations
 * 0010_registers / 0011_registers_rules; docs/registers.md explains the postings.
 */

/** Counter PC with a cash drawer. Setup creates "Register 1"; names are unique case-insensitively. */
export const registers = pgTable(
  'registers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('registers_name_lower_key').on(sql`lower(${t.name})`), check('registers_name_check', sql`length(${t.name}) between 1 and 60`)],
);

export const DRAWER_SESSION_STATUSES = ['open', 'closed'] as const;

/**
 * One drawer session: opened with a float counted by denomination, closed with a count. The expected and
 * counted figures are stored at close (what the Z report shows); a manager's reopen clears them again.
 */
export const drawerSessions = pgTable(
  'drawer_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Gap-free DS-000001 …, printed on the Z report. */
    number: text('number').notNull(),
    registerId: uuid('register_id').notNull().references(() => registers.id),
    status: text('status').notNull().default('open'),
    openedByUserId: uuid('opened_by_user_id').references(() => staffUsers.id),
    openedByLabel: text('opened_by_label').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    floatCents: bigint('float_cents', { mode: 'number' }).notNull(),
    /** {"2000": 3, …} (keys = cents) or null when only a total was given. */
    floatDenominations: jsonb('float_denominations').$type<Record<string, number> | null>(),
    openEntryId: uuid('open_entry_id').references(() => journalEntries.id),
    /** Closed without seeing the expected amount (the Z report shows it afterwards). */
    blind: boolean('blind').notNull().default(false),
    closedByUserId: uuid('closed_by_user_id').references(() => staffUsers.id),
    closedByLabel: text('closed_by_label'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    countedCashCents: bigint('counted_cash_cents', { mode: 'number' }),
    countedDenominations: jsonb('counted_denominations').$type<Record<string, number> | null>(),
    countedChecksCents: bigint('counted_checks_cents', { mode: 'number' }),
    expectedCashCents: bigint('expected_cash_cents', { mode: 'number' }),
    expectedChecksCents: bigint('expected_checks_cents', { mode: 'number' }),
    overShortCents: bigint('over_short_cents', { mode: 'number' }),
    closeEntryId: uuid('close_entry_id').references(() => journalEntries.id),
    note: text('note').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('drawer_sessions_number_key').on(t.number),
    uniqueIndex('drawer_sessions_one_open_per_register').on(t.registerId).where(sql`status = 'open'`),
    index('drawer_sessions_register_opened_idx').on(t.registerId, t.openedAt),
    index('drawer_sessions_opened_idx').on(t.openedAt),
    check('drawer_sessions_status_check', sql`${t.status} in ('open', 'closed')`),
    check('drawer_sessions_float_check', sql`${t.floatCents} >= 0`),
    check('drawer_sessions_counts_check', sql`${t.countedCashCents} is null or (${t.countedCashCents} >= 0 and ${t.countedChecksCents} >= 0)`),
    check('drawer_sessions_closed_check', sql`(${t.status} = 'closed') = (${t.closedAt} is not null and ${t.countedCashCents} is not null and ${t.expectedCashCents} is not null)`),
    check('drawer_sessions_note_check', sql`length(${t.note}) <= 2000`),
  ],
);

/**
 * Every cash (and check) movement of a session. Append-only: a mistake is corrected by the opposite movement.
 * POS kinds (sale_cash = what the customer handed over, change_given, refund_cash, check_*) come with the sale
 * screen; `reopen` records a manager's reopen (amount 0) so the session's history stays complete.
 */
export const DRAWER_MOVEMENT_KINDS = ['paid_in', 'paid_out', 'drop', 'no_sale', 'sale_cash', 'change_given', 'refund_cash', 'check_in', 'check_refund', 'check_drop', 'reopen'] as const;
export type DrawerMovementKind = (typeof DRAWER_MOVEMENT_KINDS)[number];

export const drawerMovements = pgTable(
  'drawer_movements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id').notNull().references(() => drawerSessions.id),
    kind: text('kind').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    reason: text('reason').notNull().default(''),
    /** What caused it when not a person at the drawer (a sale, a refund): e.g. 'sale' + its id. */
    sourceType: text('source_type'),
    sourceId: text('source_id'),
    journalEntryId: uuid('journal_entry_id').references(() => journalEntries.id),
    byUserId: uuid('by_user_id').references(() => staffUsers.id),
    byLabel: text('by_label').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('drawer_movements_session_idx').on(t.sessionId, t.at),
    check('drawer_movements_kind_check', sql`${t.kind} in ('paid_in', 'paid_out', 'drop', 'no_sale', 'sale_cash', 'change_given', 'refund_cash', 'check_in', 'check_refund', 'check_drop', 'reopen')`),
    check('drawer_movements_amount_check', sql`${t.amountCents} >= 0`),
    check('drawer_movements_reason_check', sql`length(${t.reason}) <= 500`),
  ],
);

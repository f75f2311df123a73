import { pgTable, integer, text, timestamp, check, boolean } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** The store's own details; exactly one row (id = 1) exists once setup is done. */
export const storeSettings = pgTable(
  'store_settings',
  {
    id: integer('id').primaryKey().default(1),
    storeName: text('store_name').notNull(),
    address: text('address').notNull().default(''),
    phone: text('phone').notNull().default(''),
    timeZone: text('time_zone').notNull(),
    defaultTaxRateMillipercent: integer('default_tax_rate_millipercent').notNull().default(0),
    /** Returns with a receipt are accepted this many days after the sale (0 = no limit). */
    returnWindowDays: integer('return_window_days').notNull().default(30),
    /** Cash rounding increment in cents (1 = off; 5, 10, 25, 50, 100). */
    cashRoundingCents: integer('cash_rounding_cents').notNull().default(1),
    /** Printed at the foot of every receipt. */
    returnPolicy: text('return_policy').notNull().default('Returns within 30 days with receipt.'),
    /** Open the print dialog as soon as the receipt shows (kiosk printing prints it silently). */
    autoPrintReceipt: boolean('auto_print_receipt').notNull().default(false),
    setupCompletedAt: timestamp('setup_completed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('store_settings_singleton', sql`${t.id} = 1`),
    check('store_settings_tax_range', sql`${t.defaultTaxRateMillipercent} between 0 and 100000`),
    check('store_settings_return_window', sql`${t.returnWindowDays} between 0 and 3650`),
    check('store_settings_cash_rounding', sql`${t.cashRoundingCents} in (1, 5, 10, 25, 50, 100)`),
  ],
);

/** One-time setup token: only its hash is stored; used_at makes it single-use. */
export const setupToken = pgTable(
  'setup_token',
  {
    id: integer('id').primaryKey().default(1),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [check('setup_token_singleton', sql`${t.id} = 1`)],
);

/** Secrets shared by every Forte instance on this database (cookie signing), created on first start. */
export const instanceSecrets = pgTable('instance_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

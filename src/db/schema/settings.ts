import { pgTable, integer, text, timestamp, check } from 'drizzle-orm/pg-core';
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
    setupCompletedAt: timestamp('setup_completed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('store_settings_singleton', sql`${t.id} = 1`),
    check('store_settings_tax_range', sql`${t.defaultTaxRateMillipercent} between 0 and 100000`),
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

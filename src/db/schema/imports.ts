import { pgTable, text, timestamp, uuid, jsonb, customType, index } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * An uploaded import file and what happened to it: the dry-run report, then the commit. Keeping the bytes
 * means "Commit" imports exactly the file that was checked, and the history shows who imported what.
 */
export const importRuns = pgTable(
  'import_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    filename: text('filename').notNull(),
    content: bytea('content').notNull(),
    status: text('status').notNull().default('checked'),
    report: jsonb('report'),
    createdByUserId: uuid('created_by_user_id'),
    createdByLabel: text('created_by_label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    committedAt: timestamp('committed_at', { withTimezone: true }),
  },
  (t) => [index('import_runs_created_idx').on(t.createdAt)],
);

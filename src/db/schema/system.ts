import { pgTable, text, timestamp, integer, jsonb, date, primaryKey, bigserial, index } from 'drizzle-orm/pg-core';

/** Stored responses for `Idempotency-Key` requests (api.md): scope = token id, kept 7 days. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    state: text('state').notNull().default('in_progress'),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.scope, t.method, t.path, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);

/** Per-job catch-up state: the last business date a job completed for. */
export const jobState = pgTable('job_state', {
  jobName: text('job_name').primaryKey(),
  lastCompletedDate: date('last_completed_date', { mode: 'string' }),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }),
  lastStatus: text('last_status'),
  lastError: text('last_error'),
});

export const jobRuns = pgTable(
  'job_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    jobName: text('job_name').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    trigger: text('trigger').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    status: text('status').notNull().default('running'),
    result: jsonb('result'),
    error: text('error'),
  },
  (t) => [index('job_runs_job_idx').on(t.jobName, t.startedAt)],
);

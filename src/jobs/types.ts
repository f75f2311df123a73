import type { Db, Sql } from '../db/client';
import type { Config } from '../config/schema';
import type { Clock } from '../domain/clock';
import type { Logger } from '../logging';
import type { BusinessDate } from '../domain/business-date';

export interface JobDeps {
  db: Db;
  sql: Sql;
  config: Config;
  clock: Clock;
  logger: Logger;
}

/**
 * A scheduled job is a plain async function of (deps, asOf). Its catch-up policy says what happens after
 * the box was off: `each-day` runs once per missed business date in order (billing, reminders); `once`
 * runs a single time now (cleanups, backups).
 */
export interface JobDefinition {
  name: string;
  description: string;
  /** Cron expression in the store's time zone. */
  schedule: string;
  catchUp: 'each-day' | 'once';
  run(deps: JobDeps, asOf: BusinessDate): Promise<Record<string, unknown> | void>;
}

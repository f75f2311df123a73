import type { Config } from '../config/schema';
import type { Db, Sql } from '../db/client';
import type { AssetStore } from '../assets/assets';
import type { Clock } from '../domain/clock';
import type { Views } from '../ui/views';
import type { Logger } from '../logging';
import type { Migration } from '../db/migrate';

export interface VersionInfo {
  version: string;
  commit: string;
  schema: string;
}

/** Everything the HTTP app needs, built once by `serve` (or by the test harness) and passed in. */
export interface AppDeps {
  config: Config;
  db: Db;
  sql: Sql;
  /** Generic-plan connections for the global search's prefix statements (see DbHandle.searchDb). */
  searchDb: Db;
  assets: AssetStore;
  views: Views;
  clock: Clock;
  logger: Logger;
  version: VersionInfo;
  migrations: Migration[];
  /** Key for signing cookies and CSRF tokens; shared by all instances through the database. */
  cookieSecret: string;
}

import type { Config } from './config/schema';
import { customDir, logsDir } from './config/load';
import { openDatabase, type OpenedDatabase } from './db/database';
import { assertSchemaNotNewer, loadMigrations, migrate, type Migration } from './db/migrate';
import { appAssets } from './assets/store';
import { createViews } from './ui/views';
import { createLogger, type Logger } from './logging';
import { systemClock, type Clock } from './domain/clock';
import { loadOrCreateSecret } from './features/auth/secrets';
import { syncBuiltInRoles } from './features/staff/service';
import type { AppDeps } from './server/deps';
import { APP_COMMIT, APP_VERSION } from './version';
import type { AssetStore } from './assets/assets';

export interface Runtime {
  deps: AppDeps;
  database: OpenedDatabase;
  migrations: Migration[];
  logger: Logger;
  assets: AssetStore;
  /** Closes the pool; stops PostgreSQL when this process started it (or `stopCluster` forces it). */
  close(opts?: { stopCluster?: boolean }): Promise<void>;
}

export interface RuntimeOptions {
  /** Apply pending migrations (serve, migrate, admin). Otherwise only refuse a too-new schema. */
  migrate: boolean;
  clock?: Clock;
  logger?: Logger;
  applicationName?: string;
  poolSize?: number;
}

/**
 * The shared start-up path of `serve` and every CLI command: database (starting the embedded cluster if
 * needed) -> migrations under an advisory lock -> refuse a schema newer than this binary -> built-in roles.
 */
export async function openRuntime(config: Config, opts: RuntimeOptions): Promise<Runtime> {
  const logger = opts.logger ?? createLogger({ dir: logsDir(config), level: config.log.level, console: config.log.console });
  const assets = appAssets(customDir(config));
  const migrations = loadMigrations((p) => assets.read(p));
  const database = await openDatabase(config, { applicationName: opts.applicationName, poolSize: opts.poolSize });
  try {
    if (opts.migrate) await migrate(database.sql, migrations, (m) => logger.info(m));
    else await assertSchemaNotNewer(database.sql, migrations);
    if (opts.migrate) await syncBuiltInRoles(database.db);
    const cookieSecret = opts.migrate ? await loadOrCreateSecret(database.db, 'cookie') : '';
    const deps: AppDeps = {
      config,
      db: database.db,
      sql: database.sql,
      searchDb: database.searchDb,
      assets,
      views: createViews(assets),
      clock: opts.clock ?? systemClock,
      logger,
      version: { version: APP_VERSION, commit: APP_COMMIT, schema: migrations.at(-1)?.tag ?? 'none' },
      migrations,
      cookieSecret,
    };
    return {
      deps,
      database,
      migrations,
      logger,
      assets,
      async close(closeOpts = {}) {
        await database.close().catch(() => {});
        const stop = database.cluster && (database.startedCluster || closeOpts.stopCluster);
        if (stop) await database.cluster!.stop('fast');
      },
    };
  } catch (err) {
    await database.shutdown();
    throw err;
  }
}

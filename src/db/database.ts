import postgres from 'postgres';
import type { Config } from '../config/schema';
import { clusterDir, logsDir } from '../config/load';
import { EmbeddedPostgres } from './pg-manager';
import { connect, type DbHandle } from './client';
import { join } from 'node:path';

export interface OpenedDatabase extends DbHandle {
  url: string;
  /** The embedded cluster, when this process manages one. */
  cluster: EmbeddedPostgres | null;
  /** True when this process started PostgreSQL and must stop it on shutdown. */
  startedCluster: boolean;
  /** Closes the pool and stops PostgreSQL if this process started it. */
  shutdown(): Promise<void>;
}

export function embeddedCluster(config: Config): EmbeddedPostgres {
  const { port, password, superuser } = config.database;
  if (!port || !password) throw new Error('forte.json has no database.port/password for the embedded cluster; run `forte db init` or `forte serve` once');
  return new EmbeddedPostgres({
    clusterDir: clusterDir(config),
    port,
    superuser,
    password,
    logFile: join(logsDir(config), 'postgresql.log'),
  });
}

function serverUrl(config: Config, database: string): string {
  const { port, password, superuser } = config.database;
  return `postgres://${encodeURIComponent(superuser)}:${encodeURIComponent(password ?? '')}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/** Creates the application database inside the cluster if it doesn't exist yet. */
async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) {
      try {
        await admin.unsafe(`create database "${name.replaceAll('"', '""')}"`);
      } catch (err: any) {
        if (err?.code !== '42P04') throw err; // another process created it first
      }
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/**
 * Connects to the database the config describes. In `embedded` mode it initializes the cluster on
 * first use and starts it unless another Forte process already runs it (found through postmaster.pid).
 */
export async function openDatabase(config: Config, opts: { applicationName?: string; poolSize?: number } = {}): Promise<OpenedDatabase> {
  let cluster: EmbeddedPostgres | null = null;
  let startedCluster = false;
  let url: string;
  if (config.database.mode === 'external') {
    if (!config.database.url) throw new Error('database.mode is "external" but no database.url / FORTE_DATABASE_URL is set');
    url = config.database.url;
  } else {
    if (config.database.url) {
      url = config.database.url;
    } else {
      if (config.database.mode === 'embedded') {
        cluster = embeddedCluster(config);
        if (!cluster.isInitialized()) await cluster.init();
        startedCluster = (await cluster.start()).startedByUs;
      }
      await ensureDatabase(serverUrl(config, 'postgres'), config.database.name);
      url = serverUrl(config, config.database.name);
    }
  }
  const handle = connect(url, { max: opts.poolSize ?? config.database.poolSize, applicationName: opts.applicationName });
  return {
    ...handle,
    url,
    cluster,
    startedCluster,
    async shutdown() {
      await handle.close().catch(() => {});
      if (cluster && startedCluster) await cluster.stop('fast');
    },
  };
}

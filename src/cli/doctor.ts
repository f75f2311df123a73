import { accessSync, constants, existsSync, mkdirSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedArgs } from './args';
import { configFromArgs } from './context';
import { openRuntime } from '../runtime';
import { createLogger } from '../logging';
import { migrationStatus } from '../db/migrate';
import { findPgInstallDir } from '../db/pg-binaries';
import type { Config } from '../config/schema';

interface Check {
  ok: boolean;
  label: string;
  detail: string;
}

/** `forte doctor`: one ✓/✗ line per check; exit 1 when any check fails. Support reads this first. */
export async function doctorCommand(args: ParsedArgs): Promise<number> {
  const checks: Check[] = [];
  const add = (ok: boolean, label: string, detail: string) => checks.push({ ok, label, detail });
  let config: Config | null = null;
  try {
    config = configFromArgs(args);
    add(true, 'config', `${join(config.dataDir, 'forte.json')} (database mode ${config.database.mode})`);
  } catch (err) {
    add(false, 'config', (err as Error).message);
  }
  if (config) {
    try {
      mkdirSync(config.dataDir, { recursive: true });
      accessSync(config.dataDir, constants.W_OK);
      add(true, 'data folder', `${config.dataDir} is writable`);
    } catch (err) {
      add(false, 'data folder', (err as Error).message);
    }
    try {
      const fs = statfsSync(config.dataDir);
      const freeGb = (fs.bavail * fs.bsize) / 1024 ** 3;
      add(freeGb >= 2, 'disk space', `${freeGb.toFixed(1)} GB free${freeGb < 2 ? ' (less than 2 GB: backups may fail)' : ''}`);
    } catch (err) {
      add(false, 'disk space', (err as Error).message);
    }
    if (config.database.mode === 'embedded') {
      try {
        add(true, 'postgresql binaries', findPgInstallDir());
      } catch (err) {
        add(false, 'postgresql binaries', (err as Error).message);
      }
    }
    try {
      const logger = createLogger({ dir: null, console: false });
      const rt = await openRuntime(config, { migrate: false, logger, applicationName: 'forte-doctor', poolSize: 2 });
      try {
        const [{ version }] = await rt.deps.sql`select current_setting('server_version') as version`;
        add(true, 'database', `PostgreSQL ${version} reachable`);
        const status = await migrationStatus(rt.deps.sql, rt.migrations);
        add(status.pending.length === 0, 'schema', status.pending.length ? `${status.pending.length} migration(s) pending: run \`forte migrate\`` : `up to date (${status.applied.at(-1)?.tag ?? 'none'})`);
      } finally {
        await rt.close();
      }
    } catch (err) {
      add(false, 'database', (err as Error).message);
    }
    add(true, 'backups', 'no backup schedule yet in this version');
    add(true, 'license', existsSync(join(config.dataDir, 'license.json')) ? 'license.json present (verification arrives with licensing)' : 'no license installed: core modules only');
    const year = new Date().getUTCFullYear();
    add(year >= 2024 && year < 2100, 'clock', new Date().toISOString());
    const pidFile = join(config.dataDir, 'forte.pid');
    const serving = existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim() : null;
    try {
      const res = await fetch(`http://127.0.0.1:${config.server.port}/healthz`, { signal: AbortSignal.timeout(2000) });
      add(res.status === 200, 'http port', `${config.server.port}: Forte answers /healthz with ${res.status}`);
    } catch {
      const free = await portFree(config.server.port);
      add(free, 'http port', free ? `${config.server.port} is free (Forte is not running${serving ? `, stale pid ${serving}` : ''})` : `${config.server.port} is used by another program`);
    }
  }
  for (const c of checks) console.log(`${c.ok ? '✓' : '✗'} ${c.label}: ${c.detail}`);
  return checks.every((c) => c.ok) ? 0 : 1;
}

async function portFree(port: number): Promise<boolean> {
  try {
    const server = Bun.serve({ port, hostname: '0.0.0.0', fetch: () => new Response('') });
    server.stop(true);
    return true;
  } catch {
    return false;
  }
}

import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../app';
import { openRuntime } from '../runtime';
import { Scheduler } from '../jobs/scheduler';
import { ALL_JOBS } from '../jobs/registry';
import { issueSetupToken } from '../features/settings/service';
import { configFromArgs } from './context';
import { describeDemoSeed, seedDemo, storeHasAccounts } from '../features/demo/seed';
import type { ParsedArgs } from './args';

/** `forte serve`: config -> PostgreSQL -> migrate -> HTTP -> scheduler; SIGTERM/SIGINT shut it all down in reverse. */
export async function serveCommand(args: ParsedArgs): Promise<number> {
  const config = configFromArgs(args);
  mkdirSync(config.dataDir, { recursive: true });
  const rt = await openRuntime(config, { migrate: true });
  const { deps, logger } = rt;
  if (args.options.demo) {
    // Only an empty store gets the demo: --demo left on a real store's service line must never add to it.
    if (await storeHasAccounts(deps.db)) console.log('--demo: the store already has accounts; no demo data added.');
    else {
      // A demo that can't load (e.g. a SKU clash) is reported, but the store still starts.
      try {
        console.log(describeDemoSeed(await seedDemo(deps.db, deps.clock)));
      } catch (err) {
        logger.error(`--demo: the demo store could not be loaded: ${(err as Error).message}`);
        console.error(`--demo: the demo store could not be loaded: ${(err as Error).message}`);
      }
    }
  }
  const app = buildApp(deps);
  const scheduler = new Scheduler({ db: deps.db, sql: deps.sql, config, clock: deps.clock, logger }, ALL_JOBS);
  const pidFile = join(config.dataDir, 'forte.pid');
  const tokenFile = join(config.dataDir, 'setup-token.txt');

  try {
    app.listen({ hostname: config.server.host, port: config.server.port });
  } catch (err) {
    logger.error(`cannot listen on ${config.server.host}:${config.server.port}: ${(err as Error).message}`);
    await rt.close({ stopCluster: true });
    return 1;
  }
  writeFileSync(pidFile, String(process.pid));
  const localUrl = `http://127.0.0.1:${config.server.port}`;
  logger.info(`Forte ${deps.version.version} listening on ${config.server.host}:${config.server.port}`, { dataDir: config.dataDir });

  const token = await issueSetupToken(deps.db);
  if (token) {
    const setupUrl = `${localUrl}/setup?token=${token}`;
    writeFileSync(tokenFile, setupUrl + '\n', { mode: 0o600 });
    console.log(`\n  Forte is not set up yet. Open this link to finish setup (one-time):\n\n    ${setupUrl}\n`);
  } else if (existsSync(tokenFile)) rmSync(tokenFile, { force: true });

  if (config.scheduler.enabled) await scheduler.start();

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info(`received ${signal}; shutting down`);
      const force = setTimeout(() => {
        logger.error('shutdown took too long; exiting');
        process.exit(1);
      }, 25_000);
      try {
        await app.stop();
        await scheduler.stop();
        // The embedded cluster belongs to the appliance: serve stops it even if a CLI command started it.
        await rt.close({ stopCluster: true });
        rmSync(pidFile, { force: true });
      } catch (err) {
        logger.error('error during shutdown', { error: String(err) });
      }
      clearTimeout(force);
      resolve(0);
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
  });
}

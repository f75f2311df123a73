import { loadConfig } from '../config/load';
import type { Config } from '../config/schema';
import { openRuntime, type Runtime } from '../runtime';
import { createLogger } from '../logging';
import { logsDir } from '../config/load';
import { portOption, stringOption, type ParsedArgs } from './args';

export function configFromArgs(args: ParsedArgs, opts: { persistDefaults?: boolean } = {}): Config {
  return loadConfig({ dataDir: stringOption(args, 'data-dir'), port: portOption(args) }, { persistDefaults: opts.persistDefaults ?? true });
}

/**
 * Runs a CLI command against the database of the data dir: uses the PostgreSQL a running `serve` started,
 * or starts it and stops it again afterwards.
 */
export async function withRuntime<T>(args: ParsedArgs, migrate: boolean, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const config = configFromArgs(args);
  const logger = createLogger({ dir: logsDir(config), level: 'warn', console: false });
  const rt = await openRuntime(config, { migrate, logger, applicationName: 'forte-cli', poolSize: 3 });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

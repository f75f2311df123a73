import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigSchema, SECRET_KEYS, type Config } from './schema';

export interface ConfigOverrides {
  dataDir?: string;
  port?: number;
}

/** True when running as a `bun build --compile` executable rather than `bun src/main.ts`. */
export function isCompiledBinary(): boolean {
  return import.meta.dir.startsWith('/$bunfs') || /^[A-Z]:\\~BUN/i.test(import.meta.dir);
}

/** Default data folder: ./data in a dev checkout, data/ next to a compiled binary, ProgramData on Windows. */
export function defaultDataDir(): string {
  if (process.platform === 'win32') return join(process.env.ProgramData ?? 'C:\\ProgramData', 'Forte');
  if (isCompiledBinary()) return join(dirname(process.execPath), 'data');
  return resolve(process.cwd(), 'data');
}

export function resolveDataDir(flag?: string): string {
  return resolve(flag ?? process.env.FORTE_DATA_DIR ?? defaultDataDir());
}

export function configFilePath(dataDir: string): string {
  return join(dataDir, 'forte.json');
}

function readConfigFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, 'utf8');
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  throw new Error(`${path} must contain a JSON object`);
}

/** Writes forte.json atomically with owner-only permissions: it holds the database password. */
export function writeConfigFile(dataDir: string, data: Record<string, unknown>): void {
  mkdirSync(dataDir, { recursive: true });
  const path = configFilePath(dataDir);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
  try {
    chmodSync(path, 0o600);
  } catch {
    /* Windows: ACLs of ProgramData apply */
  }
}

function envLayer(env: NodeJS.ProcessEnv): Record<string, any> {
  const layer: Record<string, any> = {};
  const set = (path: string[], value: unknown) => {
    let node = layer;
    for (const key of path.slice(0, -1)) node = node[key] ??= {};
    node[path[path.length - 1]] = value;
  };
  if (env.FORTE_HOST) set(['server', 'host'], env.FORTE_HOST);
  if (env.FORTE_PORT) set(['server', 'port'], env.FORTE_PORT);
  if (env.FORTE_HTTPS) set(['server', 'https'], env.FORTE_HTTPS === '1' || env.FORTE_HTTPS === 'true');
  if (env.FORTE_DATABASE_URL) {
    set(['database', 'url'], env.FORTE_DATABASE_URL);
    set(['database', 'mode'], env.FORTE_DATABASE_MODE ?? 'external');
  } else if (env.FORTE_DATABASE_MODE) set(['database', 'mode'], env.FORTE_DATABASE_MODE);
  if (env.FORTE_DATABASE_POOL_SIZE) set(['database', 'poolSize'], env.FORTE_DATABASE_POOL_SIZE);
  if (env.FORTE_SESSION_IDLE_MINUTES) set(['session', 'idleMinutes'], env.FORTE_SESSION_IDLE_MINUTES);
  if (env.FORTE_LOG_LEVEL) set(['log', 'level'], env.FORTE_LOG_LEVEL);
  if (env.FORTE_SCHEDULER) set(['scheduler', 'enabled'], env.FORTE_SCHEDULER !== '0' && env.FORTE_SCHEDULER !== 'false');
  return layer;
}

function deepMerge(base: any, over: any): any {
  if (over === undefined) return base;
  if (!base || typeof base !== 'object' || Array.isArray(base) || !over || typeof over !== 'object' || Array.isArray(over)) return over;
  const out: any = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

export class ConfigError extends Error {}

/**
 * Loads the effective configuration. With `persistDefaults` (serve/migrate/admin on a fresh data dir)
 * the embedded cluster's port and random superuser password are generated once and saved to forte.json.
 */
export function loadConfig(overrides: ConfigOverrides = {}, opts: { persistDefaults?: boolean; env?: NodeJS.ProcessEnv } = {}): Config {
  const env = opts.env ?? process.env;
  const dataDir = resolve(overrides.dataDir ?? env.FORTE_DATA_DIR ?? defaultDataDir());
  let fileData = readConfigFile(configFilePath(dataDir));

  const needsDbDefaults =
    (fileData as any).database?.mode !== 'external' &&
    !env.FORTE_DATABASE_URL &&
    (!(fileData as any).database?.port || !(fileData as any).database?.password);
  if (needsDbDefaults && opts.persistDefaults) {
    fileData = deepMerge(fileData, {
      database: {
        mode: (fileData as any).database?.mode ?? 'embedded',
        port: (fileData as any).database?.port ?? pickClusterPort(),
        password: (fileData as any).database?.password ?? randomBytes(24).toString('base64url'),
      },
    });
    writeConfigFile(dataDir, fileData);
  }

  let merged = deepMerge({ dataDir }, fileData);
  merged = deepMerge(merged, envLayer(env));
  if (overrides.port !== undefined) merged = deepMerge(merged, { server: { port: overrides.port } });
  merged.dataDir = dataDir;
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration (${configFilePath(dataDir)} / FORTE_* environment): ${issues}`);
  }
  return parsed.data;
}

/** A port away from PostgreSQL's default 5432 so a store's other software doesn't collide with us. */
function pickClusterPort(): number {
  return 15432 + Math.floor(Math.random() * 2000);
}

/** Copy of the config safe to print: every secret-looking leaf replaced. */
export function redactConfig(value: unknown, key = ''): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactConfig(v, k)]));
  }
  if (SECRET_KEYS.has(key) && value !== undefined && value !== '') return '********';
  return value;
}

export function logsDir(config: Config): string {
  return join(config.dataDir, 'logs');
}
export function customDir(config: Config): string {
  return join(config.dataDir, 'custom');
}
export function clusterDir(config: Config): string {
  return join(config.dataDir, 'pg');
}

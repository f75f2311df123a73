import { appendFileSync, mkdirSync, renameSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const MAX_LOG_BYTES = 10 * 1024 * 1024;

/**
 * JSON-lines logger writing to <data>/logs/forte.log (rotated at 10 MB, one previous file kept) and,
 * optionally, a short human line to the console. Support reads the file; people read the console.
 */
export function createLogger(opts: { dir?: string | null; level?: LogLevel; console?: boolean }): Logger {
  const level = ORDER[opts.level ?? 'info'];
  const file = opts.dir ? join(opts.dir, 'forte.log') : null;
  if (opts.dir) mkdirSync(opts.dir, { recursive: true });
  let writes = 0;
  const write = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < level) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields });
    if (file) {
      try {
        if (++writes % 200 === 0 && existsSync(file) && statSync(file).size > MAX_LOG_BYTES) renameSync(file, `${file}.1`);
        appendFileSync(file, line + '\n');
      } catch {
        /* logging must never take the server down */
      }
    }
    if (opts.console !== false) {
      const extra = fields && Object.keys(fields).length ? ' ' + JSON.stringify(fields) : '';
      (lvl === 'error' || lvl === 'warn' ? console.error : console.log)(`[${lvl}] ${msg}${extra}`);
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Tiny argv parser: positionals plus `--key value`, `--key=value` and boolean `--flag`. */
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | true>;
}

const BOOLEAN_FLAGS = new Set(['status', 'help', 'demo', 'json', 'commit']);

export function parseArgs(argv: string[]): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq > 0) options[arg.slice(2, eq)] = arg.slice(eq + 1);
      else {
        const key = arg.slice(2);
        const next = argv[i + 1];
        if (!BOOLEAN_FLAGS.has(key) && next !== undefined && !next.startsWith('--')) {
          options[key] = next;
          i++;
        } else options[key] = true;
      }
    } else positionals.push(arg);
  }
  return { positionals, options };
}

export class UsageError extends Error {}

export function stringOption(args: ParsedArgs, key: string): string | undefined {
  const v = args.options[key];
  if (v === true) throw new UsageError(`--${key} needs a value`);
  return v;
}

export function requiredOption(args: ParsedArgs, key: string): string {
  const v = stringOption(args, key);
  if (!v) throw new UsageError(`--${key} is required`);
  return v;
}

export function portOption(args: ParsedArgs): number | undefined {
  const v = stringOption(args, 'port');
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`--port must be a number between 1 and 65535 (got "${v}")`);
  return n;
}

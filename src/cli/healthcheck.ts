import type { ParsedArgs } from './args';
import { configFromArgs } from './context';

/** `forte healthcheck`: exit 0 when this box's /healthz answers 200 (Docker HEALTHCHECK, installer). */
export async function healthcheckCommand(args: ParsedArgs): Promise<number> {
  const config = configFromArgs(args, { persistDefaults: false });
  try {
    const res = await fetch(`http://127.0.0.1:${config.server.port}/healthz`, { signal: AbortSignal.timeout(5000) });
    console.log(`healthz ${res.status}`);
    return res.status === 200 ? 0 : 1;
  } catch (err) {
    console.error(`healthz unreachable: ${(err as Error).message}`);
    return 1;
  }
}

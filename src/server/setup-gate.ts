import { Elysia } from 'elysia';
import type { AppDeps } from './deps';
import { contextPlugin, isApiPath } from './context';
import { isSetupComplete } from '../features/settings/service';
import { apiError, redirect } from './respond';

/** Reachable before first-run setup (appliance.md "First run"). */
const EXEMPT = ['/setup', '/healthz', '/version', '/api/v1/health', '/api/v1/openapi.json'];
const isExempt = (path: string) => EXEMPT.includes(path) || path.startsWith('/static/');

/**
 * Until setup is done, pages redirect to /setup and the API answers 503 setup_required. The state is
 * read from the database (and only cached once true), so a setup finished by `forte admin create` in
 * another process is seen by a running server on the next request.
 */
export function setupGatePlugin(deps: AppDeps) {
  let complete = false;
  return new Elysia({ name: 'forte.setup-gate' }).use(contextPlugin).onBeforeHandle({ as: 'global' }, async (ctx: any) => {
    if (complete || isExempt(ctx.path)) return;
    complete = await isSetupComplete(deps.db);
    if (complete) return;
    if (isApiPath(ctx.path)) {
      ctx.set.headers['retry-after'] = '60';
      return apiError(ctx, 503, 'setup_required', 'Forte has not been set up yet. Finish the setup wizard at /setup first.');
    }
    return redirect(ctx, '/setup', 303);
  });
}

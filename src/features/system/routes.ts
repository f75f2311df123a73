import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { json } from '../../server/respond';
import { healthReport } from './health';

/** Unauthenticated machine endpoints: the tray, the installer, Docker HEALTHCHECK and the update check poll these. */
export function systemRoutes(deps: AppDeps) {
  return new Elysia({ name: 'feature.system' })
    .use(authPlugin(deps))
    .get(
      '/healthz',
      async (ctx) => {
        const report = await healthReport(deps);
        return json(ctx, report.database.ok ? 200 : 503, report);
      },
      { public: true },
    )
    .get('/version', (ctx) => json(ctx, 200, { version: deps.version.version, commit: deps.version.commit, schema: deps.version.schema }), { public: true });
}

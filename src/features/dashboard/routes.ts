import { Elysia } from 'elysia';
import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage } from '../../server/respond';
import { getStoreSettings } from '../settings/service';
import { jobState } from '../../db/schema';
import { businessDateInZone } from '../../domain/business-date';

export function dashboardRoutes(deps: AppDeps) {
  return new Elysia({ name: 'feature.dashboard' }).use(authPlugin(deps)).get(
    '/',
    async (ctx) => {
      const settings = await getStoreSettings(deps.db);
      const [counts] = await deps.db.execute<{ active_staff: number; sessions: number }>(
        sql`select (select count(*)::int from staff_users where active) as active_staff, (select count(*)::int from sessions) as sessions`,
      );
      const jobs = await deps.db.select().from(jobState).orderBy(jobState.jobName);
      const today = businessDateInZone(deps.clock.now(), settings?.timeZone ?? 'UTC');
      return renderPage(deps, ctx, { template: 'dashboard/page', title: 'Dashboard', data: { settings, counts, jobs, today } });
    },
    { authenticated: true },
  );
}

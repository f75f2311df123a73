import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage } from '../../server/respond';
import { buildListModel, parseListQuery } from '../../ui/list';
import { auditEntityTypes, listAudit } from './service';
import { auditLog, staffUsers } from '../../db/schema';
import { eq } from 'drizzle-orm';
import { NotFoundError } from '../service-errors';
import { isValidBusinessDate, addDays, startOfBusinessDateUtc } from '../../domain/business-date';
import { getStoreSettings } from '../settings/service';

export function auditRoutes(deps: AppDeps) {
  return new Elysia({ name: 'feature.audit' })
    .use(authPlugin(deps))
    .get(
      '/audit',
      async (ctx) => {
        const query = parseListQuery(ctx.query, { sorts: ['at'], defaultSort: 'at', defaultOrder: 'desc', defaultLimit: 50 });
        const q = ctx.query as Record<string, string | undefined>;
        const tz = (await getStoreSettings(deps.db))?.timeZone ?? 'UTC';
        const filters = {
          entity: (q.entity ?? '').slice(0, 60),
          actor: /^[0-9a-f-]{36}$/i.test(q.actor ?? '') ? q.actor! : '',
          from: isValidBusinessDate(q.from) ? q.from! : '',
          to: isValidBusinessDate(q.to) ? q.to! : '',
        };
        const { rows, total } = await listAudit(deps.db, {
          page: query.page,
          limit: query.limit,
          q: query.q || undefined,
          order: query.order,
          entityType: filters.entity || undefined,
          actorUserId: filters.actor || undefined,
          from: filters.from ? startOfBusinessDateUtc(filters.from, tz) : undefined,
          to: filters.to ? startOfBusinessDateUtc(addDays(filters.to, 1), tz) : undefined,
        });
        const params = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
        const list = buildListModel('/audit', query, rows, total, params);
        const actors = await deps.db.select({ id: staffUsers.id, username: staffUsers.username }).from(staffUsers).orderBy(staffUsers.username);
        return renderPage(deps, ctx, { template: 'audit/page', fragment: 'audit/_list', title: 'Audit log', data: { list, filters, entityTypes: await auditEntityTypes(deps.db), actors } });
      },
      { permission: 'audit.view' },
    )
    .get(
      '/audit/:id',
      async (ctx) => {
        if (!/^\d{1,18}$/.test(ctx.params.id)) throw new NotFoundError('Audit entry');
        const [entry] = await deps.db.select().from(auditLog).where(eq(auditLog.id, Number(ctx.params.id)));
        if (!entry) throw new NotFoundError('Audit entry');
        return renderPage(deps, ctx, { template: 'audit/detail', title: `Audit entry #${entry.id}`, data: { entry } });
      },
      { permission: 'audit.view' },
    );
}

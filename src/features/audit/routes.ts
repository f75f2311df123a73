import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage } from '../../server/respond';
import { buildListModel, parseListQuery } from '../../ui/list';
import { auditEntityTypes, listAudit } from './service';
import { auditLog, staffUsers } from '../../db/schema';
import { eq } from 'drizzle-orm';
import { NotFoundError } from '../service-errors';
import { isValidBusinessDate, addDays, startOfBusinessDateUtc, businessDateInZone } from '../../domain/business-date';
import { csvDownloadHeaders, toCsv, CSV_EXPORT_LIMIT } from '../csv/write';
import { getStoreSettings } from '../settings/service';
import { isUuid } from '../../db/sql-helpers';

export function auditRoutes(deps: AppDeps) {
  /** The list and its CSV export read the same filters. */
  const readAuditQuery = async (ctx: any) => {
    const query = parseListQuery(ctx.query, { sorts: ['at'], defaultSort: 'at', defaultOrder: 'desc', defaultLimit: 50 });
    const q = ctx.query as Record<string, string | undefined>;
    const tz = (await getStoreSettings(deps.db))?.timeZone ?? 'UTC';
    const filters = {
      entity: (q.entity ?? '').slice(0, 60),
      actor: isUuid(q.actor) ? q.actor : '',
      from: isValidBusinessDate(q.from) ? q.from! : '',
      to: isValidBusinessDate(q.to) ? q.to! : '',
    };
    const auditQuery = {
      page: query.page,
      limit: query.limit,
      q: query.q || undefined,
      order: query.order,
      entityType: filters.entity || undefined,
      actorUserId: filters.actor || undefined,
      from: filters.from ? startOfBusinessDateUtc(filters.from, tz) : undefined,
      to: filters.to ? startOfBusinessDateUtc(addDays(filters.to, 1), tz) : undefined,
    };
    return { query, filters, auditQuery, tz };
  };

  return new Elysia({ name: 'feature.audit' })
    .use(authPlugin(deps))
    .get(
      '/audit',
      async (ctx) => {
        const { query, filters, auditQuery } = await readAuditQuery(ctx);
        const { rows, total } = await listAudit(deps.db, auditQuery);
        const params = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
        const list = buildListModel('/audit', query, rows, total, params, { csv: true });
        const actors = await deps.db.select({ id: staffUsers.id, username: staffUsers.username }).from(staffUsers).orderBy(staffUsers.username);
        return renderPage(deps, ctx, { template: 'audit/page', fragment: 'audit/_list', title: 'Audit log', data: { list, filters, entityTypes: await auditEntityTypes(deps.db), actors } });
      },
      { permission: 'audit.view' },
    )
    .get(
      '/audit/export.csv',
      async (ctx) => {
        const { auditQuery, tz } = await readAuditQuery(ctx);
        const { rows } = await listAudit(deps.db, { ...auditQuery, page: 1, limit: CSV_EXPORT_LIMIT });
        Object.assign(ctx.set.headers, csvDownloadHeaders('audit-log', businessDateInZone(deps.clock.now(), tz)));
        return toCsv<(typeof rows)[number]>(
          [
            { header: 'id', value: (r) => r.id },
            { header: 'at', value: (r) => r.at },
            { header: 'actor', value: (r) => r.actorLabel },
            { header: 'action', value: (r) => r.action },
            { header: 'entity_type', value: (r) => r.entityType },
            { header: 'entity_id', value: (r) => r.entityId },
            { header: 'summary', value: (r) => r.summary },
            { header: 'before', value: (r) => (r.before === null ? '' : JSON.stringify(r.before)) },
            { header: 'after', value: (r) => (r.after === null ? '' : JSON.stringify(r.after)) },
          ],
          rows,
        );
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

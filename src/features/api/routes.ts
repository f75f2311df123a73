import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { apiError, json } from '../../server/respond';
import { apiActor, handle, jsonBody } from './support';
import { buildOpenApiDocument, documentApi, listQuerySchema } from './registry';
import { healthReport } from '../system/health';
import { apiPagination, parseListQuery } from '../../ui/list';
import { createStaff, getStaff, listRoles, listStaff, updateStaff } from '../staff/service';
import { createStaffSchema, STAFF_SORTS, updateStaffSchema } from '../staff/schemas';
import { staffOut, toStaffJson } from '../staff/json';
import { zodFieldErrors } from '../service-errors';

const roleOut = z.object({ id: z.uuid(), key: z.string(), name: z.string(), description: z.string(), permissions: z.array(z.string()), built_in: z.boolean(), user_count: z.number().int() });

documentApi({ method: 'get', path: '/api/v1/health', summary: 'Health of this Forte installation (same facts as /healthz)', tag: 'system', permission: 'public', response: z.object({ status: z.enum(['ok', 'degraded']) }).loose() });
documentApi({ method: 'get', path: '/api/v1/openapi.json', summary: 'This OpenAPI document', tag: 'system', permission: 'public', response: z.object({ openapi: z.string() }).loose() });
documentApi({ method: 'get', path: '/api/v1/staff', summary: 'List staff users', tag: 'staff', permission: 'staff.view', query: listQuerySchema.extend({ status: z.enum(['active', 'inactive', 'all']).optional(), role: z.string().optional() }), response: staffOut, list: true });
documentApi({ method: 'post', path: '/api/v1/staff', summary: 'Create a staff user', tag: 'staff', permission: 'staff.manage', body: createStaffSchema, response: staffOut, responseStatus: 201 });
documentApi({ method: 'get', path: '/api/v1/staff/:id', summary: 'One staff user', tag: 'staff', permission: 'staff.view', response: staffOut });
documentApi({ method: 'patch', path: '/api/v1/staff/:id', summary: 'Change name, email, PIN (a new PIN lifts a PIN lockout), discount limit, roles or active flag', tag: 'staff', permission: 'staff.manage', body: updateStaffSchema, response: staffOut });
documentApi({ method: 'get', path: '/api/v1/roles', summary: 'List roles with their permissions', tag: 'staff', permission: 'staff.view', response: z.object({ data: z.array(roleOut) }) });

export function apiRoutes(deps: AppDeps) {
  const openApi = () => buildOpenApiDocument(deps.version.version);
  return new Elysia({ name: 'feature.api' })
    .use(authPlugin(deps))
    .get('/api/v1/health', async (ctx) => {
      const report = await healthReport(deps);
      return json(ctx, report.database.ok ? 200 : 503, report);
    }, { public: true })
    .get('/api/v1/openapi.json', (ctx) => json(ctx, 200, openApi()), { public: true })
    .get('/api/v1/staff', (ctx) =>
      handle(ctx, async () => {
        const query = parseListQuery(ctx.query, { sorts: STAFF_SORTS, defaultSort: 'username' }, 'strict');
        const status = (ctx.query as any).status ?? 'active';
        if (!['active', 'inactive', 'all'].includes(status)) return apiError(ctx, 400, 'validation_failed', 'Invalid list parameters.', { status: 'status must be active, inactive or all.' });
        const { rows, total } = await listStaff(deps.db, query, { status, roleKey: (ctx.query as any).role || undefined });
        return json(ctx, 200, { data: rows.map(toStaffJson), pagination: apiPagination(query, total) });
      }), { api: 'staff.view' })
    .post('/api/v1/staff', (ctx) =>
      handle(ctx, async () => {
        const parsed = createStaffSchema.safeParse(jsonBody(ctx));
        if (!parsed.success) return apiError(ctx, 422, 'validation_failed', 'Some fields are invalid.', zodFieldErrors(parsed.error));
        const staff = await deps.db.transaction((tx) => createStaff(tx, apiActor(ctx), parsed.data));
        return json(ctx, 201, toStaffJson(staff));
      }), { api: 'staff.manage' })
    .get('/api/v1/staff/:id', (ctx) => handle(ctx, async () => json(ctx, 200, toStaffJson(await getStaff(deps.db, ctx.params.id)))), { api: 'staff.view' })
    .patch('/api/v1/staff/:id', (ctx) =>
      handle(ctx, async () => {
        const existing = await getStaff(deps.db, ctx.params.id);
        const parsed = updateStaffSchema.safeParse(jsonBody(ctx));
        if (!parsed.success) return apiError(ctx, 422, 'validation_failed', 'Some fields are invalid.', zodFieldErrors(parsed.error));
        const staff = await deps.db.transaction((tx) => updateStaff(tx, apiActor(ctx), existing.id, parsed.data));
        return json(ctx, 200, toStaffJson(staff));
      }), { api: 'staff.manage' })
    .get('/api/v1/roles', (ctx) =>
      handle(ctx, async () => {
        const roles = await listRoles(deps.db);
        return json(ctx, 200, { data: roles.map((r) => ({ id: r.id, key: r.key, name: r.name, description: r.description, permissions: r.permissions, built_in: r.builtIn, user_count: r.userCount })) });
      }), { api: 'staff.view' });
}

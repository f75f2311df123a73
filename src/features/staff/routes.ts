import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage, redirect, setFlash } from '../../server/respond';
import { formBody, formList, formString } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { createRole, createStaff, deleteRole, getRole, getStaff, listRoles, listStaff, resetPassword, updateRole, updateStaff } from './service';
import { createStaffSchema, DEFAULT_DISCOUNT_LIMIT_MILLIPERCENT, parseDiscountLimitPercent, resetPasswordSchema, roleSchema, STAFF_SORTS, updateStaffSchema } from './schemas';
import { formatMillipercent } from '../../domain/rounding';
import { ServiceError, zodFieldErrors } from '../service-errors';
import { PERMISSIONS } from '../auth/permissions';
import type { Actor } from '../audit/service';
import type { StaffView } from './service';
import { csvDownloadHeaders, toCsv, CSV_EXPORT_LIMIT } from '../csv/write';
import { storeToday } from '../settings/service';

export const actorOf = (ctx: any): Actor => ({ userId: ctx.user?.id ?? null, label: ctx.user?.username ?? 'anonymous', requestId: ctx.requestId, ip: ctx.ip });

/** Permissions grouped by area for the role editor. */
function permissionGroups() {
  const groups = new Map<string, { key: string; description: string }[]>();
  for (const [key, description] of Object.entries(PERMISSIONS)) {
    const area = key.split('.')[0];
    groups.set(area, [...(groups.get(area) ?? []), { key, description }]);
  }
  return [...groups.entries()].map(([area, permissions]) => ({ area, permissions }));
}

/** "12.5%" -> "12.5" for the Discount limit (%) field. */
const percentFieldValue = (millipercent: number) => formatMillipercent(millipercent).replace('%', '');

/**
 * Form fields -> schema input: the form takes a percent ("12.5"), the schema millipercent. A bad percent
 * becomes an error on the form's field; schema errors on the millipercent key are shown there too.
 */
function withDiscountLimit(values: { discount_limit: string } & Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const { discount_limit: percent, ...fields } = values;
  const limit = parseDiscountLimitPercent(percent);
  if ('error' in limit) return { input: { ...fields, ...extra }, limitError: limit.error };
  return { input: { ...fields, ...extra, discount_limit_millipercent: limit.value }, limitError: null };
}
function formErrors(fields: Record<string, string>, limitError: string | null): Record<string, string> {
  const errors = { ...fields };
  if (errors.discount_limit_millipercent) {
    errors.discount_limit ??= errors.discount_limit_millipercent;
    delete errors.discount_limit_millipercent;
  }
  if (limitError) errors.discount_limit = limitError;
  return errors;
}

export function staffRoutes(deps: AppDeps) {
  const listFilters = (ctx: any) => ({
    status: ['active', 'inactive', 'all'].includes(ctx.query.status) ? (ctx.query.status as 'active') : ('active' as const),
    roleKey: typeof ctx.query.role === 'string' ? ctx.query.role.slice(0, 60) : '',
  });
  const listPage = async (ctx: any) => {
    const query = parseListQuery(ctx.query, { sorts: STAFF_SORTS, defaultSort: 'username' });
    const { status, roleKey } = listFilters(ctx);
    const { rows, total } = await listStaff(deps.db, query, { status, roleKey: roleKey || undefined });
    const params: Record<string, string> = {};
    if (status !== 'active') params.status = status;
    if (roleKey) params.role = roleKey;
    const list = buildListModel('/staff', query, rows, total, params, { csv: true });
    return renderPage(deps, ctx, { template: 'staff/page', fragment: 'staff/_list', title: 'Staff', data: { list, status, roleKey, roles: await listRoles(deps.db) } });
  };

  const newPage = async (ctx: any, values: Record<string, unknown> = { role_ids: [], discount_limit: percentFieldValue(DEFAULT_DISCOUNT_LIMIT_MILLIPERCENT) }, errors: Record<string, string> = {}, status = 200) =>
    renderPage(deps, ctx, { template: 'staff/new', title: 'New staff user', status, data: { values, errors, roles: await listRoles(deps.db) } });

  const detailPage = async (ctx: any, id: string, extra: { values?: Record<string, unknown>; errors?: Record<string, string>; passwordErrors?: Record<string, string>; status?: number } = {}) => {
    const staff = await getStaff(deps.db, id);
    return renderPage(deps, ctx, {
      template: 'staff/detail',
      title: staff.name,
      status: extra.status ?? 200,
      data: {
        staff,
        values: extra.values ?? { name: staff.name, email: staff.email ?? '', role_ids: staff.roles.map((r) => r.id), discount_limit: percentFieldValue(staff.discountLimitMillipercent) },
        errors: extra.errors ?? {},
        passwordErrors: extra.passwordErrors ?? {},
        roles: await listRoles(deps.db),
      },
    });
  };

  const rolePage = async (ctx: any, role: Awaited<ReturnType<typeof getRole>> | null, values: Record<string, unknown>, errors: Record<string, string> = {}, status = 200) =>
    renderPage(deps, ctx, { template: 'staff/role', title: role ? role.name : 'New role', status, data: { role, values, errors, groups: permissionGroups() } });

  return new Elysia({ name: 'feature.staff' })
    .use(authPlugin(deps))
    .get('/staff', listPage, { permission: 'staff.view' })
    .get(
      '/staff/export.csv',
      async (ctx) => {
        // Same search, filters and sort as the list on screen, every row (capped), as a spreadsheet.
        const query = { ...parseListQuery(ctx.query, { sorts: STAFF_SORTS, defaultSort: 'username' }), page: 1, limit: CSV_EXPORT_LIMIT };
        const { status, roleKey } = listFilters(ctx);
        const { rows } = await listStaff(deps.db, query, { status, roleKey: roleKey || undefined });
        Object.assign(ctx.set.headers, csvDownloadHeaders('staff', await storeToday(deps.db, deps.clock)));
        return toCsv<StaffView>(
          [
            { header: 'username', value: (r) => r.username },
            { header: 'name', value: (r) => r.name },
            { header: 'email', value: (r) => r.email },
            { header: 'roles', value: (r) => r.roles.map((x) => x.key).join(' ') },
            { header: 'active', value: (r) => r.active },
            { header: 'last_login_at', value: (r) => r.lastLoginAt },
            { header: 'created_at', value: (r) => r.createdAt },
          ],
          rows,
        );
      },
      { permission: 'staff.view' },
    )
    .get('/staff/new', (ctx) => newPage(ctx), { permission: 'staff.manage' })
    .post(
      '/staff',
      async (ctx) => {
        const body = formBody(ctx.body);
        const values = { username: formString(body, 'username'), name: formString(body, 'name'), email: formString(body, 'email'), pin: formString(body, 'pin'), role_ids: formList(body, 'role_ids'), discount_limit: formString(body, 'discount_limit') };
        const { input, limitError } = withDiscountLimit(values, { password: formString(body, 'password') });
        const parsed = createStaffSchema.safeParse(input);
        if (!parsed.success || limitError) return newPage(ctx, values, formErrors(parsed.success ? {} : zodFieldErrors(parsed.error), limitError), 422);
        try {
          const staff = await deps.db.transaction((tx) => createStaff(tx, actorOf(ctx), parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `${staff.name} (${staff.username}) can now sign in.` });
          return redirect(ctx, `/staff/${staff.id}`);
        } catch (err) {
          if (err instanceof ServiceError) return newPage(ctx, values, { ...err.fields, _: err.message }, err.status === 409 ? 409 : 422);
          throw err;
        }
      },
      { permission: 'staff.manage' },
    )
    .get('/staff/roles', async (ctx) => renderPage(deps, ctx, { template: 'staff/roles', title: 'Roles', data: { roles: await listRoles(deps.db) } }), { permission: 'staff.view' })
    .get('/staff/roles/new', (ctx) => rolePage(ctx, null, { name: '', description: '', permissions: [] }), { permission: 'staff.manage' })
    .post(
      '/staff/roles',
      async (ctx) => {
        const body = formBody(ctx.body);
        const values = { name: formString(body, 'name'), description: formString(body, 'description'), permissions: formList(body, 'permissions') };
        const parsed = roleSchema.safeParse(values);
        if (!parsed.success) return rolePage(ctx, null, values, zodFieldErrors(parsed.error), 422);
        try {
          const role = await deps.db.transaction((tx) => createRole(tx, actorOf(ctx), parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `Role “${role.name}” created.` });
          return redirect(ctx, '/staff/roles');
        } catch (err) {
          if (err instanceof ServiceError) return rolePage(ctx, null, values, { ...err.fields, _: err.message }, err.status);
          throw err;
        }
      },
      { permission: 'staff.manage' },
    )
    .get('/staff/roles/:id', async (ctx) => {
      const role = await getRole(deps.db, ctx.params.id);
      return rolePage(ctx, role, { name: role.name, description: role.description, permissions: role.permissions });
    }, { permission: 'staff.view' })
    .post(
      '/staff/roles/:id',
      async (ctx) => {
        const role = await getRole(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const values = { name: formString(body, 'name'), description: formString(body, 'description'), permissions: formList(body, 'permissions') };
        const parsed = roleSchema.safeParse(values);
        if (!parsed.success) return rolePage(ctx, role, values, zodFieldErrors(parsed.error), 422);
        try {
          await deps.db.transaction((tx) => updateRole(tx, actorOf(ctx), role.id, parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `Role “${parsed.data.name}” saved.` });
          return redirect(ctx, '/staff/roles');
        } catch (err) {
          if (err instanceof ServiceError) return rolePage(ctx, role, values, { ...err.fields, _: err.message }, err.status);
          throw err;
        }
      },
      { permission: 'staff.manage' },
    )
    .post(
      '/staff/roles/:id/delete',
      async (ctx) => {
        const role = await getRole(deps.db, ctx.params.id);
        try {
          await deps.db.transaction((tx) => deleteRole(tx, actorOf(ctx), role.id));
          setFlash(deps, ctx, { kind: 'success', message: `Role “${role.name}” deleted.` });
        } catch (err) {
          if (!(err instanceof ServiceError)) throw err;
          setFlash(deps, ctx, { kind: 'error', message: err.message });
        }
        return redirect(ctx, '/staff/roles');
      },
      { permission: 'staff.manage' },
    )
    .get('/staff/:id', (ctx) => detailPage(ctx, ctx.params.id), { permission: 'staff.view' })
    .post(
      '/staff/:id',
      async (ctx) => {
        const staff = await getStaff(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const values = { name: formString(body, 'name'), email: formString(body, 'email'), pin: formString(body, 'pin'), role_ids: formList(body, 'role_ids'), discount_limit: formString(body, 'discount_limit') };
        const { input, limitError } = withDiscountLimit(values);
        const parsed = updateStaffSchema.safeParse(input);
        if (!parsed.success || limitError) return detailPage(ctx, staff.id, { values, errors: formErrors(parsed.success ? {} : zodFieldErrors(parsed.error), limitError), status: 422 });
        try {
          await deps.db.transaction((tx) => updateStaff(tx, actorOf(ctx), staff.id, parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: 'Changes saved.' });
          return redirect(ctx, `/staff/${staff.id}`);
        } catch (err) {
          if (err instanceof ServiceError) return detailPage(ctx, staff.id, { values, errors: { ...err.fields, _: err.message }, status: err.status });
          throw err;
        }
      },
      { permission: 'staff.manage' },
    )
    .post(
      '/staff/:id/active',
      async (ctx) => {
        const staff = await getStaff(deps.db, ctx.params.id);
        const active = formString(formBody(ctx.body), 'active') === 'true';
        if (!active && staff.id === ctx.user!.id) {
          setFlash(deps, ctx, { kind: 'error', message: 'You cannot deactivate yourself.' });
          return redirect(ctx, `/staff/${staff.id}`);
        }
        try {
          await deps.db.transaction((tx) => updateStaff(tx, actorOf(ctx), staff.id, { active }));
          setFlash(deps, ctx, { kind: 'success', message: active ? `${staff.name} is active again.` : `${staff.name} is deactivated and signed out.` });
        } catch (err) {
          if (!(err instanceof ServiceError)) throw err;
          setFlash(deps, ctx, { kind: 'error', message: err.message });
        }
        return redirect(ctx, `/staff/${staff.id}`);
      },
      { permission: 'staff.manage' },
    )
    .post(
      '/staff/:id/password',
      async (ctx) => {
        const staff = await getStaff(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const password = formString(body, 'password');
        const parsed = resetPasswordSchema.safeParse({ password });
        const errors = parsed.success ? {} : zodFieldErrors(parsed.error);
        if (parsed.success && password !== formString(body, 'password_confirm')) errors.password_confirm = 'The two passwords differ.';
        if (Object.keys(errors).length) return detailPage(ctx, staff.id, { passwordErrors: errors, status: 422 });
        await deps.db.transaction((tx) => resetPassword(tx, actorOf(ctx), staff.id, password));
        setFlash(deps, ctx, { kind: 'success', message: `New password set for ${staff.name}; their open sessions were ended.` });
        return redirect(ctx, `/staff/${staff.id}`);
      },
      { permission: 'staff.manage' },
    );
}

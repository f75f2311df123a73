import { Elysia } from 'elysia';
import { FORM_KEY_FIELD, newFormKey, submitFormOnce } from '../../ui/one-time-form';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { htmlError, redirect, renderPage, setFlash } from '../../server/respond';
import { formBody, formString } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { csvDownloadHeaders, toCsv, CSV_EXPORT_LIMIT } from '../csv/write';
import { centsToDecimalString } from '../../domain/money';
import { getStoreSettings, storeToday } from '../settings/service';
import { actorOf } from '../staff/routes';
import { ServiceError, zodFieldErrors } from '../service-errors';
import { isUuid } from '../../db/sql-helpers';
import { readDateRange } from '../ledger/schemas';
import { closeSessionSchema, MAX_REASON_LENGTH, movementSchema, MOVEMENT_LABELS, openSessionSchema, registerNameSchema, reopenSchema } from './schemas';
import { createRegister, getRegister, listRegisters, updateRegister, type Register } from './service';
import { closeSession, getSession, openSession, recordMovement, reopenSession, sessionReport } from './sessions';
import { listSessions, SESSION_SORTS, type SessionRow } from './queries';
import { DENOMINATION_FIELDS, readAmount, readDenominationGrid } from './forms';

/**
 * Register and drawer pages. Working a drawer takes drawer.open (open, paid-in/out, drop, no-sale, X report,
 * history), closing drawer.close, reopening drawer.reopen (managers), and adding/renaming/deactivating
 * registers settings.manage. Every form posts plainly; errors come back next to the fields.
 */

const HISTORY_OPTIONS = { sorts: SESSION_SORTS, defaultSort: 'opened', defaultOrder: 'desc' as const, defaultLimit: 50 };
type Errors = Record<string, string>;

/** Blind sessions hide the expected amounts from whoever can't reopen (the cashier) until the close. */
const seesExpected = (ctx: any, blind: boolean, status: string) => !blind || status === 'closed' || !!ctx.user?.permissions?.has('drawer.reopen');

export function sessionsCsv(rows: SessionRow[], timeZone: string): string {
  const money = (c: number | null) => (c === null ? '' : centsToDecimalString(c));
  const at = (d: Date | null) => (d ? d.toLocaleString('sv-SE', { timeZone }).replace(' ', 'T') : '');
  return toCsv<SessionRow>(
    [
      { header: 'number', value: (r) => r.number },
      { header: 'register', value: (r) => r.registerName },
      { header: 'status', value: (r) => r.status },
      { header: 'opened_by', value: (r) => r.openedByLabel },
      { header: 'opened_at', value: (r) => at(r.openedAt) },
      { header: 'closed_by', value: (r) => r.closedByLabel ?? '' },
      { header: 'closed_at', value: (r) => at(r.closedAt) },
      { header: 'float', value: (r) => money(r.floatCents) },
      { header: 'expected_cash', value: (r) => money(r.expectedCashCents) },
      { header: 'counted_cash', value: (r) => money(r.countedCashCents) },
      { header: 'counted_checks', value: (r) => money(r.countedChecksCents) },
      { header: 'over_short', value: (r) => money(r.overShortCents) },
      { header: 'blind', value: (r) => (r.blind ? 'yes' : 'no') },
    ],
    rows,
  );
}

export function registersRoutes(deps: AppDeps) {
  const indexPage = async (ctx: any, values: Record<string, string> = {}, errors: Errors = {}, status = 200) =>
    renderPage(deps, ctx, { template: 'registers/index', title: 'Registers', status, data: { registers: await listRegisters(deps.db), values, errors } });

  const registerPage = async (ctx: any, register: Register, opts: { values?: Record<string, string>; errors?: Errors; editValues?: Record<string, string>; editErrors?: Errors; status?: number } = {}) => {
    const [withSession] = (await listRegisters(deps.db)).filter((r) => r.id === register.id);
    const recent = await listSessions(deps.db, { registerId: register.id }, { q: '', page: 1, limit: 10, sort: 'opened', order: 'desc' });
    return renderPage(deps, ctx, {
      template: 'registers/register',
      title: register.name,
      status: opts.status ?? 200,
      data: { formKey: newFormKey(), register: withSession, recent: recent.rows, denominations: DENOMINATION_FIELDS, values: opts.values ?? {}, errors: opts.errors ?? {}, editValues: opts.editValues ?? { name: register.name }, editErrors: opts.editErrors ?? {} },
    });
  };

  const sessionPage = async (ctx: any, id: string, opts: { values?: Record<string, string>; errors?: Errors; reopenValues?: Record<string, string>; reopenErrors?: Errors; status?: number } = {}) => {
    const report = await sessionReport(deps.db, id);
    return renderPage(deps, ctx, {
      template: 'registers/session',
      title: `Drawer ${report.session.number}`,
      status: opts.status ?? 200,
      data: { formKey: newFormKey(), report, labels: MOVEMENT_LABELS, showExpected: seesExpected(ctx, report.session.blind, report.session.status), values: opts.values ?? {}, errors: opts.errors ?? {}, reopenValues: opts.reopenValues ?? {}, reopenErrors: opts.reopenErrors ?? {}, maxReason: MAX_REASON_LENGTH },
    });
  };

  const closePage = async (ctx: any, id: string, values: Record<string, string> = {}, errors: Errors = {}, status = 200) => {
    const report = await sessionReport(deps.db, id);
    return renderPage(deps, ctx, {
      template: 'registers/close',
      title: `Close ${report.session.number}`,
      status,
      data: { formKey: newFormKey(), report, denominations: DENOMINATION_FIELDS, showExpected: seesExpected(ctx, report.session.blind, report.session.status), values, errors },
    });
  };

  /** Service errors of a form post: field messages (and the message for the whole form) or rethrow a 404. */
  const formErrors = (err: unknown): { errors: Errors; status: number } => {
    if (err instanceof ServiceError && err.status !== 404) return { errors: { ...err.fields, ...(Object.keys(err.fields).length && err.status === 422 ? {} : { _: err.message }) }, status: err.status };
    throw err;
  };

  return new Elysia({ name: 'feature.registers' })
    .use(authPlugin(deps))
    .get('/registers', (ctx) => indexPage(ctx), { permission: 'drawer.open' })
    .post(
      '/registers',
      async (ctx) => {
        const values = { name: formString(formBody(ctx.body), 'name') };
        const parsed = registerNameSchema.safeParse(values);
        if (!parsed.success) return indexPage(ctx, values, zodFieldErrors(parsed.error), 422);
        try {
          const row = await deps.db.transaction((tx) => createRegister(tx, actorOf(ctx), parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `Added ${row.name}.` });
          return redirect(ctx, '/registers');
        } catch (err) {
          const { errors, status } = formErrors(err);
          return indexPage(ctx, values, errors, status);
        }
      },
      { permission: 'settings.manage' },
    )
    .get(
      '/registers/history',
      async (ctx) => {
        const query = parseListQuery(ctx.query, HISTORY_OPTIONS);
        const { range, errors } = readDateRange(ctx.query);
        const valid = Object.keys(errors).length === 0;
        const registerId = isUuid(ctx.query.register_id) ? ctx.query.register_id : null;
        const filter = { ...range, registerId };
        const { rows, total } = valid ? await listSessions(deps.db, filter, query) : { rows: [], total: 0 };
        const params = { ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}), ...(registerId ? { register_id: registerId } : {}) };
        const list = buildListModel('/registers/history', query, rows, total, params, { csv: valid });
        return renderPage(deps, ctx, {
          template: 'registers/history',
          fragment: 'registers/history',
          title: 'Drawer history',
          status: valid ? 200 : 400,
          data: { list, registers: await listRegisters(deps.db), values: { from: ctx.query.from ?? '', to: ctx.query.to ?? '', register_id: registerId ?? '' }, errors, listOnly: !!ctx.htmx?.wantsFragment },
        });
      },
      { permission: 'drawer.open' },
    )
    .get(
      '/registers/history/export.csv',
      async (ctx) => {
        const query = parseListQuery(ctx.query, HISTORY_OPTIONS);
        const { range, errors } = readDateRange(ctx.query);
        if (Object.keys(errors).length) return htmlError(deps, ctx, 400, 'Cannot export', Object.values(errors).join(' '));
        const { rows } = await listSessions(deps.db, { ...range, registerId: isUuid(ctx.query.register_id) ? ctx.query.register_id : null }, query, CSV_EXPORT_LIMIT, 0);
        const today = await storeToday(deps.db, deps.clock);
        Object.assign(ctx.set.headers, csvDownloadHeaders('drawer-sessions', today));
        return sessionsCsv(rows, (await getStoreSettings(deps.db))?.timeZone ?? 'UTC');
      },
      { permission: 'drawer.open' },
    )
    .get('/registers/:id', async (ctx) => registerPage(ctx, await getRegister(deps.db, ctx.params.id)), { permission: 'drawer.open' })
    .post(
      '/registers/:id/edit',
      async (ctx) => {
        const register = await getRegister(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const editValues = { name: formString(body, 'name'), active: formString(body, 'active') };
        const parsed = registerNameSchema.safeParse(editValues);
        if (!parsed.success) return registerPage(ctx, register, { editValues, editErrors: zodFieldErrors(parsed.error), status: 422 });
        try {
          const saved = await deps.db.transaction((tx) => updateRegister(tx, actorOf(ctx), register.id, { name: parsed.data.name, active: editValues.active === 'on' || editValues.active === 'true' }));
          setFlash(deps, ctx, { kind: 'success', message: `Saved ${saved.name}${saved.active ? '' : ' (deactivated)'}.` });
          return redirect(ctx, `/registers/${register.id}`);
        } catch (err) {
          const { errors, status } = formErrors(err);
          return registerPage(ctx, register, { editValues, editErrors: errors, status });
        }
      },
      { permission: 'settings.manage' },
    )
    .post(
      '/registers/:id/open',
      async (ctx) => {
        const register = await getRegister(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const grid = readDenominationGrid(body);
        const values = { ...grid.values, blind: formString(body, 'blind') };
        if (Object.keys(grid.errors).length) return registerPage(ctx, register, { values, errors: grid.errors, status: 422 });
        const parsed = openSessionSchema.safeParse({ float_denominations: grid.denominations, blind: values.blind === 'on' });
        if (!parsed.success) return registerPage(ctx, register, { values, errors: zodFieldErrors(parsed.error), status: 422 });
        try {
          const { value: session, replayed } = await submitFormOnce(deps.db, ctx, formString(body, FORM_KEY_FIELD), parsed.data, async (tx) => {
            const s = await openSession(tx, actorOf(ctx), register.id, parsed.data);
            return { id: s.id, number: s.number };
          });
          setFlash(deps, ctx, { kind: 'success', message: replayed ? `${session.number} was already opened by your first click.` : `Opened ${session.number} on ${register.name}.` });
          return redirect(ctx, `/registers/sessions/${session.id}`);
        } catch (err) {
          const { errors, status } = formErrors(err);
          return registerPage(ctx, register, { values, errors: { ...errors, ...(errors.float_denominations ? { _: errors.float_denominations } : {}) }, status });
        }
      },
      { permission: 'drawer.open' },
    )
    .get('/registers/sessions/:id', (ctx) => sessionPage(ctx, ctx.params.id), { permission: 'drawer.open' })
    .post(
      '/registers/sessions/:id/movements',
      async (ctx) => {
        const session = await getSession(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const values = { kind: formString(body, 'kind'), amount: formString(body, 'amount'), reason: formString(body, 'reason') };
        const amount = readAmount(body, 'amount', 'The amount');
        if (amount.error) return sessionPage(ctx, session.id, { values, errors: { amount: amount.error }, status: 422 });
        const parsed = movementSchema.safeParse({ kind: values.kind, ...(amount.value !== undefined ? { amount_cents: amount.value } : {}), ...(values.reason.trim() ? { reason: values.reason } : {}) });
        if (!parsed.success) {
          const errors = zodFieldErrors(parsed.error);
          if (errors.amount_cents) errors.amount = errors.amount_cents;
          return sessionPage(ctx, session.id, { values, errors, status: 422 });
        }
        try {
          const { replayed } = await submitFormOnce(deps.db, ctx, formString(body, FORM_KEY_FIELD), parsed.data, async (tx) => (await recordMovement(tx, actorOf(ctx), session.id, parsed.data)).id);
          setFlash(deps, ctx, { kind: 'success', message: replayed ? `${MOVEMENT_LABELS[parsed.data.kind]} was already recorded (sent twice).` : `${MOVEMENT_LABELS[parsed.data.kind]} recorded.` });
          return redirect(ctx, `/registers/sessions/${session.id}`);
        } catch (err) {
          const { errors, status } = formErrors(err);
          return sessionPage(ctx, session.id, { values, errors, status });
        }
      },
      { permission: 'drawer.open' },
    )
    .get('/registers/sessions/:id/close', (ctx) => closePage(ctx, ctx.params.id), { permission: 'drawer.close' })
    .post(
      '/registers/sessions/:id/close',
      async (ctx) => {
        const session = await getSession(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const grid = readDenominationGrid(body);
        const values = { ...grid.values, checks: formString(body, 'checks'), note: formString(body, 'note') };
        const checks = readAmount(body, 'checks', 'The checks total');
        const errors: Errors = { ...grid.errors, ...(checks.error ? { checks: checks.error } : {}) };
        if (Object.keys(errors).length) return closePage(ctx, session.id, values, errors, 422);
        const parsed = closeSessionSchema.safeParse({ cash_denominations: grid.denominations, checks_cents: checks.value ?? 0, ...(values.note.trim() ? { note: values.note } : {}) });
        if (!parsed.success) {
          const e = zodFieldErrors(parsed.error);
          if (e.checks_cents) e.checks = e.checks_cents;
          return closePage(ctx, session.id, values, e, 422);
        }
        try {
          const { value: closed } = await submitFormOnce(deps.db, ctx, formString(body, FORM_KEY_FIELD), parsed.data, async (tx) => ({ number: (await closeSession(tx, actorOf(ctx), session.id, parsed.data)).number }));
          setFlash(deps, ctx, { kind: 'success', message: `Closed ${closed.number}.` });
          return redirect(ctx, `/registers/sessions/${session.id}/z`);
        } catch (err) {
          const r = formErrors(err);
          return closePage(ctx, session.id, values, r.errors, r.status);
        }
      },
      { permission: 'drawer.close' },
    )
    .get(
      '/registers/sessions/:id/z',
      async (ctx) => {
        const report = await sessionReport(deps.db, ctx.params.id);
        if (report.session.status !== 'closed') return redirect(ctx, `/registers/sessions/${report.session.id}`, 302);
        return renderPage(deps, ctx, { template: 'registers/z-report', title: `Z report ${report.session.number}`, data: { report, labels: MOVEMENT_LABELS, denominations: DENOMINATION_FIELDS } });
      },
      { permission: 'drawer.open' },
    )
    .post(
      '/registers/sessions/:id/reopen',
      async (ctx) => {
        const session = await getSession(deps.db, ctx.params.id);
        const reopenValues = { note: formString(formBody(ctx.body), 'note') };
        const parsed = reopenSchema.safeParse(reopenValues);
        if (!parsed.success) return sessionPage(ctx, session.id, { reopenValues, reopenErrors: zodFieldErrors(parsed.error), status: 422 });
        try {
          await submitFormOnce(deps.db, ctx, formString(formBody(ctx.body), FORM_KEY_FIELD), parsed.data, async (tx) => (await reopenSession(tx, actorOf(ctx), session.id, parsed.data.note)).id);
          setFlash(deps, ctx, { kind: 'success', message: `Reopened ${session.number}; the close entry was reversed.` });
          return redirect(ctx, `/registers/sessions/${session.id}`);
        } catch (err) {
          const { errors, status } = formErrors(err);
          return sessionPage(ctx, session.id, { reopenValues, reopenErrors: errors, status });
        }
      },
      { permission: 'drawer.reopen' },
    );
}

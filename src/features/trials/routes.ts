import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { redirect, renderPage, setFlash } from '../../server/respond';
import { formBody, formString } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { storeToday } from '../settings/service';
import { htmlSaleContext } from '../sales/context';
import { formErrors, resolveAccount, resolveUnit, schemaErrors, type Errors } from '../layaways/counter-form';
import { DEFAULT_TRIAL_DAYS, returnTrialSchema, startTrialSchema, TRIAL_SORTS, TRIAL_STATUSES } from './schemas';
import { findTrial, isOverdue, listTrials, returnTrial, startTrial, trialView } from './service';

/**
 * In-home trial pages (pos.sell): the list (with the overdue filter: the call list), sending a unit home and
 * a trial's page with its return form. Buying it is a sale of the unit to the same account on the sale screen.
 */

const LIST_OPTIONS = { sorts: TRIAL_SORTS, defaultSort: 'due_on', defaultOrder: 'asc' as const, defaultLimit: 25 };
export const TRIAL_STATUS_LABELS: Record<string, string> = { out: 'Out', returned: 'Returned', converted: 'Bought' };

export function trialsRoutes(deps: AppDeps) {
  const newPage = async (ctx: any, opts: { values?: Record<string, string>; errors?: Errors; status?: number } = {}) =>
    renderPage(deps, ctx, {
      template: 'trials/new',
      title: 'New trial',
      status: opts.status ?? 200,
      data: { values: opts.values ?? { account: typeof ctx.query?.account === 'string' ? ctx.query.account : '', serial: typeof ctx.query?.serial === 'string' ? ctx.query.serial : '', days: String(DEFAULT_TRIAL_DAYS) }, errors: opts.errors ?? {} },
    });

  const showPage = async (ctx: any, id: string, opts: { values?: Record<string, string>; errors?: Errors; status?: number } = {}) => {
    const today = await storeToday(deps.db, deps.clock);
    const view = await trialView(deps.db, id);
    return renderPage(deps, ctx, { template: 'trials/show', title: `Trial ${view.number}`, status: opts.status ?? 200, data: { view, overdue: isOverdue(view, today), statusLabels: TRIAL_STATUS_LABELS, values: opts.values ?? {}, errors: opts.errors ?? {} } });
  };

  return new Elysia({ name: 'feature.trials' })
    .use(authPlugin(deps))
    .get(
      '/trials',
      async (ctx) => {
        const query = parseListQuery(ctx.query, LIST_OPTIONS);
        const filter = String(ctx.query.status ?? '');
        const status = (TRIAL_STATUSES as readonly string[]).includes(filter) ? filter : '';
        const overdue = filter === 'overdue';
        const today = await storeToday(deps.db, deps.clock);
        const { rows, total } = await listTrials(deps.db, { status: status || null, overdue, today }, query);
        const list = buildListModel('/trials', query, rows.map((r) => ({ ...r, overdue: isOverdue(r, today) })), total, status || overdue ? { status: filter } : {});
        return renderPage(deps, ctx, { template: 'trials/index', fragment: 'trials/index', title: 'Trials', data: { list, status: status || (overdue ? 'overdue' : ''), statusLabels: TRIAL_STATUS_LABELS, listOnly: !!ctx.htmx?.wantsFragment } });
      },
      { permission: 'pos.sell' },
    )
    .get('/trials/new', (ctx) => newPage(ctx), { permission: 'pos.sell' })
    .post(
      '/trials',
      async (ctx) => {
        const body = formBody(ctx.body);
        const errors: Errors = {};
        const values: Record<string, string> = { account: formString(body, 'account').trim(), serial: formString(body, 'serial').trim(), days: formString(body, 'days').trim(), note: formString(body, 'note') };
        const account = await resolveAccount(deps.db, values.account);
        if (account.error) errors.account = account.error;
        const unit = await resolveUnit(deps.db, values.serial);
        if (unit.error) errors.serial = unit.error;
        if (values.days && !/^\d{1,3}$/.test(values.days)) errors.days = 'Enter a whole number of days.';
        if (Object.keys(errors).length) return newPage(ctx, { values, errors, status: 422 });
        const input = { account_id: account.id!, unit_id: unit.id!, ...(values.days ? { days: Number(values.days) } : {}), ...(values.note.trim() ? { note: values.note } : {}) };
        const rename = { unit_id: 'serial', due_on: 'days' };
        const parsed = startTrialSchema.safeParse(input);
        if (!parsed.success) return newPage(ctx, { values, errors: schemaErrors(parsed.error, rename), status: 422 });
        try {
          const sc = await htmlSaleContext(deps, ctx);
          const trial = await deps.db.transaction((tx) => startTrial(tx, sc, parsed.data, deps.clock.now()));
          setFlash(deps, ctx, { kind: 'success', message: `Trial ${trial.number}: due back ${trial.dueOn}.` });
          return redirect(ctx, `/trials/${trial.id}`);
        } catch (err) {
          const r = formErrors(err, rename);
          return newPage(ctx, { values, errors: r.errors, status: r.status });
        }
      },
      { permission: 'pos.sell' },
    )
    .get('/trials/:id', (ctx) => showPage(ctx, ctx.params.id), { permission: 'pos.sell' })
    .post(
      '/trials/:id/return',
      async (ctx) => {
        const trial = await findTrial(deps.db, ctx.params.id);
        const values = { note: formString(formBody(ctx.body), 'note') };
        const parsed = returnTrialSchema.safeParse(values.note.trim() ? values : {});
        if (!parsed.success) return showPage(ctx, trial.id, { values, errors: schemaErrors(parsed.error), status: 422 });
        try {
          const sc = await htmlSaleContext(deps, ctx);
          await deps.db.transaction((tx) => returnTrial(tx, sc, trial.id, parsed.data.note, deps.clock.now()));
          setFlash(deps, ctx, { kind: 'success', message: `Trial ${trial.number}: the unit is back and available.` });
          return redirect(ctx, `/trials/${trial.id}`);
        } catch (err) {
          const r = formErrors(err);
          return showPage(ctx, trial.id, { values, errors: r.errors, status: r.status });
        }
      },
      { permission: 'pos.sell' },
    );
}

import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage, redirect, setFlash } from '../../server/respond';
import { formBody, formString } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { ServiceError } from '../service-errors';
import { actorOf } from '../staff/routes';
import { cancelCount, categoryOptions, getCount, listCounts, postCount, scanCode, setCounted, startCount, type CountStatus, type CountView } from './counts-service';
import { COUNT_SORTS, COUNT_STATUSES, indexedFieldErrors, scanSchema, setCountedSchema, startCountSchema } from './schemas';
import { formInt } from './form-input';
import { storeToday } from '../settings/service';
import { csvDownloadHeaders, toCsv, CSV_EXPORT_LIMIT } from '../csv/write';

type CountListRow = Awaited<ReturnType<typeof listCounts>>['rows'][number];

type Errors = Record<string, string>;

/**
 * Cycle counts (HTML). Counting (start, scan, correct a line) is clerk work and needs inventory.view;
 * posting the adjustments to the stock ledger, and cancelling, need inventory.manage.
 */
export function countsRoutes(deps: AppDeps) {
  const countPage = async (ctx: any, count: CountView, extra: { scanValues?: Record<string, string>; scanErrors?: Errors; message?: string; lineErrors?: Errors; actionError?: string; status?: number } = {}) =>
    renderPage(deps, ctx, {
      template: 'purchasing/count',
      fragment: 'purchasing/_count_scan',
      title: `${count.number} · ${count.name}`,
      status: extra.status ?? 200,
      data: { count, scanValues: extra.scanValues ?? { code: '', quantity: '' }, scanErrors: extra.scanErrors ?? {}, message: extra.message ?? '', lineErrors: extra.lineErrors ?? {}, actionError: extra.actionError ?? '' },
    });
  const reviewPage = async (ctx: any, count: CountView, actionError = '', status = 200) => renderPage(deps, ctx, { template: 'purchasing/count-review', title: `Review ${count.number}`, status, data: { count, actionError } });
  const newPage = async (ctx: any, values: Record<string, string> = { name: '', category_id: '', location: '' }, errors: Errors = {}, status = 200) =>
    renderPage(deps, ctx, { template: 'purchasing/count-new', title: 'New cycle count', status, data: { values, errors, categories: await categoryOptions(deps.db) } });

  const countStatus = (ctx: any) => ((COUNT_STATUSES as readonly string[]).includes(ctx.query.status) ? (ctx.query.status as CountStatus) : undefined);

  return new Elysia({ name: 'feature.purchasing.counts' })
    .use(authPlugin(deps))
    .get(
      '/inventory/counts/export.csv',
      async (ctx) => {
        // Same search, status filter and sort as the list on screen, every row (capped).
        const query = { ...parseListQuery(ctx.query, { sorts: COUNT_SORTS, defaultSort: 'number', defaultOrder: 'desc' }), page: 1, limit: CSV_EXPORT_LIMIT };
        const { rows } = await listCounts(deps.db, query, { status: countStatus(ctx) });
        Object.assign(ctx.set.headers, csvDownloadHeaders('cycle-counts', await storeToday(deps.db, deps.clock)));
        return toCsv<CountListRow>(
          [
            { header: 'number', value: (r) => r.number },
            { header: 'name', value: (r) => r.name },
            { header: 'category', value: (r) => r.categoryName },
            { header: 'location', value: (r) => r.location },
            { header: 'status', value: (r) => r.status },
            { header: 'line_count', value: (r) => r.lineCount },
            { header: 'created_at', value: (r) => r.createdAt },
            { header: 'posted_at', value: (r) => r.postedAt },
          ],
          rows,
        );
      },
      { permission: 'inventory.view' },
    )
    .get(
      '/inventory/counts',
      async (ctx) => {
        const query = parseListQuery(ctx.query, { sorts: COUNT_SORTS, defaultSort: 'number', defaultOrder: 'desc' });
        const status = countStatus(ctx);
        const { rows, total } = await listCounts(deps.db, query, { status });
        const list = buildListModel('/inventory/counts', query, rows, total, status ? { status } : {}, { csv: true });
        return renderPage(deps, ctx, { template: 'purchasing/counts', fragment: 'purchasing/_counts_list', title: 'Cycle counts', data: { list, status: status ?? '', statuses: COUNT_STATUSES } });
      },
      { permission: 'inventory.view' },
    )
    .get('/inventory/counts/new', (ctx) => newPage(ctx), { permission: 'inventory.view' })
    .post(
      '/inventory/counts',
      async (ctx) => {
        const body = formBody(ctx.body);
        const values = { name: formString(body, 'name'), category_id: formString(body, 'category_id'), location: formString(body, 'location') };
        const parsed = startCountSchema.safeParse({ ...values, category_id: values.category_id || null });
        if (!parsed.success) return newPage(ctx, values, indexedFieldErrors(parsed.error), 422);
        try {
          const count = await deps.db.transaction((tx) => startCount(tx, actorOf(ctx), parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `${count.number} started: ${count.stockLines.length} stock item(s) and ${count.unitLines.length} unit(s) to count.` });
          return redirect(ctx, `/inventory/counts/${count.id}`);
        } catch (err) {
          if (err instanceof ServiceError) return newPage(ctx, values, { ...err.fields, _: err.message }, err.status);
          throw err;
        }
      },
      { permission: 'inventory.view' },
    )
    .get('/inventory/counts/:id', async (ctx) => countPage(ctx, await getCount(deps.db, ctx.params.id)), { permission: 'inventory.view' })
    .post(
      '/inventory/counts/:id/scan',
      async (ctx) => {
        const count = await getCount(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const values = { code: formString(body, 'code'), quantity: formString(body, 'quantity') };
        const parsed = scanSchema.safeParse({ code: values.code, quantity: formInt(values.quantity) });
        if (!parsed.success) return countPage(ctx, count, { scanValues: values, scanErrors: indexedFieldErrors(parsed.error), status: 422 });
        try {
          const { message } = await deps.db.transaction((tx) => scanCode(tx, actorOf(ctx), count.id, parsed.data));
          // The scan box stays focused on the same page: a fresh, empty form with what just happened.
          return countPage(ctx, await getCount(deps.db, count.id), { message });
        } catch (err) {
          if (err instanceof ServiceError) return countPage(ctx, await getCount(deps.db, count.id), { scanValues: values, scanErrors: { ...err.fields, _: err.message }, status: err.status });
          throw err;
        }
      },
      { permission: 'inventory.view' },
    )
    .post(
      '/inventory/counts/:id/set',
      async (ctx) => {
        const count = await getCount(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const lineId = formString(body, 'line_id');
        const parsed = setCountedSchema.safeParse({ line_id: lineId, counted_quantity: formInt(formString(body, 'counted_quantity')) });
        if (!parsed.success) return countPage(ctx, count, { lineErrors: { [lineId]: Object.values(indexedFieldErrors(parsed.error))[0] }, status: 422 });
        try {
          await deps.db.transaction((tx) => setCounted(tx, actorOf(ctx), count.id, parsed.data.line_id, parsed.data.counted_quantity));
          return redirect(ctx, `/inventory/counts/${count.id}`);
        } catch (err) {
          if (err instanceof ServiceError) return countPage(ctx, await getCount(deps.db, count.id), { lineErrors: { [lineId]: Object.values(err.fields)[0] ?? err.message }, actionError: err.message, status: err.status });
          throw err;
        }
      },
      { permission: 'inventory.view' },
    )
    .get('/inventory/counts/:id/review', async (ctx) => reviewPage(ctx, await getCount(deps.db, ctx.params.id)), { permission: 'inventory.view' })
    .post(
      '/inventory/counts/:id/post',
      async (ctx) => {
        const count = await getCount(deps.db, ctx.params.id);
        try {
          const posted = await deps.db.transaction((tx) => postCount(tx, actorOf(ctx), count.id, deps.clock.now()));
          setFlash(deps, ctx, { kind: 'success', message: `${posted.number} posted; the stock ledger has its adjustments.` });
          return redirect(ctx, `/inventory/counts/${count.id}/review`);
        } catch (err) {
          if (err instanceof ServiceError) return reviewPage(ctx, await getCount(deps.db, count.id), err.message, err.status);
          throw err;
        }
      },
      { permission: 'inventory.manage' },
    )
    .post(
      '/inventory/counts/:id/cancel',
      async (ctx) => {
        const count = await getCount(deps.db, ctx.params.id);
        try {
          await deps.db.transaction((tx) => cancelCount(tx, actorOf(ctx), count.id));
          setFlash(deps, ctx, { kind: 'success', message: `${count.number} cancelled; nothing was adjusted.` });
          return redirect(ctx, `/inventory/counts/${count.id}/review`);
        } catch (err) {
          if (err instanceof ServiceError) return reviewPage(ctx, await getCount(deps.db, count.id), err.message, err.status);
          throw err;
        }
      },
      { permission: 'inventory.manage' },
    );
}

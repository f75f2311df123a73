import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import type { Tx } from '../../db/client';
import { authPlugin } from '../../server/auth';
import { json } from '../../server/respond';
import { documentApi, listQuerySchema } from '../api/registry';
import { apiActor, handle, iso, parseBody } from '../api/support';
import { idempotentJsonPost } from '../api/idempotency';
import { apiPagination, parseListQuery } from '../../ui/list';
import { isUuid } from '../../db/sql-helpers';
import { ServiceError } from '../service-errors';
import { storeToday } from '../settings/service';
import { saleContextFor, type SaleContext } from '../sales/context';
import type { BusinessDate } from '../../domain/business-date';
import { returnTrialSchema, startTrialSchema, TRIAL_SORTS, TRIAL_STATUSES } from './schemas';
import { findTrial, isOverdue, listTrials, returnTrial, startTrial, trialView, type TrialRow } from './service';

const tag = 'Trials';
const idem = 'Idempotency-Key recommended: the same key and body replay the first answer.';

const rowOut = z.object({
  id: z.uuid(),
  number: z.string().describe('Gap-free T-000001 …'),
  account_id: z.uuid(),
  account_name: z.string(),
  unit_id: z.uuid(),
  serial_number: z.string(),
  product_sku: z.string(),
  product_name: z.string(),
  price_cents: z.number().int().describe("The product's price now"),
  status: z.enum(TRIAL_STATUSES),
  out_on: z.string(),
  due_on: z.string(),
  overdue: z.boolean(),
  sale_id: z.uuid().nullable().describe('The sale that converted it'),
  sale_number: z.string().nullable(),
  created_at: z.string(),
});
const trialOut = rowOut.extend({ note: z.string(), created_by: z.string(), closed_at: z.string().nullable() });
const listQuery = listQuerySchema.extend({ status: z.enum(TRIAL_STATUSES).optional(), overdue: z.enum(['true', 'false']).optional(), account_id: z.uuid().optional() });

documentApi({ method: 'post', path: '/api/v1/trials', summary: `Send an available unit home with a customer for N days (days, default 7, or due_on): status on_trial, no journal entry. Convert it with POST /api/v1/sales (the unit, the same account). ${idem}`, tag, permission: 'pos.sell', body: startTrialSchema, response: trialOut, responseStatus: 201, idempotent: true });
documentApi({ method: 'get', path: '/api/v1/trials', summary: `Trials (q searches number, account, product, serial; filter status, overdue=true — out past the due date — and account_id; sort ${TRIAL_SORTS.join('|')})`, tag, permission: 'pos.sell', query: listQuery, response: rowOut, list: true });
documentApi({ method: 'get', path: '/api/v1/trials/:id', summary: 'One trial (id or T- number)', tag, permission: 'pos.sell', response: trialOut });
documentApi({ method: 'post', path: '/api/v1/trials/:id/return', summary: `The unit came back: available again; 409 unless out. ${idem}`, tag, permission: 'pos.sell', body: returnTrialSchema, response: trialOut, idempotent: true });

const rowJson = (r: TrialRow, today: BusinessDate) => ({ id: r.id, number: r.number, account_id: r.accountId, account_name: r.accountName, unit_id: r.unitId, serial_number: r.serialNumber, product_sku: r.productSku, product_name: r.productName, price_cents: r.priceCents, status: r.status as (typeof TRIAL_STATUSES)[number], out_on: r.outOn, due_on: r.dueOn, overdue: isOverdue(r, today), sale_id: r.saleId, sale_number: r.saleNumber, created_at: iso(r.createdAt)! });

export function trialsApi(deps: AppDeps) {
  const detail = async (db: Parameters<typeof trialView>[0], id: string, today: BusinessDate) => {
    const v = await trialView(db, id);
    return { ...rowJson(v, today), note: v.note, created_by: v.createdBy, closed_at: iso(v.closedAt) };
  };
  const post = (ctx: any, status: number, run: (tx: Tx, sc: SaleContext) => Promise<string>) =>
    handle(ctx, async () => {
      const sc = await saleContextFor(deps, apiActor(ctx), ctx.apiPrincipal!.user.permissions);
      const response = await idempotentJsonPost(deps.db, ctx, async (tx) => ({ status, body: await detail(tx, await run(tx, sc), sc.today) }));
      return json(ctx, response.status, response.body);
    });

  return new Elysia({ name: 'feature.trials.api' })
    .use(authPlugin(deps))
    .post(
      '/api/v1/trials',
      (ctx) =>
        handle(ctx, async () => {
          const input = parseBody(ctx, startTrialSchema);
          return post(ctx, 201, async (tx, sc) => (await startTrial(tx, sc, input, deps.clock.now())).id);
        }),
      { api: 'pos.sell' },
    )
    .get(
      '/api/v1/trials',
      (ctx) =>
        handle(ctx, async () => {
          const query = parseListQuery(ctx.query, { sorts: TRIAL_SORTS, defaultSort: 'due_on', defaultOrder: 'asc' }, 'strict');
          const q = ctx.query as Record<string, string | undefined>;
          const errors: Record<string, string> = {};
          if (q.status !== undefined && !(TRIAL_STATUSES as readonly string[]).includes(q.status)) errors.status = `status must be one of ${TRIAL_STATUSES.join(', ')}.`;
          if (q.overdue !== undefined && q.overdue !== 'true' && q.overdue !== 'false') errors.overdue = 'overdue must be true or false.';
          if (q.account_id !== undefined && !isUuid(q.account_id)) errors.account_id = 'account_id must be an id (uuid).';
          if (Object.keys(errors).length) throw new ServiceError('validation_failed', 'Invalid list parameters.', 400, errors);
          const today = await storeToday(deps.db, deps.clock);
          const { rows, total } = await listTrials(deps.db, { status: q.status ?? null, overdue: q.overdue === 'true', accountId: q.account_id ?? null, today }, query);
          return json(ctx, 200, { data: rows.map((r) => rowJson(r, today)), pagination: apiPagination(query, total) });
        }),
      { api: 'pos.sell' },
    )
    .get('/api/v1/trials/:id', (ctx) => handle(ctx, async () => json(ctx, 200, await detail(deps.db, ctx.params.id, await storeToday(deps.db, deps.clock)))), { api: 'pos.sell' })
    .post(
      '/api/v1/trials/:id/return',
      (ctx) =>
        handle(ctx, async () => {
          const trial = await findTrial(deps.db, ctx.params.id);
          const input = parseBody(ctx, returnTrialSchema);
          return post(ctx, 200, async (tx, sc) => (await returnTrial(tx, sc, trial.id, input.note, deps.clock.now())).id);
        }),
      { api: 'pos.sell' },
    );
}

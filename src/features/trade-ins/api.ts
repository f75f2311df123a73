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
import { UNIT_CONDITIONS } from '../inventory/schemas';
import { saleContextFor, type SaleContext } from '../sales/context';
import { acceptTradeInSchema, appraiseTradeInSchema, TRADE_IN_SORTS, TRADE_IN_STATUSES } from './schemas';
import { acceptTradeIn, appraiseTradeIn, findTradeIn, listTradeIns, tradeInView, type TradeInRow, type TradeInView } from './service';

const tag = 'Trade-ins';
const idem = 'Idempotency-Key recommended: the same key and body replay the first answer.';

const rowOut = z.object({
  id: z.uuid(),
  number: z.string().describe('Gap-free TI-000001 …'),
  account_id: z.uuid(),
  account_name: z.string(),
  product_sku: z.string(),
  product_name: z.string(),
  serial_number: z.string(),
  condition: z.enum(UNIT_CONDITIONS),
  value_cents: z.number().int(),
  status: z.enum(TRADE_IN_STATUSES),
  unit_id: z.uuid().nullable(),
  created_at: z.string(),
});
const tradeInOut = rowOut.extend({
  account_number: z.string(),
  product_id: z.uuid(),
  note: z.string(),
  unit_status: z.string().nullable(),
  journal_entry_id: z.uuid().nullable(),
  store_credit_balance_cents: z.number().int().describe("The account's store credit now"),
  created_by: z.string(),
});
const listQuery = listQuerySchema.extend({ status: z.enum(TRADE_IN_STATUSES).optional(), account_id: z.uuid().optional() });

documentApi({ method: 'post', path: '/api/v1/trade-ins', summary: `Appraise an instrument taken in (serialized product, serial, condition, value); accept: true also accepts it. ${idem}`, tag, permission: 'pos.sell', body: appraiseTradeInSchema, response: tradeInOut, responseStatus: 201, idempotent: true });
documentApi({ method: 'get', path: '/api/v1/trade-ins', summary: `Trade-ins (q searches number, account, product, serial; filter status appraised|accepted, account_id; sort ${TRADE_IN_SORTS.join('|')})`, tag, permission: 'pos.sell', query: listQuery, response: rowOut, list: true });
documentApi({ method: 'get', path: '/api/v1/trade-ins/:id', summary: 'One trade-in (id or TI- number)', tag, permission: 'pos.sell', response: tradeInOut });
documentApi({ method: 'post', path: '/api/v1/trade-ins/:id/accept', summary: `Accept an appraisal: a unit at the trade-in value as cost and that much store credit (Dr Inventory / Cr Store credit liability); needs pos.refund or a manager's PIN. The customer then pays with store credit (a tender: the sale's tax is on its full price). ${idem}`, tag, permission: 'pos.sell', body: acceptTradeInSchema, response: tradeInOut, idempotent: true });

const rowJson = (r: TradeInRow) => ({ id: r.id, number: r.number, account_id: r.accountId, account_name: r.accountName, product_sku: r.productSku, product_name: r.productName, serial_number: r.serialNumber, condition: r.condition as (typeof UNIT_CONDITIONS)[number], value_cents: r.valueCents, status: (r.unitId ? 'accepted' : 'appraised') as (typeof TRADE_IN_STATUSES)[number], unit_id: r.unitId, created_at: iso(r.createdAt)! });

export function tradeInJson(v: TradeInView) {
  const t = v.tradeIn;
  return {
    ...rowJson({ ...t, accountName: v.accountName, productSku: v.product.sku, productName: v.product.name }),
    account_number: v.accountNumber,
    product_id: t.productId,
    note: t.note,
    unit_status: v.unitStatus,
    journal_entry_id: t.journalEntryId,
    store_credit_balance_cents: v.storeCreditCents,
    created_by: t.createdByLabel,
  };
}

export function tradeInsApi(deps: AppDeps) {
  const post = (ctx: any, status: number, run: (tx: Tx, sc: SaleContext) => Promise<string>) =>
    handle(ctx, async () => {
      const sc = await saleContextFor(deps, apiActor(ctx), ctx.apiPrincipal!.user.permissions);
      const response = await idempotentJsonPost(deps.db, ctx, async (tx) => ({ status, body: tradeInJson(await tradeInView(tx, await run(tx, sc))) }));
      return json(ctx, response.status, response.body);
    });

  return new Elysia({ name: 'feature.trade-ins.api' })
    .use(authPlugin(deps))
    .post(
      '/api/v1/trade-ins',
      (ctx) =>
        handle(ctx, async () => {
          const input = parseBody(ctx, appraiseTradeInSchema);
          return post(ctx, 201, async (tx, sc) => (await appraiseTradeIn(tx, sc, input, deps.clock.now())).id);
        }),
      { api: 'pos.sell' },
    )
    .get(
      '/api/v1/trade-ins',
      (ctx) =>
        handle(ctx, async () => {
          const query = parseListQuery(ctx.query, { sorts: TRADE_IN_SORTS, defaultSort: 'created', defaultOrder: 'desc' }, 'strict');
          const q = ctx.query as Record<string, string | undefined>;
          const errors: Record<string, string> = {};
          if (q.status !== undefined && !(TRADE_IN_STATUSES as readonly string[]).includes(q.status)) errors.status = `status must be one of ${TRADE_IN_STATUSES.join(', ')}.`;
          if (q.account_id !== undefined && !isUuid(q.account_id)) errors.account_id = 'account_id must be an id (uuid).';
          if (Object.keys(errors).length) throw new ServiceError('validation_failed', 'Invalid list parameters.', 400, errors);
          const { rows, total } = await listTradeIns(deps.db, { status: q.status ?? null, accountId: q.account_id ?? null }, query);
          return json(ctx, 200, { data: rows.map(rowJson), pagination: apiPagination(query, total) });
        }),
      { api: 'pos.sell' },
    )
    .get('/api/v1/trade-ins/:id', (ctx) => handle(ctx, async () => json(ctx, 200, tradeInJson(await tradeInView(deps.db, ctx.params.id)))), { api: 'pos.sell' })
    .post(
      '/api/v1/trade-ins/:id/accept',
      (ctx) =>
        handle(ctx, async () => {
          const ti = await findTradeIn(deps.db, ctx.params.id);
          const input = parseBody(ctx, acceptTradeInSchema);
          return post(ctx, 200, async (tx, sc) => (await acceptTradeIn(tx, sc, ti.id, input.approval)).id);
        }),
      { api: 'pos.sell' },
    );
}

import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import type { DbOrTx, Tx } from '../../db/client';
import { authPlugin } from '../../server/auth';
import { json } from '../../server/respond';
import { documentApi, listQuerySchema } from '../api/registry';
import { apiActor, handle, iso, parseBody } from '../api/support';
import { idempotentJsonPost } from '../api/idempotency';
import { apiPagination, parseListQuery } from '../../ui/list';
import { isUuid } from '../../db/sql-helpers';
import { ServiceError } from '../service-errors';
import { getStoreSettings } from '../settings/service';
import { saleContextFor, type SaleContext } from '../sales/context';
import { findSale } from '../sales/queries';
import { cancelWithRefundSchema, createLayawaySchema, depositPaymentSchema, LAYAWAY_SORTS, LAYAWAY_STATUSES, pickupSchema } from './schemas';
import { cancelLayaway, createLayaway, findLayaway, layawayView, payLayaway, pickUpLayaway, type LayawayView } from './service';
import { layawayAging, listLayaways, type LayawayRow } from './queries';

const tag = 'Layaways';
const idem = 'Idempotency-Key recommended: the same key and body replay the first answer.';

const saleRef = z.object({ id: z.uuid(), number: z.string(), total_cents: z.number().int() });
const layawayRowOut = z.object({ id: z.uuid(), number: z.string().describe('Gap-free L-000001 …'), account_id: z.uuid(), account_name: z.string(), status: z.enum(LAYAWAY_STATUSES), total_cents: z.number().int(), paid_cents: z.number().int(), balance_cents: z.number().int(), due_on: z.string().nullable(), created_at: z.string(), closed_at: z.string().nullable() });
const layawayOut = layawayRowOut.extend({
  account_number: z.string(),
  subtotal_cents: z.number().int(),
  discount_cents: z.number().int(),
  net_cents: z.number().int(),
  tax_cents: z.number().int().describe('Fixed when the layaway was made'),
  tax_exempt_certificate: z.string().nullable(),
  lines: z.array(z.object({ product_id: z.string().nullable(), unit_id: z.string().nullable(), sku: z.string(), description: z.string(), quantity: z.number().int(), unit_price_cents: z.number().int(), discount_cents: z.number().int(), net_cents: z.number().int(), tax_cents: z.number().int() })),
  taxes: z.array(z.object({ class_name: z.string(), component: z.string(), rate_millipercent: z.number().int(), net_cents: z.number().int(), tax_cents: z.number().int() })),
  payments: z.array(z.object({ sale_id: z.uuid(), number: z.string(), business_date: z.string(), amount_cents: z.number().int(), status: z.string() })),
  pickup_sale_id: z.uuid().nullable(),
  pickup_sale_number: z.string().nullable(),
  refund_entry_id: z.uuid().nullable().describe('Journal entry giving the deposits back (cancelled layaways)'),
  created_by: z.string(),
  sale: saleRef.optional().describe('The counter document this request recorded (a payment or the pickup)'),
});
const agingOut = z.object({
  as_of: z.string(),
  totals: z.object({ count: z.number().int(), total_cents: z.number().int(), paid_cents: z.number().int(), balance_cents: z.number().int(), overdue: z.number().int() }),
  buckets: z.array(z.object({ key: z.string(), label: z.string(), count: z.number().int(), total_cents: z.number().int(), paid_cents: z.number().int(), balance_cents: z.number().int() })),
  data: z.array(layawayRowOut.extend({ created_on: z.string(), age_days: z.number().int(), paid_percent: z.number().int(), overdue: z.boolean() })),
});
const listQuery = listQuerySchema.extend({ status: z.enum(LAYAWAY_STATUSES).optional(), account_id: z.uuid().optional() });

documentApi({ method: 'post', path: '/api/v1/layaways', summary: `Put items on layaway for an account: priced now with the tax fixed; units go to status layaway; optional first payment (deposit with tenders). ${idem}`, tag, permission: 'pos.sell', body: createLayawaySchema, response: layawayOut.extend({ deposit_sale_id: z.uuid().nullable() }), responseStatus: 201, idempotent: true });
documentApi({ method: 'get', path: '/api/v1/layaways', summary: `Layaways (q searches number and account; filter status, account_id; sort ${LAYAWAY_SORTS.join('|')})`, tag, permission: 'pos.sell', query: listQuery, response: layawayRowOut, list: true });
documentApi({ method: 'get', path: '/api/v1/layaways/aging', summary: 'Aging of open layaways: age in days, paid %, due date, overdue flag, buckets 0–30/31–60/61–90/90+', tag, permission: 'pos.sell', response: agingOut });
documentApi({ method: 'get', path: '/api/v1/layaways/:id', summary: 'One layaway (id or L- number) with its fixed lines, tax, payments and pickup', tag, permission: 'pos.sell', response: layawayOut });
documentApi({ method: 'post', path: '/api/v1/layaways/:id/payments', summary: `A payment on an open layaway (Dr tender / Cr Customer deposits); more than the balance is 422. ${idem}`, tag, permission: 'pos.sell', body: depositPaymentSchema, response: layawayOut, responseStatus: 201, idempotent: true });
documentApi({ method: 'post', path: '/api/v1/layaways/:id/pickup', summary: `Pick up a layaway paid in full: a sale of the fixed lines paid by the deposits (revenue, tax and COGS now); 409 before it is paid. ${idem}`, tag, permission: 'pos.sell', body: pickupSchema, response: layawayOut, idempotent: true });
documentApi({ method: 'post', path: '/api/v1/layaways/:id/cancel', summary: `Cancel an open layaway: units back to available, deposits back as store credit (default) or cash from an open drawer session (pos.refund or a manager's PIN). ${idem}`, tag, permission: 'pos.sell', body: cancelWithRefundSchema, response: layawayOut, idempotent: true });

const rowJson = (r: LayawayRow) => ({ id: r.id, number: r.number, account_id: r.accountId, account_name: r.accountName, status: r.status as (typeof LAYAWAY_STATUSES)[number], total_cents: r.totalCents, paid_cents: r.paidCents, balance_cents: r.balanceCents, due_on: r.dueOn, created_at: iso(r.createdAt)!, closed_at: iso(r.closedAt) });

export function layawayJson(v: LayawayView) {
  const l = v.layaway;
  const s = v.snapshot;
  return {
    ...rowJson({ ...l, accountName: v.accountName, balanceCents: l.totalCents - l.paidCents }),
    account_number: v.accountNumber,
    subtotal_cents: s.grossCents,
    discount_cents: s.discountCents,
    net_cents: l.netCents,
    tax_cents: l.taxCents,
    tax_exempt_certificate: s.exemptCertificate,
    lines: s.lines.map((x) => ({ product_id: x.productId, unit_id: x.unitId, sku: x.sku, description: x.description, quantity: x.quantity, unit_price_cents: x.unitPriceCents, discount_cents: x.lineDiscountCents + x.orderDiscountCents, net_cents: x.netCents, tax_cents: x.taxCents })),
    taxes: s.taxes.map((t) => ({ class_name: t.className, component: t.componentName, rate_millipercent: t.rateMillipercent, net_cents: t.netCents, tax_cents: t.taxCents })),
    payments: v.payments.map((p) => ({ sale_id: p.saleId, number: p.number, business_date: p.businessDate, amount_cents: p.amountCents, status: p.status })),
    pickup_sale_id: l.pickupSaleId,
    pickup_sale_number: v.pickupNumber,
    refund_entry_id: v.refundEntry?.id ?? null,
    created_by: l.createdByLabel,
  };
}

async function withSale(db: DbOrTx, layawayId: string, saleId: string | null) {
  const body = layawayJson(await layawayView(db, layawayId));
  if (!saleId) return body;
  const sale = await findSale(db, saleId);
  return { ...body, sale: { id: sale.id, number: sale.number, total_cents: sale.totalCents } };
}

export function layawaysApi(deps: AppDeps) {
  const post = (ctx: any, status: number, run: (tx: Tx, sc: SaleContext) => Promise<unknown>) =>
    handle(ctx, async () => {
      const sc = await saleContextFor(deps, apiActor(ctx), ctx.apiPrincipal!.user.permissions);
      const response = await idempotentJsonPost(deps.db, ctx, async (tx) => ({ status, body: await run(tx, sc) }));
      return json(ctx, response.status, response.body);
    });

  return new Elysia({ name: 'feature.layaways.api' })
    .use(authPlugin(deps))
    .post(
      '/api/v1/layaways',
      (ctx) =>
        handle(ctx, async () => {
          const input = parseBody(ctx, createLayawaySchema);
          return post(ctx, 201, async (tx, sc) => {
            const made = await createLayaway(tx, sc, input, deps.clock.now());
            return { ...layawayJson(await layawayView(tx, made.layawayId)), deposit_sale_id: made.depositSaleId };
          });
        }),
      { api: 'pos.sell' },
    )
    .get(
      '/api/v1/layaways',
      (ctx) =>
        handle(ctx, async () => {
          const query = parseListQuery(ctx.query, { sorts: LAYAWAY_SORTS, defaultSort: 'created', defaultOrder: 'desc' }, 'strict');
          const q = ctx.query as Record<string, string | undefined>;
          const errors: Record<string, string> = {};
          if (q.status !== undefined && !(LAYAWAY_STATUSES as readonly string[]).includes(q.status)) errors.status = `status must be one of ${LAYAWAY_STATUSES.join(', ')}.`;
          if (q.account_id !== undefined && !isUuid(q.account_id)) errors.account_id = 'account_id must be an id (uuid).';
          if (Object.keys(errors).length) throw new ServiceError('validation_failed', 'Invalid list parameters.', 400, errors);
          const { rows, total } = await listLayaways(deps.db, { status: q.status ?? null, accountId: q.account_id ?? null }, query);
          return json(ctx, 200, { data: rows.map(rowJson), pagination: apiPagination(query, total) });
        }),
      { api: 'pos.sell' },
    )
    .get(
      '/api/v1/layaways/aging',
      (ctx) =>
        handle(ctx, async () => {
          const sc = await saleContextFor(deps, apiActor(ctx), ctx.apiPrincipal!.user.permissions);
          const report = await layawayAging(deps.db, sc.today, (await getStoreSettings(deps.db))?.timeZone ?? 'UTC');
          return json(ctx, 200, {
            as_of: report.asOf,
            totals: { count: report.totals.count, total_cents: report.totals.totalCents, paid_cents: report.totals.paidCents, balance_cents: report.totals.balanceCents, overdue: report.totals.overdue },
            buckets: report.buckets.map((b) => ({ key: b.key, label: b.label, count: b.count, total_cents: b.totalCents, paid_cents: b.paidCents, balance_cents: b.balanceCents })),
            data: report.rows.map((r) => ({ ...rowJson(r), created_on: r.createdOn, age_days: r.ageDays, paid_percent: r.paidPercent, overdue: r.overdue })),
          });
        }),
      { api: 'pos.sell' },
    )
    .get('/api/v1/layaways/:id', (ctx) => handle(ctx, async () => json(ctx, 200, layawayJson(await layawayView(deps.db, ctx.params.id)))), { api: 'pos.sell' })
    .post(
      '/api/v1/layaways/:id/payments',
      (ctx) =>
        handle(ctx, async () => {
          const lay = await findLayaway(deps.db, ctx.params.id);
          const input = parseBody(ctx, depositPaymentSchema);
          return post(ctx, 201, async (tx, sc) => withSale(tx, lay.id, await payLayaway(tx, sc, lay.id, input)));
        }),
      { api: 'pos.sell' },
    )
    .post(
      '/api/v1/layaways/:id/pickup',
      (ctx) =>
        handle(ctx, async () => {
          const lay = await findLayaway(deps.db, ctx.params.id);
          const input = parseBody(ctx, pickupSchema);
          return post(ctx, 200, async (tx, sc) => withSale(tx, lay.id, await pickUpLayaway(tx, sc, lay.id, input, deps.clock.now())));
        }),
      { api: 'pos.sell' },
    )
    .post(
      '/api/v1/layaways/:id/cancel',
      (ctx) =>
        handle(ctx, async () => {
          const lay = await findLayaway(deps.db, ctx.params.id);
          const input = parseBody(ctx, cancelWithRefundSchema);
          return post(ctx, 200, async (tx, sc) => {
            await cancelLayaway(tx, sc, lay.id, input, deps.clock.now());
            return layawayJson(await layawayView(tx, lay.id));
          });
        }),
      { api: 'pos.sell' },
    );
}

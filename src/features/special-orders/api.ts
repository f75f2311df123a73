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
import { saleContextFor, type SaleContext } from '../sales/context';
import { findSale } from '../sales/queries';
import { cancelWithRefundSchema, depositPaymentSchema } from '../layaways/schemas';
import { arrivedSchema, completeSpecialOrderSchema, createSpecialOrderSchema, orderSpecialOrderSchema, SPECIAL_ORDER_SORTS, SPECIAL_ORDER_STATUSES } from './schemas';
import { cancelSpecialOrder, completeSpecialOrder, createSpecialOrder, findSpecialOrder, listSpecialOrders, markArrived, orderSpecialOrder, paySpecialOrderDeposit, specialOrderView, type SpecialOrderRow, type SpecialOrderView } from './service';

const tag = 'Special orders';
const idem = 'Idempotency-Key recommended: the same key and body replay the first answer.';

const rowOut = z.object({
  id: z.uuid(),
  number: z.string().describe('Gap-free SO-000001 …'),
  account_id: z.uuid(),
  account_name: z.string(),
  product_sku: z.string(),
  product_name: z.string(),
  quantity: z.number().int(),
  unit_price_cents: z.number().int(),
  total_cents: z.number().int().describe('quantity × unit price, before tax'),
  deposit_cents: z.number().int(),
  status: z.enum(SPECIAL_ORDER_STATUSES).describe('received = arrived: call the customer'),
  received_at: z.string().nullable(),
  created_at: z.string(),
});
const orderOut = rowOut.extend({
  account_number: z.string(),
  product_id: z.uuid(),
  note: z.string(),
  purchase_order: z.object({ id: z.uuid(), number: z.string(), status: z.string(), line_id: z.uuid(), line_quantity_ordered: z.number().int(), line_quantity_received: z.number().int() }).nullable(),
  deposits: z.array(z.object({ sale_id: z.uuid(), number: z.string(), business_date: z.string(), amount_cents: z.number().int(), status: z.string() })),
  completed_sale_id: z.uuid().nullable(),
  completed_sale_number: z.string().nullable(),
  refund_entry_id: z.uuid().nullable(),
  created_by: z.string(),
  sale: z.object({ id: z.uuid(), number: z.string(), total_cents: z.number().int() }).optional().describe('The counter document this request recorded (a deposit or the completing sale)'),
});
const listQuery = listQuerySchema.extend({ status: z.enum(SPECIAL_ORDER_STATUSES).optional(), account_id: z.uuid().optional() });

documentApi({ method: 'post', path: '/api/v1/special-orders', summary: `Order an item for a customer (stock or serialized product, quantity, price — below list needs approval), with an optional deposit (Dr tender / Cr Customer deposits). ${idem}`, tag, permission: 'pos.sell', body: createSpecialOrderSchema, response: orderOut.extend({ deposit_sale_id: z.uuid().nullable() }), responseStatus: 201, idempotent: true });
documentApi({ method: 'get', path: '/api/v1/special-orders', summary: `Special orders (q searches number, account, product; filter status — received is the "arrived, call the customer" list — and account_id; sort ${SPECIAL_ORDER_SORTS.join('|')})`, tag, permission: 'pos.sell', query: listQuery, response: rowOut, list: true });
documentApi({ method: 'get', path: '/api/v1/special-orders/:id', summary: 'One special order (id or SO- number) with its PO link, deposits and completing sale', tag, permission: 'pos.sell', response: orderOut });
documentApi({ method: 'post', path: '/api/v1/special-orders/:id/deposits', summary: `Another deposit on an order (the deposits can't exceed its price). ${idem}`, tag, permission: 'pos.sell', body: depositPaymentSchema, response: orderOut, responseStatus: 201, idempotent: true });
documentApi({ method: 'post', path: '/api/v1/special-orders/:id/order', summary: 'Put an open order on a purchase order: purchase_order_line_id (an open line of the product with room) or supplier_id (+ unit_cost_cents) for a new line on that supplier\'s draft PO. Receiving that line marks the order received.', tag, permission: 'pos.sell', body: orderSpecialOrderSchema, response: orderOut });
documentApi({ method: 'post', path: '/api/v1/special-orders/:id/arrived', summary: 'Mark an open or ordered order arrived by hand (no Forte PO)', tag, permission: 'pos.sell', body: arrivedSchema, response: orderOut });
documentApi({ method: 'post', path: '/api/v1/special-orders/:id/complete', summary: `Complete an arrived order at the counter: a sale of the item(s) at the agreed price paid by the deposit held plus tenders (unit_ids for serialized products). ${idem}`, tag, permission: 'pos.sell', body: completeSpecialOrderSchema, response: orderOut, idempotent: true });
documentApi({ method: 'post', path: '/api/v1/special-orders/:id/cancel', summary: `Cancel an order that isn't completed: deposits back as store credit (default) or cash from an open drawer session (pos.refund or a manager's PIN). ${idem}`, tag, permission: 'pos.sell', body: cancelWithRefundSchema, response: orderOut, idempotent: true });

const rowJson = (r: SpecialOrderRow) => ({ id: r.id, number: r.number, account_id: r.accountId, account_name: r.accountName, product_sku: r.productSku, product_name: r.productName, quantity: r.quantity, unit_price_cents: r.unitPriceCents, total_cents: r.quantity * r.unitPriceCents, deposit_cents: r.depositCents, status: r.status as (typeof SPECIAL_ORDER_STATUSES)[number], received_at: iso(r.receivedAt), created_at: iso(r.createdAt)! });

export function specialOrderJson(v: SpecialOrderView) {
  const o = v.order;
  return {
    ...rowJson({ ...o, accountName: v.accountName, productSku: v.product.sku, productName: v.product.name }),
    account_number: v.accountNumber,
    product_id: o.productId,
    note: o.note,
    purchase_order: v.purchaseOrder && o.purchaseOrderLineId ? { id: v.purchaseOrder.id, number: v.purchaseOrder.number, status: v.purchaseOrder.status, line_id: o.purchaseOrderLineId, line_quantity_ordered: v.purchaseOrder.lineOrdered, line_quantity_received: v.purchaseOrder.lineReceived } : null,
    deposits: v.deposits.map((d) => ({ sale_id: d.saleId, number: d.number, business_date: d.businessDate, amount_cents: d.amountCents, status: d.status })),
    completed_sale_id: o.completedSaleId,
    completed_sale_number: v.completedSaleNumber,
    refund_entry_id: v.refundEntry?.id ?? null,
    created_by: o.createdByLabel,
  };
}

async function withSale(db: DbOrTx, id: string, saleId: string | null) {
  const body = specialOrderJson(await specialOrderView(db, id));
  if (!saleId) return body;
  const sale = await findSale(db, saleId);
  return { ...body, sale: { id: sale.id, number: sale.number, total_cents: sale.totalCents } };
}

export function specialOrdersApi(deps: AppDeps) {
  const post = (ctx: any, status: number, run: (tx: Tx, sc: SaleContext) => Promise<unknown>) =>
    handle(ctx, async () => {
      const sc = await saleContextFor(deps, apiActor(ctx), ctx.apiPrincipal!.user.permissions);
      const response = await idempotentJsonPost(deps.db, ctx, async (tx) => ({ status, body: await run(tx, sc) }));
      return json(ctx, response.status, response.body);
    });

  return new Elysia({ name: 'feature.special-orders.api' })
    .use(authPlugin(deps))
    .post(
      '/api/v1/special-orders',
      (ctx) =>
        handle(ctx, async () => {
          const input = parseBody(ctx, createSpecialOrderSchema);
          return post(ctx, 201, async (tx, sc) => {
            const made = await createSpecialOrder(tx, sc, input, deps.clock.now());
            return { ...specialOrderJson(await specialOrderView(tx, made.specialOrderId)), deposit_sale_id: made.depositSaleId };
          });
        }),
      { api: 'pos.sell' },
    )
    .get(
      '/api/v1/special-orders',
      (ctx) =>
        handle(ctx, async () => {
          const query = parseListQuery(ctx.query, { sorts: SPECIAL_ORDER_SORTS, defaultSort: 'created', defaultOrder: 'desc' }, 'strict');
          const q = ctx.query as Record<string, string | undefined>;
          const errors: Record<string, string> = {};
          if (q.status !== undefined && !(SPECIAL_ORDER_STATUSES as readonly string[]).includes(q.status)) errors.status = `status must be one of ${SPECIAL_ORDER_STATUSES.join(', ')}.`;
          if (q.account_id !== undefined && !isUuid(q.account_id)) errors.account_id = 'account_id must be an id (uuid).';
          if (Object.keys(errors).length) throw new ServiceError('validation_failed', 'Invalid list parameters.', 400, errors);
          const { rows, total } = await listSpecialOrders(deps.db, { status: q.status ?? null, accountId: q.account_id ?? null }, query);
          return json(ctx, 200, { data: rows.map(rowJson), pagination: apiPagination(query, total) });
        }),
      { api: 'pos.sell' },
    )
    .get('/api/v1/special-orders/:id', (ctx) => handle(ctx, async () => json(ctx, 200, specialOrderJson(await specialOrderView(deps.db, ctx.params.id)))), { api: 'pos.sell' })
    .post(
      '/api/v1/special-orders/:id/deposits',
      (ctx) =>
        handle(ctx, async () => {
          const so = await findSpecialOrder(deps.db, ctx.params.id);
          const input = parseBody(ctx, depositPaymentSchema);
          return post(ctx, 201, async (tx, sc) => withSale(tx, so.id, await paySpecialOrderDeposit(tx, sc, so.id, input)));
        }),
      { api: 'pos.sell' },
    )
    .post(
      '/api/v1/special-orders/:id/order',
      (ctx) =>
        handle(ctx, async () => {
          const so = await findSpecialOrder(deps.db, ctx.params.id);
          const input = parseBody(ctx, orderSpecialOrderSchema);
          return post(ctx, 200, async (tx, sc) => {
            await orderSpecialOrder(tx, sc, so.id, input);
            return withSale(tx, so.id, null);
          });
        }),
      { api: 'pos.sell' },
    )
    .post(
      '/api/v1/special-orders/:id/arrived',
      (ctx) =>
        handle(ctx, async () => {
          const so = await findSpecialOrder(deps.db, ctx.params.id);
          const input = parseBody(ctx, arrivedSchema);
          return post(ctx, 200, async (tx, sc) => {
            await markArrived(tx, sc, so.id, input.note, deps.clock.now());
            return withSale(tx, so.id, null);
          });
        }),
      { api: 'pos.sell' },
    )
    .post(
      '/api/v1/special-orders/:id/complete',
      (ctx) =>
        handle(ctx, async () => {
          const so = await findSpecialOrder(deps.db, ctx.params.id);
          const input = parseBody(ctx, completeSpecialOrderSchema);
          return post(ctx, 200, async (tx, sc) => withSale(tx, so.id, await completeSpecialOrder(tx, sc, so.id, input)));
        }),
      { api: 'pos.sell' },
    )
    .post(
      '/api/v1/special-orders/:id/cancel',
      (ctx) =>
        handle(ctx, async () => {
          const so = await findSpecialOrder(deps.db, ctx.params.id);
          const input = parseBody(ctx, cancelWithRefundSchema);
          return post(ctx, 200, async (tx, sc) => {
            await cancelSpecialOrder(tx, sc, so.id, input);
            return withSale(tx, so.id, null);
          });
        }),
      { api: 'pos.sell' },
    );
}

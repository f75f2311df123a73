import { Elysia } from 'elysia';
import { z } from 'zod';
import { and, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { AppDeps } from '../../server/deps';
import type { DbOrTx, Tx } from '../../db/client';
import { authPlugin } from '../../server/auth';
import { json } from '../../server/respond';
import { documentApi, listQuerySchema } from '../api/registry';
import { apiActor, handle, parseBody } from '../api/support';
import { idempotentJsonPost } from '../api/idempotency';
import { apiPagination, parseListQuery } from '../../ui/list';
import { giftCards, sales } from '../../db/schema';
import { isUuid } from '../../db/sql-helpers';
import { NotFoundError, ServiceError, ValidationError } from '../service-errors';
import { saleContextFor, type SaleContext } from './context';
import { completeSale } from './checkout';
import { createNoReceiptReturn, createReturn } from './returns';
import { voidSale } from './void';
import { saleJson, saleView } from './queries';
import { accountPaymentSchema, noReceiptReturnSchema, returnSchema, saleSchema, tenderSchema, voidSchema } from './schemas';
import { findGiftCard, giftCardBalance, giftCardHistory } from './stored-value';
import { loadAccount } from './pricing';

const tag = 'Point of sale';
const idemHeader = 'Idempotency-Key recommended: the same key and body replay the first answer; another body with the same key is 409 idempotency_mismatch.';

const saleOut = z.object({ id: z.string(), number: z.string(), kind: z.string(), status: z.string(), subtotal_cents: z.number(), discount_cents: z.number(), tax_cents: z.number(), total_cents: z.number(), change_cents: z.number(), lines: z.array(z.object({ id: z.string(), product_id: z.string().nullable(), unit_id: z.string().nullable(), quantity: z.number(), net_cents: z.number(), tax_cents: z.number() })) }).passthrough();
const giftCardSaleSchema = z
  .object({
    number: z.string().trim().max(40).optional(),
    amount_cents: z.number({ error: 'amount_cents must be a whole number of cents.' }).int().min(1, { error: 'amount_cents must be more than 0.' }).max(100_000_00, { error: 'A gift card holds at most $100,000.00.' }),
    account_id: z.uuid().optional(),
    register_session_id: z.uuid().optional(),
    tenders: z.array(tenderSchema).min(1, { error: 'Say how the card is paid for (tenders).' }).max(20),
  })
  .strict();
const giftCardOut = z.object({ id: z.string(), number: z.string(), status: z.string(), balance_cents: z.number(), expires_on: z.string().nullable(), entries: z.array(z.object({ kind: z.string(), amount_cents: z.number(), balance_after_cents: z.number(), at: z.string() })) }).passthrough();

documentApi({ method: 'post', path: '/api/v1/sales', summary: `Ring up a sale: lines (product_id or unit_id, quantity, optional price/discount) and tenders covering the total. ${idemHeader}`, tag, permission: 'pos.sell', body: saleSchema, response: saleOut, responseStatus: 201 });
documentApi({ method: 'get', path: '/api/v1/sales', summary: 'Counter documents (sales, returns, payments), newest first; filters from, to (YYYY-MM-DD), kind, account_id', tag, permission: 'pos.sell', query: listQuerySchema, response: z.object({ data: z.array(saleOut), pagination: z.any() }) });
documentApi({ method: 'get', path: '/api/v1/sales/{id}', summary: 'A sale, return or payment by id or number (S-000123)', tag, permission: 'pos.sell', response: saleOut });
documentApi({ method: 'post', path: '/api/v1/sales/{id}/returns', summary: `Return lines of a sale (refund to the original tenders by default). ${idemHeader}`, tag, permission: 'pos.refund', body: returnSchema, response: saleOut, responseStatus: 201 });
documentApi({ method: 'post', path: '/api/v1/returns', summary: `Return without a receipt: current price and tax, store credit, manager approval. ${idemHeader}`, tag, permission: 'pos.refund', body: noReceiptReturnSchema, response: saleOut, responseStatus: 201 });
documentApi({ method: 'post', path: '/api/v1/sales/{id}/void', summary: `Void a sale of an open drawer session (manager). ${idemHeader}`, tag, permission: 'pos.sell', body: voidSchema, response: saleOut });
documentApi({ method: 'post', path: '/api/v1/accounts/{id}/payments', summary: `Payment on account: applies to the oldest open invoices first (or invoice_ids); overpayment becomes store credit. ${idemHeader}`, tag, permission: 'payments.manage', body: accountPaymentSchema, response: saleOut, responseStatus: 201 });
documentApi({ method: 'post', path: '/api/v1/gift-cards', summary: `Sell (or reload) a gift card: number optional (generated), amount, tenders. ${idemHeader}`, tag, permission: 'pos.sell', body: giftCardSaleSchema, response: giftCardOut, responseStatus: 201 });
documentApi({ method: 'get', path: '/api/v1/gift-cards/{number}', summary: 'Gift card balance and history', tag, permission: 'pos.sell', response: giftCardOut });

export async function giftCardJson(db: DbOrTx, number: string) {
  const card = await findGiftCard(db, number);
  if (!card) throw new NotFoundError('Gift card');
  const [balance, entries] = await Promise.all([giftCardBalance(db, card.id), giftCardHistory(db, card.id)]);
  return { id: card.id, number: card.number, status: card.status, balance_cents: balance, expires_on: card.expiresOn, entries: entries.map((e) => ({ kind: e.kind, amount_cents: e.amountCents, balance_after_cents: e.balanceAfterCents, at: e.at.toISOString(), sale_id: e.saleId })) };
}

export function salesApi(deps: AppDeps) {
  const post = (ctx: any, status: number, run: (tx: Tx, sc: SaleContext) => Promise<string>) =>
    handle(ctx, async () => {
      const sc = await saleContextFor(deps, apiActor(ctx), ctx.apiPrincipal!.user.permissions);
      const response = await idempotentJsonPost(deps.db, ctx, async (tx) => ({ status, body: saleJson(await saleView(tx, await run(tx, sc))) }));
      return json(ctx, response.status, response.body);
    });

  return new Elysia({ name: 'feature.sales.api' })
    .use(authPlugin(deps))
    .post('/api/v1/sales', (ctx) => handle(ctx, async () => {
      const input = parseBody(ctx, saleSchema);
      return post(ctx, 201, (tx, sc) => completeSale(tx, sc, input));
    }), { api: 'pos.sell' })
    .get('/api/v1/sales', (ctx) =>
      handle(ctx, async () => {
        const query = parseListQuery(ctx.query, { sorts: ['created'] as const, defaultSort: 'created', defaultOrder: 'desc' }, 'strict');
        const q = ctx.query as Record<string, string | undefined>;
        const where: SQL[] = [];
        const errors: Record<string, string> = {};
        for (const k of ['from', 'to'] as const) if (q[k] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(q[k]!)) errors[k] = `${k} must be YYYY-MM-DD.`;
        if (q.kind !== undefined && !['sale', 'return', 'payment'].includes(q.kind)) errors.kind = 'kind must be sale, return or payment.';
        if (q.account_id !== undefined && !isUuid(q.account_id)) errors.account_id = 'account_id must be an id (uuid).';
        if (Object.keys(errors).length) throw new ValidationError(errors, 'Invalid list parameters.');
        if (q.from) where.push(gte(sales.businessDate, q.from));
        if (q.to) where.push(lte(sales.businessDate, q.to));
        if (q.kind) where.push(eq(sales.kind, q.kind));
        if (q.account_id) where.push(eq(sales.accountId, q.account_id));
        const cond = where.length ? and(...where) : undefined;
        const rows = await deps.db.select({ id: sales.id }).from(sales).where(cond).orderBy(query.order === 'asc' ? sales.createdAt : desc(sales.createdAt)).limit(query.limit).offset((query.page - 1) * query.limit);
        const [{ n }] = await deps.db.select({ n: sql<number>`count(*)::int` }).from(sales).where(cond);
        const data = await Promise.all(rows.map(async (r) => saleJson(await saleView(deps.db, r.id))));
        return json(ctx, 200, { data, pagination: apiPagination(query, n) });
      }),
    { api: 'pos.sell' })
    .get('/api/v1/sales/:id', (ctx) => handle(ctx, async () => json(ctx, 200, saleJson(await saleView(deps.db, ctx.params.id)))), { api: 'pos.sell' })
    .post('/api/v1/sales/:id/returns', (ctx) => handle(ctx, async () => {
      const input = parseBody(ctx, returnSchema);
      return post(ctx, 201, (tx, sc) => createReturn(tx, sc, ctx.params.id, input));
    }), { api: 'pos.refund' })
    .post('/api/v1/returns', (ctx) => handle(ctx, async () => {
      const input = parseBody(ctx, noReceiptReturnSchema);
      return post(ctx, 201, (tx, sc) => createNoReceiptReturn(tx, sc, input));
    }), { api: 'pos.refund' })
    .post('/api/v1/sales/:id/void', (ctx) => handle(ctx, async () => {
      const input = parseBody(ctx, voidSchema);
      return post(ctx, 200, (tx, sc) => voidSale(tx, sc, ctx.params.id, input));
    }), { api: 'pos.sell' })
    .post('/api/v1/accounts/:id/payments', (ctx) => handle(ctx, async () => {
      const input = parseBody(ctx, accountPaymentSchema);
      if (!isUuid(ctx.params.id) || !(await loadAccount(deps.db, ctx.params.id).catch(() => null))) throw new NotFoundError('Account');
      return post(ctx, 201, (tx, sc) =>
        completeSale(tx, sc, { account_id: ctx.params.id, register_session_id: input.register_session_id, lines: [{ kind: 'account_payment', amount_cents: input.amount_cents, invoice_ids: input.invoice_ids }], tenders: input.tenders, note: input.note }, { kind: 'payment' }),
      );
    }), { api: 'payments.manage' })
    .post('/api/v1/gift-cards', (ctx) => handle(ctx, async () => {
      const input = parseBody(ctx, giftCardSaleSchema);
      const sc = await saleContextFor(deps, apiActor(ctx), ctx.apiPrincipal!.user.permissions);
      const response = await idempotentJsonPost(deps.db, ctx, async (tx) => {
        const saleId = await completeSale(tx, sc, { account_id: input.account_id, register_session_id: input.register_session_id, lines: [{ kind: 'gift_card', amount_cents: input.amount_cents, gift_card_number: input.number }], tenders: input.tenders }).catch((err) => {
          // The sale's one line is this body's number and amount: name those fields.
          if (err instanceof ServiceError) {
            const names: Record<string, string> = { 'lines.0.gift_card_number': 'number', 'lines.0.amount_cents': 'amount_cents' };
            throw new ServiceError(err.code, err.message, err.status, Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [names[k] ?? k, v])));
          }
          throw err;
        });
        const view = await saleView(tx, saleId);
        const [card] = await tx.select({ number: giftCards.number }).from(giftCards).where(eq(giftCards.id, view.lines[0].refId!));
        return { status: 201, body: { ...(await giftCardJson(tx, card.number)), sale_id: saleId, sale_number: view.sale.number } };
      });
      return json(ctx, response.status, response.body);
    }), { api: 'pos.sell' })
    .get('/api/v1/gift-cards/:number', (ctx) => handle(ctx, async () => json(ctx, 200, await giftCardJson(deps.db, ctx.params.number))), { api: 'pos.sell' });
}

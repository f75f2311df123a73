import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { apiError, json } from '../../server/respond';
import { documentApi, listQuerySchema } from '../api/registry';
import { apiPagination, parseListQuery } from '../../ui/list';
import { apiActor, handle, jsonBody } from '../api/support';
import { addPoLine, cancelPurchaseOrder, createPurchaseOrder, getPurchaseOrder, listPurchaseOrders, markOrdered, removePoLine, updatePoLine, updatePurchaseOrder, type PoStatus, type PoView } from './service';
import { receivePurchaseOrder } from './receiving';
import { createPoSchema, fromSuggestionsSchema, indexedFieldErrors, patchPoLineSchema, PO_SORTS, PO_STATUSES, poLineSchema, receiptSchema, updatePoSchema } from './schemas';
import { createPurchaseOrdersFromSuggestions, type FromSuggestionsResult } from './from-suggestions';
import { runIdempotent, validateIdempotencyKey } from '../api/idempotency';
import { ServiceError } from '../service-errors';
import type { Tx } from '../../db/client';
import { storeToday } from '../settings/service';

const lineOut = z.object({ id: z.uuid(), product_id: z.uuid(), sku: z.string(), product_name: z.string(), kind: z.string(), quantity_ordered: z.number().int(), quantity_received: z.number().int(), unit_cost_cents: z.number().int(), note: z.string() });
const receiptOut = z.object({
  id: z.uuid(),
  received_at: z.string(),
  freight_cents: z.number().int(),
  notes: z.string(),
  lines: z.array(z.object({ purchase_order_line_id: z.uuid(), sku: z.string(), quantity: z.number().int(), landed_unit_cost_cents: z.number().int() })),
});
const poOut = z.object({
  id: z.uuid(),
  number: z.string(),
  supplier_id: z.uuid(),
  supplier_name: z.string(),
  status: z.enum(PO_STATUSES),
  ordered_at: z.string().nullable(),
  expected_on: z.string().nullable(),
  notes: z.string(),
  total_cents: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  lines: z.array(lineOut),
  receipts: z.array(receiptOut),
});
const poSummaryOut = poOut.omit({ lines: true, receipts: true, notes: true, updated_at: true }).extend({ line_count: z.number().int() });

const skippedOut = z.object({ product_id: z.uuid(), sku: z.string(), name: z.string(), reason: z.string() });
const fromSuggestionsOut = z.object({
  purchase_orders: z.array(poOut).describe('The draft purchase orders created, one per primary supplier'),
  skipped: z.array(skippedOut).describe('Selected products that were not ordered, with the reason (no primary supplier, inactive supplier, no longer low)'),
});

const toPoJson = (po: PoView): z.infer<typeof poOut> => ({
  id: po.id,
  number: po.number,
  supplier_id: po.supplierId,
  supplier_name: po.supplierName,
  status: po.status,
  ordered_at: po.orderedAt?.toISOString() ?? null,
  expected_on: po.expectedOn,
  notes: po.notes,
  total_cents: po.totalCents,
  created_at: po.createdAt.toISOString(),
  updated_at: po.updatedAt.toISOString(),
  lines: po.lines.map((l) => ({ id: l.id, product_id: l.productId, sku: l.sku, product_name: l.productName, kind: l.kind, quantity_ordered: l.quantityOrdered, quantity_received: l.quantityReceived, unit_cost_cents: l.unitCostCents, note: l.note })),
  receipts: po.receipts.map((r) => ({ id: r.id, received_at: r.receivedAt.toISOString(), freight_cents: r.freightCents, notes: r.notes, lines: r.lines.map((l) => ({ purchase_order_line_id: l.purchaseOrderLineId, sku: l.sku, quantity: l.quantity, landed_unit_cost_cents: l.landedUnitCostCents })) })),
});

documentApi({ method: 'get', path: '/api/v1/purchase-orders', summary: 'List purchase orders', tag: 'purchasing', permission: 'inventory.view', query: listQuerySchema.extend({ status: z.enum(PO_STATUSES).optional(), sort: z.enum(PO_SORTS).optional() }), response: poSummaryOut, list: true });
documentApi({ method: 'post', path: '/api/v1/purchase-orders', summary: 'Create a draft purchase order (number PO-000001 …), optionally with its lines', tag: 'purchasing', permission: 'inventory.manage', body: createPoSchema, response: poOut, responseStatus: 201 });
documentApi({ method: 'get', path: '/api/v1/purchase-orders/:id', summary: 'One purchase order with its lines and receipts', tag: 'purchasing', permission: 'inventory.view', response: poOut });
documentApi({
  method: 'post',
  path: '/api/v1/purchase-orders/:id/receipts',
  summary: 'Receive goods: quantity per line (≤ outstanding), one serial per unit for serialized lines, optional freight spread into landed cost by value',
  tag: 'purchasing',
  permission: 'inventory.manage',
  body: receiptSchema,
  response: poOut,
  responseStatus: 201,
});

documentApi({ method: 'patch', path: '/api/v1/purchase-orders/:id', summary: 'Change a purchase order: supplier_id and lines (replaces every line) only while draft; expected_on (null clears) and notes until it is received or cancelled', tag: 'purchasing', permission: 'inventory.manage', body: updatePoSchema, response: poOut });
documentApi({ method: 'post', path: '/api/v1/purchase-orders/:id/lines', summary: 'Add a line to a draft purchase order', tag: 'purchasing', permission: 'inventory.manage', body: poLineSchema, response: poOut, responseStatus: 201 });
documentApi({ method: 'patch', path: '/api/v1/purchase-orders/:id/lines/:line_id', summary: 'Change a line of a draft purchase order (quantity, unit_cost_cents, note; omitted fields stay)', tag: 'purchasing', permission: 'inventory.manage', body: patchPoLineSchema, response: poOut });
documentApi({ method: 'delete', path: '/api/v1/purchase-orders/:id/lines/:line_id', summary: 'Remove a line from a draft purchase order', tag: 'purchasing', permission: 'inventory.manage', response: poOut });
documentApi({ method: 'post', path: '/api/v1/purchase-orders/:id/order', summary: 'Mark a draft purchase order as ordered (needs at least one line); 409 otherwise', tag: 'purchasing', permission: 'inventory.manage', response: poOut });
documentApi({ method: 'post', path: '/api/v1/purchase-orders/:id/cancel', summary: 'Cancel a draft or ordered purchase order with nothing received; 409 otherwise', tag: 'purchasing', permission: 'inventory.manage', response: poOut });
documentApi({
  method: 'post',
  path: '/api/v1/purchase-orders/from-suggestions',
  summary: 'Create draft purchase orders from the low-stock reorder suggestions: one per primary supplier, suggested quantity at the supplier cost. No product_ids = every current suggestion. 201 when at least one was created, 200 when none (see skipped). Creating twice creates twice: send an Idempotency-Key to make a retry safe.',
  tag: 'purchasing',
  permission: 'inventory.manage',
  body: fromSuggestionsSchema,
  response: fromSuggestionsOut,
  responseStatus: 201,
  idempotent: true,
});

const fromSuggestionsJson = (r: FromSuggestionsResult): z.infer<typeof fromSuggestionsOut> => ({
  purchase_orders: r.purchaseOrders.map(toPoJson),
  skipped: r.skipped.map((s) => ({ product_id: s.productId, sku: s.sku, name: s.name, reason: s.reason })),
});

/** JSON body through a schema; field errors keep list positions (`lines.2.quantity`) like the create endpoint. Order and cancel read no body. */
export const parseOr422 = <T extends z.ZodType>(ctx: any, schema: T): z.infer<T> => {
  const parsed = schema.safeParse(jsonBody(ctx));
  if (!parsed.success) throw new ServiceError('validation_failed', 'Some fields are invalid.', 422, indexedFieldErrors(parsed.error));
  return parsed.data;
};

export function purchasingApiRoutes(deps: AppDeps) {
  /** Runs a change to one PO on a transaction and answers with the PO (404 for an unknown or malformed id). */
  const poChange = (ctx: any, status: number, run: (tx: Tx, id: string) => Promise<PoView>) =>
    handle(ctx, async () => {
      const po = await getPurchaseOrder(deps.db, ctx.params.id);
      return json(ctx, status, toPoJson(await deps.db.transaction((tx) => run(tx, po.id))));
    });

  return new Elysia({ name: 'feature.purchasing.api' })
    .use(authPlugin(deps))
    .get('/api/v1/purchase-orders', (ctx) =>
      handle(ctx, async () => {
        const query = parseListQuery(ctx.query, { sorts: PO_SORTS, defaultSort: 'number', defaultOrder: 'desc' }, 'strict');
        const status = (ctx.query as any).status;
        if (status !== undefined && !(PO_STATUSES as readonly string[]).includes(status)) return apiError(ctx, 400, 'validation_failed', 'Invalid list parameters.', { status: `status must be one of: ${PO_STATUSES.join(', ')}.` });
        const { rows, total } = await listPurchaseOrders(deps.db, query, { status: status as PoStatus | undefined });
        const data = rows.map((r) => ({ id: r.id, number: r.number, supplier_id: r.supplierId, supplier_name: r.supplierName, status: r.status, ordered_at: r.orderedAt?.toISOString() ?? null, expected_on: r.expectedOn, total_cents: r.totalCents, created_at: r.createdAt.toISOString(), line_count: r.lineCount }));
        return json(ctx, 200, { data, pagination: apiPagination(query, total) });
      }), { api: 'inventory.view' })
    .post('/api/v1/purchase-orders', (ctx) =>
      handle(ctx, async () => {
        const parsed = createPoSchema.safeParse(jsonBody(ctx));
        if (!parsed.success) return apiError(ctx, 422, 'validation_failed', 'Some fields are invalid.', indexedFieldErrors(parsed.error));
        const po = await deps.db.transaction((tx) => createPurchaseOrder(tx, apiActor(ctx), parsed.data));
        return json(ctx, 201, toPoJson(po));
      }), { api: 'inventory.manage' })
    .get('/api/v1/purchase-orders/:id', (ctx) => handle(ctx, async () => json(ctx, 200, toPoJson(await getPurchaseOrder(deps.db, ctx.params.id)))), { api: 'inventory.view' })
    .post('/api/v1/purchase-orders/:id/receipts', (ctx) =>
      handle(ctx, async () => {
        const po = await getPurchaseOrder(deps.db, ctx.params.id);
        const parsed = receiptSchema.safeParse(jsonBody(ctx));
        if (!parsed.success) return apiError(ctx, 422, 'validation_failed', 'Some fields are invalid.', indexedFieldErrors(parsed.error));
        const today = await storeToday(deps.db, deps.clock);
        const { po: after } = await deps.db.transaction((tx) => receivePurchaseOrder(tx, apiActor(ctx), po.id, parsed.data, today));
        return json(ctx, 201, toPoJson(after));
      }), { api: 'inventory.manage' })
    .patch('/api/v1/purchase-orders/:id', (ctx) =>
      poChange(ctx, 200, (tx, id) => updatePurchaseOrder(tx, apiActor(ctx), id, parseOr422(ctx, updatePoSchema))), { api: 'inventory.manage' })
    .post('/api/v1/purchase-orders/:id/lines', (ctx) =>
      poChange(ctx, 201, (tx, id) => addPoLine(tx, apiActor(ctx), id, parseOr422(ctx, poLineSchema))), { api: 'inventory.manage' })
    .patch('/api/v1/purchase-orders/:id/lines/:line_id', (ctx) =>
      poChange(ctx, 200, (tx, id) => updatePoLine(tx, apiActor(ctx), id, ctx.params.line_id, parseOr422(ctx, patchPoLineSchema))), { api: 'inventory.manage' })
    .delete('/api/v1/purchase-orders/:id/lines/:line_id', (ctx) =>
      poChange(ctx, 200, (tx, id) => removePoLine(tx, apiActor(ctx), id, ctx.params.line_id)), { api: 'inventory.manage' })
    .post('/api/v1/purchase-orders/:id/order', (ctx) =>
      poChange(ctx, 200, (tx, id) => markOrdered(tx, apiActor(ctx), id, deps.clock.now())), { api: 'inventory.manage' })
    .post('/api/v1/purchase-orders/:id/cancel', (ctx) =>
      poChange(ctx, 200, (tx, id) => cancelPurchaseOrder(tx, apiActor(ctx), id)), { api: 'inventory.manage' })
    .post('/api/v1/purchase-orders/from-suggestions', (ctx) =>
      handle(ctx, async () => {
        const body = jsonBody(ctx);
        const input = parseOr422(ctx, fromSuggestionsSchema);
        const key = validateIdempotencyKey(ctx.request.headers.get('idempotency-key'));
        const today = await storeToday(deps.db, deps.clock);
        const work = async (tx: Tx) => {
          const result = await createPurchaseOrdersFromSuggestions(tx, apiActor(ctx), { productIds: input.product_ids }, today);
          return { status: result.purchaseOrders.length ? 201 : 200, body: fromSuggestionsJson(result) };
        };
        if (!key) {
          const response = await deps.db.transaction(work);
          return json(ctx, response.status, response.body);
        }
        const scope = { scope: `api-token:${ctx.apiPrincipal!.tokenId}`, method: 'POST', path: ctx.path, key };
        const response = await runIdempotent(deps.db, scope, body, work);
        if (response.replayed) ctx.set.headers['idempotent-replayed'] = 'true';
        return json(ctx, response.status, response.body);
      }), { api: 'inventory.manage' });
}

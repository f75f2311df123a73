import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { apiError, json } from '../../server/respond';
import { documentApi, listQuerySchema } from '../api/registry';
import { apiPagination, parseListQuery } from '../../ui/list';
import { apiActor, handle, jsonBody } from '../api/support';
import { createPurchaseOrder, getPurchaseOrder, listPurchaseOrders, type PoStatus, type PoView } from './service';
import { receivePurchaseOrder } from './receiving';
import { createPoSchema, indexedFieldErrors, PO_SORTS, PO_STATUSES, receiptSchema } from './schemas';
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

export function purchasingApiRoutes(deps: AppDeps) {
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
      }), { api: 'inventory.manage' });
}

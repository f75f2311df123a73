import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { json, redirect, renderPage, setFlash } from '../../server/respond';
import { formBody, formList, formString } from '../../server/forms';
import { apiPagination, buildListModel, parseListQuery, type ListQuery } from '../../ui/list';
import { documentApi, listQuerySchema } from '../api/registry';
import { handle } from '../api/support';
import { ServiceError, ValidationError } from '../service-errors';
import { runIdempotent, type StoredResponse } from '../api/idempotency';
import { actorOf } from '../staff/routes';
import { createPurchaseOrdersFromSuggestions, describeSkipped } from '../purchasing/from-suggestions';
import { fromSuggestionsSchema, indexedFieldErrors } from '../purchasing/schemas';
import type { Tx } from '../../db/client';
import { csvDownloadHeaders, toCsv, CSV_EXPORT_LIMIT } from '../csv/write';
import { centsToDecimalString } from '../../domain/money';
import { storeToday } from '../settings/service';
import { listCategoryTree } from './categories';
import { activeSuppliers } from './suppliers';
import { listLowStock, LOW_STOCK_SORTS, type LowStockFilter, type LowStockRow } from './low-stock';
import { isUuid } from '../../db/sql-helpers';

const LIST_OPTIONS = { sorts: LOW_STOCK_SORTS, defaultSort: 'shortfall', defaultOrder: 'desc' as const, defaultLimit: 50 };

const lowStockOut = z.object({
  product_id: z.uuid(), sku: z.string(), name: z.string(), kind: z.enum(['stock', 'serialized']), category_id: z.uuid().nullable(), category_name: z.string().nullable(),
  on_hand: z.number().int().describe('quantity_on_hand of a stock item, available units of a serialized product'),
  on_order: z.number().int().describe('Open quantity on ordered / partially received purchase orders (drafts excluded)'),
  in_draft: z.number().int().describe('Open quantity on draft purchase orders (not counted as on order; shown so a draft is not made twice)'),
  reorder_point: z.number().int(), reorder_quantity: z.number().int().nullable(), shortfall: z.number().int(), suggested_quantity: z.number().int(),
  primary_supplier_id: z.uuid().nullable(), primary_supplier_name: z.string().nullable(), supplier_sku: z.string().nullable(), supplier_cost_cents: z.number().int().nullable(),
});
const lowStockQuery = listQuerySchema.extend({
  supplier_id: z.uuid().optional().describe('Primary supplier'),
  category_id: z.uuid().optional().describe('This category and its sub-categories'),
});
documentApi({ method: 'get', path: '/api/v1/reports/low-stock', summary: 'Active products at or below their reorder point with a suggested order quantity (sort shortfall|sku|name|supplier|category; filter supplier_id, category_id)', tag: 'inventory', permission: 'inventory.view', query: lowStockQuery, response: lowStockOut, list: true });

const lowStockJson = (r: LowStockRow) => ({
  product_id: r.id, sku: r.sku, name: r.name, kind: r.kind, category_id: r.categoryId, category_name: r.categoryName, on_hand: r.onHand, on_order: r.onOrder, in_draft: r.inDraft,
  reorder_point: r.reorderPoint, reorder_quantity: r.reorderQuantity, shortfall: r.shortfall, suggested_quantity: r.suggestedQuantity,
  primary_supplier_id: r.supplierId, primary_supplier_name: r.supplierName, supplier_sku: r.supplierSku, supplier_cost_cents: r.supplierCostCents,
});

/** HTML filters are lenient (a bad id is ignored, like a bad sort); the API's are strict 400s. */
const htmlFilter = (query: Record<string, unknown>): LowStockFilter => ({
  supplierId: isUuid(query.supplier_id) ? query.supplier_id : undefined,
  categoryId: isUuid(query.category_id) ? query.category_id : undefined,
});

function apiFilter(query: Record<string, unknown>): LowStockFilter {
  const fields: Record<string, string> = {};
  for (const name of ['supplier_id', 'category_id']) if (query[name] !== undefined && query[name] !== '' && !isUuid(query[name])) fields[name] = `${name} must be a UUID.`;
  if (Object.keys(fields).length) throw new ServiceError('validation_failed', 'Invalid list parameters.', 400, fields);
  return { supplierId: (query.supplier_id as string) || undefined, categoryId: (query.category_id as string) || undefined };
}

const filterParams = (f: LowStockFilter) => ({ ...(f.supplierId ? { supplier_id: f.supplierId } : {}), ...(f.categoryId ? { category_id: f.categoryId } : {}) });

/** The list's own query fields, carried by the "Create purchase orders" form so a refusal re-renders the same list. */
const LIST_FIELDS = ['q', 'supplier_id', 'category_id', 'sort', 'order', 'page'] as const;

/** Low-stock report: page (print-friendly, with "Create purchase orders"), CSV export, and the API report. */
export function lowStockRoutes(deps: AppDeps) {
  const reportPage = async (ctx: any, raw: Record<string, unknown>, extra: { reorderError?: string; status?: number } = {}) => {
    const query = parseListQuery(raw, LIST_OPTIONS);
    const filter = htmlFilter(raw);
    const { rows, total } = await listLowStock(deps.db, query, filter);
    const list = buildListModel('/inventory/low-stock', query, rows, total, filterParams(filter), { csv: true });
    return renderPage(deps, ctx, {
      template: 'inventory/low-stock',
      // One template: for an htmx partial request it renders only its #list region.
      fragment: 'inventory/low-stock',
      title: 'Low stock',
      status: extra.status ?? 200,
      data: {
        list, filter, listOnly: !!ctx.htmx?.wantsFragment, suppliers: await activeSuppliers(deps.db), categories: await listCategoryTree(deps.db),
        // A fresh one-time key per rendering: a double submit of the same page creates the drafts once.
        formKey: crypto.randomUUID(), reorderError: extra.reorderError ?? '',
      },
    });
  };

  return new Elysia({ name: 'feature.inventory.low-stock' })
    .use(authPlugin(deps))
    .get('/inventory/low-stock', (ctx) => reportPage(ctx, ctx.query), { permission: 'inventory.view' })
    .post(
      '/inventory/low-stock/purchase-orders',
      async (ctx) => {
        const body = formBody(ctx.body);
        const listQuery = Object.fromEntries(LIST_FIELDS.map((k) => [k, formString(body, k)]).filter(([, v]) => v !== ''));
        const refuse = (message: string, status = 422) => reportPage(ctx, listQuery, { reorderError: message, status });
        const productIds = formList(body, 'product_id');
        if (!productIds.length) return refuse('Tick at least one product to order.');
        const parsed = fromSuggestionsSchema.safeParse({ product_ids: productIds });
        if (!parsed.success) return refuse(Object.values(indexedFieldErrors(parsed.error))[0]);
        const today = await storeToday(deps.db, deps.clock);
        const work = async (tx: Tx): Promise<StoredResponse> => {
          const result = await createPurchaseOrdersFromSuggestions(tx, actorOf(ctx), { productIds: parsed.data.product_ids }, today);
          const skipped = describeSkipped(result.skipped);
          // Nothing created: throw so the one-time key is not spent and the page can be fixed and sent again.
          if (!result.purchaseOrders.length) throw new ValidationError({ product_ids: `No purchase order was created. ${skipped}` }, `No purchase order was created. ${skipped}`);
          const pos = result.purchaseOrders;
          const location = pos.length === 1 ? `/purchasing/${pos[0].id}` : `/purchasing?ids=${pos.map((p) => p.id).join(',')}`;
          const made = pos.length === 1 ? `Created draft ${pos[0].number} for ${pos[0].supplierName} (${pos[0].lines.length} line${pos[0].lines.length === 1 ? '' : 's'}).` : `Created ${pos.length} draft purchase orders: ${pos.map((p) => p.number).join(', ')}.`;
          return { status: 303, body: { location, message: `${made}${skipped ? ` ${skipped}` : ''} Review and mark them as ordered when sent.` } };
        };
        try {
          const formKey = formString(body, 'form_key');
          const response = /^[0-9a-f-]{36}$/.test(formKey)
            ? await runIdempotent(deps.db, { scope: `user:${ctx.user!.id}`, method: 'POST', path: ctx.path, key: formKey }, { product_ids: [...parsed.data.product_ids!].sort() }, work)
            : { ...(await deps.db.transaction(work)), replayed: false };
          const stored = response.body as { location: string; message: string };
          setFlash(deps, ctx, { kind: 'success', message: response.replayed ? `Already done: ${stored.message}` : stored.message });
          return redirect(ctx, stored.location);
        } catch (err) {
          if (err instanceof ServiceError && err.code === 'idempotency_mismatch') return refuse('This page already created purchase orders with a different selection. Reload the page to start again.', 409);
          if (err instanceof ServiceError && err.code === 'in_progress') return refuse('The purchase orders from your first click are still being created. Wait a moment, then check the purchase orders list.', 409);
          if (err instanceof ServiceError) return refuse(Object.values(err.fields)[0] ?? err.message, err.status);
          throw err;
        }
      },
      { permission: 'inventory.manage' },
    )
    .get(
      '/inventory/low-stock/export.csv',
      async (ctx) => {
        // Same search, filters and order as on screen, every row (capped); money as decimal `*_amount` (docs/csv.md).
        const query: ListQuery = { ...parseListQuery(ctx.query, LIST_OPTIONS), page: 1, limit: CSV_EXPORT_LIMIT };
        const { rows } = await listLowStock(deps.db, query, htmlFilter(ctx.query));
        Object.assign(ctx.set.headers, csvDownloadHeaders('low-stock', await storeToday(deps.db, deps.clock)));
        return toCsv<LowStockRow>(
          [
            { header: 'sku', value: (r) => r.sku },
            { header: 'name', value: (r) => r.name },
            { header: 'kind', value: (r) => r.kind },
            { header: 'category', value: (r) => r.categoryName },
            { header: 'on_hand', value: (r) => r.onHand },
            { header: 'on_order', value: (r) => r.onOrder },
            { header: 'reorder_point', value: (r) => r.reorderPoint },
            { header: 'reorder_quantity', value: (r) => r.reorderQuantity },
            { header: 'shortfall', value: (r) => r.shortfall },
            { header: 'suggested_quantity', value: (r) => r.suggestedQuantity },
            { header: 'primary_supplier', value: (r) => r.supplierName },
            { header: 'supplier_sku', value: (r) => r.supplierSku },
            { header: 'supplier_cost_amount', value: (r) => (r.supplierCostCents === null ? null : centsToDecimalString(r.supplierCostCents)) },
          ],
          rows,
        );
      },
      { permission: 'inventory.view' },
    )
    .get('/api/v1/reports/low-stock', (ctx) =>
      handle(ctx, async () => {
        const query = parseListQuery(ctx.query, LIST_OPTIONS, 'strict');
        const { rows, total } = await listLowStock(deps.db, query, apiFilter(ctx.query));
        return json(ctx, 200, { data: rows.map(lowStockJson), pagination: apiPagination(query, total) });
      }), { api: 'inventory.view' });
}

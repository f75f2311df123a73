import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { json, renderPage } from '../../server/respond';
import { apiPagination, buildListModel, parseListQuery, type ListQuery } from '../../ui/list';
import { documentApi, listQuerySchema } from '../api/registry';
import { handle } from '../api/support';
import { ServiceError } from '../service-errors';
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
  reorder_point: z.number().int(), reorder_quantity: z.number().int().nullable(), shortfall: z.number().int(), suggested_quantity: z.number().int(),
  primary_supplier_id: z.uuid().nullable(), primary_supplier_name: z.string().nullable(), supplier_sku: z.string().nullable(), supplier_cost_cents: z.number().int().nullable(),
});
const lowStockQuery = listQuerySchema.extend({
  supplier_id: z.uuid().optional().describe('Primary supplier'),
  category_id: z.uuid().optional().describe('This category and its sub-categories'),
});
documentApi({ method: 'get', path: '/api/v1/reports/low-stock', summary: 'Active products at or below their reorder point with a suggested order quantity (sort shortfall|sku|name|supplier|category; filter supplier_id, category_id)', tag: 'inventory', permission: 'inventory.view', query: lowStockQuery, response: lowStockOut, list: true });

const lowStockJson = (r: LowStockRow) => ({
  product_id: r.id, sku: r.sku, name: r.name, kind: r.kind, category_id: r.categoryId, category_name: r.categoryName, on_hand: r.onHand, on_order: r.onOrder,
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

/** Low-stock report: page (print-friendly), CSV export, and the API report. */
export function lowStockRoutes(deps: AppDeps) {
  return new Elysia({ name: 'feature.inventory.low-stock' })
    .use(authPlugin(deps))
    .get(
      '/inventory/low-stock',
      async (ctx) => {
        const query = parseListQuery(ctx.query, LIST_OPTIONS);
        const filter = htmlFilter(ctx.query);
        const { rows, total } = await listLowStock(deps.db, query, filter);
        const list = buildListModel('/inventory/low-stock', query, rows, total, filterParams(filter), { csv: true });
        return renderPage(deps, ctx, {
          template: 'inventory/low-stock',
          // One template: for an htmx partial request it renders only its #list region.
          fragment: 'inventory/low-stock',
          title: 'Low stock',
          data: { list, filter, listOnly: !!(ctx as any).htmx?.wantsFragment, suppliers: await activeSuppliers(deps.db), categories: await listCategoryTree(deps.db) },
        });
      },
      { permission: 'inventory.view' },
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

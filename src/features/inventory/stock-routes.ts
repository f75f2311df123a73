import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage, redirect, setFlash } from '../../server/respond';
import { formBody } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { ServiceError, zodFieldErrors } from '../service-errors';
import { actorOf } from '../staff/routes';
import { stockAdjustmentSchema } from './schemas';
import { getProduct } from './products';
import { adjustStock, MOVEMENT_SORTS, stockLedger } from './stock';
import { FormReader } from './forms';
import { csvDownloadHeaders, toCsv, CSV_EXPORT_LIMIT } from '../csv/write';
import { centsToDecimalString } from '../../domain/money';
import { storeToday } from '../settings/service';

type MovementRow = Awaited<ReturnType<typeof stockLedger>>['rows'][number];

type Values = Record<string, unknown>;
type Errors = Record<string, string>;

/** Stock ledger page of a quantity item and its manual adjustment form. */
export function stockRoutes(deps: AppDeps) {
  const ledgerPage = async (ctx: any, id: string, extra: { values?: Values; errors?: Errors; status?: number } = {}) => {
    const product = await getProduct(deps.db, id);
    const query = parseListQuery(ctx.request.method === 'GET' ? ctx.query : {}, { sorts: MOVEMENT_SORTS, defaultSort: 'at', defaultOrder: 'desc', defaultLimit: 50 });
    const { rows, total } = await stockLedger(deps.db, product.id, query);
    const list = buildListModel(`/inventory/products/${product.id}/stock`, query, rows, total, {}, { csv: true });
    return renderPage(deps, ctx, {
      template: 'inventory/stock',
      fragment: 'inventory/_stock_list',
      title: `Stock — ${product.sku}`,
      status: extra.status ?? 200,
      data: { product, list, values: extra.values ?? {}, errors: extra.errors ?? {} },
    });
  };

  return new Elysia({ name: 'feature.inventory.stock' })
    .use(authPlugin(deps))
    .get('/inventory/products/:id/stock', (ctx) => ledgerPage(ctx, ctx.params.id), { permission: 'inventory.view' })
    .get(
      '/inventory/products/:id/stock/export.csv',
      async (ctx) => {
        // The whole ledger of the product (same search and order as on screen, capped); money as decimal `*_amount` (docs/csv.md).
        const product = await getProduct(deps.db, ctx.params.id);
        const query = { ...parseListQuery(ctx.query, { sorts: MOVEMENT_SORTS, defaultSort: 'at', defaultOrder: 'desc' }), page: 1, limit: CSV_EXPORT_LIMIT };
        const { rows } = await stockLedger(deps.db, product.id, query);
        Object.assign(ctx.set.headers, csvDownloadHeaders(`stock-${product.sku}`, await storeToday(deps.db, deps.clock)));
        return toCsv<MovementRow>(
          [
            { header: 'id', value: (r) => r.id },
            { header: 'at', value: (r) => r.at },
            { header: 'sku', value: () => product.sku },
            { header: 'quantity_delta', value: (r) => r.quantityDelta },
            { header: 'quantity_after', value: (r) => r.quantityAfter },
            { header: 'reason', value: (r) => r.reason },
            { header: 'note', value: (r) => r.note },
            { header: 'unit_cost_amount', value: (r) => centsToDecimalString(r.unitCostCents) },
            { header: 'average_cost_after_amount', value: (r) => centsToDecimalString(r.averageCostAfterCents) },
            { header: 'reference_type', value: (r) => r.referenceType },
            { header: 'reference_id', value: (r) => r.referenceId },
            { header: 'actor', value: (r) => r.actorLabel },
          ],
          rows,
        );
      },
      { permission: 'inventory.view' },
    )
    .post(
      '/inventory/products/:id/stock',
      async (ctx) => {
        const product = await getProduct(deps.db, ctx.params.id);
        const r = new FormReader(formBody(ctx.body));
        const values = { quantity: r.text('quantity'), reason: r.text('reason'), unit_cost: r.text('unit_cost'), allow_negative: r.checkbox('allow_negative') };
        const input = { product_id: product.id, quantity: r.integer('quantity', 'Quantity'), reason: r.text('reason'), unit_cost_cents: r.money('unit_cost', 'Unit cost'), allow_negative: values.allow_negative };
        const parsed = stockAdjustmentSchema.safeParse(input);
        const errors: Errors = { ...(parsed.success ? {} : zodFieldErrors(parsed.error)), ...r.errors };
        if (errors.unit_cost_cents) errors.unit_cost ??= errors.unit_cost_cents;
        if (values.allow_negative && !ctx.user!.permissions.has('inventory.override')) errors.allow_negative = 'Only a manager (inventory.override) can allow negative stock.';
        if (!parsed.success || Object.keys(errors).length) return ledgerPage(ctx, product.id, { values, errors, status: 422 });
        try {
          const result = await deps.db.transaction((tx) => adjustStock(tx, actorOf(ctx), parsed.data, ctx.user!.id));
          setFlash(deps, ctx, { kind: 'success', message: `${product.sku}: ${result.quantityOnHand} on hand.` });
          return redirect(ctx, `/inventory/products/${product.id}/stock`);
        } catch (err) {
          if (err instanceof ServiceError && err.status !== 404) {
            const fields = { ...err.fields };
            if (fields.product_id) fields.quantity ??= fields.product_id;
            if (fields.unit_cost_cents) fields.unit_cost ??= fields.unit_cost_cents;
            return ledgerPage(ctx, product.id, { values, errors: { ...fields, _: err.message }, status: err.status });
          }
          throw err;
        }
      },
      { permission: 'inventory.manage' },
    );
}

import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage } from '../../server/respond';
import { buildListModel, parseListQuery } from '../../ui/list';
import { ServiceError } from '../service-errors';
import { UNIT_STATUSES } from '../../db/schema';
import { MAX_COPIES, parseCopies, productLabels, unitLabels, type Label } from './labels';
import { FLEET_SORTS, FLEET_TAG_SIZE, fitText, fleetProduct, fleetTags, listFleetUnits, MAX_FLEET_UNITS, NOT_IN_FLEET, parseUnitIds, type FleetTag } from './fleet-tags';

const FLEET_STATUSES = UNIT_STATUSES.filter((s) => !(NOT_IN_FLEET as readonly string[]).includes(s));

/**
 * Label sheets, printed from the browser:
 *   /inventory/labels?product_id=…&copies=N or ?unit_id=…   price/barcode labels (2.625 × 1 in sheet)
 *   /inventory/labels?kind=fleet&unit_id=…[&unit_id=…]       rental fleet tags (2.25 × 1.25 in thermal)
 *   /inventory/labels?kind=fleet[&product_id=…][&q=…]        the picker: tick fleet units, then print
 */
export function labelsRoutes(deps: AppDeps) {
  const fleetSheet = (ctx: any, tags: FleetTag[], unitIds: string[], copies: string, error = '', status = 200) =>
    renderPage(deps, ctx, { template: 'purchasing/fleet-tags', title: 'Rental fleet tags', status, data: { tags, unitIds, copies, error, maxCopies: MAX_COPIES, size: FLEET_TAG_SIZE, fit: fitText } });

  const fleetPicker = async (ctx: any, q: Record<string, unknown>, notice = '') => {
    const query = parseListQuery(q, { sorts: FLEET_SORTS, defaultSort: 'serial_number', defaultLimit: 50 });
    const productId = typeof q.product_id === 'string' && q.product_id ? q.product_id : '';
    const status = typeof q.status === 'string' && (FLEET_STATUSES as readonly string[]).includes(q.status) ? q.status : '';
    let product: Awaited<ReturnType<typeof fleetProduct>> | null = null;
    let error = notice;
    try {
      if (productId) product = await fleetProduct(deps.db, productId);
    } catch (err) {
      if (!(err instanceof ServiceError) || err.status !== 422) throw err;
      error = Object.values(err.fields)[0] ?? err.message;
    }
    const { rows, total } = error && !notice ? { rows: [], total: 0 } : await listFleetUnits(deps.db, query, { productId: product?.id, status: status || undefined });
    const params: Record<string, string> = { kind: 'fleet', ...(product ? { product_id: product.id } : {}), ...(status ? { status } : {}) };
    const list = buildListModel('/inventory/labels', query, rows, total, params);
    return renderPage(deps, ctx, {
      template: 'purchasing/fleet-picker',
      fragment: 'purchasing/_fleet_picker_list',
      title: 'Rental fleet tags',
      status: error ? 422 : 200,
      data: { list, product, status, statuses: FLEET_STATUSES, error, maxUnits: MAX_FLEET_UNITS },
    });
  };

  return new Elysia({ name: 'feature.purchasing.labels' })
    .use(authPlugin(deps))
    .get(
      '/inventory/labels',
      async (ctx) => {
        const q = ctx.query as Record<string, unknown>;
        const kind = typeof q.kind === 'string' ? q.kind : '';
        const productId = typeof q.product_id === 'string' ? q.product_id : '';
        const unitId = typeof q.unit_id === 'string' ? q.unit_id : '';
        const copiesText = typeof q.copies === 'string' ? q.copies.slice(0, 10) : '1';
        const page = (labels: Label[], error = '', status = 200) =>
          renderPage(deps, ctx, { template: 'purchasing/labels', title: 'Labels', status, data: { labels, error, copies: copiesText, productId, unitId, maxCopies: MAX_COPIES } });

        if (kind === 'fleet') {
          // Repeated unit_id (a ticked list) arrives as several values; read them all from the URL itself.
          const rawIds = new URL(ctx.request.url).searchParams.getAll('unit_id');
          // The picker's print form sent with nothing ticked still carries `copies`: say what is missing.
          if (!rawIds.some((v) => v.trim() !== '')) return fleetPicker(ctx, q, q.copies !== undefined ? 'Tick at least one unit to print its tag.' : '');
          let unitIds: string[] = [];
          try {
            unitIds = parseUnitIds(rawIds);
            return fleetSheet(ctx, await fleetTags(deps.db, unitIds, parseCopies(q.copies)), unitIds, copiesText);
          } catch (err) {
            if (err instanceof ServiceError && err.status === 422) return fleetSheet(ctx, [], unitIds, copiesText, Object.values(err.fields)[0] ?? err.message, 422);
            throw err;
          }
        }
        try {
          if (kind !== '') return page([], 'Unknown kind of label: use kind=fleet for rental fleet tags, or leave it out for price labels.', 422);
          if (productId && unitId) return page([], 'Choose a product or a unit, not both.', 422);
          const copies = parseCopies(q.copies);
          if (productId) return page(await productLabels(deps.db, productId, copies));
          if (unitId) return page(await unitLabels(deps.db, unitId, copies));
          return page([], 'Open labels from a product or a unit (product_id or unit_id is missing).', 422);
        } catch (err) {
          if (err instanceof ServiceError && err.status === 422) return page([], Object.values(err.fields)[0] ?? err.message, 422);
          throw err;
        }
      },
      { permission: 'inventory.view' },
    );
}

import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage } from '../../server/respond';
import { ServiceError } from '../service-errors';
import { MAX_COPIES, parseCopies, productLabels, unitLabels, type Label } from './labels';

/** Label sheet: `/inventory/labels?product_id=…&copies=N` or `?unit_id=…`; print from the browser. */
export function labelsRoutes(deps: AppDeps) {
  return new Elysia({ name: 'feature.purchasing.labels' })
    .use(authPlugin(deps))
    .get(
      '/inventory/labels',
      async (ctx) => {
        const q = ctx.query as Record<string, unknown>;
        const productId = typeof q.product_id === 'string' ? q.product_id : '';
        const unitId = typeof q.unit_id === 'string' ? q.unit_id : '';
        const page = (labels: Label[], error = '', status = 200) =>
          renderPage(deps, ctx, { template: 'purchasing/labels', title: 'Labels', status, data: { labels, error, copies: typeof q.copies === 'string' ? q.copies.slice(0, 10) : '1', productId, unitId, maxCopies: MAX_COPIES } });
        try {
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

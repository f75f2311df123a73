import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { json } from '../../server/respond';
import { documentApi } from '../api/registry';
import { apiActor, handle, parseBody } from '../api/support';
import { idempotentJsonPost } from '../api/idempotency';
import { saleContextFor } from './context';
import { createExchange } from './exchange';
import { saleJson, saleView } from './queries';
import { returnSchema, saleSchema } from './schemas';

export const exchangeSchema = z.object({ return: returnSchema, sale: saleSchema }).strict();

documentApi({
  method: 'post',
  path: '/api/v1/sales/{id}/exchange',
  summary: 'Exchange: return lines of a sale and ring up a new sale in one transaction (two documents, both or neither). Idempotency-Key recommended.',
  tag: 'Point of sale',
  permission: 'pos.refund',
  body: exchangeSchema,
  response: z.object({ return: z.any(), sale: z.any() }),
  responseStatus: 201,
});

export function exchangeApi(deps: AppDeps) {
  return new Elysia({ name: 'feature.sales.exchange-api' })
    .use(authPlugin(deps))
    .post(
      '/api/v1/sales/:id/exchange',
      (ctx) =>
        handle(ctx, async () => {
          const input = parseBody(ctx, exchangeSchema);
          const sc = await saleContextFor(deps, apiActor(ctx), ctx.apiPrincipal!.user.permissions);
          const response = await idempotentJsonPost(deps.db, ctx, async (tx) => {
            const { returnId, saleId } = await createExchange(tx, sc, ctx.params.id, input);
            return { status: 201, body: { return: saleJson(await saleView(tx, returnId)), sale: saleJson(await saleView(tx, saleId)) } };
          });
          return json(ctx, response.status, response.body);
        }),
      { api: 'pos.refund' },
    );
}

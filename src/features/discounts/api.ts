import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { apiError, json } from '../../server/respond';
import { documentApi } from '../api/registry';
import { apiActor, handle, iso, parseBody } from '../api/support';
import { createDiscountSchema, DISCOUNT_KINDS, updateDiscountSchema } from './schemas';
import { createNamedDiscount, getNamedDiscount, listNamedDiscounts, updateNamedDiscount, type NamedDiscount } from './service';

const tag = 'discounts';

const discountOut = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(DISCOUNT_KINDS),
  percent_millipercent: z.number().int().nullable().describe('percent: thousandths of a percent (12.5% = 12500); null for amount'),
  amount_cents: z.number().int().nullable().describe('amount: cents; null for percent'),
  active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});

documentApi({
  method: 'get',
  path: '/api/v1/discounts',
  summary: 'Named discounts, active first, by name (the sale screen\'s list); active=true lists only the active ones',
  tag,
  permission: 'pos.sell',
  query: z.object({ active: z.enum(['true', 'false']).optional().describe('true: only active; false: only inactive') }),
  response: z.object({ data: z.array(discountOut) }),
});
documentApi({ method: 'post', path: '/api/v1/discounts', summary: 'Add a named discount: kind percent with percent_millipercent (1–100000) or kind amount with amount_cents; name unique case-insensitively (409)', tag, permission: 'settings.manage', body: createDiscountSchema, response: discountOut, responseStatus: 201 });
documentApi({ method: 'patch', path: '/api/v1/discounts/:id', summary: 'Rename and/or (de)activate a named discount; its value never changes (add a new discount instead)', tag, permission: 'settings.manage', body: updateDiscountSchema, response: discountOut });

export const discountJson = (d: NamedDiscount): z.infer<typeof discountOut> => ({
  id: d.id,
  name: d.name,
  kind: d.kind as z.infer<typeof discountOut>['kind'],
  percent_millipercent: d.percentMillipercent,
  amount_cents: d.amountCents,
  active: d.active,
  created_at: iso(d.createdAt)!,
  updated_at: iso(d.updatedAt)!,
});

export function discountsApi(deps: AppDeps) {
  return new Elysia({ name: 'feature.discounts.api' })
    .use(authPlugin(deps))
    .get(
      '/api/v1/discounts',
      (ctx) =>
        handle(ctx, async () => {
          const active = (ctx.query as Record<string, unknown>).active;
          if (active !== undefined && active !== 'true' && active !== 'false') return apiError(ctx, 400, 'validation_failed', 'Invalid list parameters.', { active: 'active must be true or false.' });
          const rows = await listNamedDiscounts(deps.db, { activeOnly: active === 'true' });
          return json(ctx, 200, { data: (active === 'false' ? rows.filter((r) => !r.active) : rows).map(discountJson) });
        }),
      { api: 'pos.sell' },
    )
    .post(
      '/api/v1/discounts',
      (ctx) =>
        handle(ctx, async () => {
          const input = parseBody(ctx, createDiscountSchema);
          return json(ctx, 201, discountJson(await deps.db.transaction((tx) => createNamedDiscount(tx, apiActor(ctx), input))));
        }),
      { api: 'settings.manage' },
    )
    .patch(
      '/api/v1/discounts/:id',
      (ctx) =>
        handle(ctx, async () => {
          const discount = await getNamedDiscount(deps.db, ctx.params.id);
          const input = parseBody(ctx, updateDiscountSchema);
          return json(ctx, 200, discountJson(await deps.db.transaction((tx) => updateNamedDiscount(tx, apiActor(ctx), discount.id, input))));
        }),
      { api: 'settings.manage' },
    );
}

import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { json } from '../../server/respond';
import { documentApi, listQuerySchema } from '../api/registry';
import { apiPagination, parseListQuery } from '../../ui/list';
import { apiActor, handle, iso, parseBody } from '../api/support';
import { storeToday } from '../settings/service';
import { getUnit } from './units';
import { addClaim, addWarranty, CLAIM_STATUSES, claimSchema, getWarranty, listUnitWarranties, WARRANTY_KINDS, WARRANTY_SORTS, warrantySchema, type ClaimView, type WarrantyView } from './warranties';

const claimOut = z.object({
  id: z.uuid(), warranty_id: z.uuid(), claimed_on: z.string(), description: z.string(), status: z.enum(CLAIM_STATUSES), resolution: z.string(), reference: z.string(),
  outside_coverage: z.boolean().describe('Filed on a day the warranty did not cover (allowed, flagged)'), created_at: z.string(), updated_at: z.string(),
});
const warrantyOut = z.object({
  id: z.uuid(), unit_id: z.uuid(), kind: z.enum(WARRANTY_KINDS), provider: z.string(), starts_on: z.string(), ends_on: z.string(), terms: z.string(), price_cents: z.number().int(),
  coverage: z.enum(['active', 'expired', 'upcoming']).describe("Judged on the store's business date"), active: z.boolean(), expired: z.boolean(), claims: z.array(claimOut), created_at: z.string(), updated_at: z.string(),
});

const claimJson = (c: ClaimView) => ({ id: c.id, warranty_id: c.warrantyId, claimed_on: c.claimedOn, description: c.description, status: c.status, resolution: c.resolution, reference: c.reference, outside_coverage: c.outsideCoverage, created_at: iso(c.createdAt)!, updated_at: iso(c.updatedAt)! });
const warrantyJson = (w: WarrantyView) => ({
  id: w.id, unit_id: w.unitId, kind: w.kind, provider: w.provider, starts_on: w.startsOn, ends_on: w.endsOn, terms: w.terms, price_cents: w.priceCents,
  coverage: w.coverage, active: w.active, expired: w.expired, claims: w.claims.map(claimJson), created_at: iso(w.createdAt)!, updated_at: iso(w.updatedAt)!,
});

const tag = 'inventory';
documentApi({ method: 'get', path: '/api/v1/units/:id/warranties', summary: "A unit's warranties with their claims; active/expired judged on the store's business date (sort starts_on, ends_on, kind, created_at)", tag, permission: 'inventory.view', query: listQuerySchema, response: warrantyOut, list: true });
documentApi({ method: 'post', path: '/api/v1/units/:id/warranties', summary: 'Record a manufacturer, store or extended warranty on a unit', tag, permission: 'inventory.manage', body: warrantySchema, response: warrantyOut, responseStatus: 201 });
documentApi({ method: 'post', path: '/api/v1/warranties/:id/claims', summary: 'File a claim under a warranty (claimed_on defaults to today; outside the coverage it is accepted and flagged outside_coverage)', tag, permission: 'inventory.manage', body: claimSchema, response: claimOut, responseStatus: 201 });

export function warrantyApi(deps: AppDeps) {
  /** One warranty as the list shows it (coverage on today's business date, claims included). */
  const warrantyView = async (unitId: string, id: string) => (await listUnitWarranties(deps.db, unitId, await storeToday(deps.db, deps.clock))).rows.find((w) => w.id === id)!;

  return new Elysia({ name: 'feature.inventory.warranties.api' })
    .use(authPlugin(deps))
    .get('/api/v1/units/:id/warranties', (ctx) =>
      handle(ctx, async () => {
        const unit = await getUnit(deps.db, ctx.params.id);
        const query = parseListQuery(ctx.query, { sorts: WARRANTY_SORTS, defaultSort: 'starts_on' }, 'strict');
        const { rows, total } = await listUnitWarranties(deps.db, unit.id, await storeToday(deps.db, deps.clock), query);
        return json(ctx, 200, { data: rows.map(warrantyJson), pagination: apiPagination(query, total) });
      }), { api: 'inventory.view' })
    .post('/api/v1/units/:id/warranties', (ctx) =>
      handle(ctx, async () => {
        const unit = await getUnit(deps.db, ctx.params.id);
        const input = parseBody(ctx, warrantySchema);
        const w = await deps.db.transaction((tx) => addWarranty(tx, apiActor(ctx), unit.id, input));
        return json(ctx, 201, warrantyJson(await warrantyView(unit.id, w.id)));
      }), { api: 'inventory.manage' })
    .post('/api/v1/warranties/:id/claims', (ctx) =>
      handle(ctx, async () => {
        const warranty = await getWarranty(deps.db, ctx.params.id);
        const input = parseBody(ctx, claimSchema);
        const today = await storeToday(deps.db, deps.clock);
        return json(ctx, 201, claimJson(await deps.db.transaction((tx) => addClaim(tx, apiActor(ctx), warranty.id, input, today))));
      }), { api: 'inventory.manage' });
}

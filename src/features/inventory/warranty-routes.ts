import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { redirect, setFlash, type Flash } from '../../server/respond';
import { formBody } from '../../server/forms';
import { ServiceError, zodFieldErrors } from '../service-errors';
import { actorOf } from '../staff/routes';
import { storeToday } from '../settings/service';
import { getUnit } from './units';
import { FormReader } from './forms';
import { renderUnitPage } from './unit-routes';
import { addClaim, addWarranty, changeClaimStatus, claimSchema, claimStatusSchema, getClaim, getWarranty, warrantySchema, type WarrantyFormState } from './warranties';

/** HTML forms of the unit page's Warranty section: add a warranty, file a claim, decide a claim. */
export function warrantyRoutes(deps: AppDeps) {
  const fail = (ctx: any, unitId: string, state: WarrantyFormState, status: number) => renderUnitPage(deps, ctx, unitId, { warranty: state, status });

  /** Runs the change; a service refusal re-renders the same form with its message (a 404 stays a 404). */
  const commit = async <T>(ctx: any, unitId: string, state: WarrantyFormState, work: () => Promise<T>, flash: (result: T) => Flash) => {
    try {
      setFlash(deps, ctx, flash(await work()));
      return redirect(ctx, `/inventory/units/${unitId}#warranties`);
    } catch (err) {
      if (err instanceof ServiceError && err.status !== 404) return fail(ctx, unitId, { ...state, errors: { ...err.fields, _: err.message } }, err.status === 409 ? 409 : 422);
      throw err;
    }
  };

  return new Elysia({ name: 'feature.inventory.warranties' })
    .use(authPlugin(deps))
    .post(
      '/inventory/units/:id/warranties',
      async (ctx) => {
        const unit = await getUnit(deps.db, ctx.params.id);
        const r = new FormReader(formBody(ctx.body));
        const values = Object.fromEntries(['kind', 'provider', 'starts_on', 'ends_on', 'terms', 'price'].map((k) => [k, r.text(k)]));
        const input = { kind: r.text('kind'), provider: r.text('provider'), starts_on: r.text('starts_on'), ends_on: r.text('ends_on'), terms: r.text('terms'), price_cents: r.money('price', 'Price') };
        const parsed = warrantySchema.safeParse(input);
        if (!parsed.success || Object.keys(r.errors).length) {
          const errors = parsed.success ? {} : zodFieldErrors(parsed.error);
          if (errors.price_cents) errors.price = errors.price_cents;
          return fail(ctx, unit.id, { form: 'warranty', values, errors: { ...errors, ...r.errors } }, 422);
        }
        return commit(ctx, unit.id, { form: 'warranty', values }, () => deps.db.transaction((tx) => addWarranty(tx, actorOf(ctx), unit.id, parsed.data)), () => ({ kind: 'success', message: `Warranty added to ${unit.serialNumber}.` }));
      },
      { permission: 'inventory.manage' },
    )
    .post(
      '/inventory/warranties/:id/claims',
      async (ctx) => {
        const warranty = await getWarranty(deps.db, ctx.params.id);
        const r = new FormReader(formBody(ctx.body));
        const values = { claimed_on: r.text('claimed_on'), description: r.text('description'), reference: r.text('reference') };
        const parsed = claimSchema.safeParse({ ...values, claimed_on: values.claimed_on || undefined });
        const state: WarrantyFormState = { form: 'claim', warrantyId: warranty.id, values };
        if (!parsed.success) return fail(ctx, warranty.unitId, { ...state, errors: zodFieldErrors(parsed.error) }, 422);
        const today = await storeToday(deps.db, deps.clock);
        return commit(ctx, warranty.unitId, state, () => deps.db.transaction((tx) => addClaim(tx, actorOf(ctx), warranty.id, parsed.data, today)), (claim) =>
          // Allowed, but the person filing should know the warranty did not cover that day.
          claim.outsideCoverage ? { kind: 'info', message: 'Claim filed — it is dated outside the warranty’s coverage.' } : { kind: 'success', message: 'Claim filed.' });
      },
      { permission: 'inventory.manage' },
    )
    .post(
      '/inventory/claims/:id/status',
      async (ctx) => {
        const claim = await getClaim(deps.db, ctx.params.id);
        const r = new FormReader(formBody(ctx.body));
        const values = { status: r.text('status'), resolution: r.text('resolution') };
        const parsed = claimStatusSchema.safeParse(values);
        const state: WarrantyFormState = { form: 'status', claimId: claim.id, values };
        if (!parsed.success) return fail(ctx, claim.unitId, { ...state, errors: zodFieldErrors(parsed.error) }, 422);
        return commit(ctx, claim.unitId, state, () => deps.db.transaction((tx) => changeClaimStatus(tx, actorOf(ctx), claim.id, parsed.data)), () => ({ kind: 'success', message: `Claim marked ${parsed.data.status}.` }));
      },
      { permission: 'inventory.manage' },
    );
}

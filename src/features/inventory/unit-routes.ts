import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage, redirect, setFlash } from '../../server/respond';
import { formBody } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { ServiceError, zodFieldErrors } from '../service-errors';
import { actorOf } from '../staff/routes';
import { ACQUIRED_VIA, createUnitSchema, UNIT_CONDITIONS, UNIT_SORTS, UNIT_STATUSES, unitStatusOverrideSchema } from './schemas';
import { getProduct, type ProductView } from './products';
import { addUnit, findUnitsBySerial, getUnit, listUnits, unitPassport } from './units';
import { overrideUnitStatus } from './unit-lifecycle';
import { FormReader } from './forms';
import { csvDownloadHeaders, toCsv, CSV_EXPORT_LIMIT } from '../csv/write';
import { centsToDecimalString } from '../../domain/money';
import { storeToday } from '../settings/service';
import { CLAIM_STATUSES, listUnitWarranties, WARRANTY_KINDS, type WarrantyFormState } from './warranties';
import { isUuid } from '../../db/sql-helpers';

type UnitListRow = Awaited<ReturnType<typeof listUnits>>['rows'][number];

type Values = Record<string, unknown>;
type Errors = Record<string, string>;

/** Form state of the unit page's forms; `warranty` carries the warranty/claim forms (warranty-routes.ts) back with their errors. */
export interface UnitPageExtra { values?: Values; errors?: Errors; status?: number; warranty?: WarrantyFormState }

/** The unit page (passport, warranties, status override); also re-rendered with errors by the warranty forms. */
export async function renderUnitPage(deps: AppDeps, ctx: any, id: string, extra: UnitPageExtra = {}) {
  const unit = await getUnit(deps.db, id);
  const events = await unitPassport(deps.db, unit.id);
  const today = await storeToday(deps.db, deps.clock);
  const warranties = (await listUnitWarranties(deps.db, unit.id, today)).rows;
  return renderPage(deps, ctx, { template: 'inventory/unit', title: `${unit.serialNumber} — ${unit.productName}`, status: extra.status ?? 200, data: { unit, events, values: extra.values ?? {}, errors: extra.errors ?? {}, statuses: UNIT_STATUSES, warranties, today, warrantyForm: extra.warranty ?? {}, warrantyKinds: WARRANTY_KINDS, claimStatuses: CLAIM_STATUSES } });
}

/** Serialized units: list, add (by hand), unit page with passport, manager status override, passport by serial. */
export function unitRoutes(deps: AppDeps) {
  const unitFormPage = async (ctx: any, product: ProductView, values: Values, errors: Errors = {}, status = 200) =>
    renderPage(deps, ctx, { template: 'inventory/unit_form', title: `Add unit — ${product.sku}`, status, data: { product, values, errors, conditions: UNIT_CONDITIONS, vias: ACQUIRED_VIA } });

  const unitPage = (ctx: any, id: string, extra: UnitPageExtra = {}) => renderUnitPage(deps, ctx, id, extra);

  const listFilters = (ctx: any) => ({
    status: (UNIT_STATUSES as readonly string[]).includes(ctx.query.status) ? (ctx.query.status as string) : '',
    productId: isUuid(ctx.query.product_id) ? (ctx.query.product_id as string) : '',
  });

  return new Elysia({ name: 'feature.inventory.units' })
    .use(authPlugin(deps))
    .get(
      '/inventory/units/export.csv',
      async (ctx) => {
        // Same search, filters and sort as the list on screen, every row (capped); money as decimal `*_amount` (docs/csv.md).
        const query = { ...parseListQuery(ctx.query, { sorts: UNIT_SORTS, defaultSort: 'serial_number' }), page: 1, limit: CSV_EXPORT_LIMIT };
        const { status, productId } = listFilters(ctx);
        const { rows } = await listUnits(deps.db, query, { status: status || undefined, productId: productId || undefined });
        Object.assign(ctx.set.headers, csvDownloadHeaders('units', await storeToday(deps.db, deps.clock)));
        return toCsv<UnitListRow>(
          [
            { header: 'serial_number', value: (r) => r.serialNumber },
            { header: 'sku', value: (r) => r.sku },
            { header: 'product', value: (r) => r.productName },
            { header: 'brand', value: (r) => r.brand },
            { header: 'model', value: (r) => r.model },
            { header: 'status', value: (r) => r.status },
            { header: 'condition', value: (r) => r.condition },
            { header: 'cost_amount', value: (r) => centsToDecimalString(r.costCents) },
            { header: 'acquired_on', value: (r) => r.acquiredOn },
            { header: 'acquired_via', value: (r) => r.acquiredVia },
            { header: 'location', value: (r) => r.location },
            { header: 'notes', value: (r) => r.notes },
            { header: 'legacy_id', value: (r) => r.legacyId },
            { header: 'created_at', value: (r) => r.createdAt },
          ],
          rows,
        );
      },
      { permission: 'inventory.view' },
    )
    .get(
      '/inventory/units',
      async (ctx) => {
        const query = parseListQuery(ctx.query, { sorts: UNIT_SORTS, defaultSort: 'serial_number' });
        const { status, productId } = listFilters(ctx);
        const { rows, total } = await listUnits(deps.db, query, { status: status || undefined, productId: productId || undefined });
        const params: Record<string, string> = {};
        if (status) params.status = status;
        if (productId) params.product_id = productId;
        const list = buildListModel('/inventory/units', query, rows, total, params, { csv: true });
        return renderPage(deps, ctx, { template: 'inventory/units', fragment: 'inventory/_units_list', title: 'Units', data: { list, status, productId, statuses: UNIT_STATUSES } });
      },
      { permission: 'inventory.view' },
    )
    .get(
      '/inventory/passport',
      async (ctx) => {
        const serial = typeof (ctx.query as any).serial === 'string' ? ((ctx.query as any).serial as string).trim().slice(0, 100) : '';
        const matches = serial ? await findUnitsBySerial(deps.db, serial) : [];
        if (matches.length === 1) return redirect(ctx, `/inventory/units/${matches[0].id}`, 302);
        return renderPage(deps, ctx, { template: 'inventory/passport', title: serial ? `Serial ${serial}` : 'Instrument passport', status: serial && matches.length === 0 ? 404 : 200, data: { serial, matches } });
      },
      { permission: 'inventory.view' },
    )
    .get('/inventory/units/:id', (ctx) => unitPage(ctx, ctx.params.id), { permission: 'inventory.view' })
    .post(
      '/inventory/units/:id/status',
      async (ctx) => {
        const unit = await getUnit(deps.db, ctx.params.id);
        const r = new FormReader(formBody(ctx.body));
        const values = { status: r.text('status'), reason: r.text('reason') };
        const parsed = unitStatusOverrideSchema.safeParse(values);
        if (!parsed.success) return unitPage(ctx, unit.id, { values, errors: zodFieldErrors(parsed.error), status: 422 });
        try {
          await deps.db.transaction((tx) => overrideUnitStatus(tx, actorOf(ctx), unit.id, parsed.data.status, parsed.data.reason));
          setFlash(deps, ctx, { kind: 'success', message: `${unit.serialNumber} is now ${parsed.data.status.replace('_', ' ')}.` });
          return redirect(ctx, `/inventory/units/${unit.id}`);
        } catch (err) {
          if (err instanceof ServiceError && err.status !== 404) return unitPage(ctx, unit.id, { values, errors: { ...err.fields, _: err.message }, status: err.status });
          throw err;
        }
      },
      { permission: 'inventory.override' },
    )
    .get('/inventory/products/:id/units/new', async (ctx) => unitFormPage(ctx, await getProduct(deps.db, ctx.params.id), { condition: 'new', acquired_via: 'purchase' }), { permission: 'inventory.manage' })
    .post(
      '/inventory/products/:id/units',
      async (ctx) => {
        const product = await getProduct(deps.db, ctx.params.id);
        const r = new FormReader(formBody(ctx.body));
        const values: Values = Object.fromEntries(['serial_number', 'condition', 'cost', 'acquired_on', 'acquired_via', 'location', 'notes', 'legacy_id'].map((k) => [k, r.text(k)]));
        const input = {
          product_id: product.id, serial_number: r.text('serial_number'), condition: r.text('condition') || undefined, cost_cents: r.money('cost', 'Cost'),
          acquired_on: r.text('acquired_on') || null, acquired_via: r.text('acquired_via') || undefined, location: r.text('location'), notes: r.text('notes'), legacy_id: r.text('legacy_id'),
        };
        const parsed = createUnitSchema.safeParse(input);
        if (!parsed.success || Object.keys(r.errors).length) {
          const errors = parsed.success ? {} : zodFieldErrors(parsed.error);
          if (errors.cost_cents) errors.cost = errors.cost_cents;
          return unitFormPage(ctx, product, values, { ...errors, ...r.errors }, 422);
        }
        try {
          const unit = await deps.db.transaction((tx) => addUnit(tx, actorOf(ctx), parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `Unit ${unit.serialNumber} added to ${product.sku}.` });
          return redirect(ctx, `/inventory/units/${unit.id}`);
        } catch (err) {
          // A product-level problem (not serialized) has no field on this form: it becomes the banner.
          if (err instanceof ServiceError && err.status !== 404) return unitFormPage(ctx, product, values, { ...err.fields, _: err.fields.product_id ?? err.message }, err.status === 409 ? 409 : 422);
          throw err;
        }
      },
      { permission: 'inventory.manage' },
    );
}

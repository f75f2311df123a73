import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage, redirect, setFlash } from '../../server/respond';
import { formBody, formString, type FormBody } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { ServiceError } from '../service-errors';
import { actorOf } from '../staff/routes';
import { activeSuppliers, addPoLine, cancelPurchaseOrder, createPurchaseOrder, findProductByCode, getPurchaseOrder, listPurchaseOrders, markOrdered, removePoLine, updatePoLine, STATUS_LABELS, type PoStatus, type PoView } from './service';
import { receivePurchaseOrder } from './receiving';
import { createPoSchema, indexedFieldErrors, PO_SORTS, PO_STATUSES, poLineSchema, receiptSchema, updatePoLineSchema } from './schemas';
import { centsToInput, formCents, formInt } from './form-input';
import { storeToday } from '../settings/service';
import { countsRoutes } from './counts-routes';
import { labelsRoutes } from './labels-routes';
import { purchasingApiRoutes } from './api';
import { countsApiRoutes } from './counts-api';
import { csvDownloadHeaders, toCsv, CSV_EXPORT_LIMIT } from '../csv/write';
import { centsToDecimalString } from '../../domain/money';
import { isUuid } from '../../db/sql-helpers';

type PoListRow = Awaited<ReturnType<typeof listPurchaseOrders>>['rows'][number];

type Errors = Record<string, string>;
const serviceErrors = (err: ServiceError): Errors => ({ ...err.fields, _: err.message });

/** Serial fields of one receive-form row, blanks kept so an error points at the field the user typed in. */
function serialFields(body: FormBody, key: string): string[] {
  const v = body[key];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((s) => (typeof s === 'string' ? s : ''));
}

/** Purchase orders and receiving (HTML). Cycle counts, labels and the JSON API are separate files, used here. */
export function purchasingRoutes(deps: AppDeps) {
  const poStatus = (ctx: any) => ((PO_STATUSES as readonly string[]).includes(ctx.query.status) ? (ctx.query.status as PoStatus) : undefined);
  /** `?ids=a,b` (lenient: malformed ids are dropped) shows just the POs the low-stock report just created. */
  const poIds = (ctx: any) => {
    const ids = typeof ctx.query.ids === 'string' ? ctx.query.ids.split(',').filter(isUuid).slice(0, 100) : [];
    return ids.length ? (ids as string[]) : undefined;
  };

  const listPage = async (ctx: any) => {
    const query = parseListQuery(ctx.query, { sorts: PO_SORTS, defaultSort: 'number', defaultOrder: 'desc' });
    const status = poStatus(ctx);
    const ids = poIds(ctx);
    const { rows, total } = await listPurchaseOrders(deps.db, query, { status, ids });
    const list = buildListModel('/purchasing', query, rows, total, { ...(status ? { status } : {}), ...(ids ? { ids: ids.join(',') } : {}) }, { csv: true });
    return renderPage(deps, ctx, { template: 'purchasing/page', fragment: 'purchasing/_list', title: 'Purchase orders', data: { list, status: status ?? '', ids: ids ?? [], statuses: PO_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })), statusLabels: STATUS_LABELS } });
  };

  const newPage = async (ctx: any, values: Record<string, unknown> = {}, errors: Errors = {}, status = 200) =>
    renderPage(deps, ctx, { template: 'purchasing/new', title: 'New purchase order', status, data: { values, errors, suppliers: await activeSuppliers(deps.db) } });

  interface DetailExtra {
    addValues?: Record<string, string>;
    addErrors?: Errors;
    editLineId?: string;
    editValues?: Record<string, string>;
    editErrors?: Errors;
    actionError?: string;
    status?: number;
  }
  const detailPage = async (ctx: any, po: PoView, extra: DetailExtra = {}) =>
    renderPage(deps, ctx, {
      template: 'purchasing/detail',
      title: po.number,
      status: extra.status ?? 200,
      data: { po, statusLabels: STATUS_LABELS, addValues: extra.addValues ?? { product: '', quantity: '1', unit_cost: '', note: '' }, addErrors: extra.addErrors ?? {}, editLineId: extra.editLineId ?? '', editValues: extra.editValues ?? {}, editErrors: extra.editErrors ?? {}, actionError: extra.actionError ?? '', centsToInput },
    });

  const receivePage = async (ctx: any, po: PoView, values: { freight: string; notes: string; qty: Record<string, string>; serials: Record<string, string[]> }, errors: Errors = {}, status = 200) =>
    renderPage(deps, ctx, { template: 'purchasing/receive', title: `Receive ${po.number}`, status, data: { po, values, errors, statusLabels: STATUS_LABELS } });

  /** Runs a PO action from a button; a refusal re-renders the PO page with the reason (409). */
  const poAction = (run: (tx: any, ctx: any, id: string) => Promise<PoView>, done: (po: PoView) => string) => async (ctx: any) => {
    const po = await getPurchaseOrder(deps.db, ctx.params.id);
    try {
      const after = await deps.db.transaction((tx) => run(tx, ctx, po.id));
      setFlash(deps, ctx, { kind: 'success', message: done(after) });
      return redirect(ctx, `/purchasing/${po.id}`);
    } catch (err) {
      if (err instanceof ServiceError) return detailPage(ctx, await getPurchaseOrder(deps.db, po.id), { actionError: err.message, status: err.status });
      throw err;
    }
  };

  return new Elysia({ name: 'feature.purchasing' })
    .use(authPlugin(deps))
    .get('/purchasing', listPage, { permission: 'inventory.view' })
    .get(
      '/purchasing/export.csv',
      async (ctx) => {
        // Same search, status filter and sort as the list on screen, every row (capped); money as decimal `*_amount` (docs/csv.md).
        const query = { ...parseListQuery(ctx.query, { sorts: PO_SORTS, defaultSort: 'number', defaultOrder: 'desc' }), page: 1, limit: CSV_EXPORT_LIMIT };
        const { rows } = await listPurchaseOrders(deps.db, query, { status: poStatus(ctx), ids: poIds(ctx) });
        Object.assign(ctx.set.headers, csvDownloadHeaders('purchase-orders', await storeToday(deps.db, deps.clock)));
        return toCsv<PoListRow>(
          [
            { header: 'number', value: (r) => r.number },
            { header: 'supplier', value: (r) => r.supplierName },
            { header: 'status', value: (r) => r.status },
            { header: 'line_count', value: (r) => r.lineCount },
            { header: 'total_amount', value: (r) => centsToDecimalString(r.totalCents) },
            { header: 'expected_on', value: (r) => r.expectedOn },
            { header: 'ordered_at', value: (r) => r.orderedAt },
            { header: 'created_at', value: (r) => r.createdAt },
          ],
          rows,
        );
      },
      { permission: 'inventory.view' },
    )
    .get('/purchasing/new', (ctx) => newPage(ctx), { permission: 'inventory.manage' })
    .post(
      '/purchasing',
      async (ctx) => {
        const body = formBody(ctx.body);
        const values = { supplier_id: formString(body, 'supplier_id'), expected_on: formString(body, 'expected_on'), notes: formString(body, 'notes') };
        const parsed = createPoSchema.safeParse(values);
        if (!parsed.success) return newPage(ctx, values, indexedFieldErrors(parsed.error), 422);
        try {
          const po = await deps.db.transaction((tx) => createPurchaseOrder(tx, actorOf(ctx), parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `${po.number} created. Add its lines.` });
          return redirect(ctx, `/purchasing/${po.id}`);
        } catch (err) {
          if (err instanceof ServiceError) return newPage(ctx, values, serviceErrors(err), err.status);
          throw err;
        }
      },
      { permission: 'inventory.manage' },
    )
    .get('/purchasing/:id', async (ctx) => detailPage(ctx, await getPurchaseOrder(deps.db, ctx.params.id)), { permission: 'inventory.view' })
    .post(
      '/purchasing/:id/lines',
      async (ctx) => {
        const po = await getPurchaseOrder(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const values = { product: formString(body, 'product'), quantity: formString(body, 'quantity'), unit_cost: formString(body, 'unit_cost'), note: formString(body, 'note') };
        const errors: Errors = {};
        const product = values.product.trim() ? await findProductByCode(deps.db, values.product) : null;
        if (!values.product.trim()) errors.product = 'Enter the SKU or UPC of the product.';
        else if (!product) errors.product = `No product has the SKU or UPC “${values.product.trim().slice(0, 100)}”.`;
        const parsed = poLineSchema.safeParse({ product_id: product?.id ?? '00000000-0000-4000-8000-000000000000', quantity: formInt(values.quantity), unit_cost_cents: formCents(values.unit_cost), note: values.note });
        if (!parsed.success) Object.assign(errors, renameKeys(indexedFieldErrors(parsed.error)));
        if (Object.keys(errors).length || !parsed.success) return detailPage(ctx, po, { addValues: values, addErrors: errors, status: 422 });
        try {
          await deps.db.transaction((tx) => addPoLine(tx, actorOf(ctx), po.id, parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `Added ${parsed.data.quantity} × ${product!.sku}.` });
          return redirect(ctx, `/purchasing/${po.id}`);
        } catch (err) {
          if (err instanceof ServiceError) return detailPage(ctx, po, { addValues: values, addErrors: renameKeys(serviceErrors(err)), actionError: err.status === 409 ? err.message : '', status: err.status });
          throw err;
        }
      },
      { permission: 'inventory.manage' },
    )
    .post(
      '/purchasing/:id/lines/update',
      async (ctx) => {
        const po = await getPurchaseOrder(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const lineId = formString(body, 'line_id');
        const values = { quantity: formString(body, 'quantity'), unit_cost: formString(body, 'unit_cost'), note: formString(body, 'note') };
        if (!po.lines.some((l) => l.id === lineId)) return detailPage(ctx, po, { actionError: 'That line is not on this purchase order.', status: 404 });
        const parsed = updatePoLineSchema.safeParse({ quantity: formInt(values.quantity), unit_cost_cents: formCents(values.unit_cost), note: values.note });
        if (!parsed.success) return detailPage(ctx, po, { editLineId: lineId, editValues: values, editErrors: renameKeys(indexedFieldErrors(parsed.error)), status: 422 });
        try {
          await deps.db.transaction((tx) => updatePoLine(tx, actorOf(ctx), po.id, lineId, parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: 'Line saved.' });
          return redirect(ctx, `/purchasing/${po.id}`);
        } catch (err) {
          if (err instanceof ServiceError) return detailPage(ctx, po, { editLineId: lineId, editValues: values, editErrors: renameKeys(serviceErrors(err)), actionError: err.message, status: err.status });
          throw err;
        }
      },
      { permission: 'inventory.manage' },
    )
    .post(
      '/purchasing/:id/lines/remove',
      async (ctx) => {
        const po = await getPurchaseOrder(deps.db, ctx.params.id);
        const lineId = formString(formBody(ctx.body), 'line_id');
        if (!po.lines.some((l) => l.id === lineId)) return detailPage(ctx, po, { actionError: 'That line is not on this purchase order.', status: 404 });
        return poAction((tx, c, id) => removePoLine(tx, actorOf(c), id, lineId), () => 'Line removed.')(ctx);
      },
      { permission: 'inventory.manage' },
    )
    .post('/purchasing/:id/order', poAction((tx, c, id) => markOrdered(tx, actorOf(c), id, deps.clock.now()), (po) => `${po.number} marked as ordered.`), { permission: 'inventory.manage' })
    .post('/purchasing/:id/cancel', poAction((tx, c, id) => cancelPurchaseOrder(tx, actorOf(c), id), (po) => `${po.number} cancelled.`), { permission: 'inventory.manage' })
    .get(
      '/purchasing/:id/receive',
      async (ctx) => {
        const po = await getPurchaseOrder(deps.db, ctx.params.id);
        return receivePage(ctx, po, { freight: '', notes: '', qty: Object.fromEntries(po.lines.map((l, i) => [i, l.kind === 'stock' ? String(l.outstanding) : ''])), serials: {} });
      },
      { permission: 'inventory.manage' },
    )
    .post(
      '/purchasing/:id/receive',
      async (ctx) => {
        const po = await getPurchaseOrder(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const values = { freight: formString(body, 'freight'), notes: formString(body, 'notes'), qty: {} as Record<string, string>, serials: {} as Record<string, string[]> };
        // Rows are posted by position; each carries its line id, so a changed PO can't shift quantities onto another line.
        const lines: { line_id: string; quantity: unknown; serials: string[] }[] = [];
        const positions: number[][] = [];
        po.lines.forEach((line, i) => {
          const lineId = formString(body, `lines.${i}.line_id`);
          if (!lineId) return;
          if (line.kind === 'serialized') {
            const fields = serialFields(body, `lines.${i}.serials`);
            values.serials[i] = fields;
            const filled = fields.map((s, pos) => ({ s: s.trim(), pos })).filter((f) => f.s !== '');
            positions[lines.length] = filled.map((f) => f.pos);
            lines.push({ line_id: lineId, quantity: filled.length, serials: filled.map((f) => f.s) });
          } else {
            values.qty[i] = formString(body, `lines.${i}.quantity`);
            positions[lines.length] = [];
            lines.push({ line_id: lineId, quantity: formInt(values.qty[i]) ?? 0, serials: [] });
          }
        });
        // Error keys come back by request position; map them to the form's row index and serial field.
        const rowOf = lines.map((l) => po.lines.findIndex((pl) => pl.id === l.line_id));
        const toFormKeys = (errors: Errors): Errors => {
          const out: Errors = {};
          for (const [key, message] of Object.entries(errors)) {
            const m = /^lines\.(\d+)\.(\w+)(?:\.(\d+))?$/.exec(key);
            if (!m) out[key === 'freight_cents' ? 'freight' : key] = message;
            else {
              const row = rowOf[Number(m[1])] ?? Number(m[1]);
              const field = m[3] !== undefined ? `serials.${positions[Number(m[1])]?.[Number(m[3])] ?? m[3]}` : m[2];
              out[`lines.${row}.${field}`] = message;
            }
          }
          return out;
        };
        const parsed = receiptSchema.safeParse({ lines, freight_cents: formCents(values.freight) ?? 0, notes: values.notes });
        if (!parsed.success) return receivePage(ctx, po, values, toFormKeys(indexedFieldErrors(parsed.error)), 422);
        try {
          const today = await storeToday(deps.db, deps.clock);
          const { po: after } = await deps.db.transaction((tx) => receivePurchaseOrder(tx, actorOf(ctx), po.id, parsed.data, today));
          setFlash(deps, ctx, { kind: 'success', message: `Received on ${after.number}; it is now ${STATUS_LABELS[after.status].toLowerCase()}.` });
          return redirect(ctx, `/purchasing/${po.id}`);
        } catch (err) {
          if (err instanceof ServiceError) return receivePage(ctx, await getPurchaseOrder(deps.db, po.id), values, toFormKeys(serviceErrors(err)), err.status);
          throw err;
        }
      },
      { permission: 'inventory.manage' },
    )
    .use(countsRoutes(deps))
    .use(labelsRoutes(deps))
    .use(purchasingApiRoutes(deps))
    .use(countsApiRoutes(deps));
}

/** API field names → the HTML form's (unit_cost_cents is typed in dollars as unit_cost; product_id is looked up from `product`). */
function renameKeys(errors: Errors): Errors {
  const out: Errors = {};
  for (const [k, v] of Object.entries(errors)) out[k === 'unit_cost_cents' ? 'unit_cost' : k === 'product_id' ? 'product' : k] = v;
  return out;
}

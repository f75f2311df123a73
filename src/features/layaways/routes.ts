import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { redirect, renderPage, setFlash } from '../../server/respond';
import { formBody, formString, type FormBody } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { newFormKey, submitFormOnce, FORM_KEY_FIELD } from '../../ui/one-time-form';
import { isUuid } from '../../db/sql-helpers';
import { isValidBusinessDate } from '../../domain/business-date';
import { formatCents } from '../../domain/money';
import { zodFieldErrors } from '../service-errors';
import { getStoreSettings, storeToday } from '../settings/service';
import { htmlSaleContext } from '../sales/context';
import { findSale } from '../sales/queries';
import { readQuantity } from '../pos/forms';
import { approversOf, drawerChoices, formErrors, readApproval, schemaErrors, readPaymentForm, resolveAccount, resolveItem, withoutPin, type Errors } from './counter-form';
import { cancelWithRefundSchema, createLayawaySchema, depositPaymentSchema, LAYAWAY_SORTS, LAYAWAY_STATUSES } from './schemas';
import { cancelLayaway, createLayaway, findLayaway, layawayView, payLayaway, pickUpLayaway } from './service';
import { AGING_BUCKETS, layawayAging, listLayaways } from './queries';

/**
 * Layaway pages (pos.sell): the list, the aging report, a new layaway (items typed as SKU/UPC or serial, an
 * optional first payment), and a layaway's page with its payments, pickup and cancel. Money forms carry a
 * one-time key; errors come back next to the fields.
 */

const LIST_OPTIONS = { sorts: LAYAWAY_SORTS, defaultSort: 'created', defaultOrder: 'desc' as const, defaultLimit: 25 };
export const ITEM_ROWS = 6;
export const STATUS_LABELS: Record<string, string> = { open: 'Open', picked_up: 'Picked up', cancelled: 'Cancelled' };

export function layawaysRoutes(deps: AppDeps) {
  const newPage = async (ctx: any, opts: { values?: Record<string, string>; errors?: Errors; status?: number } = {}) =>
    renderPage(deps, ctx, {
      template: 'layaways/new',
      title: 'New layaway',
      status: opts.status ?? 200,
      data: { values: opts.values ?? { account: typeof ctx.query?.account === 'string' ? ctx.query.account : '' }, errors: opts.errors ?? {}, rows: ITEM_ROWS, drawers: await drawerChoices(deps.db, ctx), today: await storeToday(deps.db, deps.clock), formKey: newFormKey() },
    });

  const showPage = async (ctx: any, id: string, opts: { pay?: { values: Record<string, string>; errors: Errors }; cancel?: { values: Record<string, string>; errors: Errors }; pickupErrors?: Errors; status?: number } = {}) => {
    const view = await layawayView(deps.db, id);
    return renderPage(deps, ctx, {
      template: 'layaways/show',
      title: `Layaway ${view.layaway.number}`,
      status: opts.status ?? 200,
      data: {
        view,
        statusLabels: STATUS_LABELS,
        drawers: await drawerChoices(deps.db, ctx),
        approvers: await approversOf(deps.db, 'pos.refund'),
        pay: opts.pay ?? { values: {}, errors: {} },
        cancel: opts.cancel ?? { values: {}, errors: {} },
        pickupErrors: opts.pickupErrors ?? {},
        formKey: newFormKey(),
      },
    });
  };

  const keyOf = (body: FormBody) => formString(body, FORM_KEY_FIELD);

  return new Elysia({ name: 'feature.layaways' })
    .use(authPlugin(deps))
    .get(
      '/layaways',
      async (ctx) => {
        const query = parseListQuery(ctx.query, LIST_OPTIONS);
        const status = (LAYAWAY_STATUSES as readonly string[]).includes(String(ctx.query.status)) ? String(ctx.query.status) : '';
        const { rows, total } = await listLayaways(deps.db, { status: status || null }, query);
        const list = buildListModel('/layaways', query, rows, total, status ? { status } : {});
        return renderPage(deps, ctx, { template: 'layaways/index', fragment: 'layaways/index', title: 'Layaways', data: { list, status, statusLabels: STATUS_LABELS, listOnly: !!ctx.htmx?.wantsFragment } });
      },
      { permission: 'pos.sell' },
    )
    .get(
      '/layaways/aging',
      async (ctx) => {
        const today = await storeToday(deps.db, deps.clock);
        const report = await layawayAging(deps.db, today, (await getStoreSettings(deps.db))?.timeZone ?? 'UTC');
        return renderPage(deps, ctx, { template: 'layaways/aging', title: 'Layaway aging', data: { report, buckets: AGING_BUCKETS } });
      },
      { permission: 'pos.sell' },
    )
    .get('/layaways/new', (ctx) => newPage(ctx), { permission: 'pos.sell' })
    .post(
      '/layaways',
      async (ctx) => {
        const body = formBody(ctx.body);
        const errors: Errors = {};
        const values: Record<string, string> = { account: formString(body, 'account').trim(), due_on: formString(body, 'due_on').trim(), note: formString(body, 'note') };
        const lines: Record<string, unknown>[] = [];
        const rowOf: number[] = [];
        for (let i = 0; i < ITEM_ROWS; i++) {
          const code = formString(body, `item_${i}`).trim();
          const qtyRaw = formString(body, `qty_${i}`).trim();
          values[`item_${i}`] = code;
          values[`qty_${i}`] = qtyRaw;
          if (!code) continue;
          const quantity = qtyRaw ? readQuantity(qtyRaw, `qty_${i}`, errors) : 1;
          const item = await resolveItem(deps.db, code);
          if (item.error) errors[`item_${i}`] = item.error;
          else if (item.unitId && quantity !== 1) errors[`qty_${i}`] = 'A serialized unit is one item.';
          else lines.push(item.unitId ? { unit_id: item.unitId } : { product_id: item.productId, quantity });
          rowOf.push(i);
        }
        if (!rowOf.length) errors.item_0 = 'Enter at least one item (SKU, UPC or serial number).';
        const account = await resolveAccount(deps.db, values.account);
        if (account.error) errors.account = account.error;
        if (values.due_on && !isValidBusinessDate(values.due_on)) errors.due_on = 'Enter a date as YYYY-MM-DD.';
        const pay = readPaymentForm(body, errors, { optional: true });
        Object.assign(values, pay.values);
        if (Object.keys(errors).length) return newPage(ctx, { values, errors, status: 422 });
        const input = {
          account_id: account.id!,
          lines,
          ...(values.due_on ? { due_on: values.due_on } : {}),
          ...(values.note.trim() ? { note: values.note } : {}),
          ...(pay.amountCents ? { deposit: { amount_cents: pay.amountCents, tenders: pay.tenders, ...(pay.registerSessionId ? { register_session_id: pay.registerSessionId } : {}) } } : {}),
        };
        const rename: Record<string, string> = {};
        rowOf.forEach((row, n) => {
          rename[`lines.${n}.quantity`] = `qty_${row}`;
          for (const k of ['unit_id', 'product_id', 'unit_price_cents']) rename[`lines.${n}.${k}`] = `item_${row}`;
        });
        rename.lines = 'item_0';
        const parsed = createLayawaySchema.safeParse(input);
        if (!parsed.success) return newPage(ctx, { values, errors: schemaErrors(parsed.error, rename), status: 422 });
        try {
          const sc = await htmlSaleContext(deps, ctx);
          const { value: id } = await submitFormOnce(deps.db, ctx, keyOf(body), input, async (tx) => (await createLayaway(tx, sc, parsed.data, deps.clock.now())).layawayId);
          const lay = await findLayaway(deps.db, id);
          setFlash(deps, ctx, { kind: 'success', message: `Layaway ${lay.number} made: ${formatCents(lay.totalCents)}, ${formatCents(lay.paidCents)} paid.` });
          return redirect(ctx, `/layaways/${id}`);
        } catch (err) {
          const r = formErrors(err, rename);
          return newPage(ctx, { values, errors: r.errors, status: r.status });
        }
      },
      { permission: 'pos.sell' },
    )
    .get('/layaways/:id', (ctx) => showPage(ctx, ctx.params.id), { permission: 'pos.sell' })
    .post(
      '/layaways/:id/payments',
      async (ctx) => {
        const lay = await findLayaway(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const errors: Errors = {};
        const pay = readPaymentForm(body, errors);
        const again = (e: Errors, status: number) => showPage(ctx, lay.id, { pay: { values: pay.values, errors: e }, status });
        if (Object.keys(errors).length) return again(errors, 422);
        const input = { amount_cents: pay.amountCents!, tenders: pay.tenders, ...(pay.registerSessionId ? { register_session_id: pay.registerSessionId } : {}) };
        const parsed = depositPaymentSchema.safeParse(input);
        if (!parsed.success) return again(schemaErrors(parsed.error), 422);
        try {
          const sc = await htmlSaleContext(deps, ctx);
          const { value: saleId } = await submitFormOnce(deps.db, ctx, keyOf(body), input, (tx) => payLayaway(tx, sc, lay.id, parsed.data));
          const sale = await findSale(deps.db, saleId);
          setFlash(deps, ctx, { kind: 'success', message: `Payment ${sale.number} of ${formatCents(parsed.data.amount_cents)} recorded.` });
          return redirect(ctx, `/layaways/${lay.id}`);
        } catch (err) {
          const r = formErrors(err);
          return again(r.errors, r.status);
        }
      },
      { permission: 'pos.sell' },
    )
    .post(
      '/layaways/:id/pickup',
      async (ctx) => {
        const lay = await findLayaway(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        try {
          const sc = await htmlSaleContext(deps, ctx);
          const { value: saleId } = await submitFormOnce(deps.db, ctx, keyOf(body), { pickup: lay.id }, (tx) => pickUpLayaway(tx, sc, lay.id, {}, deps.clock.now()));
          const sale = await findSale(deps.db, saleId);
          setFlash(deps, ctx, { kind: 'success', message: `Layaway ${lay.number} picked up on ${sale.number}.` });
          return redirect(ctx, `/layaways/${lay.id}`);
        } catch (err) {
          const r = formErrors(err);
          return showPage(ctx, lay.id, { pickupErrors: { _: r.errors._ ?? Object.values(r.errors).join(' ') }, status: r.status });
        }
      },
      { permission: 'pos.sell' },
    )
    .post(
      '/layaways/:id/cancel',
      async (ctx) => {
        const lay = await findLayaway(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const errors: Errors = {};
        const approval = readApproval(body, errors);
        const values = { reason: formString(body, 'reason'), refund: formString(body, 'refund') || 'store_credit', cancel_session_id: formString(body, 'cancel_session_id'), ...approval.values };
        const again = (e: Errors, status: number) => showPage(ctx, lay.id, { cancel: { values, errors: e }, status });
        const input = { reason: values.reason, refund: values.refund, ...(isUuid(values.cancel_session_id) ? { register_session_id: values.cancel_session_id } : {}), ...(approval.approval ? { approval: approval.approval } : {}) };
        const parsed = cancelWithRefundSchema.safeParse(input);
        if (!parsed.success) Object.assign(errors, zodFieldErrors(parsed.error));
        if (Object.keys(errors).length || !parsed.success) return again(errors, 422);
        try {
          const sc = await htmlSaleContext(deps, ctx);
          await submitFormOnce(deps.db, ctx, keyOf(body), withoutPin(parsed.data), async (tx) => (await cancelLayaway(tx, sc, lay.id, parsed.data, deps.clock.now())).id);
          setFlash(deps, ctx, { kind: 'success', message: `Layaway ${lay.number} cancelled${lay.paidCents ? `; ${formatCents(lay.paidCents)} given back as ${parsed.data.refund === 'cash' ? 'cash' : 'store credit'}` : ''}.` });
          return redirect(ctx, `/layaways/${lay.id}`);
        } catch (err) {
          const r = formErrors(err, { register_session_id: 'cancel_session_id' });
          return again(r.errors, r.status);
        }
      },
      { permission: 'pos.sell' },
    );
}

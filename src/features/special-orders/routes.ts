import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { redirect, renderPage, setFlash } from '../../server/respond';
import { formBody, formString, type FormBody } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { FORM_KEY_FIELD, newFormKey, submitFormOnce } from '../../ui/one-time-form';
import { isUuid } from '../../db/sql-helpers';
import { formatCents } from '../../domain/money';
import { zodFieldErrors } from '../service-errors';
import { storeToday } from '../settings/service';
import { htmlSaleContext } from '../sales/context';
import { findSale } from '../sales/queries';
import { readMoney, readQuantity } from '../pos/forms';
import { activeSuppliers } from '../purchasing/service';
import { cancelWithRefundSchema, depositPaymentSchema } from '../layaways/schemas';
import { approversOf, drawerChoices, formErrors, readApproval, readPaymentForm, resolveAccount, resolveProduct, resolveUnit, schemaErrors, withoutPin, type Errors } from '../layaways/counter-form';
import { completeSpecialOrderSchema, createSpecialOrderSchema, orderSpecialOrderSchema, SPECIAL_ORDER_SORTS, SPECIAL_ORDER_STATUSES, SPECIAL_ORDER_STATUS_LABELS } from './schemas';
import { cancelSpecialOrder, completeSpecialOrder, createSpecialOrder, findSpecialOrder, listSpecialOrders, markArrived, openPoLinesFor, orderSpecialOrder, paySpecialOrderDeposit, specialOrderDue, specialOrderView } from './service';

/**
 * Special-order pages (pos.sell): the list (status "received" is the "arrived — call the customer" list), a
 * new order with an optional deposit, and an order's page: put it on a PO, mark it arrived, take deposits,
 * complete it at the counter, cancel it. Money forms carry a one-time key; errors come back next to fields.
 */

const LIST_OPTIONS = { sorts: SPECIAL_ORDER_SORTS, defaultSort: 'created', defaultOrder: 'desc' as const, defaultLimit: 25 };
type Section = { values: Record<string, string>; errors: Errors };
const empty = (): Section => ({ values: {}, errors: {} });

export function specialOrdersRoutes(deps: AppDeps) {
  const newPage = async (ctx: any, opts: { values?: Record<string, string>; errors?: Errors; status?: number } = {}) =>
    renderPage(deps, ctx, {
      template: 'special-orders/new',
      title: 'New special order',
      status: opts.status ?? 200,
      data: { values: opts.values ?? { account: typeof ctx.query?.account === 'string' ? ctx.query.account : '' }, errors: opts.errors ?? {}, drawers: await drawerChoices(deps.db, ctx), approvers: await approversOf(deps.db, 'pos.discount.override'), formKey: newFormKey() },
    });

  const showPage = async (ctx: any, id: string, opts: { section?: 'deposit' | 'order' | 'arrived' | 'complete' | 'cancel'; state?: Section; status?: number } = {}) => {
    const view = await specialOrderView(deps.db, id);
    const today = await storeToday(deps.db, deps.clock);
    const state = (s: string) => (opts.section === s ? opts.state! : empty());
    return renderPage(deps, ctx, {
      template: 'special-orders/show',
      title: `Special order ${view.order.number}`,
      status: opts.status ?? 200,
      data: {
        view,
        statusLabels: SPECIAL_ORDER_STATUS_LABELS,
        due: await specialOrderDue(deps.db, view.order, today),
        poLines: view.order.status === 'open' ? await openPoLinesFor(deps.db, view.order.productId) : [],
        suppliers: view.order.status === 'open' ? await activeSuppliers(deps.db) : [],
        drawers: await drawerChoices(deps.db, ctx),
        refundApprovers: await approversOf(deps.db, 'pos.refund'),
        priceApprovers: await approversOf(deps.db, 'pos.discount.override'),
        deposit: state('deposit'),
        order: state('order'),
        arrived: state('arrived'),
        complete: state('complete'),
        cancel: state('cancel'),
        formKey: newFormKey(),
      },
    });
  };

  const keyOf = (body: FormBody) => formString(body, FORM_KEY_FIELD);

  return new Elysia({ name: 'feature.special-orders' })
    .use(authPlugin(deps))
    .get(
      '/special-orders',
      async (ctx) => {
        const query = parseListQuery(ctx.query, LIST_OPTIONS);
        const status = (SPECIAL_ORDER_STATUSES as readonly string[]).includes(String(ctx.query.status)) ? String(ctx.query.status) : '';
        const { rows, total } = await listSpecialOrders(deps.db, { status: status || null }, query);
        const list = buildListModel('/special-orders', query, rows, total, status ? { status } : {});
        const arrived = status === 'received' ? total : (await listSpecialOrders(deps.db, { status: 'received' }, { q: '', page: 1, limit: 1, sort: 'created', order: 'desc' })).total;
        return renderPage(deps, ctx, { template: 'special-orders/index', fragment: 'special-orders/index', title: 'Special orders', data: { list, status, arrived, statusLabels: SPECIAL_ORDER_STATUS_LABELS, listOnly: !!ctx.htmx?.wantsFragment } });
      },
      { permission: 'pos.sell' },
    )
    .get('/special-orders/new', (ctx) => newPage(ctx), { permission: 'pos.sell' })
    .post(
      '/special-orders',
      async (ctx) => {
        const body = formBody(ctx.body);
        const errors: Errors = {};
        const approval = readApproval(body, errors);
        const values: Record<string, string> = { account: formString(body, 'account').trim(), product: formString(body, 'product').trim(), quantity: formString(body, 'quantity').trim(), price: formString(body, 'price').trim(), note: formString(body, 'note'), ...approval.values };
        const account = await resolveAccount(deps.db, values.account);
        if (account.error) errors.account = account.error;
        const product = await resolveProduct(deps.db, values.product);
        if (product.error) errors.product = product.error;
        const quantity = values.quantity ? readQuantity(values.quantity, 'quantity', errors) : 1;
        const price = readMoney(values.price, 'price', 'The price', errors, { optional: true });
        const pay = readPaymentForm(body, errors, { optional: true });
        Object.assign(values, pay.values);
        if (Object.keys(errors).length) return newPage(ctx, { values, errors, status: 422 });
        const input = {
          account_id: account.id!,
          product_id: product.id!,
          quantity,
          ...(price !== null ? { unit_price_cents: price } : {}),
          ...(values.note.trim() ? { note: values.note } : {}),
          ...(approval.approval ? { approval: approval.approval } : {}),
          ...(pay.amountCents ? { deposit: { amount_cents: pay.amountCents, tenders: pay.tenders, ...(pay.registerSessionId ? { register_session_id: pay.registerSessionId } : {}) } } : {}),
        };
        const rename = { product_id: 'product', unit_price_cents: 'price' };
        const parsed = createSpecialOrderSchema.safeParse(input);
        if (!parsed.success) return newPage(ctx, { values, errors: schemaErrors(parsed.error, rename), status: 422 });
        try {
          const sc = await htmlSaleContext(deps, ctx);
          const { value: id } = await submitFormOnce(deps.db, ctx, keyOf(body), withoutPin(parsed.data), async (tx) => (await createSpecialOrder(tx, sc, parsed.data, deps.clock.now())).specialOrderId);
          const so = await findSpecialOrder(deps.db, id);
          setFlash(deps, ctx, { kind: 'success', message: `Special order ${so.number} made${so.depositCents ? ` with a ${formatCents(so.depositCents)} deposit` : ''}. Put it on a purchase order next.` });
          return redirect(ctx, `/special-orders/${id}`);
        } catch (err) {
          const r = formErrors(err, rename);
          return newPage(ctx, { values, errors: r.errors, status: r.status });
        }
      },
      { permission: 'pos.sell' },
    )
    .get('/special-orders/:id', (ctx) => showPage(ctx, ctx.params.id), { permission: 'pos.sell' })
    .post(
      '/special-orders/:id/deposits',
      async (ctx) => {
        const so = await findSpecialOrder(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const errors: Errors = {};
        const pay = readPaymentForm(body, errors);
        const again = (e: Errors, status: number) => showPage(ctx, so.id, { section: 'deposit', state: { values: pay.values, errors: e }, status });
        if (Object.keys(errors).length) return again(errors, 422);
        const input = { amount_cents: pay.amountCents!, tenders: pay.tenders, ...(pay.registerSessionId ? { register_session_id: pay.registerSessionId } : {}) };
        const parsed = depositPaymentSchema.safeParse(input);
        if (!parsed.success) return again(schemaErrors(parsed.error), 422);
        try {
          const sc = await htmlSaleContext(deps, ctx);
          const { value: saleId } = await submitFormOnce(deps.db, ctx, keyOf(body), input, (tx) => paySpecialOrderDeposit(tx, sc, so.id, parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `Deposit ${(await findSale(deps.db, saleId)).number} of ${formatCents(parsed.data.amount_cents)} recorded.` });
          return redirect(ctx, `/special-orders/${so.id}`);
        } catch (err) {
          const r = formErrors(err);
          return again(r.errors, r.status);
        }
      },
      { permission: 'pos.sell' },
    )
    .post(
      '/special-orders/:id/order',
      async (ctx) => {
        const so = await findSpecialOrder(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const errors: Errors = {};
        const values = { purchase_order_line_id: formString(body, 'purchase_order_line_id').trim(), supplier_id: formString(body, 'supplier_id').trim(), unit_cost: formString(body, 'unit_cost').trim() };
        const cost = readMoney(values.unit_cost, 'unit_cost', 'The unit cost', errors, { optional: true });
        const again = (e: Errors, status: number) => showPage(ctx, so.id, { section: 'order', state: { values, errors: e }, status });
        if (values.purchase_order_line_id && values.supplier_id) errors.purchase_order_line_id = 'Choose an open PO line or a supplier, not both.';
        if (!values.purchase_order_line_id && !values.supplier_id) errors.purchase_order_line_id = 'Choose an open PO line, or a supplier for a new line.';
        if (Object.keys(errors).length) return again(errors, 422);
        const input = values.purchase_order_line_id ? { purchase_order_line_id: values.purchase_order_line_id } : { supplier_id: values.supplier_id, ...(cost !== null ? { unit_cost_cents: cost } : {}) };
        const parsed = orderSpecialOrderSchema.safeParse(input);
        const rename = { unit_cost_cents: 'unit_cost' };
        if (!parsed.success) return again(schemaErrors(parsed.error, rename), 422);
        try {
          const sc = await htmlSaleContext(deps, ctx);
          await deps.db.transaction((tx) => orderSpecialOrder(tx, sc, so.id, parsed.data));
          const view = await specialOrderView(deps.db, so.id);
          setFlash(deps, ctx, { kind: 'success', message: `${so.number} is on ${view.purchaseOrder?.number}; receiving that line marks it arrived.` });
          return redirect(ctx, `/special-orders/${so.id}`);
        } catch (err) {
          const r = formErrors(err, rename);
          return again(r.errors, r.status);
        }
      },
      { permission: 'pos.sell' },
    )
    .post(
      '/special-orders/:id/arrived',
      async (ctx) => {
        const so = await findSpecialOrder(deps.db, ctx.params.id);
        try {
          const sc = await htmlSaleContext(deps, ctx);
          await deps.db.transaction((tx) => markArrived(tx, sc, so.id, undefined, deps.clock.now()));
          setFlash(deps, ctx, { kind: 'success', message: `${so.number} marked arrived: call the customer.` });
          return redirect(ctx, `/special-orders/${so.id}`);
        } catch (err) {
          const r = formErrors(err);
          return showPage(ctx, so.id, { section: 'arrived', state: { values: {}, errors: r.errors }, status: r.status });
        }
      },
      { permission: 'pos.sell' },
    )
    .post(
      '/special-orders/:id/complete',
      async (ctx) => {
        const so = await findSpecialOrder(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const errors: Errors = {};
        const approval = readApproval(body, errors);
        const pay = readPaymentForm(body, errors, { amountField: false });
        const values: Record<string, string> = { ...pay.values, ...approval.values };
        const unitIds: string[] = [];
        for (let i = 0; i < Math.min(so.quantity, 20); i++) {
          const serial = formString(body, `serial_${i}`).trim();
          values[`serial_${i}`] = serial;
          if (!serial) continue;
          const unit = await resolveUnit(deps.db, serial);
          if (unit.error) errors[`serial_${i}`] = unit.error;
          else unitIds.push(unit.id!);
        }
        const again = (e: Errors, status: number) => showPage(ctx, so.id, { section: 'complete', state: { values, errors: e }, status });
        if (Object.keys(errors).length) return again(errors, 422);
        const input = { tenders: pay.tenders, ...(unitIds.length ? { unit_ids: unitIds } : {}), ...(pay.registerSessionId ? { register_session_id: pay.registerSessionId } : {}), ...(approval.approval ? { approval: approval.approval } : {}) };
        const parsed = completeSpecialOrderSchema.safeParse(input);
        const rename = { unit_ids: 'serial_0' };
        if (!parsed.success) return again(schemaErrors(parsed.error, rename), 422);
        try {
          const sc = await htmlSaleContext(deps, ctx);
          const { value: saleId } = await submitFormOnce(deps.db, ctx, keyOf(body), withoutPin(parsed.data), (tx) => completeSpecialOrder(tx, sc, so.id, parsed.data));
          const sale = await findSale(deps.db, saleId);
          setFlash(deps, ctx, { kind: 'success', message: `${so.number} completed on ${sale.number} (${formatCents(sale.totalCents)}).` });
          return redirect(ctx, `/special-orders/${so.id}`);
        } catch (err) {
          const r = formErrors(err, rename);
          return again(r.errors, r.status);
        }
      },
      { permission: 'pos.sell' },
    )
    .post(
      '/special-orders/:id/cancel',
      async (ctx) => {
        const so = await findSpecialOrder(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const errors: Errors = {};
        const approval = readApproval(body, errors);
        const values = { reason: formString(body, 'reason'), refund: formString(body, 'refund') || 'store_credit', cancel_session_id: formString(body, 'cancel_session_id'), ...approval.values };
        const again = (e: Errors, status: number) => showPage(ctx, so.id, { section: 'cancel', state: { values, errors: e }, status });
        const input = { reason: values.reason, refund: values.refund, ...(isUuid(values.cancel_session_id) ? { register_session_id: values.cancel_session_id } : {}), ...(approval.approval ? { approval: approval.approval } : {}) };
        const parsed = cancelWithRefundSchema.safeParse(input);
        if (!parsed.success) Object.assign(errors, zodFieldErrors(parsed.error));
        if (Object.keys(errors).length || !parsed.success) return again(errors, 422);
        try {
          const sc = await htmlSaleContext(deps, ctx);
          await submitFormOnce(deps.db, ctx, keyOf(body), withoutPin(parsed.data), async (tx) => (await cancelSpecialOrder(tx, sc, so.id, parsed.data)).id);
          setFlash(deps, ctx, { kind: 'success', message: `${so.number} cancelled${so.depositCents ? `; ${formatCents(so.depositCents)} given back as ${parsed.data.refund === 'cash' ? 'cash' : 'store credit'}` : ''}.` });
          return redirect(ctx, `/special-orders/${so.id}`);
        } catch (err) {
          const r = formErrors(err, { register_session_id: 'cancel_session_id' });
          return again(r.errors, r.status);
        }
      },
      { permission: 'pos.sell' },
    );
}

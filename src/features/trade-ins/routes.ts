import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { redirect, renderPage, setFlash } from '../../server/respond';
import { formBody, formString } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { FORM_KEY_FIELD, newFormKey, submitFormOnce } from '../../ui/one-time-form';
import { formatCents } from '../../domain/money';
import { UNIT_CONDITIONS } from '../inventory/schemas';
import { htmlSaleContext } from '../sales/context';
import { readMoney } from '../pos/forms';
import { approversOf, formErrors, readApproval, resolveAccount, resolveProduct, schemaErrors, withoutPin, type Errors } from '../layaways/counter-form';
import { appraiseTradeInSchema, TRADE_IN_SORTS, TRADE_IN_STATUSES } from './schemas';
import { acceptTradeIn, appraiseTradeIn, findTradeIn, listTradeIns, tradeInView } from './service';

/**
 * Trade-in pages (pos.sell): the list, a new appraisal (optionally accepted at once) and a trade-in's page
 * with its accept form. Accepting needs pos.refund or a manager's PIN (the approval box).
 */

const LIST_OPTIONS = { sorts: TRADE_IN_SORTS, defaultSort: 'created', defaultOrder: 'desc' as const, defaultLimit: 25 };
export const TRADE_IN_STATUS_LABELS: Record<string, string> = { appraised: 'Appraised', accepted: 'Accepted' };

export function tradeInsRoutes(deps: AppDeps) {
  const newPage = async (ctx: any, opts: { values?: Record<string, string>; errors?: Errors; status?: number } = {}) =>
    renderPage(deps, ctx, {
      template: 'trade-ins/new',
      title: 'New trade-in',
      status: opts.status ?? 200,
      data: { values: opts.values ?? { account: typeof ctx.query?.account === 'string' ? ctx.query.account : '', condition: 'good' }, errors: opts.errors ?? {}, conditions: UNIT_CONDITIONS, approvers: await approversOf(deps.db, 'pos.refund'), formKey: newFormKey() },
    });

  const showPage = async (ctx: any, id: string, opts: { values?: Record<string, string>; errors?: Errors; status?: number } = {}) => {
    const view = await tradeInView(deps.db, id);
    return renderPage(deps, ctx, {
      template: 'trade-ins/show',
      title: `Trade-in ${view.tradeIn.number}`,
      status: opts.status ?? 200,
      data: { view, values: opts.values ?? {}, errors: opts.errors ?? {}, approvers: await approversOf(deps.db, 'pos.refund'), formKey: newFormKey() },
    });
  };

  return new Elysia({ name: 'feature.trade-ins' })
    .use(authPlugin(deps))
    .get(
      '/trade-ins',
      async (ctx) => {
        const query = parseListQuery(ctx.query, LIST_OPTIONS);
        const status = (TRADE_IN_STATUSES as readonly string[]).includes(String(ctx.query.status)) ? String(ctx.query.status) : '';
        const { rows, total } = await listTradeIns(deps.db, { status: status || null }, query);
        const list = buildListModel('/trade-ins', query, rows, total, status ? { status } : {});
        return renderPage(deps, ctx, { template: 'trade-ins/index', fragment: 'trade-ins/index', title: 'Trade-ins', data: { list, status, statusLabels: TRADE_IN_STATUS_LABELS, listOnly: !!ctx.htmx?.wantsFragment } });
      },
      { permission: 'pos.sell' },
    )
    .get('/trade-ins/new', (ctx) => newPage(ctx), { permission: 'pos.sell' })
    .post(
      '/trade-ins',
      async (ctx) => {
        const body = formBody(ctx.body);
        const errors: Errors = {};
        const approval = readApproval(body, errors);
        const values: Record<string, string> = { account: formString(body, 'account').trim(), product: formString(body, 'product').trim(), serial_number: formString(body, 'serial_number').trim(), condition: formString(body, 'condition'), value: formString(body, 'value').trim(), note: formString(body, 'note'), accept: formString(body, 'accept'), ...approval.values };
        const account = await resolveAccount(deps.db, values.account);
        if (account.error) errors.account = account.error;
        const product = await resolveProduct(deps.db, values.product);
        if (product.error) errors.product = product.error;
        const value = readMoney(values.value, 'value', 'The trade-in value', errors, { min: 1 });
        if (Object.keys(errors).length) return newPage(ctx, { values, errors, status: 422 });
        const input = { account_id: account.id!, product_id: product.id!, serial_number: values.serial_number, condition: values.condition, value_cents: value!, ...(values.note.trim() ? { note: values.note } : {}), accept: values.accept === 'on' || values.accept === '1', ...(approval.approval ? { approval: approval.approval } : {}) };
        const rename = { product_id: 'product', value_cents: 'value' };
        const parsed = appraiseTradeInSchema.safeParse(input);
        if (!parsed.success) return newPage(ctx, { values, errors: schemaErrors(parsed.error, rename), status: 422 });
        try {
          const sc = await htmlSaleContext(deps, ctx);
          const { value: id } = await submitFormOnce(deps.db, ctx, formString(body, FORM_KEY_FIELD), withoutPin(parsed.data), async (tx) => (await appraiseTradeIn(tx, sc, parsed.data, deps.clock.now())).id);
          const ti = await findTradeIn(deps.db, id);
          setFlash(deps, ctx, { kind: 'success', message: ti.unitId ? `Trade-in ${ti.number} accepted: ${formatCents(ti.valueCents)} of store credit.` : `Appraisal ${ti.number} recorded at ${formatCents(ti.valueCents)}.` });
          return redirect(ctx, `/trade-ins/${id}`);
        } catch (err) {
          const r = formErrors(err, rename);
          return newPage(ctx, { values, errors: r.errors, status: r.status });
        }
      },
      { permission: 'pos.sell' },
    )
    .get('/trade-ins/:id', (ctx) => showPage(ctx, ctx.params.id), { permission: 'pos.sell' })
    .post(
      '/trade-ins/:id/accept',
      async (ctx) => {
        const ti = await findTradeIn(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const errors: Errors = {};
        const approval = readApproval(body, errors);
        if (Object.keys(errors).length) return showPage(ctx, ti.id, { values: approval.values, errors, status: 422 });
        try {
          const sc = await htmlSaleContext(deps, ctx);
          await submitFormOnce(deps.db, ctx, formString(body, FORM_KEY_FIELD), { accept: ti.id, approver: approval.approval?.username ?? null }, async (tx) => (await acceptTradeIn(tx, sc, ti.id, approval.approval)).id);
          setFlash(deps, ctx, { kind: 'success', message: `Trade-in ${ti.number} accepted: ${formatCents(ti.valueCents)} of store credit.` });
          return redirect(ctx, `/trade-ins/${ti.id}`);
        } catch (err) {
          const r = formErrors(err);
          return showPage(ctx, ti.id, { values: approval.values, errors: r.errors, status: r.status });
        }
      },
      { permission: 'pos.sell' },
    );
}

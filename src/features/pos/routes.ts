import { Elysia } from 'elysia';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { redirect, renderPage, setFlash } from '../../server/respond';
import { formBody, formString, type FormBody } from '../../server/forms';
import { serializeCookie } from '../../server/cookies';
import { appendSetCookie } from '../../server/session';
import { inventoryUnits, namedDiscounts, products, roles, staffUserRoles, staffUsers } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { isUuid } from '../../db/sql-helpers';
import { centsToDecimalString, formatCents } from '../../domain/money';
import { formatMillipercent } from '../../domain/rounding';
import { recordAudit } from '../audit/service';
import { actorOf } from '../staff/routes';
import { ServiceError, ValidationError } from '../service-errors';
import { getStoreSettings } from '../settings/service';
import { ApprovalRequiredError, htmlSaleContext, type SaleContext } from '../sales/context';
import { discountLimitOf, TENDER_LABELS } from '../sales/checkout';
import { loadAccount, priceSale } from '../sales/pricing';
import { findGiftCard, giftCardBalance, normalizeGiftCardNumber, storeCreditBalance, GIFT_CARD_NUMBER_RE } from '../sales/stored-value';
import { openReceivableCents } from '../sales/invoices';
import { globalSearch } from '../search/service';
import { SearchInputError } from '../search/terms';
import { approvalFingerprint, emptyDraftData, parseDraftData, toSaleInput, type DraftData, type DraftItemLine } from './draft';
import { changeDraft, clearDraft, countParked, discardParked, findActiveDraft, listParked, parkDraft, registerForPos, resumeDraft, sellableRegisters, type PosRegister } from './service';
import { availableUnits, productsByIds, resolveScan, type ScanOutcome } from './scan';
import { addAccountPaymentLine, addGiftCardLine, addProduct, addTender, addUnit, editLine, removeLine, removeTender } from './lines';
import { describeProblem, inRolledBackTransaction, previewDraft, tenderState, type DraftPreview } from './preview';
import { checkoutDraft } from './checkout';
import { posCustomer } from './customer';
import { quickKeys } from './quick-keys';
import { discountFieldValue, quickCashAmounts, readDiscount, readMoney, readQuantity, readTender, TENDER_FIELD_LABELS, type Errors, type NamedDiscountOption } from './forms';

/**
 * The sale screen (pos.md "The sale screen", "Tenders"; docs/pos-screen.md). Keyboard and scanner first: one
 * input takes scans and searches, every action is a small form that works as a plain post (redirect back to
 * /pos) and, with htmx, swaps the whole #pos-screen region in place. Everything takes pos.sell; discounts also
 * pos.discount. The register is chosen once per browser (cookie) among active registers with an open drawer.
 */

export const REGISTER_COOKIE = 'forte_pos_register';
const REGISTER_COOKIE_MAX_AGE = 400 * 24 * 3600;

type Focus = 'scan' | 'line' | 'approval' | 'tender' | 'complete' | 'customer' | 'order_discount' | 'gift_card' | 'payment' | 'park' | 'reload';

interface Extras {
  notice?: { kind: 'success' | 'error' | 'info'; text: string } | null;
  errors?: Errors;
  values?: Record<string, string>;
  scan?: ScanOutcome | null;
  scanValue?: string;
  customerQuery?: string;
  customerHits?: { id: string; label: string; secondary: string }[] | null;
  customerError?: string | null;
  selectLineId?: string | null;
  /** The line whose editor shows `values`/`errors` (a failed edit). */
  editLineId?: string | null;
  focus?: Focus;
  status?: number;
  /** Plain (non-htmx) posts: render instead of redirecting (there is something to show, like search results). */
  render?: boolean;
  /** A discount was just given: if it needs a manager, the PIN field takes the focus. */
  afterDiscount?: boolean;
}

export async function namedDiscountOptions(db: DbOrTx): Promise<NamedDiscountOption[]> {
  const rows = await db.select().from(namedDiscounts).where(eq(namedDiscounts.active, true)).orderBy(asc(sql`lower(${namedDiscounts.name})`));
  return rows.map((d) => ({ id: d.id, name: d.name, description: d.kind === 'percent' ? formatMillipercent(d.percentMillipercent ?? 0) : formatCents(d.amountCents ?? 0) }));
}

/** Who can approve at the register: active users whose roles allow overrides and who have a POS PIN. */
export async function approverOptions(db: DbOrTx): Promise<{ username: string; name: string }[]> {
  return db
    .selectDistinct({ username: staffUsers.username, name: staffUsers.name })
    .from(staffUsers)
    .innerJoin(staffUserRoles, eq(staffUserRoles.userId, staffUsers.id))
    .innerJoin(roles, eq(roles.id, staffUserRoles.roleId))
    .where(and(eq(staffUsers.active, true), sql`${staffUsers.pinHash} is not null`, sql`'pos.discount.override' = any(${roles.permissions})`))
    .orderBy(asc(staffUsers.name), asc(staffUsers.username));
}

function lineView(l: DraftData['lines'][number], i: number, preview: DraftPreview) {
  const p = preview.priced?.lines[i] ?? null;
  const discounts = (preview.priced?.discounts ?? []).filter((d) => d.lineIndex === i);
  if (l.kind === 'item') {
    const field = discountFieldValue(l.discount);
    return {
      id: l.id,
      kind: l.kind,
      description: l.description,
      sku: l.sku,
      serial: l.serial,
      quantity: l.quantity,
      listPriceCents: l.list_price_cents,
      unitPriceCents: p?.unitPriceCents ?? l.unit_price_cents ?? l.list_price_cents,
      overridden: l.unit_price_cents !== null,
      discountText: l.discount ? (l.discount.type === 'percent' ? formatMillipercent(l.discount.percent_millipercent) : l.discount.type === 'amount' ? formatCents(l.discount.amount_cents) : l.discount.label) : '',
      discountCents: p ? p.lineDiscountCents + p.orderDiscountCents : null,
      netCents: p?.netCents ?? null,
      taxCents: p?.taxCents ?? null,
      approvedBy: preview.approval ? null : (discounts.find((d) => d.approvedBy)?.approvedBy?.label ?? null),
      editable: true,
      serialized: l.unit_id !== null,
      form: { quantity: String(l.quantity), price: l.unit_price_cents === null ? '' : centsToDecimalString(l.unit_price_cents), discount: field.text, named: field.named },
      listPriceDecimal: centsToDecimalString(l.list_price_cents),
    };
  }
  return {
    id: l.id,
    kind: l.kind,
    description: l.kind === 'gift_card' ? (l.gift_card_number ? `Gift card ${l.gift_card_number}` : 'Gift card (new number)') : 'Payment on account',
    sku: '',
    serial: null,
    quantity: 1,
    listPriceCents: l.amount_cents,
    unitPriceCents: l.amount_cents,
    overridden: false,
    discountText: '',
    discountCents: 0,
    netCents: p?.netCents ?? l.amount_cents,
    taxCents: 0,
    approvedBy: null,
    editable: false,
    serialized: false,
    form: { quantity: '1', price: '', discount: '', named: '' },
    listPriceDecimal: centsToDecimalString(l.amount_cents),
  };
}

/**
 * Typed as an opaque Elysia plugin (like layaways/pos-extras.ts): the screen's routes are only reached over
 * HTTP, and buildApp's plugin chain is at TypeScript's type-instantiation depth limit.
 */
export function posRoutes(deps: AppDeps): Elysia<"", any> {
  const db = deps.db;

  const cookieRegister = (ctx: any) => registerForPos(db, ctx.cookies?.[REGISTER_COOKIE]);

  const pickerPage = async (ctx: any, problem: string | null, status = 200, errors: Errors = {}) =>
    renderPage(deps, ctx, { template: 'pos/registers', title: 'Choose a register', status, data: { registers: await sellableRegisters(db), problem, errors, canOpenDrawers: !!ctx.user?.permissions?.has('drawer.open') } });

  async function screen(ctx: any, reg: PosRegister, extras: Extras = {}) {
    const sc = await htmlSaleContext(deps, ctx);
    const draft = await findActiveDraft(db, reg.id, ctx.user.id);
    const data = draft ? parseDraftData(draft.data) : emptyDraftData();
    const settings = await getStoreSettings(db);
    const cashRoundingCents = settings?.cashRoundingCents ?? 1;
    const [preview, keys, customer, named, parkedCount] = await Promise.all([
      previewDraft(db, sc, data, { accountId: draft?.accountId ?? null, sessionId: reg.session.id, cashRoundingCents }),
      quickKeys(db, sc.today),
      draft?.accountId ? posCustomer(db, draft.accountId, sc.today) : Promise.resolve(null),
      namedDiscountOptions(db),
      countParked(db),
    ]);
    const errors = extras.errors ?? {};
    const approvalShown = !!preview.approval || !!errors.approver_pin || !!errors.approver_username;
    const approvers = approvalShown ? await approverOptions(db) : [];
    const lines = data.lines.map((l, i) => lineView(l, i, preview));
    const wanted = extras.editLineId ?? extras.selectLineId ?? (typeof ctx.query?.line === 'string' ? ctx.query.line : null);
    const selectedLineId = lines.find((l) => l.id === wanted)?.id ?? lines.at(-1)?.id ?? null;
    const priced = preview.priced;
    const od = discountFieldValue(data.order_discount);
    const orderDiscount = priced?.discounts.find((d) => d.lineIndex === null) ?? null;
    let focus: Focus = extras.focus ?? 'scan';
    if (!extras.focus && preview.ready) focus = 'complete';
    if (extras.afterDiscount && preview.approval) focus = 'approval';
    const tenderLabel = (m: string) => TENDER_LABELS[m as keyof typeof TENDER_LABELS] ?? m;
    return renderPage(deps, ctx, {
      template: 'pos/page',
      fragment: 'pos/_screen',
      title: 'Sell',
      status: extras.status ?? 200,
      data: {
        pos: {
          register: reg,
          draftId: draft?.id ?? null,
          checkoutKey: draft?.checkoutKey ?? null,
          lines,
          selectedLineId,
          editLineId: extras.editLineId ?? null,
          quickKeys: keys,
          scan: extras.scan ?? null,
          scanValue: extras.scanValue ?? '',
          customer,
          customerQuery: extras.customerQuery ?? '',
          customerHits: extras.customerHits ?? null,
          customerError: extras.customerError ?? null,
          totals: priced
            ? {
                grossCents: priced.grossCents,
                discountCents: priced.discountCents,
                netCents: priced.netCents,
                taxCents: priced.taxCents,
                totalCents: priced.totalCents,
                exemptCertificate: priced.exemptCertificate,
                taxes: priced.taxes.filter((t) => t.taxCents !== 0).map((t) => ({ label: t.componentName, cents: t.taxCents })),
              }
            : null,
          orderDiscount: { text: od.text, named: od.named, amountCents: orderDiscount?.amountCents ?? null, label: orderDiscount?.label ?? null, approvedBy: preview.approval ? null : (orderDiscount?.approvedBy?.label ?? null), set: data.order_discount !== null },
          namedDiscounts: named,
          approval: approvalShown ? { message: preview.approval?.message ?? 'A discount above your limit needs a manager\'s approval (PIN).', reasons: preview.approval?.reasons ?? [], approvers } : null,
          approvedBy: data.approval ? { name: data.approval.name, label: data.approval.label } : null,
          problem: preview.problem,
          tenders: preview.tenders.map((t) => ({ ...t, label: tenderLabel(t.method) })),
          tenderProblem: preview.tenderProblem,
          paidCents: preview.paidCents,
          changeCents: preview.changeCents,
          roundingCents: preview.roundingCents,
          remainingCents: preview.remainingCents,
          remainingDecimal: centsToDecimalString(preview.remainingCents),
          ready: preview.ready,
          quickCash: priced && !preview.tenderProblem && preview.remainingCents > 0 ? quickCashAmounts(preview.remainingCents) : [],
          tenderMethods: Object.entries(TENDER_FIELD_LABELS).map(([value, label]) => ({ value, label })),
          notice: extras.notice ?? null,
          errors,
          values: extras.values ?? {},
          focus,
          parkedCount,
          canDiscount: !!ctx.user.permissions.has('pos.discount'),
          hasLines: data.lines.length > 0,
          label: draft?.label ?? '',
        },
      },
    });
  }

  /** The register of this request, or the picker page (as the response) when there is none to sell on. */
  async function withRegister(ctx: any, run: (reg: PosRegister) => Promise<unknown>) {
    const { register, problem } = await cookieRegister(ctx);
    if (!register) {
      if (ctx.htmx?.isHtmx) return redirect(ctx, '/pos');
      return pickerPage(ctx, problem ?? 'Choose the register you are working at.', problem ? 409 : 200);
    }
    return run(register);
  }

  const valuesOf = (body: FormBody) => Object.fromEntries(Object.keys(body).filter((k) => k !== '_csrf').map((k) => [k, formString(body, k)]));

  /**
   * A screen action: `run` changes the ticket and says what to show. Success of a plain post redirects back to
   * /pos (with the message as a flash) unless there is something only this response can show; htmx gets the
   * screen region. A refusal re-renders the screen with the message (and what was typed) and its 4xx status.
   */
  function action(run: (ctx: any, reg: PosRegister, body: FormBody) => Promise<Extras>, opts: { focusOnError?: Focus } = {}) {
    return (ctx: any) =>
      withRegister(ctx, async (reg) => {
        const body = formBody(ctx.body);
        let extras: Extras;
        try {
          extras = await run(ctx, reg, body);
        } catch (err) {
          if (!(err instanceof ServiceError) || err.status === 404) throw err;
          const errors: Errors = { ...err.fields };
          extras = { errors, values: valuesOf(body), notice: { kind: 'error', text: describeProblem(err).message }, status: err.status, focus: opts.focusOnError, editLineId: formString(body, 'line_id') || null };
          if (err instanceof ApprovalRequiredError) extras.focus = 'approval';
        }
        const failed = (extras.status ?? 200) >= 400;
        if (!failed && !extras.render && !ctx.htmx?.isHtmx) {
          if (extras.notice) setFlash(deps, ctx, { kind: extras.notice.kind, message: extras.notice.text });
          return redirect(ctx, extras.selectLineId ? `/pos?line=${encodeURIComponent(extras.selectLineId)}` : '/pos');
        }
        return screen(ctx, reg, extras);
      });
  }

  const fail = (errors: Errors, body: FormBody, extra: Partial<Extras> = {}): Extras => ({
    errors,
    values: valuesOf(body),
    notice: { kind: 'error', text: errors._ ?? (Object.keys(errors).length === 1 ? Object.values(errors)[0] : 'Please correct the highlighted fields.') },
    status: 422,
    ...extra,
  });

  const requireDiscount = (ctx: any) => {
    if (!ctx.user.permissions.has('pos.discount')) throw new ServiceError('forbidden', 'Your role can\'t give discounts (pos.discount). Ask a manager.', 403, { discount: 'Not allowed for your role.' });
  };

  /** The current ticket's priced total (for tender checks), or a refusal saying what to fix first. */
  async function pricedTotal(sc: SaleContext, reg: PosRegister, ctx: any) {
    const draft = await findActiveDraft(db, reg.id, ctx.user.id);
    const data = draft ? parseDraftData(draft.data) : emptyDraftData();
    if (data.lines.length === 0) throw new ValidationError({ tender_amount: 'Nothing to pay for yet: scan an item first.' });
    const settings = await getStoreSettings(db);
    const preview = await previewDraft(db, sc, data, { accountId: draft?.accountId ?? null, sessionId: reg.session.id, cashRoundingCents: settings?.cashRoundingCents ?? 1 });
    if (preview.approval) throw new ApprovalRequiredError(preview.approval.message, 'pos.discount.override', preview.approval.reasons);
    if (!preview.priced) throw new ValidationError({ tender_amount: `Fix the sale first: ${preview.problem?.message ?? 'it can\'t be priced.'}` });
    return { total: preview.priced.totalCents, accountId: draft?.accountId ?? null, cashRoundingCents: settings?.cashRoundingCents ?? 1 };
  }

  async function addScanned(ctx: any, reg: PosRegister, outcome: ScanOutcome, code: string): Promise<Extras> {
    const actor = actorOf(ctx);
    switch (outcome.kind) {
      case 'empty':
        return { notice: { kind: 'info', text: 'Scan a barcode or type a SKU, serial, gift card, sale number or name.' }, render: true };
      case 'too_long':
        return { errors: { code: 'That is too long for a barcode or a search (100 characters at most).' }, values: { code }, status: 422, scanValue: code };
      case 'product': {
        const { result } = await db.transaction((tx) => changeDraft(tx, actor, reg.id, async (_d, data) => {
          const change = addProduct(data, outcome.product);
          return { data: change.data, result: change };
        }));
        return { notice: { kind: 'success', text: result.message }, selectLineId: result.selectLineId };
      }
      case 'unit': {
        const { result } = await db.transaction((tx) => changeDraft(tx, actor, reg.id, async (_d, data) => {
          const change = addUnit(data, outcome.unit, outcome.product);
          return { data: change.data, result: change };
        }));
        return { notice: { kind: 'success', text: result.message }, selectLineId: result.selectLineId };
      }
      case 'pick_unit':
        if (!outcome.product.isActive || !outcome.product.sellable) return { errors: { code: `${outcome.product.sku} · ${outcome.product.name} is not for sale.` }, status: 422, scanValue: code, values: { code } };
        return { scan: outcome, render: true, notice: { kind: 'info', text: outcome.units.length ? `${outcome.product.name} is serialized: pick the unit (or scan its serial number).` : `${outcome.product.name} is serialized and has no available unit.` } };
      case 'gift_card':
        return { scan: outcome, render: true, focus: outcome.card.status === 'active' ? 'reload' : 'scan' };
      default:
        return { scan: outcome, render: true };
    }
  }

  const plugin = new Elysia({ name: 'feature.pos' })
    .use(authPlugin(deps))
    .get(
      '/pos',
      async (ctx) => {
        const { register, problem } = await cookieRegister(ctx);
        if (!register) return pickerPage(ctx, problem);
        return screen(ctx, register);
      },
      { permission: 'pos.sell' },
    )
    .get('/pos/register', (ctx) => pickerPage(ctx, null), { permission: 'pos.sell' })
    .post(
      '/pos/register',
      async (ctx) => {
        const id = formString(formBody(ctx.body), 'register_id');
        const { register, problem } = await registerForPos(db, id);
        if (!register) return pickerPage(ctx, problem ?? 'Choose one of the registers listed.', 422, { register_id: problem ?? 'Choose one of the registers listed.' });
        // No flash: the screen's header names the register and its drawer session.
        appendSetCookie(ctx.set, serializeCookie(REGISTER_COOKIE, register.id, { maxAgeSeconds: REGISTER_COOKIE_MAX_AGE, secure: deps.config.server.https }));
        return redirect(ctx, '/pos');
      },
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/scan',
      action(async (ctx, reg, body) => {
        const code = formString(body, 'code');
        const outcome = await resolveScan(db, deps.searchDb, code, ctx.user.permissions);
        try {
          return await addScanned(ctx, reg, outcome, code);
        } catch (err) {
          if (err instanceof ServiceError && err.status !== 404) return { errors: { code: Object.values(err.fields)[0] ?? err.message }, values: { code }, scanValue: code, notice: { kind: 'error', text: err.message === 'Please correct the highlighted fields.' ? (Object.values(err.fields)[0] ?? err.message) : err.message }, status: err.status };
          throw err;
        }
      }),
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/lines',
      action(async (ctx, reg, body) => {
        const productId = formString(body, 'product_id');
        const unitId = formString(body, 'unit_id');
        if (unitId) {
          if (!isUuid(unitId)) return fail({ code: 'No such unit.' }, body);
          const [row] = await db.select({ unit: inventoryUnits, product: products }).from(inventoryUnits).innerJoin(products, eq(products.id, inventoryUnits.productId)).where(eq(inventoryUnits.id, unitId));
          if (!row) return fail({ code: 'No such unit.' }, body);
          return addScanned(ctx, reg, { kind: 'unit', unit: row.unit, product: row.product }, '');
        }
        const [product] = isUuid(productId) ? await productsByIds(db, [productId]) : [];
        if (!product) return fail({ code: 'No such product.' }, body);
        if (product.kind === 'serialized') return addScanned(ctx, reg, { kind: 'pick_unit', product, units: await availableUnits(db, product.id) }, '');
        return addScanned(ctx, reg, { kind: 'product', product }, '');
      }),
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/lines/:lineId',
      action(
        async (ctx, reg, body) => {
          const lineId = ctx.params.lineId;
          const errors: Errors = {};
          const quantity = readQuantity(formString(body, 'quantity'), 'quantity', errors);
          const price = readMoney(formString(body, 'price'), 'price', 'The price', errors, { optional: true });
          const named = await namedDiscountOptions(db);
          const discount = readDiscount(body, { text: 'discount', named: 'named_discount_id' }, named, errors);
          if (Object.keys(errors).length) return fail(errors, body, { editLineId: lineId, focus: 'line' });
          const { result } = await db.transaction((tx) =>
            changeDraft(tx, actorOf(ctx), reg.id, async (_d, data) => {
              const line = data.lines.find((l): l is DraftItemLine => l.id === lineId && l.kind === 'item');
              const before = line ? JSON.stringify([line.discount, line.unit_price_cents]) : '';
              const change = editLine(data, lineId, { quantity, unitPriceCents: price, discount });
              const after = change.data.lines.find((l): l is DraftItemLine => l.id === lineId && l.kind === 'item');
              if (after && after.discount && JSON.stringify([after.discount, after.unit_price_cents]) !== before) requireDiscount(ctx);
              return { data: change.data, result: change };
            }),
          );
          return { notice: { kind: 'success', text: result.message }, selectLineId: lineId, afterDiscount: true };
        },
        { focusOnError: 'line' },
      ),
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/lines/:lineId/remove',
      action(async (ctx, reg) => {
        const { result } = await db.transaction((tx) =>
          changeDraft(tx, actorOf(ctx), reg.id, async (_d, data) => {
            const change = removeLine(data, ctx.params.lineId);
            return { data: change.data, result: change };
          }),
        );
        return { notice: { kind: 'success', text: result.message }, selectLineId: result.selectLineId };
      }),
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/order-discount',
      action(
        async (ctx, reg, body) => {
          const errors: Errors = {};
          const discount = readDiscount(body, { text: 'order_discount', named: 'order_named_discount_id' }, await namedDiscountOptions(db), errors);
          if (Object.keys(errors).length) return fail(errors, body, { focus: 'order_discount' });
          if (discount) requireDiscount(ctx);
          await db.transaction((tx) => changeDraft(tx, actorOf(ctx), reg.id, async (_d, data) => {
            if (data.lines.length === 0) throw new ValidationError({ order_discount: 'Add something to the sale first.' });
            return { data: { ...data, order_discount: discount }, result: null };
          }));
          return { notice: { kind: 'success', text: discount ? 'Order discount set.' : 'Order discount removed.' }, afterDiscount: true };
        },
        { focusOnError: 'order_discount' },
      ),
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/approve',
      action(
        async (ctx, reg, body) => {
          const username = formString(body, 'approver_username').trim();
          const pin = formString(body, 'approver_pin').trim();
          const sc = await htmlSaleContext(deps, ctx);
          const draft = await findActiveDraft(db, reg.id, ctx.user.id);
          const data = draft ? parseDraftData(draft.data) : emptyDraftData();
          if (data.lines.length === 0) return fail({ approver_pin: 'Nothing to approve: the sale is empty.' }, body, { focus: 'approval' });
          const fingerprint = approvalFingerprint(data);
          const input = { ...toSaleInput({ ...data, approval: null }, { accountId: draft!.accountId, sessionId: reg.session.id, withTenders: false }), approval: { username, pin } };
          // The PIN check commits its own failure counter (verifyApproval); the pricing itself is rolled back.
          const priced = await inRolledBackTransaction(db, async (tx) => priceSale(tx, sc, input, await discountLimitOf(tx, sc)));
          const approved = priced.discounts.find((d) => d.approvedBy && d.approvedBy.userId !== sc.actor.userId)?.approvedBy ?? null;
          if (!approved) return { notice: { kind: 'info', text: 'Nothing on this sale needs a manager\'s approval.' }, focus: 'scan' };
          const [who] = await db.select({ username: staffUsers.username, name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.id, approved.userId!));
          await db.transaction((tx) =>
            changeDraft(tx, actorOf(ctx), reg.id, async (d, current) => {
              if (d.id !== draft!.id || approvalFingerprint(current) !== fingerprint) throw new ValidationError({ approver_pin: 'The sale changed while the PIN was checked: enter it again.' });
              await recordAudit(tx, actorOf(ctx), { action: 'pos.discount.approve', entityType: 'sale_draft', entityId: d.id, summary: `${who.username} approved ${priced.discounts.filter((x) => x.approvedBy).map((x) => `${x.label} ${formatCents(x.amountCents)}`).join(', ')}`, after: { approver: who.username, reasons: [...new Set(priced.discounts.flatMap((x) => x.approvalReasons))] } });
              return { data: { ...current, approval: { user_id: approved.userId!, username: who.username, label: approved.label, name: who.name, fingerprint, at: deps.clock.now().toISOString() } }, result: null };
            }),
          );
          return { notice: { kind: 'success', text: `Approved by ${who.name}.` }, focus: 'scan' };
        },
        { focusOnError: 'approval' },
      ),
      { permission: 'pos.sell' },
    )
    .get(
      '/pos/customers',
      (ctx) =>
        withRegister(ctx, async (reg) => {
          const q = typeof ctx.query.q === 'string' ? ctx.query.q : '';
          let hits: { id: string; label: string; secondary: string }[] = [];
          let error: string | null = null;
          if (q.trim()) {
            try {
              const found = await globalSearch(db, q, { kinds: ['accounts'], limit: 8, searchDb: deps.searchDb });
              hits = (found.groups[0]?.hits ?? []).map((h) => ({ id: h.id, label: h.label, secondary: h.secondary }));
            } catch (err) {
              if (!(err instanceof SearchInputError)) throw err;
              error = err.message;
            }
          }
          if (ctx.htmx?.wantsFragment) {
            ctx.set.headers['content-type'] = 'text/html; charset=utf-8';
            ctx.set.status = error ? 400 : 200;
            return deps.views.render('pos/_customer_results', { hits, query: q, error, csrfToken: ctx.csrfToken });
          }
          return screen(ctx, reg, { customerQuery: q, customerHits: hits, customerError: error, focus: 'customer', status: error ? 400 : 200 });
        }),
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/customer',
      action(async (ctx, reg, body) => {
        const accountId = formString(body, 'account_id');
        const account = isUuid(accountId) ? await loadAccount(db, accountId).catch(() => null) : null;
        if (!account) return fail({ customer_q: 'No such customer account.' }, body, { focus: 'customer' });
        await db.transaction((tx) => changeDraft(tx, actorOf(ctx), reg.id, async (d, data) => {
          if (d.accountId && d.accountId !== account.id && data.tenders.some((t) => t.method === 'store_credit' || t.method === 'account')) throw new ValidationError({ customer_q: 'Remove the store-credit or account payment first: it belongs to the customer attached now.' });
          return { accountId: account.id, result: null };
        }));
        return { notice: { kind: 'success', text: `Customer: ${account.name} (${account.number}).` } };
      }),
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/customer/detach',
      action(async (ctx, reg) => {
        await db.transaction((tx) => changeDraft(tx, actorOf(ctx), reg.id, async (_d, data) => {
          if (data.tenders.some((t) => t.method === 'store_credit' || t.method === 'account')) throw new ValidationError({ customer_q: 'Remove the store-credit or account payment first: it belongs to this customer.' });
          return { accountId: null, result: null };
        }));
        return { notice: { kind: 'success', text: 'Customer detached.' } };
      }),
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/gift-card',
      action(
        async (ctx, reg, body) => {
          const errors: Errors = {};
          const raw = normalizeGiftCardNumber(formString(body, 'gift_card_number'));
          if (raw && !GIFT_CARD_NUMBER_RE.test(raw)) errors.gift_card_number = 'A gift card number is 6–30 digits, capital letters or dashes (blank: a new number).';
          const amount = readMoney(formString(body, 'gift_card_amount'), 'gift_card_amount', 'The amount', errors, { min: 1 });
          if (amount !== null && amount > 100_000_00) errors.gift_card_amount = 'A gift card holds at most $100,000.00.';
          if (raw && !errors.gift_card_number) {
            const card = await findGiftCard(db, raw);
            if (card && card.status !== 'active') errors.gift_card_number = `Gift card ${card.number} is void.`;
          }
          if (Object.keys(errors).length) return fail(errors, body, { focus: 'gift_card' });
          const { result } = await db.transaction((tx) => changeDraft(tx, actorOf(ctx), reg.id, async (_d, data) => {
            const change = addGiftCardLine(data, amount!, raw || null);
            return { data: change.data, result: change };
          }));
          return { notice: { kind: 'success', text: result.message }, selectLineId: result.selectLineId };
        },
        { focusOnError: 'gift_card' },
      ),
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/account-payment',
      action(
        async (ctx, reg, body) => {
          const errors: Errors = {};
          const amount = readMoney(formString(body, 'payment_amount'), 'payment_amount', 'The amount', errors, { min: 1 });
          if (Object.keys(errors).length) return fail(errors, body, { focus: 'payment' });
          const { result } = await db.transaction((tx) => changeDraft(tx, actorOf(ctx), reg.id, async (d, data) => {
            if (!d.accountId) throw new ValidationError({ payment_amount: 'Attach the customer first (F8): a payment on account needs their account.' });
            const change = addAccountPaymentLine(data, amount!);
            return { data: change.data, result: change };
          }));
          return { notice: { kind: 'success', text: result.message }, selectLineId: result.selectLineId };
        },
        { focusOnError: 'payment' },
      ),
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/tenders',
      action(
        async (ctx, reg, body) => {
          const errors: Errors = {};
          // A quick cash button (exact, next $5/$10/$20) sends its amount in cents whatever the method select says.
          const quick = formString(body, 'quick_cash');
          if (quick) body = /^\d{1,12}$/.test(quick) ? { ...body, method: 'cash', amount: centsToDecimalString(Number(quick)) } : { ...body, method: 'cash', amount: 'x' };
          const tender = readTender(body, errors);
          if (!tender) return fail(errors, body, { focus: 'tender' });
          const sc = await htmlSaleContext(deps, ctx);
          const { total, accountId, cashRoundingCents } = await pricedTotal(sc, reg, ctx);
          // Friendly checks now; checkout checks all of it again in its transaction.
          if (tender.method === 'gift_card') {
            const card = await findGiftCard(db, tender.gift_card_number!);
            if (!card) return fail({ tender_gift_card: `No gift card ${tender.gift_card_number}.` }, body, { focus: 'tender' });
            if (card.status !== 'active') return fail({ tender_gift_card: `Gift card ${card.number} is void.` }, body, { focus: 'tender' });
            if (card.expiresOn && card.expiresOn < sc.today) return fail({ tender_gift_card: `Gift card ${card.number} expired on ${card.expiresOn}.` }, body, { focus: 'tender' });
            const balance = await giftCardBalance(db, card.id);
            if (balance < tender.amount_cents) return fail({ tender_amount: `Gift card ${card.number} has ${formatCents(balance)}.` }, body, { focus: 'tender' });
          }
          if (tender.method === 'store_credit' || tender.method === 'account') {
            if (!accountId) return fail({ method: `${TENDER_FIELD_LABELS[tender.method]} needs the customer attached (F8).` }, body, { focus: 'tender' });
            const account = (await loadAccount(db, accountId))!;
            if (tender.method === 'store_credit') {
              const balance = await storeCreditBalance(db, accountId);
              if (balance < tender.amount_cents) return fail({ tender_amount: `Store credit is ${formatCents(balance)}.` }, body, { focus: 'tender' });
            } else {
              if (!account.chargeAllowed) return fail({ method: `${account.name} is not set up for charges to account.` }, body, { focus: 'tender' });
              const open = await openReceivableCents(db, accountId);
              if (open + tender.amount_cents > account.creditLimitCents) return fail({ tender_amount: `Over the credit limit: ${formatCents(Math.max(0, account.creditLimitCents - open))} available.` }, body, { focus: 'tender' });
            }
          }
          const { draft } = await db.transaction((tx) => changeDraft(tx, actorOf(ctx), reg.id, async (_d, data) => {
            const next = addTender(data, tender);
            const state = tenderState(next, total, cashRoundingCents);
            if (state.problem) throw new ValidationError({ tender_amount: state.problem.replace(/: remove it\.$/, '.') });
            return { data: next, result: null };
          }));
          const state = tenderState(parseDraftData(draft.data), total, cashRoundingCents);
          const remaining = state.applied?.remainingCents ?? 0;
          const change = state.applied?.changeCents ?? 0;
          const text = remaining > 0 ? `${TENDER_FIELD_LABELS[tender.method]} ${formatCents(tender.amount_cents)} taken; ${formatCents(remaining)} still due.` : change > 0 ? `Change due: ${formatCents(change)}. Press Complete sale.` : 'Paid in full. Press Complete sale.';
          return { notice: { kind: 'success', text }, focus: remaining > 0 ? 'tender' : 'complete' };
        },
        { focusOnError: 'tender' },
      ),
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/tenders/:tenderId/remove',
      action(async (ctx, reg) => {
        await db.transaction((tx) => changeDraft(tx, actorOf(ctx), reg.id, async (_d, data) => ({ data: removeTender(data, ctx.params.tenderId), result: null })));
        return { notice: { kind: 'success', text: 'Payment removed.' }, focus: 'tender' };
      }),
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/checkout',
      (ctx) =>
        withRegister(ctx, async (reg) => {
          const body = formBody(ctx.body);
          const sc = await htmlSaleContext(deps, ctx);
          try {
            const { saleId } = await checkoutDraft(db, sc, { draftId: formString(body, 'draft_id'), checkoutKey: formString(body, 'checkout_key'), registerId: reg.id });
            return redirect(ctx, `/sales/${saleId}/receipt`);
          } catch (err) {
            if (!(err instanceof ServiceError) || err.status === 404) throw err;
            return screen(ctx, reg, { notice: { kind: 'error', text: describeProblem(err).message }, errors: { ...err.fields, checkout: describeProblem(err).message }, status: err.status, focus: err instanceof ApprovalRequiredError ? 'approval' : 'scan' });
          }
        }),
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/park',
      action(
        async (ctx, reg, body) => {
          const label = formString(body, 'park_label').trim();
          if (label.length > 60) return fail({ park_label: 'A label is at most 60 characters.' }, body, { focus: 'park' });
          await db.transaction((tx) => parkDraft(tx, actorOf(ctx), reg.id, label, deps.clock.now()));
          return { notice: { kind: 'success', text: `Sale parked${label ? ` as “${label}”` : ''}. Resume it from Parked sales on any register.` } };
        },
        { focusOnError: 'park' },
      ),
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/new',
      action(async (ctx, reg) => {
        const had = await db.transaction((tx) => clearDraft(tx, actorOf(ctx), reg.id));
        return { notice: { kind: 'success', text: had ? 'Sale cleared: ready for the next customer.' : 'Ready for the next customer.' } };
      }),
      { permission: 'pos.sell' },
    )
    .get(
      '/pos/parked',
      async (ctx) => {
        const { register } = await cookieRegister(ctx);
        return renderPage(deps, ctx, { template: 'pos/parked', title: 'Parked sales', data: { parked: await listParked(db), register } });
      },
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/parked/:id/resume',
      async (ctx) => {
        const { register, problem } = await cookieRegister(ctx);
        if (!register) return pickerPage(ctx, problem ?? 'Choose the register to resume the sale on.', 409);
        try {
          const row = await db.transaction((tx) => resumeDraft(tx, actorOf(ctx), register.id, ctx.params.id));
          setFlash(deps, ctx, { kind: 'success', message: `Resumed${row.label ? ` “${row.label}”` : ' the parked sale'}.` });
          return redirect(ctx, '/pos');
        } catch (err) {
          if (!(err instanceof ServiceError) || err.status === 404) throw err;
          return renderPage(deps, ctx, { template: 'pos/parked', title: 'Parked sales', status: err.status, data: { parked: await listParked(db), register, error: err.message } });
        }
      },
      { permission: 'pos.sell' },
    )
    .post(
      '/pos/parked/:id/discard',
      async (ctx) => {
        await db.transaction((tx) => discardParked(tx, actorOf(ctx), ctx.params.id));
        setFlash(deps, ctx, { kind: 'success', message: 'Parked sale discarded.' });
        return redirect(ctx, '/pos/parked');
      },
      { permission: 'pos.sell' },
    );
  return plugin as unknown as Elysia<"", any>;
}


import { Elysia } from 'elysia';
import { and, desc, eq } from 'drizzle-orm';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { htmlError, redirect, renderPage, setFlash } from '../../server/respond';
import { formBody, formString, type FormBody } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { FORM_KEY_FIELD, newFormKey, submitFormOnce } from '../../ui/one-time-form';
import { giftCardEntries, idempotencyKeys, sales } from '../../db/schema';
import { formatCents } from '../../domain/money';
import { csvDownloadHeaders, CSV_EXPORT_LIMIT } from '../csv/write';
import { getStoreSettings, storeToday } from '../settings/service';
import { ServiceError, zodFieldErrors } from '../service-errors';
import { code128 } from '../purchasing/labels';
import { ApprovalRequiredError, htmlSaleContext, type ApprovalRequest } from '../sales/context';
import { findSale } from '../sales/queries';
import { createNoReceiptReturn, createReturn } from '../sales/returns';
import { voidSale } from '../sales/void';
import { findGiftCard, giftCardBalance, normalizeGiftCardNumber } from '../sales/stored-value';
import { MAX_QUANTITY, voidSchema, type ReturnInput } from '../sales/schemas';
import { documentModel, tenderLabel, type DocumentModel } from './documents';
import { DOCUMENT_NUMBER_RE, DOCUMENT_SORTS, documentsCsv, listDocuments, readDocumentFilter } from './list';
import { approversFor, openSessions, pickSession, REGISTER_COOKIE } from './counter';
import { previewReturn, type ReturnChoice } from './return-preview';
import { DEFAULT_ITEM_ROWS, MAX_ITEM_ROWS, resolveAccount, resolveItems, type AccountChoice, type ItemRowValues } from './no-receipt';

/**
 * Pages after the sale (pos.md "After the sale", "Stored value"): the counter-documents list with CSV, a
 * document's detail, its 80 mm receipt and letter invoice, returns with and without receipt, voids, and gift
 * card balance inquiry. Money forms carry a one-time key (a double submit makes one return / one void); a
 * manager's approval is asked for only when the service says it is needed (ApprovalRequiredError) and then
 * sent again with the same form. Decisions the spec leaves open are in docs/receipts.md.
 */

type Errors = Record<string, string>;
const LIST_OPTIONS = { sorts: DOCUMENT_SORTS, defaultSort: 'created', defaultOrder: 'desc' as const, defaultLimit: 50 };
const REFUND_TO = ['original', 'store_credit', 'cash'] as const;

/** Field messages of a failed money form, and the status to answer with; a 404 is rethrown (error page). */
function formErrors(err: unknown, rename: Record<string, string> = {}): { errors: Errors; status: number; approval: boolean } {
  if (!(err instanceof ServiceError) || err.status === 404) throw err;
  const errors: Errors = {};
  for (const [k, v] of Object.entries(err.fields)) errors[rename[k] ?? k] = v;
  if (err instanceof ApprovalRequiredError) return { errors: { approval: err.message }, status: 403, approval: true };
  if (err.code === 'idempotency_mismatch') return { errors: { _: 'This form was already sent with other values. Reload the page to start again.' }, status: 409, approval: false };
  const fieldCount = Object.keys(errors).length;
  if (!(fieldCount && err.status === 422)) errors._ = err.message;
  return { errors, status: err.status, approval: !!(errors.approver_pin || errors.approver_username) };
}

/** The manager's approval typed into a form: both fields or neither (a half-filled one gets a message). */
function readApproval(body: FormBody): { approval: ApprovalRequest | undefined; errors: Errors; values: Record<string, string> } {
  const values = { approver_username: formString(body, 'approver_username').trim(), approver_pin: formString(body, 'approver_pin').trim() };
  const errors: Errors = {};
  if (values.approver_pin && !values.approver_username) errors.approver_username = 'Pick the manager who approves.';
  if (values.approver_username && !values.approver_pin) errors.approver_pin = "Enter the manager's PIN.";
  if (values.approver_pin.length > 20) errors.approver_pin = 'PIN must be 4 to 6 digits.';
  const approval = values.approver_username && values.approver_pin && !Object.keys(errors).length ? { username: values.approver_username, pin: values.approver_pin } : undefined;
  // The PIN is never sent back into the page.
  return { approval, errors, values: { approver_username: values.approver_username } };
}

/** What a one-time key remembers of a form (its hash): never the PIN, which a 4–6 digit search would recover. */
const withoutPin = <T extends { approval?: ApprovalRequest }>(input: T) => ({ ...input, approval: input.approval ? { username: input.approval.username } : undefined });

const formKeyOf = (body: FormBody) => {
  const key = formString(body, FORM_KEY_FIELD);
  return /^[0-9a-f-]{36}$/.test(key) ? key : newFormKey();
};

export function salesPagesRoutes(deps: AppDeps) {
  const today = () => storeToday(deps.db, deps.clock);

  /**
   * The result of a money form already completed with this one-time key (submitFormOnce's record: scope is
   * the user, path the form's URL), so a second click goes where the first one went instead of being judged
   * again against a state the first click changed (e.g. "already voided", "nothing left to return").
   */
  const finishedForm = async (ctx: any, body: FormBody): Promise<string | null> => {
    const key = formString(body, FORM_KEY_FIELD);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(key)) return null;
    const [row] = await deps.db
      .select({ state: idempotencyKeys.state, body: idempotencyKeys.responseBody })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.scope, `user:${ctx.user?.id ?? 'anonymous'}`), eq(idempotencyKeys.method, 'POST'), eq(idempotencyKeys.path, ctx.path), eq(idempotencyKeys.key, key)));
    return row?.state === 'done' && typeof row.body === 'string' ? row.body : null;
  };
  const replayRedirect = async (ctx: any, documentId: string, what: (number: string) => string, to: (id: string) => string) => {
    const made = await findSale(deps.db, documentId);
    setFlash(deps, ctx, { kind: 'info', message: what(made.number) });
    return redirect(ctx, to(made.id));
  };
  const doc = async (id: string) => documentModel(deps.db, id, await today());

  const slipData = async (model: DocumentModel) => {
    const settings = await getStoreSettings(deps.db);
    return {
      doc: model,
      store: { name: settings?.storeName ?? 'Forte', address: settings?.address ?? '', phone: settings?.phone ?? '' },
      returnPolicy: settings?.returnPolicy ?? '',
      autoPrint: settings?.autoPrintReceipt ?? false,
      barcode: code128(model.number),
    };
  };

  // ------------------------------------------------------------------ return with receipt
  interface ReturnState {
    values?: Record<string, string>;
    errors?: Errors;
    formKey?: string;
    status?: number;
    askApproval?: boolean;
    choices?: ReturnChoice[];
  }

  const returnPage = async (ctx: any, model: DocumentModel, state: ReturnState = {}) => {
    const [sessions, approvers] = await Promise.all([openSessions(deps.db), approversFor(deps.db, 'pos.refund.override')]);
    const picked = pickSession(sessions, ctx.cookies?.[REGISTER_COOKIE], ctx.user?.id ?? null);
    const values = { refund_to: 'original', register_session_id: picked.sessionId ?? '', ...state.values };
    const preview = await previewReturn(deps.db, model.id, model.lines, state.choices ?? []);
    return renderPage(deps, ctx, {
      template: 'sales/return',
      fragment: 'sales/_refund_summary',
      title: `Return items of ${model.number}`,
      status: state.status ?? (model.returnable.ok ? 200 : 409),
      data: {
        doc: model,
        preview,
        sessions,
        chooseSession: picked.choose || (!!values.register_session_id && !sessions.some((s) => s.id === values.register_session_id)),
        approvers,
        needsManager: !ctx.user?.permissions?.has('pos.refund.override'),
        askApproval: state.askApproval ?? false,
        formKey: state.formKey ?? newFormKey(),
        values,
        errors: state.errors ?? {},
        maxQuantity: MAX_QUANTITY,
      },
    });
  };

  /** Reads the return form: chosen quantities per line (0 = not returned) and the restock choice. */
  const readReturnForm = (model: DocumentModel, body: FormBody) => {
    const values: Record<string, string> = {};
    const errors: Errors = {};
    const choices: ReturnChoice[] = [];
    const restock = new Map<string, boolean>();
    for (const l of model.lines.filter((x) => x.returnableQuantity > 0)) {
      const raw = formString(body, `qty_${l.id}`).trim();
      values[`qty_${l.id}`] = raw;
      values[`restock_${l.id}`] = formString(body, `restock_${l.id}`) === 'damaged' ? 'damaged' : 'restock';
      restock.set(l.id, values[`restock_${l.id}`] !== 'damaged');
      if (raw === '' || raw === '0') continue;
      if (!/^\d{1,4}$/.test(raw)) errors[`qty_${l.id}`] = `Enter a whole number from 0 to ${l.returnableQuantity}.`;
      else if (Number(raw) > l.returnableQuantity) errors[`qty_${l.id}`] = `Only ${l.returnableQuantity} of ${l.quantity} can still come back.`;
      else choices.push({ lineId: l.id, quantity: Number(raw) });
    }
    values.refund_to = formString(body, 'refund_to') || 'original';
    if (!(REFUND_TO as readonly string[]).includes(values.refund_to)) errors.refund_to = 'Choose where the refund goes.';
    values.register_session_id = formString(body, 'register_session_id');
    values.note = formString(body, 'note');
    if (values.note.length > 1000) errors.note = 'The note must be at most 1000 characters.';
    return { values, errors, choices, restock };
  };

  // ------------------------------------------------------------------ return without receipt
  interface NoReceiptState {
    values?: Record<string, string>;
    errors?: Errors;
    formKey?: string;
    status?: number;
    accountChoices?: AccountChoice[];
    account?: AccountChoice | null;
    itemLabels?: Record<number, string>;
    askApproval?: boolean;
    rows?: number;
  }

  const noReceiptPage = async (ctx: any, state: NoReceiptState = {}) => {
    const approvers = await approversFor(deps.db, 'pos.refund.override');
    const requested = Number(formString(ctx.query ?? {}, 'rows')) || 0;
    const rows = Math.min(MAX_ITEM_ROWS, Math.max(DEFAULT_ITEM_ROWS, state.rows ?? requested));
    return renderPage(deps, ctx, {
      template: 'sales/no-receipt',
      title: 'Return without receipt',
      status: state.status ?? 200,
      data: {
        rows,
        moreRowsHref: rows < MAX_ITEM_ROWS ? `/returns/new?rows=${Math.min(MAX_ITEM_ROWS, rows + 5)}` : null,
        approvers,
        needsManager: !ctx.user?.permissions?.has('pos.refund.override'),
        askApproval: state.askApproval ?? false,
        account: state.account ?? null,
        accountChoices: state.accountChoices ?? [],
        itemLabels: state.itemLabels ?? {},
        formKey: state.formKey ?? newFormKey(),
        values: state.values ?? {},
        errors: state.errors ?? {},
      },
    });
  };

  // ------------------------------------------------------------------ void
  const voidPage = async (ctx: any, model: DocumentModel, state: { values?: Record<string, string>; errors?: Errors; formKey?: string; status?: number; askApproval?: boolean } = {}) =>
    renderPage(deps, ctx, {
      template: 'sales/void',
      title: `Void ${model.number}`,
      status: state.status ?? (model.voidable.ok ? 200 : 409),
      data: {
        doc: model,
        approvers: await approversFor(deps.db, 'pos.void'),
        needsManager: !ctx.user?.permissions?.has('pos.void'),
        askApproval: state.askApproval ?? false,
        formKey: state.formKey ?? newFormKey(),
        values: state.values ?? {},
        errors: state.errors ?? {},
      },
    });

  return (
    new Elysia({ name: 'feature.sales-pages' })
      .use(authPlugin(deps))
      // -------------------------------------------------------------- list + CSV
      .get(
        '/sales',
        async (ctx) => {
          const query = parseListQuery(ctx.query, LIST_OPTIONS);
          // A receipt barcode scanned (or a number typed) into the search opens that document.
          if (DOCUMENT_NUMBER_RE.test(query.q.toUpperCase())) {
            const hit = await findSale(deps.db, query.q).catch(() => null);
            if (hit) return redirect(ctx, `/sales/${hit.id}`, 303);
          }
          const { filter, errors, values } = readDocumentFilter(ctx.query);
          const valid = Object.keys(errors).length === 0;
          const { rows, total } = valid ? await listDocuments(deps.db, filter, query) : { rows: [], total: 0 };
          const params: Record<string, string> = {};
          for (const [k, v] of Object.entries(filter)) if (v) params[k] = v;
          const list = buildListModel('/sales', query, rows, total, params, { csv: valid });
          return renderPage(deps, ctx, {
            template: 'sales/list',
            fragment: 'sales/list',
            title: 'Sales and returns',
            status: valid ? 200 : 400,
            data: { list, values, errors, listOnly: !!ctx.htmx?.wantsFragment },
          });
        },
        { permission: 'pos.sell' },
      )
      .get(
        '/sales/export.csv',
        async (ctx) => {
          const query = parseListQuery(ctx.query, LIST_OPTIONS);
          const { filter, errors } = readDocumentFilter(ctx.query);
          if (Object.keys(errors).length) return htmlError(deps, ctx, 400, 'Cannot export', Object.values(errors).join(' '));
          const { rows } = await listDocuments(deps.db, filter, query, CSV_EXPORT_LIMIT, 0);
          Object.assign(ctx.set.headers, csvDownloadHeaders('sales', await today()));
          return documentsCsv(rows, (await getStoreSettings(deps.db))?.timeZone ?? 'UTC');
        },
        { permission: 'pos.sell' },
      )
      // -------------------------------------------------------------- returns: start (scan the receipt)
      .get(
        '/returns',
        async (ctx) => {
          const q = typeof ctx.query.q === 'string' ? ctx.query.q.trim() : '';
          let error: string | null = null;
          if (q) {
            const hit = DOCUMENT_NUMBER_RE.test(q.toUpperCase()) ? await findSale(deps.db, q).catch(() => null) : null;
            if (hit && hit.kind === 'sale') return redirect(ctx, `/sales/${hit.id}/return`, 303);
            error = hit ? `${hit.number} is a ${hit.kind}; scan the sale's receipt.` : DOCUMENT_NUMBER_RE.test(q.toUpperCase()) ? `No sale ${q.toUpperCase()}.` : 'Scan the receipt barcode or type the sale number, like S-000123.';
          }
          return renderPage(deps, ctx, { template: 'sales/returns-start', title: 'Returns', status: error ? 404 : 200, data: { q, error } });
        },
        { permission: 'pos.refund' },
      )
      .get('/returns/new', (ctx) => noReceiptPage(ctx), { permission: 'pos.refund' })
      .post(
        '/returns/new',
        async (ctx) => {
          const body = formBody(ctx.body);
          const done = await finishedForm(ctx, body);
          if (done) return replayRedirect(ctx, done, (n) => `${n} was already made by your first click.`, (id) => `/sales/${id}/receipt`);
          const formKey = formKeyOf(body);
          const rowCount = Math.min(MAX_ITEM_ROWS, Math.max(DEFAULT_ITEM_ROWS, Number(formString(body, 'rows')) || 0));
          const rows: ItemRowValues[] = Array.from({ length: rowCount }, (_, i) => ({ code: formString(body, `code_${i}`), quantity: formString(body, `qty_${i}`), restock: formString(body, `restock_${i}`) }));
          const approval = readApproval(body);
          const values: Record<string, string> = { account: formString(body, 'account'), account_id: formString(body, 'account_id'), note: formString(body, 'note'), ...approval.values };
          rows.forEach((r, i) => Object.assign(values, { [`code_${i}`]: r.code, [`qty_${i}`]: r.quantity, [`restock_${i}`]: r.restock === 'damaged' ? 'damaged' : 'restock' }));
          const acct = await resolveAccount(deps.db, values.account_id, values.account);
          const items = await resolveItems(deps.db, rows);
          const errors: Errors = { ...items.errors, ...approval.errors };
          if (acct.error) errors.account = acct.error;
          if (values.note.length > 1000) errors.note = 'The note must be at most 1000 characters.';
          const itemLabels = Object.fromEntries(items.items.map((it) => [it.row, it.label]));
          const state = { values: { ...values, account_id: acct.account?.id ?? '' }, formKey, account: acct.account, accountChoices: acct.choices, itemLabels, rows: rowCount };
          if (Object.keys(errors).length) return noReceiptPage(ctx, { ...state, errors, status: 422, askApproval: !!(errors.approver_pin || errors.approver_username) });
          const sessions = await openSessions(deps.db);
          const picked = pickSession(sessions, ctx.cookies?.[REGISTER_COOKIE], ctx.user?.id ?? null);
          const input = {
            account_id: acct.account!.id,
            ...(picked.sessionId && !picked.choose ? { register_session_id: picked.sessionId } : {}),
            lines: items.items.map((it) => ({ product_id: it.productId, ...(it.unitId ? { unit_id: it.unitId } : {}), quantity: it.quantity, restock: it.restock })),
            ...(approval.approval ? { approval: approval.approval } : {}),
            ...(values.note.trim() ? { note: values.note.trim() } : {}),
          };
          try {
            const sc = await htmlSaleContext(deps, ctx);
            const { value: returnId, replayed } = await submitFormOnce(deps.db, ctx, formKey, withoutPin(input), (tx) => createNoReceiptReturn(tx, sc, input));
            const made = await findSale(deps.db, returnId);
            setFlash(deps, ctx, { kind: 'success', message: replayed ? `${made.number} was already made by your first click.` : `${made.number}: ${formatCents(-made.totalCents)} store credit for ${acct.account!.name}.` });
            return redirect(ctx, `/sales/${returnId}/receipt`);
          } catch (err) {
            const r = formErrors(err, { account_id: 'account', 'approval.username': 'approver_username', 'approval.pin': 'approver_pin' });
            for (const [k, v] of Object.entries(r.errors)) {
              const m = /^lines\.(\d+)\.(\w+)$/.exec(k);
              if (m) {
                const row = items.items[Number(m[1])]?.row ?? 0;
                r.errors[m[2] === 'quantity' ? `qty_${row}` : `code_${row}`] = v;
                delete r.errors[k];
              }
            }
            return noReceiptPage(ctx, { ...state, errors: r.errors, status: r.status, askApproval: r.approval });
          }
        },
        { permission: 'pos.refund' },
      )
      // -------------------------------------------------------------- gift cards
      .get(
        '/gift-cards',
        async (ctx) => {
          const raw = typeof ctx.query.number === 'string' ? ctx.query.number : '';
          let error: string | null = null;
          if (raw.trim()) {
            const card = await findGiftCard(deps.db, raw);
            if (card) return redirect(ctx, `/gift-cards/${encodeURIComponent(card.number)}`, 303);
            error = `No gift card ${normalizeGiftCardNumber(raw).slice(0, 40)}.`;
          }
          return renderPage(deps, ctx, { template: 'sales/gift-cards', title: 'Gift cards', status: error ? 404 : 200, data: { number: raw.slice(0, 40), error } });
        },
        { permission: 'pos.sell' },
      )
      .get(
        '/gift-cards/:number',
        async (ctx) => {
          const card = await findGiftCard(deps.db, ctx.params.number);
          if (!card) return htmlError(deps, ctx, 404, 'Page not found', 'There is no gift card with this number.');
          const [balance, entries] = await Promise.all([
            giftCardBalance(deps.db, card.id),
            deps.db
              .select({ entry: giftCardEntries, saleNumber: sales.number })
              .from(giftCardEntries)
              .leftJoin(sales, eq(sales.id, giftCardEntries.saleId))
              .where(eq(giftCardEntries.giftCardId, card.id))
              .orderBy(desc(giftCardEntries.at), desc(giftCardEntries.id))
              .limit(200),
          ]);
          return renderPage(deps, ctx, { template: 'sales/gift-card', title: `Gift card ${card.number}`, data: { card, balance, entries, today: await today() } });
        },
        { permission: 'pos.sell' },
      )
      // -------------------------------------------------------------- one document
      .get(
        '/sales/:id',
        async (ctx) => {
          const model = await doc(ctx.params.id);
          return renderPage(deps, ctx, { template: 'sales/detail', title: `${model.kindLabel} ${model.number}`, data: { doc: model, tenderLabel } });
        },
        { permission: 'pos.sell' },
      )
      .get(
        '/sales/:id/receipt',
        async (ctx) => {
          const model = await doc(ctx.params.id);
          const reprint = ctx.query.reprint === '1';
          return renderPage(deps, ctx, { template: 'sales/receipt', title: `Receipt ${model.number}`, data: { ...(await slipData(model)), reprint } });
        },
        { permission: 'pos.sell' },
      )
      .get(
        '/sales/:id/invoice',
        async (ctx) => {
          const model = await doc(ctx.params.id);
          return renderPage(deps, ctx, { template: 'sales/invoice', title: `Invoice ${model.number}`, data: await slipData(model) });
        },
        { permission: 'pos.sell' },
      )
      // -------------------------------------------------------------- return with receipt
      .get('/sales/:id/return', async (ctx) => returnPage(ctx, await doc(ctx.params.id)), { permission: 'pos.refund' })
      .post(
        '/sales/:id/return/preview',
        async (ctx) => {
          const model = await doc(ctx.params.id);
          const form = readReturnForm(model, formBody(ctx.body));
          return returnPage(ctx, model, { values: form.values, errors: form.errors, choices: form.choices, formKey: formKeyOf(formBody(ctx.body)), status: Object.keys(form.errors).length ? 422 : 200 });
        },
        { permission: 'pos.refund' },
      )
      .post(
        '/sales/:id/return',
        async (ctx) => {
          const body = formBody(ctx.body);
          const done = await finishedForm(ctx, body);
          if (done) return replayRedirect(ctx, done, (n) => `${n} was already made by your first click.`, (id) => `/sales/${id}/receipt`);
          const model = await doc(ctx.params.id);
          const formKey = formKeyOf(body);
          const form = readReturnForm(model, body);
          const approval = readApproval(body);
          const values = { ...form.values, ...approval.values };
          const errors: Errors = { ...form.errors, ...approval.errors };
          const base = { values, formKey, choices: form.choices };
          if (!model.returnable.ok) return returnPage(ctx, model, { ...base, errors: { _: model.returnable.reason }, status: 409 });
          if (form.choices.length === 0 && !Object.keys(form.errors).length) errors.lines = 'Choose at least one item to return (a quantity above 0).';
          if (formString(body, 'action') === 'preview' && !errors.lines) return returnPage(ctx, model, { ...base, errors, status: Object.keys(errors).length ? 422 : 200 });
          if (Object.keys(errors).length) return returnPage(ctx, model, { ...base, errors, status: 422, askApproval: !!(errors.approver_pin || errors.approver_username) });
          const sessionId = /^[0-9a-f-]{36}$/i.test(values.register_session_id) ? values.register_session_id : undefined;
          const input: ReturnInput = {
            ...(sessionId ? { register_session_id: sessionId } : {}),
            lines: form.choices.map((c) => ({ line_id: c.lineId, quantity: c.quantity, restock: form.restock.get(c.lineId) ?? true })),
            ...(values.refund_to === 'store_credit' ? { tenders: [{ method: 'store_credit' as const }] } : values.refund_to === 'cash' ? { tenders: [{ method: 'cash' as const }] } : {}),
            ...(approval.approval ? { approval: approval.approval } : {}),
            ...(values.note.trim() ? { note: values.note.trim() } : {}),
          };
          try {
            const sc = await htmlSaleContext(deps, ctx);
            const { value: returnId, replayed } = await submitFormOnce(deps.db, ctx, formKey, withoutPin(input), (tx) => createReturn(tx, sc, model.id, input));
            const made = await findSale(deps.db, returnId);
            setFlash(deps, ctx, { kind: 'success', message: replayed ? `${made.number} was already made by your first click.` : `${made.number}: refunded ${formatCents(-made.totalCents)} of ${model.number}.` });
            return redirect(ctx, `/sales/${returnId}/receipt`);
          } catch (err) {
            const r = formErrors(err, { tenders: 'refund_to', 'approval.username': 'approver_username', 'approval.pin': 'approver_pin' });
            for (const [k, v] of Object.entries(r.errors)) {
              const m = /^lines\.(\d+)\.\w+$/.exec(k);
              if (m) {
                const lineId = form.choices[Number(m[1])]?.lineId;
                if (lineId) r.errors[`qty_${lineId}`] = v;
                delete r.errors[k];
              }
            }
            return returnPage(ctx, model, { ...base, errors: r.errors, status: r.status, askApproval: r.approval });
          }
        },
        { permission: 'pos.refund' },
      )
      // -------------------------------------------------------------- void
      .get('/sales/:id/void', async (ctx) => voidPage(ctx, await doc(ctx.params.id)), { permission: 'pos.sell' })
      .post(
        '/sales/:id/void',
        async (ctx) => {
          const body = formBody(ctx.body);
          const done = await finishedForm(ctx, body);
          if (done) return replayRedirect(ctx, done, (n) => `${n} was already voided by your first click.`, (id) => `/sales/${id}`);
          const model = await doc(ctx.params.id);
          const formKey = formKeyOf(body);
          const approval = readApproval(body);
          const values = { reason: formString(body, 'reason'), ...approval.values };
          if (!model.voidable.ok) return voidPage(ctx, model, { values, formKey, errors: { _: model.voidable.reason }, status: 409 });
          const parsed = voidSchema.safeParse({ reason: values.reason, ...(approval.approval ? { approval: approval.approval } : {}) });
          const errors: Errors = { ...(parsed.success ? {} : zodFieldErrors(parsed.error)), ...approval.errors };
          if (!parsed.success || Object.keys(errors).length) return voidPage(ctx, model, { values, formKey, errors, status: 422, askApproval: !!(errors.approver_pin || errors.approver_username) });
          try {
            const sc = await htmlSaleContext(deps, ctx);
            const { replayed } = await submitFormOnce(deps.db, ctx, formKey, withoutPin(parsed.data), (tx) => voidSale(tx, sc, model.id, parsed.data));
            setFlash(deps, ctx, { kind: 'success', message: replayed ? `${model.number} was already voided by your first click.` : `Voided ${model.number}: its journal entry was reversed and the goods and tenders put back.` });
            return redirect(ctx, `/sales/${model.id}`);
          } catch (err) {
            const r = formErrors(err, { 'approval.username': 'approver_username', 'approval.pin': 'approver_pin' });
            return voidPage(ctx, await doc(model.id), { values, formKey, errors: r.errors, status: r.status, askApproval: r.approval });
          }
        },
        { permission: 'pos.sell' },
      )
  );
}

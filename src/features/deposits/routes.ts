import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import type { Tx } from '../../db/client';
import { authPlugin } from '../../server/auth';
import { redirect, renderPage, setFlash } from '../../server/respond';
import { formBody, formString } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { storeToday, getStoreSettings } from '../settings/service';
import { actorOf } from '../staff/routes';
import { ServiceError } from '../service-errors';
import { readDateRange } from '../ledger/schemas';
import { runIdempotent, type StoredResponse } from '../api/idempotency';
import { indexedFieldErrors } from '../purchasing/schemas';
import { DENOMINATION_FIELDS } from '../registers/forms';
import { bankDepositSchema, MAX_CHECK_FROM_LENGTH, MAX_CHECK_NUMBER_LENGTH, MAX_DEPOSIT_NOTE_LENGTH } from './schemas';
import { createBankDeposit, depositableBalances, depositChecks, getBankDeposit } from './service';
import { DEPOSIT_SORTS, listBankDeposits } from './queries';
import { checkRowCount, formFieldErrors, MAX_FORM_CHECK_ROWS, readDepositForm } from './forms';

/**
 * Bank deposit pages. Whoever closes drawers (drawer.close: cashiers, managers, owners) takes the safe's cash
 * and the checks to the bank, so drawer.close guards the list, the form and the slip alike (docs/deposits.md).
 */

const LIST_OPTIONS = { sorts: DEPOSIT_SORTS, defaultSort: 'date', defaultOrder: 'desc' as const, defaultLimit: 25 };
type Errors = Record<string, string>;

export function depositsRoutes(deps: AppDeps) {
  const newPage = async (ctx: any, opts: { values?: Record<string, string>; errors?: Errors; rows?: number; status?: number } = {}) => {
    const today = await storeToday(deps.db, deps.clock);
    const values = opts.values ?? { deposited_on: today };
    return renderPage(deps, ctx, {
      template: 'deposits/new',
      title: 'New bank deposit',
      status: opts.status ?? 200,
      data: {
        balances: await depositableBalances(deps.db),
        denominations: DENOMINATION_FIELDS,
        values,
        errors: opts.errors ?? {},
        rows: opts.rows ?? checkRowCount(ctx.query?.rows),
        moreRows: MAX_FORM_CHECK_ROWS,
        today,
        limits: { checkNumber: MAX_CHECK_NUMBER_LENGTH, checkFrom: MAX_CHECK_FROM_LENGTH, note: MAX_DEPOSIT_NOTE_LENGTH },
        // A fresh one-time key per rendering: a double submit of the same form records the deposit once.
        formKey: crypto.randomUUID(),
      },
    });
  };

  return new Elysia({ name: 'feature.deposits' })
    .use(authPlugin(deps))
    .get(
      '/deposits',
      async (ctx) => {
        const query = parseListQuery(ctx.query, LIST_OPTIONS);
        const { range, errors } = readDateRange(ctx.query);
        const valid = Object.keys(errors).length === 0;
        const { rows, total } = valid ? await listBankDeposits(deps.db, range, query) : { rows: [], total: 0 };
        const params = { ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}) };
        const list = buildListModel('/deposits', query, rows.map((r) => ({ ...r, checkCount: depositChecks(r).length })), total, params);
        return renderPage(deps, ctx, {
          template: 'deposits/index',
          fragment: 'deposits/index',
          title: 'Bank deposits',
          status: valid ? 200 : 400,
          data: { list, balances: await depositableBalances(deps.db), values: { from: ctx.query.from ?? '', to: ctx.query.to ?? '' }, errors, listOnly: !!ctx.htmx?.wantsFragment },
        });
      },
      { permission: 'drawer.close' },
    )
    .get('/deposits/new', (ctx) => newPage(ctx), { permission: 'drawer.close' })
    .post(
      '/deposits',
      async (ctx) => {
        const body = formBody(ctx.body);
        const form = readDepositForm(body);
        const again = (errors: Errors, status: number) => newPage(ctx, { values: form.values, errors, rows: form.rows, status });
        // "More check rows": the same form again with ten more rows and nothing lost.
        if (formString(body, 'add_rows')) return newPage(ctx, { values: { ...form.values, check_rows: '' }, rows: checkRowCount(String(form.rows + 10)) });
        if (Object.keys(form.errors).length) return again(form.errors, 422);
        const parsed = bankDepositSchema.safeParse(form.input);
        if (!parsed.success) return again(formFieldErrors(indexedFieldErrors(parsed.error), form.checkRows), 422);
        const today = await storeToday(deps.db, deps.clock);
        const work = async (tx: Tx): Promise<StoredResponse> => {
          const d = await createBankDeposit(tx, actorOf(ctx), parsed.data, today);
          return { status: 303, body: { id: d.id, message: `Recorded ${d.number}. Print the slip and take it to the bank with the deposit.` } };
        };
        try {
          const formKey = formString(body, 'form_key');
          const response = /^[0-9a-f-]{36}$/.test(formKey)
            ? await runIdempotent(deps.db, { scope: `user:${ctx.user!.id}`, method: 'POST', path: ctx.path, key: formKey }, parsed.data, work)
            : { ...(await deps.db.transaction(work)), replayed: false };
          const stored = response.body as { id: string; message: string };
          setFlash(deps, ctx, { kind: 'success', message: response.replayed ? `Already recorded: ${stored.message}` : stored.message });
          return redirect(ctx, `/deposits/${stored.id}`);
        } catch (err) {
          if (err instanceof ServiceError && err.code === 'idempotency_mismatch') return again({ _: 'This form was already sent with different amounts. Check the deposits list before sending it again.' }, 409);
          if (err instanceof ServiceError && err.code === 'in_progress') return again({ _: 'The deposit from your first click is still being recorded. Wait a moment, then check the deposits list.' }, 409);
          if (err instanceof ServiceError && err.status !== 404) return again({ ...formFieldErrors(err.fields, form.checkRows), ...(Object.keys(err.fields).length ? {} : { _: err.message }) }, err.status);
          throw err;
        }
      },
      { permission: 'drawer.close' },
    )
    .get(
      '/deposits/:id',
      async (ctx) => {
        const deposit = await getBankDeposit(deps.db, ctx.params.id);
        const store = await getStoreSettings(deps.db);
        return renderPage(deps, ctx, {
          template: 'deposits/show',
          title: `Bank deposit ${deposit.number}`,
          data: { deposit, checks: depositChecks(deposit), denominations: DENOMINATION_FIELDS, store: { name: store?.storeName ?? '', address: store?.address ?? '', phone: store?.phone ?? '' } },
        });
      },
      { permission: 'drawer.close' },
    );
}

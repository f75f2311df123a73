import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { htmlError, redirect, renderPage, setFlash } from '../../server/respond';
import { formBody, formString } from '../../server/forms';
import { buildListModel, parseListQuery } from '../../ui/list';
import { csvDownloadHeaders, toCsv, CSV_EXPORT_LIMIT } from '../csv/write';
import { centsToDecimalString } from '../../domain/money';
import { storeToday } from '../settings/service';
import { actorOf } from '../staff/routes';
import { NotFoundError, ServiceError, zodFieldErrors } from '../service-errors';
import { accountActivity, getJournalEntry, journalLinesInRange, listJournal, JOURNAL_SORTS, type JournalExportRow } from './queries';
import { trialBalance } from '../../domain/journal';
import { accountEditSchema, readAsOf, readDateRange, type DateRange } from './schemas';
import { getLedgerAccount, updateLedgerAccount, type LedgerAccount } from './accounts';
import { POSTING_RULES } from './posting-rules';
import { ensureChart } from './chart';
import { isUuid } from '../../db/sql-helpers';

const LIST_OPTIONS = { sorts: JOURNAL_SORTS, defaultSort: 'number', defaultOrder: 'desc' as const, defaultLimit: 50 };

const rangeParams = (r: DateRange) => ({ ...(r.from ? { from: r.from } : {}), ...(r.to ? { to: r.to } : {}) });

/** Plain words for event types on screen (posting rules' own summaries explain the accounts). */
export const EVENT_LABELS: Record<string, string> = {
  inventory_receipt: 'Inventory receipt',
  stock_adjustment: 'Stock adjustment',
  cycle_count: 'Cycle count',
  opening_inventory: 'Opening inventory',
  unit_acquired: 'Unit added',
  unit_status_override: 'Unit status override',
  unit_reclassified: 'Unit reclassified',
};

/** General Journal CSV (QuickBooks import shape: date, entry no., account, debit, credit, memo, name). */
export function generalJournalCsv(rows: JournalExportRow[]): string {
  const amount = (c: number) => (c === 0 ? '' : centsToDecimalString(c));
  return toCsv<JournalExportRow>(
    [
      { header: 'date', value: (r) => r.entryDate },
      { header: 'entry_no', value: (r) => r.number },
      { header: 'account_number', value: (r) => r.accountCode },
      { header: 'account', value: (r) => r.accountName },
      { header: 'debit', value: (r) => amount(r.debitCents) },
      { header: 'credit', value: (r) => amount(r.creditCents) },
      { header: 'memo', value: (r) => r.memo || r.entryMemo },
      { header: 'name', value: (r) => r.partyName },
      { header: 'event', value: (r) => r.eventType },
    ],
    rows,
  );
}

/** Journal, trial balance and chart of accounts pages (accounting.view; exports and chart edits accounting.export). */
export function ledgerRoutes(deps: AppDeps) {
  const journalPage = async (ctx: any) => {
    const query = parseListQuery(ctx.query, LIST_OPTIONS);
    const { range, errors } = readDateRange(ctx.query);
    const valid = Object.keys(errors).length === 0;
    // Lenient like other HTML list filters: an unknown account id is ignored.
    const account = isUuid(ctx.query.account_id) ? await getLedgerAccount(deps.db, ctx.query.account_id).catch(() => undefined) : undefined;
    const filter = { ...range, accountId: account?.id ?? null };
    const { rows, total } = valid ? await listJournal(deps.db, filter, query) : { rows: [], total: 0 };
    const params = { ...rangeParams(range), ...(account ? { account_id: account.id } : {}) };
    const list = buildListModel('/accounting/journal', query, rows, total, params, { csv: valid && !!ctx.user?.permissions?.has('accounting.export') });
    return renderPage(deps, ctx, {
      template: 'accounting/journal',
      fragment: 'accounting/journal',
      title: 'Journal',
      status: valid ? 200 : 400,
      data: { list, range, account: account ?? null, values: { from: ctx.query.from ?? '', to: ctx.query.to ?? '' }, errors, listOnly: !!ctx.htmx?.wantsFragment, eventLabels: EVENT_LABELS },
    });
  };

  const trialBalancePage = async (ctx: any) => {
    const { asOf, error } = readAsOf(ctx.query);
    const date = asOf ?? (await storeToday(deps.db, deps.clock));
    const tb = error ? null : trialBalance(await accountActivity(deps.db, date));
    return renderPage(deps, ctx, { template: 'accounting/trial-balance', title: 'Trial balance', status: error ? 400 : 200, data: { tb, asOf: date, values: { as_of: ctx.query.as_of ?? date }, errors: error ? { as_of: error } : {} } });
  };

  const accountPage = async (ctx: any, account: LedgerAccount, values: Record<string, string>, errors: Record<string, string> = {}, status = 200) =>
    renderPage(deps, ctx, { template: 'accounting/account', title: `${account.code} ${account.name}`, status, data: { account, values, errors } });

  return new Elysia({ name: 'feature.ledger' })
    .use(authPlugin(deps))
    .get('/accounting', (ctx) => redirect(ctx, '/accounting/journal', 302), { permission: 'accounting.view' })
    .get('/accounting/journal', (ctx) => journalPage(ctx), { permission: 'accounting.view' })
    .get(
      '/accounting/journal/export.csv',
      async (ctx) => {
        const { range, errors } = readDateRange(ctx.query);
        if (Object.keys(errors).length) return htmlError(deps, ctx, 400, 'Cannot export', Object.values(errors).join(' '));
        const rows = await journalLinesInRange(deps.db, { ...range, accountId: isUuid(ctx.query.account_id) ? ctx.query.account_id : null }, CSV_EXPORT_LIMIT);
        const name = range.from || range.to ? `general-journal-${range.from ?? 'start'}-to-${range.to ?? 'end'}` : 'general-journal';
        Object.assign(ctx.set.headers, csvDownloadHeaders(name, await storeToday(deps.db, deps.clock)));
        return generalJournalCsv(rows);
      },
      { permission: 'accounting.export' },
    )
    .get(
      '/accounting/journal/:id',
      async (ctx) => {
        const entry = await getJournalEntry(deps.db, ctx.params.id);
        if (!entry) throw new NotFoundError('Journal entry');
        const rule = (POSTING_RULES as Record<string, { summary: string }>)[entry.eventType];
        return renderPage(deps, ctx, { template: 'accounting/entry', title: `Journal entry ${entry.number}`, data: { entry, ruleSummary: rule?.summary ?? null, eventLabels: EVENT_LABELS } });
      },
      { permission: 'accounting.view' },
    )
    .get('/accounting/trial-balance', (ctx) => trialBalancePage(ctx), { permission: 'accounting.view' })
    .get(
      '/accounting/trial-balance/export.csv',
      async (ctx) => {
        const { asOf, error } = readAsOf(ctx.query);
        if (error) return htmlError(deps, ctx, 400, 'Cannot export', error);
        const date = asOf ?? (await storeToday(deps.db, deps.clock));
        const tb = trialBalance(await accountActivity(deps.db, date));
        Object.assign(ctx.set.headers, csvDownloadHeaders(`trial-balance-${date}`, await storeToday(deps.db, deps.clock)));
        type Row = { code: string; name: string; type: string; debit: string; credit: string };
        const rows: Row[] = tb.rows.map((r) => ({ code: r.account.code, name: r.account.name, type: r.account.type, debit: centsToDecimalString(r.debitBalanceCents), credit: centsToDecimalString(r.creditBalanceCents) }));
        rows.push({ code: '', name: 'Total', type: '', debit: centsToDecimalString(tb.totalDebitsCents), credit: centsToDecimalString(tb.totalCreditsCents) });
        return toCsv<Row>(
          [
            { header: 'account_number', value: (r) => r.code },
            { header: 'account', value: (r) => r.name },
            { header: 'type', value: (r) => r.type },
            { header: 'debit', value: (r) => r.debit },
            { header: 'credit', value: (r) => r.credit },
          ],
          rows,
        );
      },
      { permission: 'accounting.view' },
    )
    .get(
      '/accounting/accounts',
      async (ctx) => {
        // The migration seeds the chart; this re-creates a system account a newer version added (a no-op otherwise).
        await ensureChart(deps.db);
        const accounts = await accountActivity(deps.db, null);
        return renderPage(deps, ctx, { template: 'accounting/accounts', title: 'Chart of accounts', data: { accounts } });
      },
      { permission: 'accounting.view' },
    )
    .get(
      '/accounting/accounts/:id',
      async (ctx) => {
        const account = await getLedgerAccount(deps.db, ctx.params.id);
        return accountPage(ctx, account, { code: account.code, name: account.name });
      },
      { permission: 'accounting.view' },
    )
    .post(
      '/accounting/accounts/:id',
      async (ctx) => {
        const account = await getLedgerAccount(deps.db, ctx.params.id);
        const body = formBody(ctx.body);
        const values = { code: formString(body, 'code'), name: formString(body, 'name') };
        const parsed = accountEditSchema.safeParse(values);
        if (!parsed.success) return accountPage(ctx, account, values, zodFieldErrors(parsed.error), 422);
        try {
          const saved = await deps.db.transaction((tx) => updateLedgerAccount(tx, actorOf(ctx), account.id, parsed.data));
          setFlash(deps, ctx, { kind: 'success', message: `Saved ${saved.code} ${saved.name}.` });
          return redirect(ctx, '/accounting/accounts');
        } catch (err) {
          if (err instanceof ServiceError && err.status !== 404) return accountPage(ctx, account, values, { ...err.fields, _: err.message }, err.status);
          throw err;
        }
      },
      { permission: 'accounting.export' },
    );
}

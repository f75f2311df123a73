import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { json } from '../../server/respond';
import { documentApi, listQuerySchema } from '../api/registry';
import { apiPagination, parseListQuery } from '../../ui/list';
import { NotFoundError, ServiceError } from '../service-errors';
import { apiActor, handle, iso, parseBody } from '../api/support';
import { isUuid } from '../../db/sql-helpers';
import { trialBalance } from '../../domain/journal';
import { storeToday } from '../settings/service';
import { accountActivity, getJournalEntry, linesOfEntries, listJournal, JOURNAL_SORTS, type JournalLineView, type LedgerAccountView } from './queries';
import { accountEditSchema, readAsOf, readDateRange } from './schemas';
import { getLedgerAccount, updateLedgerAccount, type LedgerAccount } from './accounts';
import { ensureChart } from './chart';

const tag = 'accounting';
const LIST_OPTIONS = { sorts: JOURNAL_SORTS, defaultSort: 'number', defaultOrder: 'desc' as const };

const lineOut = z.object({
  line_no: z.number().int(),
  account_id: z.uuid(),
  account_code: z.string(),
  account_name: z.string(),
  system_key: z.string().nullable(),
  debit_cents: z.number().int(),
  credit_cents: z.number().int(),
  memo: z.string(),
  party_type: z.enum(['customer', 'supplier']).nullable(),
  party_id: z.uuid().nullable(),
  party_name: z.string().nullable().describe('Customer account or supplier name (QuickBooks "Name")'),
});
const entryOut = z.object({
  id: z.uuid(),
  number: z.string().describe('Gap-free JE-000001 …'),
  date: z.string().describe('Business date, YYYY-MM-DD'),
  event_type: z.string(),
  source_type: z.string(),
  source_id: z.string().nullable(),
  memo: z.string(),
  reverses_entry_id: z.uuid().nullable(),
  reverses_number: z.string().nullable(),
  reversed_by_number: z.string().nullable(),
  total_cents: z.number().int().describe('Sum of the debits (= sum of the credits)'),
  created_by: z.string(),
  created_at: z.string(),
  lines: z.array(lineOut),
});
const accountOut = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  type: z.enum(['asset', 'liability', 'equity', 'revenue', 'contra_revenue', 'expense']),
  normal_side: z.enum(['debit', 'credit']),
  system_key: z.string().nullable(),
  is_active: z.boolean(),
});
const tbAccountOut = accountOut.extend({
  debit_cents: z.number().int().describe('Sum of debits posted to the account up to as_of'),
  credit_cents: z.number().int().describe('Sum of credits posted up to as_of'),
  balance_cents: z.number().int().describe('Balance on the normal side (negative when on the unusual side)'),
  debit_balance_cents: z.number().int().describe('Trial balance Debit column'),
  credit_balance_cents: z.number().int().describe('Trial balance Credit column'),
});
const trialBalanceOut = z.object({ as_of: z.string(), total_debits_cents: z.number().int(), total_credits_cents: z.number().int(), accounts: z.array(tbAccountOut) });
const accountPatchSchema = accountEditSchema.partial().strict();

const dateRangeQuery = listQuerySchema.extend({
  from: z.string().optional().describe('First business date, YYYY-MM-DD (inclusive)'),
  to: z.string().optional().describe('Last business date, YYYY-MM-DD (inclusive)'),
  account_id: z.uuid().optional().describe('Only entries with a line on this account'),
});

documentApi({ method: 'get', path: '/api/v1/accounting/trial-balance', summary: 'Trial balance as of a date (default: today in the store): every account with activity, and the two column totals', tag, permission: 'accounting.view', query: z.object({ as_of: z.string().optional().describe('YYYY-MM-DD, inclusive') }), response: trialBalanceOut });
documentApi({ method: 'get', path: '/api/v1/accounting/journal', summary: 'Journal entries with their lines in a date range (sort number|date; search number, memo, event)', tag, permission: 'accounting.view', query: dateRangeQuery, response: entryOut, list: true });
documentApi({ method: 'get', path: '/api/v1/accounting/journal/:id', summary: 'One journal entry with its lines (id or JE- number)', tag, permission: 'accounting.view', response: entryOut });
documentApi({ method: 'get', path: '/api/v1/accounting/accounts', summary: 'The chart of accounts, by number', tag, permission: 'accounting.view', response: z.object({ data: z.array(accountOut) }) });
documentApi({ method: 'patch', path: '/api/v1/accounting/accounts/:id', summary: "Renumber or rename an account to match the store's QuickBooks (system key, type and side are fixed)", tag, permission: 'accounting.export', body: accountPatchSchema, response: accountOut });

const lineJson = (l: JournalLineView) => ({
  line_no: l.lineNo, account_id: l.accountId, account_code: l.accountCode, account_name: l.accountName, system_key: l.systemKey,
  debit_cents: l.debitCents, credit_cents: l.creditCents, memo: l.memo, party_type: l.partyType, party_id: l.partyId, party_name: l.partyName,
});

type EntryLike = { id: string; number: string; entryDate: string; eventType: string; sourceType: string; sourceId: string | null; memo: string; reversesEntryId: string | null; reversesNumber: string | null; createdByLabel: string; createdAt: Date };
const entryJson = (e: EntryLike, lines: JournalLineView[], reversedByNumber: string | null) => ({
  id: e.id, number: e.number, date: e.entryDate, event_type: e.eventType, source_type: e.sourceType, source_id: e.sourceId, memo: e.memo,
  reverses_entry_id: e.reversesEntryId, reverses_number: e.reversesNumber, reversed_by_number: reversedByNumber,
  total_cents: lines.reduce((s, l) => s + l.debitCents, 0), created_by: e.createdByLabel, created_at: iso(e.createdAt), lines: lines.map(lineJson),
});

const accountJson = (a: LedgerAccount | LedgerAccountView) => ({ id: a.id, code: a.code, name: a.name, type: a.type, normal_side: a.normalSide, system_key: a.systemKey, is_active: a.isActive });

const badQuery = (fields: Record<string, string>) => new ServiceError('validation_failed', 'Invalid query parameters.', 400, fields);

export function ledgerApi(deps: AppDeps) {
  return new Elysia({ name: 'feature.ledger.api' })
    .use(authPlugin(deps))
    .get('/api/v1/accounting/trial-balance', (ctx) =>
      handle(ctx, async () => {
        const { asOf, error } = readAsOf(ctx.query);
        if (error) throw badQuery({ as_of: error });
        const date = asOf ?? (await storeToday(deps.db, deps.clock));
        const tb = trialBalance(await accountActivity(deps.db, date));
        return json(ctx, 200, {
          as_of: date,
          total_debits_cents: tb.totalDebitsCents,
          total_credits_cents: tb.totalCreditsCents,
          accounts: tb.rows.map((r) => ({ ...accountJson(r.account), debit_cents: r.account.debitCents, credit_cents: r.account.creditCents, balance_cents: r.balanceCents, debit_balance_cents: r.debitBalanceCents, credit_balance_cents: r.creditBalanceCents })),
        });
      }), { api: 'accounting.view' })
    .get('/api/v1/accounting/journal', (ctx) =>
      handle(ctx, async () => {
        const query = parseListQuery(ctx.query, LIST_OPTIONS, 'strict');
        const { range, errors } = readDateRange(ctx.query);
        if (ctx.query.account_id !== undefined && ctx.query.account_id !== '' && !isUuid(ctx.query.account_id)) errors.account_id = 'account_id must be a UUID.';
        if (Object.keys(errors).length) throw badQuery(errors);
        if (ctx.query.account_id) await getLedgerAccount(deps.db, ctx.query.account_id);
        const { rows, total } = await listJournal(deps.db, { ...range, accountId: ctx.query.account_id || null }, query);
        const lines = await linesOfEntries(deps.db, rows.map((r) => r.id));
        return json(ctx, 200, { data: rows.map((r) => entryJson(r, lines.get(r.id) ?? [], r.reversedByNumber)), pagination: apiPagination(query, total) });
      }), { api: 'accounting.view' })
    .get('/api/v1/accounting/journal/:id', (ctx) =>
      handle(ctx, async () => {
        const entry = await getJournalEntry(deps.db, ctx.params.id);
        if (!entry) throw new NotFoundError('Journal entry');
        return json(ctx, 200, entryJson(entry, entry.lines, entry.reversedBy?.number ?? null));
      }), { api: 'accounting.view' })
    .get('/api/v1/accounting/accounts', (ctx) =>
      handle(ctx, async () => {
        await ensureChart(deps.db);
        return json(ctx, 200, { data: (await accountActivity(deps.db, null)).map(accountJson) });
      }), { api: 'accounting.view' })
    .patch('/api/v1/accounting/accounts/:id', (ctx) =>
      handle(ctx, async () => {
        const account = await getLedgerAccount(deps.db, ctx.params.id);
        const input = parseBody(ctx, accountPatchSchema);
        const saved = await deps.db.transaction((tx) => updateLedgerAccount(tx, apiActor(ctx), account.id, { code: input.code ?? account.code, name: input.name ?? account.name }));
        return json(ctx, 200, accountJson(saved));
      }), { api: 'accounting.export' });
}

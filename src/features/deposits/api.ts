import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import type { Tx } from '../../db/client';
import { authPlugin } from '../../server/auth';
import { apiError, json } from '../../server/respond';
import { documentApi, listQuerySchema } from '../api/registry';
import { apiActor, handle, iso, jsonBody } from '../api/support';
import { runIdempotent, validateIdempotencyKey } from '../api/idempotency';
import { apiPagination, parseListQuery } from '../../ui/list';
import { ServiceError } from '../service-errors';
import { readDateRange } from '../ledger/schemas';
import { indexedFieldErrors } from '../purchasing/schemas';
import { storeToday } from '../settings/service';
import { bankDepositSchema } from './schemas';
import { createBankDeposit, depositChecks, getBankDeposit, type BankDeposit } from './service';
import { DEPOSIT_SORTS, listBankDeposits } from './queries';

const tag = 'bank deposits';

const depositOut = z.object({
  id: z.uuid(),
  number: z.string().describe('Gap-free BD-000001 …'),
  deposited_on: z.string().describe('Business date (YYYY-MM-DD); the journal entry has the same date'),
  cash_cents: z.number().int(),
  cash_denominations: z.record(z.string(), z.number().int()).nullable().describe('Null when the cash was given as a total'),
  checks_cents: z.number().int(),
  checks: z.array(z.object({ number: z.string(), amount_cents: z.number().int(), from: z.string() })),
  total_cents: z.number().int(),
  note: z.string(),
  journal_entry_id: z.uuid().nullable(),
  by: z.string(),
  created_at: z.string(),
});

documentApi({
  method: 'post',
  path: '/api/v1/bank-deposits',
  summary:
    'Record a bank deposit: cash from the safe (cash_denominations {"2000": 3, …} keyed by cents, or cash_cents; both must agree) and checks [{number, amount_cents, from}] from Checks to deposit. Posts Dr Bank / Cr Safe, Cr Checks to deposit, dated deposited_on (default today, not in the future, at most 366 days back). 422 when it is more than the safe or Checks to deposit holds. Send an Idempotency-Key to make a retry safe.',
  tag,
  permission: 'drawer.close',
  body: bankDepositSchema,
  response: depositOut,
  responseStatus: 201,
  idempotent: true,
});
documentApi({ method: 'get', path: '/api/v1/bank-deposits', summary: 'Bank deposits, newest first (sort date|number|total; q searches number, note, who, check numbers and payers; from, to filter deposited_on)', tag, permission: 'drawer.close', query: listQuerySchema.extend({ from: z.string().optional(), to: z.string().optional() }), response: depositOut, list: true });
documentApi({ method: 'get', path: '/api/v1/bank-deposits/:id', summary: 'One bank deposit by id or BD- number', tag, permission: 'drawer.close', response: depositOut });

export const depositJson = (d: BankDeposit): z.infer<typeof depositOut> => ({
  id: d.id,
  number: d.number,
  deposited_on: d.depositedOn,
  cash_cents: d.cashCents,
  cash_denominations: d.cashDenominations ?? null,
  checks_cents: d.checksCents,
  checks: depositChecks(d).map((c) => ({ number: c.number, amount_cents: c.amount_cents, from: c.from ?? '' })),
  total_cents: d.cashCents + d.checksCents,
  note: d.note,
  journal_entry_id: d.journalEntryId,
  by: d.byLabel,
  created_at: iso(d.createdAt)!,
});

export function depositsApi(deps: AppDeps) {
  return new Elysia({ name: 'feature.deposits.api' })
    .use(authPlugin(deps))
    .post(
      '/api/v1/bank-deposits',
      (ctx) =>
        handle(ctx, async () => {
          const body = jsonBody(ctx);
          const parsed = bankDepositSchema.safeParse(body);
          if (!parsed.success) throw new ServiceError('validation_failed', 'Some fields are invalid.', 422, indexedFieldErrors(parsed.error));
          const key = validateIdempotencyKey(ctx.request.headers.get('idempotency-key'));
          const today = await storeToday(deps.db, deps.clock);
          const work = async (tx: Tx) => ({ status: 201, body: depositJson(await createBankDeposit(tx, apiActor(ctx), parsed.data, today)) });
          if (!key) {
            const response = await deps.db.transaction(work);
            return json(ctx, response.status, response.body);
          }
          const response = await runIdempotent(deps.db, { scope: `api-token:${ctx.apiPrincipal!.tokenId}`, method: 'POST', path: ctx.path, key }, body, work);
          if (response.replayed) ctx.set.headers['idempotent-replayed'] = 'true';
          return json(ctx, response.status, response.body);
        }),
      { api: 'drawer.close' },
    )
    .get(
      '/api/v1/bank-deposits',
      (ctx) =>
        handle(ctx, async () => {
          const query = parseListQuery(ctx.query, { sorts: DEPOSIT_SORTS, defaultSort: 'date', defaultOrder: 'desc' }, 'strict');
          const { range, errors } = readDateRange(ctx.query);
          if (Object.keys(errors).length) return apiError(ctx, 400, 'validation_failed', 'Invalid list parameters.', errors);
          const { rows, total } = await listBankDeposits(deps.db, range, query);
          return json(ctx, 200, { data: rows.map(depositJson), pagination: apiPagination(query, total) });
        }),
      { api: 'drawer.close' },
    )
    .get('/api/v1/bank-deposits/:id', (ctx) => handle(ctx, async () => json(ctx, 200, depositJson(await getBankDeposit(deps.db, ctx.params.id)))), { api: 'drawer.close' });
}

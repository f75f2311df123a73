import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import type { Tx } from '../../db/client';
import { authPlugin } from '../../server/auth';
import { apiError, json } from '../../server/respond';
import { documentApi, listQuerySchema } from '../api/registry';
import { apiActor, handle, iso, jsonBody, parseBody } from '../api/support';
import { runIdempotent, validateIdempotencyKey } from '../api/idempotency';
import { apiPagination, parseListQuery } from '../../ui/list';
import { isUuid } from '../../db/sql-helpers';
import { DRAWER_MOVEMENT_KINDS } from '../../db/schema';
import { readDateRange } from '../ledger/schemas';
import { closeSessionSchema, movementSchema, openSessionSchema, registerCreateSchema, registerPatchSchema, reopenSchema } from './schemas';
import { createRegister, getRegister, listRegisters, updateRegister, type Register, type RegisterWithSession } from './service';
import { closeSession, getSession, openSession, recordMovement, reopenSession, sessionReport, type SessionReport } from './sessions';
import { listSessions, SESSION_SORTS, type SessionRow } from './queries';

const tag = 'registers';

const openSessionOut = z.object({ id: z.uuid(), number: z.string(), opened_by: z.string(), opened_at: z.string(), float_cents: z.number().int() });
const registerOut = z.object({ id: z.uuid(), name: z.string(), active: z.boolean(), created_at: z.string(), open_session: openSessionOut.nullable() });
const movementOut = z.object({ id: z.uuid(), kind: z.enum(DRAWER_MOVEMENT_KINDS), amount_cents: z.number().int(), reason: z.string(), by: z.string(), at: z.string(), journal_entry_id: z.uuid().nullable() });
const sessionOut = z.object({
  id: z.uuid(),
  number: z.string().describe('Gap-free DS-000001 …'),
  register_id: z.uuid(),
  register_name: z.string(),
  status: z.enum(['open', 'closed']),
  blind: z.boolean(),
  opened_by: z.string(),
  opened_at: z.string(),
  float_cents: z.number().int(),
  float_denominations: z.record(z.string(), z.number().int()).nullable(),
  totals: z.object({ paid_ins_cents: z.number().int(), paid_outs_cents: z.number().int(), drops_cents: z.number().int(), no_sales: z.number().int(), cash_taken_cents: z.number().int(), change_given_cents: z.number().int(), cash_refunds_cents: z.number().int(), checks_taken_cents: z.number().int() }),
  expected: z.object({ cash_cents: z.number().int(), checks_cents: z.number().int() }).describe('Open: what the drawer should hold now (X report). Closed: what it should have held at the close.'),
  counted: z.object({ cash_cents: z.number().int(), checks_cents: z.number().int(), cash_denominations: z.record(z.string(), z.number().int()) }).nullable().describe('Null while open'),
  over_short_cents: z.number().int().nullable().describe('counted − expected, cash + checks (negative = short); null while open'),
  closed_by: z.string().nullable(),
  closed_at: z.string().nullable(),
  close_entry_id: z.uuid().nullable(),
  note: z.string(),
  movements: z.array(movementOut),
});
const sessionRowOut = sessionOut.pick({ id: true, number: true, register_id: true, register_name: true, status: true, blind: true, opened_by: true, opened_at: true, float_cents: true, over_short_cents: true, closed_by: true, closed_at: true }).extend({ expected_cash_cents: z.number().int().nullable(), counted_cash_cents: z.number().int().nullable(), counted_checks_cents: z.number().int().nullable() });

const idempotencyNote = ' Send an Idempotency-Key to make a retry safe.';

documentApi({ method: 'get', path: '/api/v1/registers', summary: 'Registers (active first, by name) with their open drawer session', tag, permission: 'drawer.open', response: z.object({ data: z.array(registerOut) }) });
documentApi({ method: 'post', path: '/api/v1/registers', summary: 'Add a register (name unique, case-insensitively)', tag, permission: 'settings.manage', body: registerCreateSchema, response: registerOut, responseStatus: 201 });
documentApi({ method: 'patch', path: '/api/v1/registers/:id', summary: 'Rename or (de)activate a register; one with an open session cannot be deactivated (409)', tag, permission: 'settings.manage', body: registerPatchSchema, response: registerOut });
documentApi({ method: 'post', path: '/api/v1/registers/:id/sessions', summary: `Open a drawer session with a float (float_cents, or float_denominations {"2000": 3, …} keyed by cents; both must agree). Posts Dr Cash in drawers / Cr Safe. 409 when the register already has an open session.${idempotencyNote}`, tag, permission: 'drawer.open', body: openSessionSchema, response: sessionOut, responseStatus: 201, idempotent: true });
documentApi({ method: 'get', path: '/api/v1/register-sessions', summary: 'Drawer history: sessions newest first (sort opened|number|register|over_short; filter register_id, from, to as business dates)', tag, permission: 'drawer.open', query: listQuerySchema.extend({ register_id: z.uuid().optional(), from: z.string().optional(), to: z.string().optional() }), response: sessionRowOut, list: true });
documentApi({ method: 'get', path: '/api/v1/register-sessions/:id', summary: 'One drawer session (id or DS- number): expected, counted, over/short, movements', tag, permission: 'drawer.open', response: sessionOut });
documentApi({ method: 'post', path: '/api/v1/register-sessions/:id/movements', summary: `Paid-in, paid-out (reason required), drop to the safe, or no-sale (no amount) on an open session; 409 when closed.${idempotencyNote}`, tag, permission: 'drawer.open', body: movementSchema, response: sessionOut, responseStatus: 201, idempotent: true });
documentApi({ method: 'post', path: '/api/v1/register-sessions/:id/close', summary: `Close with the counted cash by denomination (cash_denominations, keys in cents) and checks_cents; over/short posts to Cash over/short, counted cash to the safe. 409 when already closed.${idempotencyNote}`, tag, permission: 'drawer.close', body: closeSessionSchema, response: sessionOut, idempotent: true });
documentApi({ method: 'post', path: '/api/v1/register-sessions/:id/reopen', summary: `Reopen a closed session with a note (manager): reverses the close entry. 409 when open or when the register has another open session.${idempotencyNote}`, tag, permission: 'drawer.reopen', body: reopenSchema, response: sessionOut, idempotent: true });

export const registerJson = (r: Register | RegisterWithSession): z.infer<typeof registerOut> => ({
  id: r.id,
  name: r.name,
  active: r.active,
  created_at: iso(r.createdAt)!,
  open_session: 'openSession' in r && r.openSession ? { id: r.openSession.id, number: r.openSession.number, opened_by: r.openSession.openedByLabel, opened_at: iso(r.openSession.openedAt)!, float_cents: r.openSession.floatCents } : null,
});

export const sessionJson = (rep: SessionReport): z.infer<typeof sessionOut> => {
  const s = rep.session;
  const t = rep.totals;
  return {
    id: s.id,
    number: s.number,
    register_id: s.registerId,
    register_name: rep.registerName,
    status: s.status as 'open' | 'closed',
    blind: s.blind,
    opened_by: s.openedByLabel,
    opened_at: iso(s.openedAt)!,
    float_cents: s.floatCents,
    float_denominations: s.floatDenominations ?? null,
    totals: { paid_ins_cents: t.paidInsCents, paid_outs_cents: t.paidOutsCents, drops_cents: t.dropsCents, no_sales: t.noSales, cash_taken_cents: t.cashTakenCents, change_given_cents: t.changeGivenCents, cash_refunds_cents: t.cashRefundsCents, checks_taken_cents: t.checksTakenCents },
    expected: { cash_cents: rep.expectedCashCents, checks_cents: rep.expectedChecksCents },
    counted: s.status === 'closed' ? { cash_cents: s.countedCashCents!, checks_cents: s.countedChecksCents!, cash_denominations: s.countedDenominations ?? {} } : null,
    over_short_cents: s.overShortCents,
    closed_by: s.closedByLabel,
    closed_at: iso(s.closedAt),
    close_entry_id: s.closeEntryId,
    note: s.note,
    movements: rep.movements.map((m) => ({ id: m.id, kind: m.kind as z.infer<typeof movementOut>['kind'], amount_cents: m.amountCents, reason: m.reason, by: m.byLabel, at: iso(m.at)!, journal_entry_id: m.journalEntryId })),
  };
};

const sessionRowJson = (r: SessionRow): z.infer<typeof sessionRowOut> => ({
  id: r.id,
  number: r.number,
  register_id: r.registerId,
  register_name: r.registerName,
  status: r.status as 'open' | 'closed',
  blind: r.blind,
  opened_by: r.openedByLabel,
  opened_at: iso(r.openedAt)!,
  float_cents: r.floatCents,
  expected_cash_cents: r.expectedCashCents,
  counted_cash_cents: r.countedCashCents,
  counted_checks_cents: r.countedChecksCents,
  over_short_cents: r.overShortCents,
  closed_by: r.closedByLabel,
  closed_at: iso(r.closedAt),
});

export function registersApi(deps: AppDeps) {
  /**
   * A money-moving POST: parse, then run once per Idempotency-Key (same key + same body replays the first
   * answer). The session's report is read on the same transaction, so the answer shows what was committed.
   */
  const moneyPost = (ctx: any, status: number, run: (tx: Tx) => Promise<string>) =>
    handle(ctx, async () => {
      const body = jsonBody(ctx);
      const key = validateIdempotencyKey(ctx.request.headers.get('idempotency-key'));
      const work = async (tx: Tx) => ({ status, body: sessionJson(await sessionReport(tx, await run(tx))) });
      if (!key) {
        const response = await deps.db.transaction(work);
        return json(ctx, response.status, response.body);
      }
      const response = await runIdempotent(deps.db, { scope: `api-token:${ctx.apiPrincipal!.tokenId}`, method: 'POST', path: ctx.path, key }, body, work);
      if (response.replayed) ctx.set.headers['idempotent-replayed'] = 'true';
      return json(ctx, response.status, response.body);
    });

  return new Elysia({ name: 'feature.registers.api' })
    .use(authPlugin(deps))
    .get('/api/v1/registers', (ctx) => handle(ctx, async () => json(ctx, 200, { data: (await listRegisters(deps.db)).map(registerJson) })), { api: 'drawer.open' })
    .post(
      '/api/v1/registers',
      (ctx) =>
        handle(ctx, async () => {
          const input = parseBody(ctx, registerCreateSchema);
          const row = await deps.db.transaction((tx) => createRegister(tx, apiActor(ctx), input));
          return json(ctx, 201, registerJson(row));
        }),
      { api: 'settings.manage' },
    )
    .patch(
      '/api/v1/registers/:id',
      (ctx) =>
        handle(ctx, async () => {
          const register = await getRegister(deps.db, ctx.params.id);
          const input = parseBody(ctx, registerPatchSchema);
          await deps.db.transaction((tx) => updateRegister(tx, apiActor(ctx), register.id, input));
          const [row] = (await listRegisters(deps.db)).filter((r) => r.id === register.id);
          return json(ctx, 200, registerJson(row));
        }),
      { api: 'settings.manage' },
    )
    .post(
      '/api/v1/registers/:id/sessions',
      (ctx) =>
        handle(ctx, async () => {
          const register = await getRegister(deps.db, ctx.params.id);
          const input = parseBody(ctx, openSessionSchema);
          return moneyPost(ctx, 201, async (tx) => (await openSession(tx, apiActor(ctx), register.id, input)).id);
        }),
      { api: 'drawer.open' },
    )
    .get(
      '/api/v1/register-sessions',
      (ctx) =>
        handle(ctx, async () => {
          const query = parseListQuery(ctx.query, { sorts: SESSION_SORTS, defaultSort: 'opened', defaultOrder: 'desc' }, 'strict');
          const { range, errors } = readDateRange(ctx.query);
          const registerId = (ctx.query as any).register_id;
          if (registerId !== undefined && !isUuid(registerId)) errors.register_id = 'register_id must be a register id (uuid).';
          if (Object.keys(errors).length) return apiError(ctx, 400, 'validation_failed', 'Invalid list parameters.', errors);
          if (registerId) await getRegister(deps.db, registerId);
          const { rows, total } = await listSessions(deps.db, { ...range, registerId: registerId ?? null }, query);
          return json(ctx, 200, { data: rows.map(sessionRowJson), pagination: apiPagination(query, total) });
        }),
      { api: 'drawer.open' },
    )
    .get('/api/v1/register-sessions/:id', (ctx) => handle(ctx, async () => json(ctx, 200, sessionJson(await sessionReport(deps.db, ctx.params.id)))), { api: 'drawer.open' })
    .post(
      '/api/v1/register-sessions/:id/movements',
      (ctx) =>
        handle(ctx, async () => {
          const session = await getSession(deps.db, ctx.params.id);
          const input = parseBody(ctx, movementSchema);
          return moneyPost(ctx, 201, async (tx) => (await recordMovement(tx, apiActor(ctx), session.id, input)).sessionId);
        }),
      { api: 'drawer.open' },
    )
    .post(
      '/api/v1/register-sessions/:id/close',
      (ctx) =>
        handle(ctx, async () => {
          const session = await getSession(deps.db, ctx.params.id);
          const input = parseBody(ctx, closeSessionSchema);
          return moneyPost(ctx, 200, async (tx) => (await closeSession(tx, apiActor(ctx), session.id, input)).id);
        }),
      { api: 'drawer.close' },
    )
    .post(
      '/api/v1/register-sessions/:id/reopen',
      (ctx) =>
        handle(ctx, async () => {
          const session = await getSession(deps.db, ctx.params.id);
          const input = parseBody(ctx, reopenSchema);
          return moneyPost(ctx, 200, async (tx) => (await reopenSession(tx, apiActor(ctx), session.id, input.note)).id);
        }),
      { api: 'drawer.reopen' },
    );
}

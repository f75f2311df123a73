import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { drawerMovements, drawerSessions, registers, type DrawerMovementKind } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { isUniqueViolation, isUuid } from '../../db/sql-helpers';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import { nextInSeries } from '../numbering';
import { closeDrawer, countCash, expectedCashCents, expectedChecksCents, type CashCount } from '../../domain/drawer';
import { postEvent, reverseEntry } from '../ledger/journal';
import type { CloseSessionInput, MovementInput, OpenSessionInput } from './schemas';
import { MOVEMENT_LABELS } from './schemas';
import { getRegister } from './service';

/**
 * Drawer sessions (pos.md "Registers and the cash drawer"). Each change runs on the caller's transaction with
 * its journal entry and audit row; the session row is locked first, so two cashiers pressing "close" at once
 * give one close and one 409. The arithmetic is src/domain/drawer.ts; the postings are the drawer_* rules in
 * src/features/ledger/posting-rules.ts (docs/registers.md has examples).
 */

export type DrawerSession = typeof drawerSessions.$inferSelect;
export type DrawerMovement = typeof drawerMovements.$inferSelect;
// Movements are stamped with the clock at insert (not the transaction's now()), so several recorded in one
// transaction (a sale's cash + change, a seed) keep their order.

const SOURCE = 'drawer_session';

/** Movement totals by kind: the inputs of the expected-cash and expected-checks formulas. */
export interface MovementTotals {
  paidInsCents: number;
  paidOutsCents: number;
  dropsCents: number;
  noSales: number;
  cashTakenCents: number;
  changeGivenCents: number;
  cashRefundsCents: number;
  checksTakenCents: number;
  checkRefundsCents: number;
  checkDropsCents: number;
}

export interface SessionReport {
  session: DrawerSession;
  registerName: string;
  movements: DrawerMovement[];
  totals: MovementTotals;
  /** What the drawer should hold now (open) or held at the close (closed). */
  expectedCashCents: number;
  expectedChecksCents: number;
}

export function movementTotals(movements: Pick<DrawerMovement, 'kind' | 'amountCents'>[]): MovementTotals {
  const sum = (kind: DrawerMovementKind) => movements.filter((m) => m.kind === kind).reduce((s, m) => s + m.amountCents, 0);
  return {
    paidInsCents: sum('paid_in'),
    paidOutsCents: sum('paid_out'),
    dropsCents: sum('drop'),
    noSales: movements.filter((m) => m.kind === 'no_sale').length,
    cashTakenCents: sum('sale_cash'),
    changeGivenCents: sum('change_given'),
    cashRefundsCents: sum('refund_cash'),
    checksTakenCents: sum('check_in'),
    checkRefundsCents: sum('check_refund'),
    checkDropsCents: sum('check_drop'),
  };
}

/** Expected cash and checks from the float and the movements (sales and refunds plug in through their kinds). */
export function expectedFor(floatCents: number, t: MovementTotals) {
  return {
    cash: expectedCashCents({ floatCents, cashTakenCents: t.cashTakenCents, changeGivenCents: t.changeGivenCents, cashRefundsCents: t.cashRefundsCents, paidInsCents: t.paidInsCents, paidOutsCents: t.paidOutsCents, dropsCents: t.dropsCents }),
    checks: expectedChecksCents({ checksTakenCents: t.checksTakenCents, checkRefundsCents: t.checkRefundsCents, checkDropsCents: t.checkDropsCents }),
  };
}

/** A session by id, or by its DS- number; 404 for anything else. */
export async function getSession(db: DbOrTx, idOrNumber: string, opts: { lock?: boolean } = {}): Promise<DrawerSession> {
  const where = isUuid(idOrNumber) ? eq(drawerSessions.id, idOrNumber) : /^DS-\d{6,}$/.test(idOrNumber) ? eq(drawerSessions.number, idOrNumber) : null;
  if (!where) throw new NotFoundError('Drawer session');
  const q = db.select().from(drawerSessions).where(where);
  const [row] = opts.lock ? await q.for('update') : await q;
  if (!row) throw new NotFoundError('Drawer session');
  return row;
}

/** The X report (open session: expected so far) or the Z report's figures (closed session). */
export async function sessionReport(db: DbOrTx, idOrNumber: string): Promise<SessionReport> {
  const session = await getSession(db, idOrNumber);
  const [register] = await db.select({ name: registers.name }).from(registers).where(eq(registers.id, session.registerId));
  const movements = await db.select().from(drawerMovements).where(eq(drawerMovements.sessionId, session.id)).orderBy(asc(drawerMovements.at), asc(drawerMovements.id));
  const totals = movementTotals(movements);
  const live = expectedFor(session.floatCents, totals);
  return {
    session,
    registerName: register?.name ?? '',
    movements,
    totals,
    expectedCashCents: session.status === 'closed' ? session.expectedCashCents! : live.cash,
    expectedChecksCents: session.status === 'closed' ? session.expectedChecksCents! : live.checks,
  };
}

/** countCash's RangeError as a field error next to the denomination grid / JSON field. */
function countOrThrow(denominations: unknown, field: string): CashCount {
  try {
    return countCash(denominations);
  } catch (err) {
    if (err instanceof RangeError) throw new ValidationError({ [field]: err.message });
    throw err;
  }
}

/** Only non-zero counts are stored, keyed by the canonical cents text. */
const storedCount = (count: CashCount): Record<string, number> => Object.fromEntries(count.lines.filter((l) => l.count > 0).map((l) => [String(l.denominationCents), l.count]));

export async function openSession(tx: Tx, actor: Actor, registerId: string, input: OpenSessionInput): Promise<DrawerSession> {
  const register = await getRegister(tx, registerId);
  // Locks the register: two opens on it queue here, the second then sees the first's session.
  await tx.select({ id: registers.id }).from(registers).where(eq(registers.id, register.id)).for('update');
  if (!register.active) throw new ConflictError(`${register.name} is deactivated; reactivate it to open a drawer on it.`);
  let floatCents = input.float_cents;
  let floatDenominations: Record<string, number> | null = null;
  if (input.float_denominations !== undefined) {
    const count = countOrThrow(input.float_denominations, 'float_denominations');
    if (floatCents !== undefined && floatCents !== count.totalCents) throw new ValidationError({ float_cents: `float_cents (${floatCents}) is not the total of float_denominations (${count.totalCents}).` });
    floatCents = count.totalCents;
    floatDenominations = storedCount(count);
  }
  if (floatCents === undefined) throw new ValidationError({ float_cents: 'Give the float as float_cents or float_denominations.' });
  const [open] = await tx.select({ number: drawerSessions.number }).from(drawerSessions).where(sql`${drawerSessions.registerId} = ${register.id} and ${drawerSessions.status} = 'open'`);
  if (open) throw new ConflictError(`${register.name} already has an open drawer session (${open.number}); close it first.`);
  const id = randomUUID();
  const number = await nextInSeries(tx, 'drawer_session', 'DS-');
  const entry = await postEvent(tx, actor, 'drawer_open', { amountCents: floatCents, memo: `${number} opened on ${register.name} (float)` }, { sourceType: SOURCE, sourceId: id });
  const [session] = await tx
    .insert(drawerSessions)
    .values({ id, number, registerId: register.id, openedByUserId: actor.userId, openedByLabel: actor.label, floatCents, floatDenominations, blind: input.blind ?? false, openEntryId: entry?.id ?? null })
    .returning()
    .catch((err) => {
      if (isUniqueViolation(err, 'drawer_sessions_one_open_per_register')) throw new ConflictError(`${register.name} already has an open drawer session.`);
      throw err;
    });
  await recordAudit(tx, actor, { action: 'drawer.open', entityType: 'drawer_session', entityId: id, summary: `${number} opened on ${register.name} with a float of ${floatCents} cents`, after: session });
  return session;
}

async function lockOpenSession(tx: Tx, sessionId: string, doing: string): Promise<DrawerSession> {
  const session = await getSession(tx, sessionId, { lock: true });
  if (session.status !== 'open') throw new ConflictError(`Drawer session ${session.number} is closed; you can't ${doing}.`);
  return session;
}

const MOVEMENT_RULE = { paid_in: 'drawer_paid_in', paid_out: 'drawer_paid_out', drop: 'drawer_drop' } as const;

/** Paid-in, paid-out, drop to the safe (each posts) or a no-sale open of the drawer (recorded only). */
export async function recordMovement(tx: Tx, actor: Actor, sessionId: string, input: MovementInput): Promise<DrawerMovement> {
  const session = await lockOpenSession(tx, sessionId, 'record cash movements on it');
  const id = randomUUID();
  const amountCents = input.kind === 'no_sale' ? 0 : input.amount_cents!;
  const reason = input.reason ?? '';
  let entryId: string | null = null;
  if (input.kind !== 'no_sale') {
    const memo = `${session.number} ${MOVEMENT_LABELS[input.kind].toLowerCase()}${reason ? `: ${reason}` : ''}`;
    const entry = await postEvent(tx, actor, MOVEMENT_RULE[input.kind], { amountCents, memo }, { sourceType: 'drawer_movement', sourceId: id });
    entryId = entry?.id ?? null;
  }
  const [movement] = await tx.insert(drawerMovements).values({ id, sessionId: session.id, kind: input.kind, amountCents, reason, journalEntryId: entryId, byUserId: actor.userId, byLabel: actor.label, at: new Date() }).returning();
  await recordAudit(tx, actor, { action: `drawer.${input.kind}`, entityType: 'drawer_session', entityId: session.id, summary: `${session.number}: ${MOVEMENT_LABELS[input.kind]}${amountCents ? ` of ${amountCents} cents` : ''}${reason ? ` (${reason})` : ''}`, after: movement });
  return movement;
}

/**
 * Close: counted cash (by denomination) and checks against what the session should hold. The counted cash goes
 * to the safe, the difference to Cash over/short, all in one entry (drawer_close). A blind close is the same
 * close; the cashier just wasn't shown the expected amount first.
 */
export async function closeSession(tx: Tx, actor: Actor, sessionId: string, input: CloseSessionInput): Promise<DrawerSession> {
  const session = await lockOpenSession(tx, sessionId, 'close it again');
  const movements = await tx.select({ kind: drawerMovements.kind, amountCents: drawerMovements.amountCents }).from(drawerMovements).where(eq(drawerMovements.sessionId, session.id));
  const expected = expectedFor(session.floatCents, movementTotals(movements));
  const count = countOrThrow(input.cash_denominations, 'cash_denominations');
  const close = closeDrawer({ expectedCashCents: expected.cash, expectedChecksCents: expected.checks, cashDenominations: input.cash_denominations, checksCents: input.checks_cents ?? 0 });
  const entry = await postEvent(
    tx,
    actor,
    'drawer_close',
    { expectedCashCents: expected.cash, countedCashCents: close.cash.countedCents, checksOverShortCents: close.checks.overShortCents, memo: `${session.number} closed` },
    { sourceType: SOURCE, sourceId: session.id },
  );
  const now = new Date();
  const [after] = await tx
    .update(drawerSessions)
    .set({
      status: 'closed',
      closedByUserId: actor.userId,
      closedByLabel: actor.label,
      closedAt: now,
      countedCashCents: close.cash.countedCents,
      countedDenominations: storedCount(count),
      countedChecksCents: close.checks.countedCents,
      expectedCashCents: expected.cash,
      expectedChecksCents: expected.checks,
      overShortCents: close.overShortCents,
      closeEntryId: entry?.id ?? null,
      note: input.note ? appendNote(session.note, `Close: ${input.note}`) : session.note,
      updatedAt: now,
    })
    .where(eq(drawerSessions.id, session.id))
    .returning();
  await recordAudit(tx, actor, { action: 'drawer.close', entityType: 'drawer_session', entityId: session.id, summary: `${session.number} closed: counted ${close.cash.countedCents} cash + ${close.checks.countedCents} checks, over/short ${close.overShortCents} cents`, before: session, after });
  return after;
}

const appendNote = (note: string, line: string) => (note ? `${note}\n${line}` : line).slice(-2000);

/**
 * A manager reopens a closed session with a note: the close entry is reversed, the close figures are cleared
 * (the audit row keeps them) and a `reopen` movement records who and why. The register must not have opened
 * another session in the meantime.
 */
export async function reopenSession(tx: Tx, actor: Actor, sessionId: string, note: string): Promise<DrawerSession> {
  const session = await getSession(tx, sessionId, { lock: true });
  if (session.status !== 'closed') throw new ConflictError(`Drawer session ${session.number} is open; only a closed session can be reopened.`);
  await tx.select({ id: registers.id }).from(registers).where(eq(registers.id, session.registerId)).for('update');
  const [other] = await tx.select({ number: drawerSessions.number }).from(drawerSessions).where(sql`${drawerSessions.registerId} = ${session.registerId} and ${drawerSessions.status} = 'open'`);
  if (other) throw new ConflictError(`This register has another open session (${other.number}); close it before reopening ${session.number}.`);
  if (session.closeEntryId) await reverseEntry(tx, actor, session.closeEntryId, `${session.number} reopened: ${note}`.slice(0, 480));
  const now = new Date();
  const [after] = await tx
    .update(drawerSessions)
    .set({ status: 'open', closedByUserId: null, closedByLabel: null, closedAt: null, countedCashCents: null, countedDenominations: null, countedChecksCents: null, expectedCashCents: null, expectedChecksCents: null, overShortCents: null, closeEntryId: null, note: appendNote(session.note, `Reopened by ${actor.label}: ${note}`), updatedAt: now })
    .where(eq(drawerSessions.id, session.id))
    .returning();
  await tx.insert(drawerMovements).values({ sessionId: session.id, kind: 'reopen', amountCents: 0, reason: note.slice(0, 500), byUserId: actor.userId, byLabel: actor.label, at: new Date() });
  await recordAudit(tx, actor, { action: 'drawer.reopen', entityType: 'drawer_session', entityId: session.id, summary: `${session.number} reopened: ${note}`, before: session, after });
  return after;
}

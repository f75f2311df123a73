import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { accounts, drawerSessions, registers, saleDrafts } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { isUuid } from '../../db/sql-helpers';
import { recordAudit, type Actor } from '../audit/service';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import { listRegisters } from '../registers/service';
import { emptyDraftData, itemLines, parseDraftData, withCurrentApproval, type DraftData } from './draft';

/**
 * Registers and working tickets of the sale screen. A ticket (sale_drafts row) belongs to one register and one
 * user while it is active; parked, it belongs to nobody and any register may resume it. Drafts hold no stock
 * and no money: only checkout (checkout.ts) writes financial rows.
 */

export type DraftRow = typeof saleDrafts.$inferSelect;

export interface PosRegister {
  id: string;
  name: string;
  session: { id: string; number: string; openedByLabel: string; openedAt: Date };
}

/** Active registers whose drawer is open: the ones the screen can sell on. */
export async function sellableRegisters(db: DbOrTx): Promise<PosRegister[]> {
  const rows = await listRegisters(db, { activeOnly: true });
  return rows.filter((r) => r.openSession).map((r) => ({ id: r.id, name: r.name, session: r.openSession! }));
}

/** The register a cookie names, if it can still sell; else why not (for the picker's message). */
export async function registerForPos(db: DbOrTx, registerId: string | undefined | null): Promise<{ register: PosRegister | null; problem: string | null }> {
  if (!registerId || !isUuid(registerId)) return { register: null, problem: null };
  const [row] = await db
    .select({ id: registers.id, name: registers.name, active: registers.active, session: { id: drawerSessions.id, number: drawerSessions.number, openedByLabel: drawerSessions.openedByLabel, openedAt: drawerSessions.openedAt } })
    .from(registers)
    .leftJoin(drawerSessions, and(eq(drawerSessions.registerId, registers.id), eq(drawerSessions.status, 'open')))
    .where(eq(registers.id, registerId));
  if (!row) return { register: null, problem: null };
  if (!row.active) return { register: null, problem: `${row.name} is inactive.` };
  if (!row.session?.id) return { register: null, problem: `The drawer of ${row.name} is closed. Open it on the Registers page (count the float), then come back.` };
  return { register: { id: row.id, name: row.name, session: row.session as PosRegister['session'] }, problem: null };
}

/** The user's active ticket on this register (null until the first thing is rung up). */
export async function findActiveDraft(db: DbOrTx, registerId: string, userId: string | null): Promise<DraftRow | null> {
  if (!userId) return null;
  const [row] = await db
    .select()
    .from(saleDrafts)
    .where(and(eq(saleDrafts.status, 'active'), eq(saleDrafts.registerId, registerId), eq(saleDrafts.createdByUserId, userId)))
    .orderBy(desc(saleDrafts.updatedAt))
    .limit(1);
  return row ?? null;
}

/** One active ticket per (register, user): concurrent first scans queue on this lock instead of making two. */
async function lockTicketSlot(tx: Tx, registerId: string, userId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`pos-draft:${registerId}:${userId}`}, 0))`);
}

export interface DraftChange<T> {
  data?: DraftData;
  /** undefined = unchanged; null = detach. */
  accountId?: string | null;
  result: T;
}

/**
 * Runs a change on the user's active ticket of `registerId`, creating the ticket first if there is none. The
 * row is locked for the change; whatever `change` returns as data/accountId is written back (the manager's
 * approval is dropped when the discounts it covered changed) with a fresh checkout key.
 */
export async function changeDraft<T>(tx: Tx, actor: Actor, registerId: string, change: (draft: DraftRow, data: DraftData) => Promise<DraftChange<T>>): Promise<{ draft: DraftRow; result: T }> {
  if (!actor.userId) throw new ValidationError({ _: 'Only a signed-in person can ring up a sale.' });
  await lockTicketSlot(tx, registerId, actor.userId);
  let draft = (await findActiveDraft(tx, registerId, actor.userId)) ?? null;
  if (draft) {
    [draft] = await tx.select().from(saleDrafts).where(eq(saleDrafts.id, draft.id)).for('update');
  } else {
    [draft] = await tx
      .insert(saleDrafts)
      .values({ registerId, status: 'active', data: emptyDraftData(), checkoutKey: randomUUID(), createdByUserId: actor.userId, createdByLabel: actor.label })
      .returning();
  }
  const out = await change(draft, parseDraftData(draft.data));
  if (out.data !== undefined || out.accountId !== undefined) {
    const data = out.data ? withCurrentApproval(out.data) : undefined;
    [draft] = await tx
      .update(saleDrafts)
      // A new checkout key with every change: a checkout form shown before the change can't complete the changed sale.
      .set({ ...(data ? { data } : {}), ...(out.accountId !== undefined ? { accountId: out.accountId } : {}), checkoutKey: randomUUID(), updatedAt: new Date() })
      .where(eq(saleDrafts.id, draft.id))
      .returning();
  }
  return { draft, result: out.result };
}

const lineSummary = (data: DraftData) => {
  const items = itemLines(data);
  const units = items.reduce((n, l) => n + l.quantity, 0);
  const others = data.lines.length - items.length;
  return `${units} item${units === 1 ? '' : 's'}${others ? ` + ${others} other line${others === 1 ? '' : 's'}` : ''}`;
};

/** Parks the active ticket (label optional); the register is then free for the next customer. */
export async function parkDraft(tx: Tx, actor: Actor, registerId: string, label: string, now: Date): Promise<DraftRow> {
  const current = await findActiveDraft(tx, registerId, actor.userId);
  const data = current ? parseDraftData(current.data) : null;
  if (!current || !data || data.lines.length === 0) throw new ValidationError({ park_label: 'Nothing to park: the sale is empty.' });
  const [row] = await tx
    .update(saleDrafts)
    .set({ status: 'parked', label, parkedAt: now, updatedAt: new Date() })
    .where(and(eq(saleDrafts.id, current.id), eq(saleDrafts.status, 'active')))
    .returning();
  await recordAudit(tx, actor, { action: 'pos.draft.park', entityType: 'sale_draft', entityId: row.id, summary: `Parked a sale (${lineSummary(data)})${label ? `: ${label}` : ''}`, after: { label, lines: data.lines.length } });
  return row;
}

/**
 * Resumes a parked ticket on this register for this user (from any register). Refused while the user's
 * current ticket has lines: park or finish it first. An empty current ticket is simply dropped.
 */
export async function resumeDraft(tx: Tx, actor: Actor, registerId: string, draftId: string): Promise<DraftRow> {
  if (!isUuid(draftId)) throw new NotFoundError('Parked sale');
  if (!actor.userId) throw new ValidationError({ _: 'Only a signed-in person can resume a sale.' });
  await lockTicketSlot(tx, registerId, actor.userId);
  const current = await findActiveDraft(tx, registerId, actor.userId);
  if (current && parseDraftData(current.data).lines.length > 0) throw new ConflictError('The current sale has items: park it or finish it before resuming another.');
  const [row] = await tx
    .update(saleDrafts)
    .set({ status: 'active', registerId, createdByUserId: actor.userId, createdByLabel: actor.label, parkedAt: null, checkoutKey: randomUUID(), updatedAt: new Date() })
    .where(and(eq(saleDrafts.id, draftId), eq(saleDrafts.status, 'parked')))
    .returning();
  if (!row) {
    const [exists] = await tx.select({ id: saleDrafts.id }).from(saleDrafts).where(eq(saleDrafts.id, draftId));
    if (!exists) throw new NotFoundError('Parked sale');
    throw new ConflictError('Someone already resumed this sale.');
  }
  if (current) await tx.delete(saleDrafts).where(eq(saleDrafts.id, current.id));
  await recordAudit(tx, actor, { action: 'pos.draft.resume', entityType: 'sale_draft', entityId: row.id, summary: `Resumed a parked sale${row.label ? ` (${row.label})` : ''}`, after: { register_id: registerId } });
  return row;
}

/** "New sale": throws the active ticket away (audited when it had lines: a cleared ticket is worth knowing about). */
export async function clearDraft(tx: Tx, actor: Actor, registerId: string): Promise<boolean> {
  const current = await findActiveDraft(tx, registerId, actor.userId);
  if (!current) return false;
  const data = parseDraftData(current.data);
  await tx.delete(saleDrafts).where(eq(saleDrafts.id, current.id));
  if (data.lines.length) await recordAudit(tx, actor, { action: 'pos.draft.clear', entityType: 'sale_draft', entityId: current.id, summary: `Cleared an unfinished sale (${lineSummary(data)})`, before: data });
  return data.lines.length > 0;
}

export async function discardParked(tx: Tx, actor: Actor, draftId: string): Promise<void> {
  if (!isUuid(draftId)) throw new NotFoundError('Parked sale');
  const [row] = await tx.delete(saleDrafts).where(and(eq(saleDrafts.id, draftId), eq(saleDrafts.status, 'parked'))).returning();
  if (!row) throw new NotFoundError('Parked sale');
  const data = parseDraftData(row.data);
  await recordAudit(tx, actor, { action: 'pos.draft.discard', entityType: 'sale_draft', entityId: row.id, summary: `Discarded a parked sale (${lineSummary(data)})${row.label ? `: ${row.label}` : ''}`, before: data });
}

export interface ParkedRow {
  id: string;
  label: string;
  parkedAt: Date | null;
  byLabel: string;
  registerName: string | null;
  accountName: string | null;
  summary: string;
  descriptions: string[];
}

/** Every parked ticket, newest first (any register may resume any of them). */
export async function listParked(db: DbOrTx, limit = 200): Promise<ParkedRow[]> {
  const rows = await db
    .select({ draft: saleDrafts, registerName: registers.name, accountName: accounts.name })
    .from(saleDrafts)
    .leftJoin(registers, eq(registers.id, saleDrafts.registerId))
    .leftJoin(accounts, eq(accounts.id, saleDrafts.accountId))
    .where(eq(saleDrafts.status, 'parked'))
    .orderBy(desc(saleDrafts.parkedAt))
    .limit(limit);
  return rows.map(({ draft, registerName, accountName }) => {
    const data = parseDraftData(draft.data);
    return {
      id: draft.id,
      label: draft.label,
      parkedAt: draft.parkedAt,
      byLabel: draft.createdByLabel,
      registerName,
      accountName,
      summary: lineSummary(data),
      descriptions: data.lines.slice(0, 4).map((l) => (l.kind === 'item' ? `${l.quantity > 1 ? `${l.quantity} × ` : ''}${l.description}` : l.kind === 'gift_card' ? 'Gift card' : 'Payment on account')),
    };
  });
}

export async function countParked(db: DbOrTx): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(saleDrafts).where(eq(saleDrafts.status, 'parked'));
  return r.n;
}

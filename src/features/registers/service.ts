import { and, asc, eq, sql } from 'drizzle-orm';
import { drawerSessions, registers } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { isUniqueViolation, isUuid } from '../../db/sql-helpers';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';

/** Registers (counter PCs): the owner or a manager adds, renames and deactivates them (settings.manage). */

export type Register = typeof registers.$inferSelect;

export interface RegisterWithSession extends Register {
  openSession: { id: string; number: string; openedByLabel: string; openedAt: Date; floatCents: number } | null;
}

const NAME_TAKEN = 'Another register already has this name.';

export async function getRegister(db: DbOrTx, id: string): Promise<Register> {
  if (!isUuid(id)) throw new NotFoundError('Register');
  const [row] = await db.select().from(registers).where(eq(registers.id, id));
  if (!row) throw new NotFoundError('Register');
  return row;
}

/** Every register (active first, then by name) with its open session, if any. */
export async function listRegisters(db: DbOrTx, opts: { activeOnly?: boolean } = {}): Promise<RegisterWithSession[]> {
  const rows = await db
    .select({ register: registers, session: { id: drawerSessions.id, number: drawerSessions.number, openedByLabel: drawerSessions.openedByLabel, openedAt: drawerSessions.openedAt, floatCents: drawerSessions.floatCents } })
    .from(registers)
    .leftJoin(drawerSessions, and(eq(drawerSessions.registerId, registers.id), eq(drawerSessions.status, 'open')))
    .where(opts.activeOnly ? eq(registers.active, true) : undefined)
    .orderBy(sql`${registers.active} desc`, asc(sql`lower(${registers.name})`));
  return rows.map((r) => ({ ...r.register, openSession: r.session?.id ? r.session : null }));
}

export async function createRegister(tx: Tx, actor: Actor, input: { name: string }): Promise<Register> {
  const [row] = await tx
    .insert(registers)
    .values({ name: input.name })
    .returning()
    .catch((err) => {
      if (isUniqueViolation(err, 'registers_name_lower_key')) throw new ConflictError(NAME_TAKEN, { name: NAME_TAKEN });
      throw err;
    });
  await recordAudit(tx, actor, { action: 'register.create', entityType: 'register', entityId: row.id, summary: `Register "${row.name}" added`, after: row });
  return row;
}

/** Rename and/or (de)activate. A register with an open drawer session can't be deactivated: close it first. */
export async function updateRegister(tx: Tx, actor: Actor, id: string, input: { name?: string; active?: boolean }): Promise<Register> {
  const before = await getRegister(tx, id);
  if (input.name === undefined && input.active === undefined) throw new ValidationError({ _: 'Nothing to change: send name and/or active.' });
  if (input.active === false && before.active) {
    const [open] = await tx.select({ number: drawerSessions.number }).from(drawerSessions).where(and(eq(drawerSessions.registerId, id), eq(drawerSessions.status, 'open')));
    if (open) throw new ConflictError(`Close drawer session ${open.number} before deactivating ${before.name}.`, { active: 'This register has an open drawer session.' });
  }
  const [after] = await tx
    .update(registers)
    .set({ ...(input.name !== undefined ? { name: input.name } : {}), ...(input.active !== undefined ? { active: input.active } : {}), updatedAt: new Date() })
    .where(eq(registers.id, id))
    .returning()
    .catch((err) => {
      if (isUniqueViolation(err, 'registers_name_lower_key')) throw new ConflictError(NAME_TAKEN, { name: NAME_TAKEN });
      throw err;
    });
  const what = [input.name !== undefined && input.name !== before.name ? `renamed to "${after.name}"` : null, input.active !== undefined && input.active !== before.active ? (after.active ? 'reactivated' : 'deactivated') : null].filter(Boolean).join(', ');
  await recordAudit(tx, actor, { action: 'register.update', entityType: 'register', entityId: id, summary: `Register "${before.name}" ${what || 'saved unchanged'}`, before, after });
  return after;
}

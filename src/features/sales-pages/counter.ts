import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import { drawerSessions, registers, roles, staffUserRoles, staffUsers } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { isUuid } from '../../db/sql-helpers';
import type { Permission } from '../auth/permissions';

/**
 * Counter facts the sale pages need around a form: which open drawer a refund goes through, and who can
 * approve with a PIN (a manager is picked by name first, then the PIN checks that one user — pin-approvals.md).
 */

/** The counter PC's register, remembered by the sale screen in this cookie (its value is the register id). */
export const REGISTER_COOKIE = 'forte_register';

export interface OpenSession {
  id: string;
  number: string;
  registerId: string;
  registerName: string;
  openedByUserId: string | null;
  openedByLabel: string;
}

export async function openSessions(db: DbOrTx): Promise<OpenSession[]> {
  return db
    .select({ id: drawerSessions.id, number: drawerSessions.number, registerId: drawerSessions.registerId, registerName: registers.name, openedByUserId: drawerSessions.openedByUserId, openedByLabel: drawerSessions.openedByLabel })
    .from(drawerSessions)
    .innerJoin(registers, eq(registers.id, drawerSessions.registerId))
    .where(eq(drawerSessions.status, 'open'))
    .orderBy(asc(sql`lower(${registers.name})`));
}

/**
 * The drawer a refund uses: this PC's register (cookie) when its drawer is open, else the only open drawer,
 * else the one this user opened; `choose` is true when several are open and the page should offer a select.
 */
export function pickSession(sessions: OpenSession[], cookieRegisterId: string | undefined, userId: string | null): { sessionId: string | null; choose: boolean } {
  if (isUuid(cookieRegisterId)) {
    const mine = sessions.find((s) => s.registerId === cookieRegisterId);
    if (mine) return { sessionId: mine.id, choose: false };
  }
  if (sessions.length === 1) return { sessionId: sessions[0].id, choose: false };
  if (sessions.length === 0) return { sessionId: null, choose: false };
  return { sessionId: sessions.find((s) => s.openedByUserId && s.openedByUserId === userId)?.id ?? null, choose: true };
}

/** Active staff with a PIN whose roles allow `permission`: the names a PIN prompt offers. */
export async function approversFor(db: DbOrTx, permission: Permission): Promise<{ username: string; name: string }[]> {
  return db
    .selectDistinct({ username: staffUsers.username, name: staffUsers.name })
    .from(staffUsers)
    .innerJoin(staffUserRoles, eq(staffUserRoles.userId, staffUsers.id))
    .innerJoin(roles, eq(roles.id, staffUserRoles.roleId))
    .where(and(eq(staffUsers.active, true), isNotNull(staffUsers.pinHash), sql`${permission} = any(${roles.permissions})`))
    .orderBy(asc(staffUsers.name));
}

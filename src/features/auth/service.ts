import { and, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { roles, sessions, staffUserRoles, staffUsers, apiTokens } from '../../db/schema';
import type { Db, DbOrTx } from '../../db/client';
import { randomToken, sha256Hex, verifyPassword } from './crypto';
import { clearFailures, ipKey, IP_FREE_FAILURES, lockedUntil, recordFailure, usernameKey, USERNAME_FREE_FAILURES } from './throttle';
import { recordAudit, type Actor } from '../audit/service';
import { ServiceError } from '../service-errors';
import { isPermission, type Permission } from './permissions';

export interface CurrentUser {
  id: string;
  username: string;
  name: string;
  roleKeys: string[];
  permissions: Set<Permission>;
}

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export class TooManyAttemptsError extends ServiceError {
  constructor(public readonly retryAfterSeconds: number) {
    super('too_many_requests', `Too many failed sign-in attempts. Try again in ${formatWait(retryAfterSeconds)}, or ask the owner to reset your password.`, 429);
  }
}
function formatWait(seconds: number): string {
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}

export class BadCredentialsError extends ServiceError {
  constructor() {
    super('unauthorized', 'Wrong username or password.', 401);
  }
}

/** Loads a user's roles and the union of their permissions (inactive users get none). */
export async function loadUserWithPermissions(db: DbOrTx, userId: string): Promise<CurrentUser | null> {
  const rows = await db
    .select({ id: staffUsers.id, username: staffUsers.username, name: staffUsers.name, active: staffUsers.active, roleKey: roles.key, permissions: roles.permissions })
    .from(staffUsers)
    .leftJoin(staffUserRoles, eq(staffUserRoles.userId, staffUsers.id))
    .leftJoin(roles, eq(roles.id, staffUserRoles.roleId))
    .where(eq(staffUsers.id, userId));
  if (rows.length === 0 || !rows[0].active) return null;
  const permissions = new Set<Permission>();
  const roleKeys: string[] = [];
  for (const row of rows) {
    if (row.roleKey) roleKeys.push(row.roleKey);
    for (const p of row.permissions ?? []) if (isPermission(p)) permissions.add(p);
  }
  return { id: rows[0].id, username: rows[0].username, name: rows[0].name, roleKeys, permissions };
}

export interface LoginInput {
  username: string;
  password: string;
  ip: string;
  userAgent: string | null;
}

/**
 * Checks the password under per-username and per-IP throttling and creates a server-side session.
 * Returns the cookie token; only its SHA-256 is stored.
 */
export async function login(db: Db, input: LoginInput, policy: SessionPolicy, now: Date, requestId: string | null): Promise<{ token: string; user: CurrentUser }> {
  const keys = [usernameKey(input.username), ipKey(input.ip)];
  const lock = await lockedUntil(db, keys, now);
  if (lock) throw new TooManyAttemptsError(Math.max(1, Math.ceil((lock.getTime() - now.getTime()) / 1000)));

  const [found] = await db.select().from(staffUsers).where(sql`lower(${staffUsers.username}) = ${input.username.trim().toLowerCase()}`);
  const ok = await verifyPassword(input.password, found?.passwordHash ?? null);
  if (!ok || !found || !found.active) {
    await db.transaction(async (tx) => {
      const lockedUser = await recordFailure(tx, keys[0], USERNAME_FREE_FAILURES, now);
      const lockedIp = await recordFailure(tx, keys[1], IP_FREE_FAILURES, now);
      if (lockedUser || lockedIp) {
        // The owner sees lockouts in the audit log (the notification outbox arrives with email).
        await recordAudit(tx, { userId: null, label: 'system', requestId, ip: input.ip }, {
          action: 'auth.lockout',
          entityType: 'staff_user',
          entityId: found?.id ?? null,
          summary: lockedUser ? `Sign-in locked for username "${input.username.slice(0, 60)}" after repeated failures` : `Sign-in locked for IP ${input.ip}`,
        });
      }
    });
    throw new BadCredentialsError();
  }

  const user = await loadUserWithPermissions(db, found.id);
  if (!user) throw new BadCredentialsError();
  const token = randomToken(32);
  await db.transaction(async (tx) => {
    await clearFailures(tx, [keys[0]]);
    await tx.insert(sessions).values({
      tokenHash: sha256Hex(token),
      userId: user.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + policy.absoluteHours * 3_600_000),
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
    // Proving the password also unlocks a PIN locked by wrong tries (staff.md; docs/pin-approvals.md).
    await tx.update(staffUsers).set({ lastLoginAt: now, pinFailures: 0 }).where(eq(staffUsers.id, user.id));
    await recordAudit(tx, { userId: user.id, label: user.username, requestId, ip: input.ip }, { action: 'auth.login', entityType: 'staff_user', entityId: user.id, summary: `${user.username} signed in` });
  });
  return { token, user };
}

export interface ResolvedSession {
  tokenHash: string;
  user: CurrentUser;
}

/** Touching last_seen on every request would write on every page view; once a minute is enough for idle timeout. */
const TOUCH_INTERVAL_MS = 60_000;

/** Validates a session token: known, not past its absolute lifetime, not idle too long, user active. */
export async function resolveSession(db: Db, token: string, policy: SessionPolicy, now: Date): Promise<ResolvedSession | null> {
  const tokenHash = sha256Hex(token);
  const [row] = await db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash));
  if (!row) return null;
  const idleLimit = row.lastSeenAt.getTime() + policy.idleMinutes * 60_000;
  if (row.expiresAt <= now || idleLimit <= now.getTime()) {
    await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    return null;
  }
  const user = await loadUserWithPermissions(db, row.userId);
  if (!user) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash));
  }
  return { tokenHash, user };
}

export async function logout(db: Db, tokenHash: string, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    await recordAudit(tx, actor, { action: 'auth.logout', entityType: 'staff_user', entityId: actor.userId, summary: `${actor.label} signed out` });
  });
}

export async function logoutEverywhere(db: Db, userId: string, actor: Actor): Promise<number> {
  return db.transaction(async (tx) => {
    const deleted = await tx.delete(sessions).where(eq(sessions.userId, userId)).returning({ h: sessions.tokenHash });
    await recordAudit(tx, actor, { action: 'auth.logout_everywhere', entityType: 'staff_user', entityId: userId, summary: `Signed out of ${deleted.length} session(s)` });
    return deleted.length;
  });
}

/** Deletes sessions past their absolute lifetime or idle limit (the session-cleanup job). */
export async function deleteExpiredSessions(db: DbOrTx, policy: SessionPolicy, now: Date): Promise<number> {
  const idleCutoff = new Date(now.getTime() - policy.idleMinutes * 60_000);
  const deleted = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, idleCutoff)))
    .returning({ h: sessions.tokenHash });
  return deleted.length;
}

export interface ApiPrincipal {
  tokenId: string;
  tokenName: string;
  user: CurrentUser;
}

/** Bearer tokens act for their owner with the intersection of the token's and the owner's current permissions. */
export async function authenticateApiToken(db: Db, token: string, now: Date): Promise<ApiPrincipal | null> {
  const [row] = await db.select().from(apiTokens).where(and(eq(apiTokens.tokenHash, sha256Hex(token))));
  if (!row || row.revokedAt) return null;
  const owner = await loadUserWithPermissions(db, row.ownerUserId);
  if (!owner) return null;
  const permissions = new Set<Permission>();
  for (const p of row.permissions) if (isPermission(p) && owner.permissions.has(p)) permissions.add(p);
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
  }
  return { tokenId: row.id, tokenName: row.name, user: { ...owner, permissions } };
}

export async function sessionCountsByUser(db: DbOrTx, userIds: string[]): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ userId: sessions.userId, n: sql<number>`count(*)::int` })
    .from(sessions)
    .where(inArray(sessions.userId, userIds))
    .groupBy(sessions.userId);
  return new Map(rows.map((r) => [r.userId, r.n]));
}

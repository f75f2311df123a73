import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { auditLog } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { containsPattern } from '../../db/sql-helpers';

/** Who did something: a staff user, an API token acting for its owner, or the system (jobs, CLI). */
export interface Actor {
  userId: string | null;
  label: string;
  requestId?: string | null;
  ip?: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: null, label: 'system' };
export const cliActor = (what: string): Actor => ({ userId: null, label: `cli:${what}` });

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  summary?: string;
  before?: unknown;
  after?: unknown;
}

/** Values never written into the audit trail even when a whole row is passed in. */
const REDACTED_FIELDS = new Set(['passwordHash', 'password_hash', 'pinHash', 'pin_hash', 'tokenHash', 'token_hash', 'password', 'pin']);

function scrub(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(scrub);
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, REDACTED_FIELDS.has(k) ? (v ? '[redacted]' : null) : scrub(v)]),
  );
}

/** The one way state changes are recorded; call it on the same transaction as the change. */
export async function recordAudit(tx: DbOrTx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorUserId: actor.userId,
    actorLabel: actor.label,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    summary: entry.summary ?? '',
    before: scrub(entry.before) as any,
    after: scrub(entry.after) as any,
    requestId: actor.requestId ?? null,
    ip: actor.ip ?? null,
  });
}

export interface AuditQuery {
  page: number;
  limit: number;
  q?: string;
  entityType?: string;
  actorUserId?: string;
  from?: Date;
  to?: Date;
  order: 'asc' | 'desc';
}

export async function listAudit(db: DbOrTx, query: AuditQuery) {
  const conditions: SQL[] = [];
  if (query.entityType) conditions.push(eq(auditLog.entityType, query.entityType));
  if (query.actorUserId) conditions.push(eq(auditLog.actorUserId, query.actorUserId));
  if (query.from) conditions.push(gte(auditLog.at, query.from));
  if (query.to) conditions.push(lt(auditLog.at, query.to));
  if (query.q) {
    const like = containsPattern(query.q);
    conditions.push(sql`(${auditLog.action} ilike ${like} or ${auditLog.summary} ilike ${like} or ${auditLog.actorLabel} ilike ${like} or ${auditLog.entityId} ilike ${like})`);
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(auditLog).where(where);
  const rows = await db
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(query.order === 'asc' ? auditLog.id : desc(auditLog.id))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  return { rows, total };
}

export async function auditEntityTypes(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectDistinct({ t: auditLog.entityType }).from(auditLog).orderBy(auditLog.entityType);
  return rows.map((r) => r.t);
}

import { and, eq, lt, sql } from 'drizzle-orm';
import { idempotencyKeys } from '../../db/schema';
import type { Db, Tx } from '../../db/client';
import { sha256Hex } from '../auth/crypto';
import { ServiceError } from '../service-errors';

/** Keys are kept 7 days (api.md). */
export const IDEMPOTENCY_RETENTION_MS = 7 * 24 * 3_600_000;

/** Canonical JSON: object keys sorted recursively, so `{a,b}` and `{b,a}` hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The body as hashed for idempotency: a manager's PIN (`approval.pin` and any other `pin` field) is left out,
 * because a 4–6 digit PIN could be recovered from a stored hash of an otherwise known body by trying them all.
 */
export function withoutSecrets(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withoutSecrets);
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => k !== 'pin' && k !== 'approver_pin').map(([k, v]) => [k, withoutSecrets(v)]));
}

export interface IdempotencyScope {
  scope: string;
  method: string;
  path: string;
  key: string;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

export function validateIdempotencyKey(key: string | null): string | null {
  if (key === null) return null;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw new ServiceError('validation_failed', 'Idempotency-Key must be 1 to 200 visible ASCII characters.', 400, { 'Idempotency-Key': 'Invalid key.' });
  return key;
}

/**
 * Runs a money-moving POST exactly once per (token, method, path, key).
 *  - same key + same body  -> the first response, replayed;
 *  - same key + other body -> 409 idempotency_mismatch;
 *  - same key while the first still runs -> waits on its row lock, then replays (or 409 in_progress on timeout).
 * The key row is written in the same transaction as the business change, so a crash leaves neither.
 */
export async function runIdempotent(db: Db, scope: IdempotencyScope, body: unknown, work: (tx: Tx) => Promise<StoredResponse>): Promise<StoredResponse & { replayed: boolean }> {
  const requestHash = sha256Hex(canonicalJson(withoutSecrets(body)));
  const match = and(
    eq(idempotencyKeys.scope, scope.scope),
    eq(idempotencyKeys.method, scope.method),
    eq(idempotencyKeys.path, scope.path),
    eq(idempotencyKeys.key, scope.key),
  );
  const replay = (row: typeof idempotencyKeys.$inferSelect) => {
    if (row.requestHash !== requestHash) throw new ServiceError('idempotency_mismatch', 'This Idempotency-Key was already used with a different request body.', 409);
    return { status: row.responseStatus ?? 200, body: row.responseBody, replayed: true };
  };
  try {
    return await db.transaction(async (tx) => {
      // A concurrent duplicate blocks here on the unique key until the first transaction ends.
      await tx.execute(sql`set local lock_timeout = '30s'`);
      const inserted = await tx
        .insert(idempotencyKeys)
        .values({ ...scope, requestHash, state: 'in_progress' })
        .onConflictDoNothing()
        .returning();
      if (inserted.length === 0) {
        const [existing] = await tx.select().from(idempotencyKeys).where(match);
        if (existing.state === 'done') return replay(existing);
        throw new ServiceError('in_progress', 'A request with this Idempotency-Key is still being processed.', 409);
      }
      const response = await work(tx);
      await tx.update(idempotencyKeys).set({ state: 'done', responseStatus: response.status, responseBody: response.body as any, completedAt: new Date() }).where(match);
      return { ...response, replayed: false };
    });
  } catch (err: any) {
    if (err?.code === '55P03') throw new ServiceError('in_progress', 'A request with this Idempotency-Key is still being processed.', 409);
    throw err;
  }
}

export async function purgeOldIdempotencyKeys(db: Db, now: Date): Promise<number> {
  const rows = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS))).returning({ k: idempotencyKeys.key });
  return rows.length;
}

/**
 * Answers a money-moving API POST: without an Idempotency-Key the work runs once in its own transaction; with
 * one it runs through runIdempotent (same key + body replays the first answer, flagged `Idempotent-Replayed`).
 * `work` returns the status and JSON body to send (and store for replays).
 */
export async function idempotentJsonPost(db: Db, ctx: any, work: (tx: Tx) => Promise<StoredResponse>): Promise<StoredResponse> {
  const key = validateIdempotencyKey(ctx.request.headers.get('idempotency-key'));
  if (!key) return db.transaction(work);
  const response = await runIdempotent(db, { scope: `api-token:${ctx.apiPrincipal!.tokenId}`, method: 'POST', path: ctx.path, key }, ctx.body, work);
  if (response.replayed) ctx.set.headers['idempotent-replayed'] = 'true';
  return response;
}

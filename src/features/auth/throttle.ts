import { inArray, sql } from 'drizzle-orm';
import { loginThrottle } from '../../db/schema';
import type { DbOrTx } from '../../db/client';

/** Free tries before back-off starts. A store's counter PCs share one IP, so the IP allows more. */
export const USERNAME_FREE_FAILURES = 5;
export const IP_FREE_FAILURES = 20;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;

export const usernameKey = (username: string) => `user:${username.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `ip:${ip}`;

/** Exponential back-off: 30 s after the first failure past the allowance, doubling, capped at 15 min. */
export function lockDurationMs(failures: number, freeFailures: number): number {
  if (failures < freeFailures) return 0;
  return Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** (failures - freeFailures));
}

export async function lockedUntil(db: DbOrTx, keys: string[], now: Date): Promise<Date | null> {
  const rows = await db.select().from(loginThrottle).where(inArray(loginThrottle.key, keys));
  let latest: Date | null = null;
  for (const row of rows) if (row.lockedUntil && row.lockedUntil > now && (!latest || row.lockedUntil > latest)) latest = row.lockedUntil;
  return latest;
}

/** Records one failure per key; returns true when this failure started a lock (to notify the owner). */
export async function recordFailure(db: DbOrTx, key: string, freeFailures: number, now: Date): Promise<boolean> {
  const [row] = await db
    .insert(loginThrottle)
    .values({ key, failures: 1, lastFailureAt: now })
    .onConflictDoUpdate({ target: loginThrottle.key, set: { failures: sql`${loginThrottle.failures} + 1`, lastFailureAt: now } })
    .returning();
  const lockMs = lockDurationMs(row.failures, freeFailures);
  if (lockMs > 0) {
    await db
      .update(loginThrottle)
      .set({ lockedUntil: new Date(now.getTime() + lockMs) })
      .where(sql`${loginThrottle.key} = ${key}`);
    return row.failures === freeFailures;
  }
  return false;
}

export async function clearFailures(db: DbOrTx, keys: string[]): Promise<void> {
  await db.delete(loginThrottle).where(inArray(loginThrottle.key, keys));
}

import type { JobDefinition } from './types';
import { deleteExpiredSessions } from '../features/auth/service';
import { purgeOldIdempotencyKeys } from '../features/api/idempotency';
import { loginThrottle } from '../db/schema';
import { lt } from 'drizzle-orm';

/** Removes sessions past their idle/absolute limits, idempotency keys older than 7 days, and stale throttle rows. */
export const sessionCleanupJob: JobDefinition = {
  name: 'session-cleanup',
  description: 'Delete expired sessions, old idempotency keys and stale login-throttle counters',
  schedule: '17 * * * *',
  catchUp: 'once',
  async run(deps) {
    const now = deps.clock.now();
    const sessions = await deleteExpiredSessions(deps.db, deps.config.session, now);
    const idempotencyKeys = await purgeOldIdempotencyKeys(deps.db, now);
    const throttle = await deps.db
      .delete(loginThrottle)
      .where(lt(loginThrottle.lastFailureAt, new Date(now.getTime() - 24 * 3_600_000)))
      .returning({ k: loginThrottle.key });
    return { sessions_deleted: sessions, idempotency_keys_deleted: idempotencyKeys, throttle_rows_deleted: throttle.length };
  },
};

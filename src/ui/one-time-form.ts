import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../db/client';
import { runIdempotent } from '../features/api/idempotency';

/**
 * One-time keys of HTML money forms (api.md: "HTML money forms carry a hidden one-time key generated when the
 * form renders, so a double click or a resubmitted page can't double-charge"). The page renders
 * `<input type="hidden" name="form_key" value="<%= it.formKey %>">`; the handler runs its work through
 * submitFormOnce, which keys it per signed-in user and path: a second submit of the same rendering replays the
 * first result (the handler then redirects to the same place) instead of doing the work again.
 */
export const FORM_KEY_FIELD = 'form_key';
export const newFormKey = (): string => randomUUID();
const FORM_KEY_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function submitFormOnce<T>(db: Db, ctx: any, formKey: string, payload: unknown, work: (tx: Tx) => Promise<T>): Promise<{ value: T; replayed: boolean }> {
  if (!FORM_KEY_RE.test(formKey)) {
    // A form without its key (an old page, a script): still works, just without the double-submit guard.
    return { value: await db.transaction(work), replayed: false };
  }
  const response = await runIdempotent(db, { scope: `user:${ctx.user?.id ?? 'anonymous'}`, method: 'POST', path: ctx.path, key: formKey }, payload ?? null, async (tx) => ({ status: 200, body: (await work(tx)) as unknown }));
  return { value: response.body as T, replayed: response.replayed };
}

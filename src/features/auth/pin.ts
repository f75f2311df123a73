import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { staffUsers } from '../../db/schema';
import type { Db, DbOrTx, Tx } from '../../db/client';
import { verifyPassword } from './crypto';
import { loadUserWithPermissions } from './service';
import { PERMISSIONS, type Permission } from './permissions';
import { recordAudit, SYSTEM_ACTOR, type Actor } from '../audit/service';
import { ConflictError, ServiceError } from '../service-errors';
import { MILLIPERCENT_PER_WHOLE } from '../../domain/rounding';

/**
 * POS PINs (staff.md): a 4–6 digit PIN checks *one chosen user* (picked by name or badge first), never a
 * search across everyone's PIN hashes. Five wrong tries in a row lock the PIN; a successful password
 * sign-in or a new PIN set by a manager unlocks it. See docs/pin-approvals.md.
 */

export const PIN_MAX_FAILURES = 5;
export const PIN_LOCKED_MESSAGE = `PIN locked after ${PIN_MAX_FAILURES} wrong tries; sign in with the password or ask an owner to reset it.`;
/** Same words for an unknown user, an inactive user, a user without a PIN and a wrong PIN. */
export const WRONG_PIN_MESSAGE = 'Wrong username or PIN.';
/** A user whose roles allow 'pos.discount.override' may give any discount (100%). */
export const UNLIMITED_DISCOUNT_MILLIPERCENT = MILLIPERCENT_PER_WHOLE;

export interface PinInput {
  username: string;
  pin: string;
}

export interface Approver {
  userId: string;
  /** The approver's username, as audit rows label people. */
  label: string;
  /** Display name for the sale screen and receipts. */
  name: string;
}

/** Malformed approval input (no approver picked, PIN not 4–6 digits): 400 before any PIN is checked or counted. */
export class ApprovalInputError extends ServiceError {
  constructor(fields: Record<string, string>) {
    super('validation_failed', Object.values(fields)[0] ?? 'Check the approval fields.', 400, fields);
  }
}

/** The approval was refused: wrong PIN (or unknown user), PIN locked, or the approver lacks the permission. */
export class ApprovalRefusedError extends ServiceError {
  constructor(
    message: string,
    public readonly reason: 'wrong_pin' | 'locked' | 'not_permitted',
  ) {
    super('approval_failed', message, 403, { approver_pin: message });
  }
  override apiDetails(): Record<string, unknown> {
    return { reason: this.reason };
  }
}

const pinInputSchema = z.object({
  username: z.string({ error: 'Pick who approves.' }).trim().min(1, 'Pick who approves.').max(40, 'Unknown approver.'),
  pin: z.string({ error: 'Enter the PIN.' }).trim().regex(/^\d{4,6}$/, 'PIN must be 4 to 6 digits.'),
});

function parsePinInput(input: unknown): PinInput {
  const parsed = pinInputSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path[0] === 'username' ? 'approver_username' : 'approver_pin';
    fields[key] ??= issue.message;
  }
  throw new ApprovalInputError(fields);
}

type PinOutcome = { outcome: 'ok'; userId: string } | { outcome: 'wrong' } | { outcome: 'locked' };

/**
 * How long a PIN check waits for a free pool connection. Callers usually hold a connection in their own
 * transaction while they wait for this one; if every pool connection is held that way nothing would ever
 * free up, so after this wait the check gives up (409, nothing counted) and the callers roll back.
 */
export const PIN_CHECK_WAIT_MS = 5_000;
const BUSY_MESSAGE = 'The system is busy; enter the PIN again in a moment.';
const busy = () => new ConflictError(BUSY_MESSAGE, { approver_pin: BUSY_MESSAGE });

/**
 * Checks one user's PIN in its OWN short transaction on `db` and commits the failure counter there, so a
 * wrong try still counts when the caller's transaction rolls back after the refusal. The user's row is
 * locked while the hash is checked, so concurrent guesses cannot slip past the limit.
 */
async function checkPin(db: Db, input: PinInput, actor: Actor): Promise<PinOutcome> {
  // 'abandoned' = the wait ran out before a connection came: the late transaction must then change nothing.
  let state: 'waiting' | 'started' | 'abandoned' = 'waiting';
  const work = db.transaction(async (own): Promise<PinOutcome | null> => {
    if (state === 'abandoned') return null;
    state = 'started';
    // If the caller's transaction holds this row (it shouldn't), fail in seconds instead of waiting forever.
    await own.execute(sql`set local lock_timeout = '5s'`);
    const [row] = await own
      .select({ id: staffUsers.id, username: staffUsers.username, pinHash: staffUsers.pinHash, pinFailures: staffUsers.pinFailures })
      .from(staffUsers)
      .where(and(sql`lower(${staffUsers.username}) = ${input.username.toLowerCase()}`, eq(staffUsers.active, true)))
      .for('update');
    if (!row) {
      await verifyPassword(input.pin, null); // same work as a real check: timing doesn't reveal who exists
      return { outcome: 'wrong' };
    }
    if (row.pinFailures >= PIN_MAX_FAILURES) return { outcome: 'locked' };
    if (await verifyPassword(input.pin, row.pinHash)) {
      if (row.pinFailures !== 0) await own.update(staffUsers).set({ pinFailures: 0 }).where(eq(staffUsers.id, row.id));
      return { outcome: 'ok', userId: row.id };
    }
    const failures = row.pinFailures + 1;
    await own.update(staffUsers).set({ pinFailures: failures }).where(eq(staffUsers.id, row.id));
    if (failures < PIN_MAX_FAILURES) return { outcome: 'wrong' };
    await recordAudit(own, actor, { action: 'auth.pin_lockout', entityType: 'staff_user', entityId: row.id, summary: `PIN of ${row.username} locked after ${PIN_MAX_FAILURES} wrong tries` });
    return { outcome: 'locked' };
  });
  work.catch(() => {}); // an abandoned check's late failure has no one to report to
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      if (state !== 'waiting') return; // already running: let it finish (it holds its own connection)
      state = 'abandoned';
      reject(busy());
    }, PIN_CHECK_WAIT_MS);
  });
  try {
    const result = await Promise.race([work, gaveUp]);
    if (!result) throw busy();
    return result;
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string } } | null;
    if ((e?.code ?? e?.cause?.code) === '55P03') throw busy(); // lock_timeout (drizzle may wrap the driver error)
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Checks a chosen user's PIN (cashier switch, time clock): returns the user's id, or throws
 * ApprovalInputError (400) / ApprovalRefusedError (403). Failures are counted on `db`, committed at once.
 */
export async function verifyStaffPin(db: Db, input: PinInput, actor: Actor = SYSTEM_ACTOR): Promise<string> {
  const parsed = parsePinInput(input);
  const result = await checkPin(db, parsed, actor);
  if (result.outcome === 'locked') throw new ApprovalRefusedError(PIN_LOCKED_MESSAGE, 'locked');
  if (result.outcome === 'wrong') throw new ApprovalRefusedError(WRONG_PIN_MESSAGE, 'wrong_pin');
  return result.userId;
}

/**
 * A manager's approval at the register: the approver is picked by username (case-insensitive, active
 * users only), proves it with their PIN, and must hold `permission` through their roles.
 *
 * The PIN check and its failure counter run on `db` in their own transaction (committed before this
 * returns or throws); the permission check reads on the caller's `tx`. The caller records the returned
 * approver on the discount/void/refund row in `tx`. The caller's `tx` must not have written the
 * approver's staff_users row (a lock timeout turns that into a 409 rather than a hang).
 */
export async function verifyApproval(db: Db, tx: Tx, input: PinInput, permission: Permission, actor: Actor = SYSTEM_ACTOR): Promise<Approver> {
  const userId = await verifyStaffPin(db, input, actor);
  const approver = await loadUserWithPermissions(tx, userId);
  // Deactivated between the two reads: as if unknown.
  if (!approver) throw new ApprovalRefusedError(WRONG_PIN_MESSAGE, 'wrong_pin');
  if (!approver.permissions.has(permission)) {
    throw new ApprovalRefusedError(`${approver.name} may not approve this: their roles don't allow “${PERMISSIONS[permission]}”.`, 'not_permitted');
  }
  return { userId: approver.id, label: approver.username, name: approver.name };
}

/**
 * The largest discount (millipercent of the discounted amount) a user may give without approval.
 * 'pos.discount.override' means no limit (100%); an unknown or inactive user may give none.
 */
export async function userDiscountLimit(db: DbOrTx, userId: string): Promise<number> {
  const user = await loadUserWithPermissions(db, userId);
  if (!user) return 0;
  if (user.permissions.has('pos.discount.override')) return UNLIMITED_DISCOUNT_MILLIPERCENT;
  const [row] = await db.select({ limit: staffUsers.discountLimitMillipercent }).from(staffUsers).where(eq(staffUsers.id, userId));
  return row?.limit ?? 0;
}

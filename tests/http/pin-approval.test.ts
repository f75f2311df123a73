import { beforeEach, describe, expect, test } from 'bun:test';
import { eq, sql } from 'drizzle-orm';
import { staffUsers } from '../../src/db/schema';
import { ApprovalInputError, ApprovalRefusedError, PIN_CHECK_WAIT_MS, PIN_LOCKED_MESSAGE, userDiscountLimit, verifyApproval, verifyStaffPin, WRONG_PIN_MESSAGE } from '../../src/features/auth/pin';
import type { Permission } from '../../src/features/auth/permissions';
import { cliActor, recordAudit } from '../../src/features/audit/service';
import { ServiceError } from '../../src/features/service-errors';
import { createStaff, roleIdsByKey, updateStaff } from '../../src/features/staff/service';
import { makeTestApp, resetDb, setupStoreWithOwner, signIn, type TestContext } from '../helpers';

let t: TestContext;
const ids: Record<string, string> = {};
const PASSWORD = 'staff password 123';

async function addWithPin(username: string, roleKeys: string[], pin: string | null, extra: { discount_limit_millipercent?: number } = {}) {
  const view = await t.deps.db.transaction(async (tx) =>
    createStaff(tx, cliActor('test'), { username, name: `${username[0].toUpperCase()}${username.slice(1)} Person`, email: null, password: PASSWORD, pin, role_ids: await roleIdsByKey(tx, roleKeys), ...extra }),
  );
  ids[username] = view.id;
  return view;
}

beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  await setupStoreWithOwner(t);
  await addWithPin('mona', ['manager'], '2468');
  await addWithPin('cass', ['cashier'], '1357');
});

const failures = async (username: string) => (await t.deps.db.select({ n: staffUsers.pinFailures }).from(staffUsers).where(eq(staffUsers.username, username)))[0].n;
const markers = async () => (await t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'test.sale_step'`))[0].n;

/**
 * What the sale screen does: one transaction that writes something, asks for an approval, and rolls
 * back when the approval is refused. Returns the approver or the error.
 */
async function approveInSale(username: string, pin: string, permission: Permission = 'pos.discount.override', beforeCheck?: () => Promise<void>) {
  try {
    return await t.deps.db.transaction(async (tx) => {
      await recordAudit(tx, cliActor('test'), { action: 'test.sale_step', entityType: 'sale', summary: 'a row the refusal must roll back' });
      await beforeCheck?.();
      return verifyApproval(t.deps.db, tx, { username, pin }, permission, cliActor('register 1'));
    });
  } catch (err) {
    return err as ServiceError;
  }
}

describe('manager approval by PIN', () => {
  test("a manager's right PIN approves and returns who approved (username case-insensitive)", async () => {
    const approver = await approveInSale('MONA', '2468');
    expect(approver).toEqual({ userId: ids.mona, label: 'mona', name: 'Mona Person' });
    expect(await markers()).toBe(1);
    expect(await failures('mona')).toBe(0);
  });

  test("a cashier's right PIN is refused for an override permission, and is not counted as a wrong try", async () => {
    const err = await approveInSale('cass', '1357', 'pos.discount.override');
    expect(err).toBeInstanceOf(ApprovalRefusedError);
    expect(err).toMatchObject({ code: 'approval_failed', status: 403, reason: 'not_permitted' });
    expect((err as ServiceError).fields.approver_pin).toContain("Cass Person may not approve this");
    expect((err as ServiceError).fields.approver_pin).toContain('Approve discounts above the limit');
    expect(await failures('cass')).toBe(0);
    expect(await markers()).toBe(0);
    // The same PIN is enough for something the cashier's roles allow.
    expect(await approveInSale('cass', '1357', 'pos.sell')).toMatchObject({ userId: ids.cass });
  });

  test('5 wrong PINs lock it; the 6th try with the right PIN is still refused; the counter survives the rolled-back sale', async () => {
    for (let i = 1; i <= 4; i++) {
      const err = await approveInSale('mona', '0000');
      expect(err).toMatchObject({ code: 'approval_failed', status: 403, message: WRONG_PIN_MESSAGE, reason: 'wrong_pin' });
      expect(await failures('mona')).toBe(i);
    }
    const fifth = await approveInSale('mona', '0000');
    expect(fifth).toMatchObject({ code: 'approval_failed', status: 403, message: PIN_LOCKED_MESSAGE, reason: 'locked' });
    expect((fifth as ServiceError).fields).toEqual({ approver_pin: PIN_LOCKED_MESSAGE });
    expect(PIN_LOCKED_MESSAGE).toContain('PIN locked after 5 wrong tries; sign in with the password or ask an owner to reset it');
    const sixth = await approveInSale('mona', '2468');
    expect(sixth).toMatchObject({ code: 'approval_failed', message: PIN_LOCKED_MESSAGE, reason: 'locked' });
    expect(await failures('mona')).toBe(5);
    expect(await markers()).toBe(0); // every sale transaction rolled back, the counter did not
    const [lockout] = await t.deps.db.execute<any>(sql`select actor_label, entity_id, summary from audit_log where action = 'auth.pin_lockout'`);
    expect(lockout).toEqual({ actor_label: 'cli:register 1', entity_id: ids.mona, summary: 'PIN of mona locked after 5 wrong tries' });
  });

  test('a right PIN before the limit resets the count', async () => {
    for (let i = 0; i < 3; i++) await approveInSale('mona', '9999');
    expect(await failures('mona')).toBe(3);
    expect(await approveInSale('mona', '2468')).toMatchObject({ userId: ids.mona });
    expect(await failures('mona')).toBe(0);
  });

  test('concurrent wrong guesses cannot get past the limit', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => verifyStaffPin(t.deps.db, { username: 'mona', pin: String(1000 + i) }).catch((e) => e as ApprovalRefusedError)));
    const reasons = results.map((r) => (r as ApprovalRefusedError).reason);
    expect(reasons.filter((r) => r === 'wrong_pin').length).toBe(4);
    expect(reasons.filter((r) => r === 'locked').length).toBe(8);
    expect(await failures('mona')).toBe(5);
  });

  test('when every pool connection is a sale waiting for a PIN check, the checks give up with 409 instead of hanging, and count nothing', async () => {
    // The test pool has 8 connections: 8 open sale transactions leave none for the PIN checks.
    const started = Date.now();
    // Every sale holds its connection before any PIN check starts (a barrier), so none can slip through early.
    let arrived = 0;
    let release!: () => void;
    const allHolding = new Promise<void>((resolve) => (release = resolve));
    const barrier = async () => {
      if (++arrived === 8) release();
      await allHolding;
    };
    const results = await Promise.all(Array.from({ length: 8 }, () => approveInSale('mona', '0000', 'pos.discount.override', barrier)));
    for (const r of results) expect(r).toMatchObject({ code: 'conflict', status: 409, fields: { approver_pin: 'The system is busy; enter the PIN again in a moment.' } });
    expect(Date.now() - started).toBeLessThan(PIN_CHECK_WAIT_MS + 4_000);
    expect(await markers()).toBe(0);
    await Bun.sleep(200); // the abandoned checks get their connections now and must change nothing
    expect(await failures('mona')).toBe(0);
    expect(await approveInSale('mona', '2468')).toMatchObject({ userId: ids.mona });
  }, 30_000);

  test('signing in with the password unlocks the PIN', async () => {
    for (let i = 0; i < 5; i++) await approveInSale('mona', '0000');
    expect(await failures('mona')).toBe(5);
    await signIn(t, 'mona', PASSWORD);
    expect(await failures('mona')).toBe(0);
    expect(await approveInSale('mona', '2468')).toMatchObject({ userId: ids.mona });
  });

  test('a new PIN set by an owner unlocks it', async () => {
    for (let i = 0; i < 5; i++) await approveInSale('mona', '0000');
    const [owner] = await t.deps.db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.username, 'owner1'));
    const view = await t.deps.db.transaction((tx) => updateStaff(tx, { userId: owner.id, label: 'owner1' }, ids.mona, { pin: '1122' }));
    expect(view.pinLocked).toBe(false);
    expect(await failures('mona')).toBe(0);
    expect(await approveInSale('mona', '2468')).toMatchObject({ reason: 'wrong_pin' });
    expect(await approveInSale('mona', '1122')).toMatchObject({ userId: ids.mona });
  });

  test('unknown, inactive and PIN-less users get the same refusal as a wrong PIN, and nothing is counted for them', async () => {
    await addWithPin('nopin', ['manager'], null);
    await addWithPin('gone', ['manager'], '4444');
    await t.deps.db.update(staffUsers).set({ active: false }).where(eq(staffUsers.id, ids.gone));
    const wrong = await approveInSale('mona', '1111');
    const unknown = await approveInSale('nobody', '1111');
    const inactive = await approveInSale('gone', '4444');
    const pinless = await approveInSale('nopin', '1111');
    for (const err of [wrong, unknown, inactive, pinless]) {
      expect(err).toBeInstanceOf(ApprovalRefusedError);
      expect(err).toMatchObject({ code: 'approval_failed', status: 403, message: WRONG_PIN_MESSAGE, fields: { approver_pin: WRONG_PIN_MESSAGE } });
    }
    expect(await failures('gone')).toBe(0);
  });

  test('malformed input is a 400 validation error and counts nothing', async () => {
    const cases: [string, string, string, string][] = [
      ['mona', '12', 'approver_pin', 'PIN must be 4 to 6 digits.'],
      ['mona', '1234567', 'approver_pin', 'PIN must be 4 to 6 digits.'],
      ['mona', 'abcd', 'approver_pin', 'PIN must be 4 to 6 digits.'],
      ['mona', '', 'approver_pin', 'PIN must be 4 to 6 digits.'],
      ['', '2468', 'approver_username', 'Pick who approves.'],
    ];
    for (const [username, pin, field, message] of cases) {
      const err = await approveInSale(username, pin);
      expect(err).toBeInstanceOf(ApprovalInputError);
      expect(err).toMatchObject({ code: 'validation_failed', status: 400 });
      expect((err as ServiceError).fields[field]).toBe(message);
    }
    expect(await approveInSale(undefined as unknown as string, undefined as unknown as string)).toMatchObject({ status: 400, fields: { approver_username: 'Pick who approves.', approver_pin: 'Enter the PIN.' } });
    expect(await failures('mona')).toBe(0);
  });

  test('verifyStaffPin checks one chosen user (cashier switch) with the same counter', async () => {
    expect(await verifyStaffPin(t.deps.db, { username: 'cass', pin: '1357' })).toBe(ids.cass);
    await expect(verifyStaffPin(t.deps.db, { username: 'cass', pin: '2468' })).rejects.toMatchObject({ reason: 'wrong_pin' });
    expect(await failures('cass')).toBe(1);
  });

  test("a caller transaction holding the approver's row gets a 409 after the lock timeout, not a hang", async () => {
    const err = await t.deps.db
      .transaction(async (tx) => {
        await tx.update(staffUsers).set({ updatedAt: new Date() }).where(eq(staffUsers.id, ids.mona));
        return verifyApproval(t.deps.db, tx, { username: 'mona', pin: '2468' }, 'pos.void');
      })
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'conflict', status: 409 });
  }, 20_000);
});

describe('discount limits', () => {
  test("a user's own limit, unlimited with pos.discount.override, none when inactive or unknown", async () => {
    await addWithPin('lena', ['cashier'], null, { discount_limit_millipercent: 2_500 });
    expect(await userDiscountLimit(t.deps.db, ids.cass)).toBe(10_000);
    expect(await userDiscountLimit(t.deps.db, ids.lena)).toBe(2_500);
    expect(await userDiscountLimit(t.deps.db, ids.mona)).toBe(100_000);
    await t.deps.db.update(staffUsers).set({ active: false }).where(eq(staffUsers.id, ids.lena));
    expect(await userDiscountLimit(t.deps.db, ids.lena)).toBe(0);
    expect(await userDiscountLimit(t.deps.db, '00000000-0000-4000-8000-000000000000')).toBe(0);
  });
});

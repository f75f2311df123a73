import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { makeTestApp, resetDb, type TestContext } from '../helpers';
import { canonicalJson, runIdempotent, validateIdempotencyKey, withoutSecrets } from '../../src/features/api/idempotency';
import { registers } from '../../src/db/schema';

let t: TestContext;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
});

const scope = { scope: 'token-1', method: 'POST', path: '/api/v1/things', key: 'k-1' };
const registerCount = async () => (await t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from registers`))[0].n;

describe('Idempotency-Key storage', () => {
  test('canonical JSON ignores key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
    // A manager's PIN never reaches the stored request hash.
    expect(withoutSecrets({ lines: [1], approval: { username: 'm', pin: '1234' }, approver_pin: '9' })).toEqual({ lines: [1], approval: { username: 'm' } });
  });

  test('same key + same body replays the first response and does the work once', async () => {
    let calls = 0;
    const work = async (tx: any) => {
      calls++;
      await tx.insert(registers).values({ name: `R${calls}` });
      return { status: 201, body: { id: calls } };
    };
    const first = await runIdempotent(t.deps.db, scope, { amount_cents: 500, a: 1 }, work);
    const second = await runIdempotent(t.deps.db, scope, { a: 1, amount_cents: 500 }, work);
    expect(first).toEqual({ status: 201, body: { id: 1 }, replayed: false });
    expect(second).toEqual({ status: 201, body: { id: 1 }, replayed: true });
    expect(calls).toBe(1);
    expect(await registerCount()).toBe(1);
  });

  test('same key + different body is 409 idempotency_mismatch', async () => {
    await runIdempotent(t.deps.db, scope, { amount_cents: 500 }, async () => ({ status: 201, body: {} }));
    await expect(runIdempotent(t.deps.db, scope, { amount_cents: 501 }, async () => ({ status: 201, body: {} }))).rejects.toMatchObject({ code: 'idempotency_mismatch', status: 409 });
  });

  test('a concurrent duplicate waits for the first and gets its response; the work runs once', async () => {
    let calls = 0;
    const work = async (tx: any) => {
      calls++;
      await tx.insert(registers).values({ name: `R${calls}` });
      await Bun.sleep(300);
      return { status: 201, body: { n: calls } };
    };
    const [a, b] = await Promise.all([runIdempotent(t.deps.db, scope, { x: 1 }, work), runIdempotent(t.deps.db, scope, { x: 1 }, work)]);
    expect(calls).toBe(1);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(a.body).toEqual(b.body);
    expect(await registerCount()).toBe(1);
  });

  test('a failed request leaves no key behind, so a retry can succeed', async () => {
    await expect(runIdempotent(t.deps.db, scope, { x: 1 }, async (tx) => {
      await tx.insert(registers).values({ name: 'half-written' });
      throw new Error('declined');
    })).rejects.toThrow('declined');
    expect(await registerCount()).toBe(0);
    const retry = await runIdempotent(t.deps.db, scope, { x: 1 }, async () => ({ status: 201, body: { ok: true } }));
    expect(retry.replayed).toBe(false);
  });

  test('keys are scoped per token and path', async () => {
    let calls = 0;
    const work = async () => ({ status: 201, body: { n: ++calls } });
    await runIdempotent(t.deps.db, scope, {}, work);
    await runIdempotent(t.deps.db, { ...scope, scope: 'token-2' }, {}, work);
    await runIdempotent(t.deps.db, { ...scope, path: '/api/v1/other' }, {}, work);
    expect(calls).toBe(3);
  });

  test('key format is validated', () => {
    expect(validateIdempotencyKey(null)).toBeNull();
    expect(validateIdempotencyKey('abc-123')).toBe('abc-123');
    expect(() => validateIdempotencyKey('')).toThrow();
    expect(() => validateIdempotencyKey('x'.repeat(201))).toThrow();
    expect(() => validateIdempotencyKey('has space')).toThrow();
  });
});

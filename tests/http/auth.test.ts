import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { sha256Hex } from '../../src/features/auth/crypto';
import { addStaff, makeTestApp, OWNER, resetDb, setupStore, signIn, TestClient, type TestContext } from '../helpers';

let t: TestContext;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  await setupStore(t);
});

const staffCount = async () => (await t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from staff_users`))[0].n;

describe('sign in', () => {
  test('wrong password shows an error; the right one signs in and sets a signed httpOnly SameSite=Lax cookie', async () => {
    const client = new TestClient(t.app);
    await client.get('/login');
    const bad = await client.postForm('/login', { username: OWNER.username, password: 'wrong password' });
    expect(bad.status).toBe(401);
    expect(bad.text).toContain('Wrong username or password.');
    const ok = await client.postForm('/login', { username: OWNER.username.toUpperCase(), password: OWNER.password, next: '/staff' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/staff');
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('forte_session='))!;
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');
    expect((await client.get('/staff')).status).toBe(200);
  });

  test('an open redirect through ?next is refused', async () => {
    const client = new TestClient(t.app);
    await client.get('/login');
    const res = await client.postForm('/login', { username: OWNER.username, password: OWNER.password, next: '//evil.example/' });
    expect(res.headers.get('location')).toBe('/');
  });

  test('a tampered session cookie is ignored', async () => {
    const client = await signIn(t, OWNER.username, OWNER.password);
    const value = client.cookies.get('forte_session')!;
    client.cookies.set('forte_session', value.slice(0, -3) + 'abc');
    const res = await client.get('/');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toStartWith('/login');
  });

  test('throttling: after 5 failures the username is locked even for the right password, with back-off', async () => {
    const client = new TestClient(t.app);
    await client.get('/login');
    for (let i = 0; i < 5; i++) expect((await client.postForm('/login', { username: OWNER.username, password: `nope ${i}` })).status).toBe(401);
    const locked = await client.postForm('/login', { username: OWNER.username, password: OWNER.password });
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('Too many failed sign-in attempts');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    const [notice] = await t.deps.db.execute<any>(sql`select summary from audit_log where action = 'auth.lockout'`);
    expect(notice.summary).toContain(OWNER.username);
    // Another user on the same counter PC is not locked out by someone else's typos.
    await addStaff(t, 'cashier1', ['cashier']);
    expect((await client.postForm('/login', { username: 'cashier1', password: 'staff password 123' })).status).toBe(303);
    // After the lock expires the right password works again.
    t.clock.advance(31_000);
    const again = new TestClient(t.app);
    await again.get('/login');
    expect((await again.postForm('/login', { username: OWNER.username, password: OWNER.password })).status).toBe(303);
  });

  test('sessions expire after the idle timeout and the absolute lifetime', async () => {
    const client = await signIn(t, OWNER.username, OWNER.password);
    t.clock.advance((t.deps.config.session.idleMinutes - 1) * 60_000);
    expect((await client.get('/')).status).toBe(200);
    t.clock.advance((t.deps.config.session.idleMinutes - 1) * 60_000);
    expect((await client.get('/')).status).toBe(200); // activity kept it alive
    t.clock.advance((t.deps.config.session.idleMinutes + 1) * 60_000);
    const expired = await client.get('/');
    expect(expired.status).toBe(303);
    expect(expired.headers.get('location')).toBe('/login?next=%2F');
    const tokenHash = sha256Hex(decodeURIComponent(client.cookies.get('forte_session')!).split('.')[0]);
    const [{ n }] = await t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from sessions where token_hash = ${tokenHash}`);
    expect(n).toBe(0);

    const busy = await signIn(t, OWNER.username, OWNER.password);
    for (let h = 0; h < t.deps.config.session.absoluteHours + 1; h += 4) {
      t.clock.advance(4 * 3_600_000);
      await busy.get('/');
    }
    expect((await busy.get('/')).status).toBe(303);
  });

  test('sign out ends the session; sign out everywhere ends all of them', async () => {
    const a = await signIn(t, OWNER.username, OWNER.password);
    const b = await signIn(t, OWNER.username, OWNER.password);
    await a.get('/');
    expect((await a.postForm('/logout', {})).status).toBe(303);
    expect((await a.get('/')).status).toBe(303);
    expect((await b.get('/')).status).toBe(200);
    const c = await signIn(t, OWNER.username, OWNER.password);
    await c.get('/');
    expect((await c.postForm('/logout-everywhere', {})).status).toBe(303);
    expect((await b.get('/')).status).toBe(303);
  });
});

describe('CSRF and Origin', () => {
  const newStaff = (roleId: string) => ({ username: 'newbie', name: 'New Bie', email: '', password: 'newbie password', pin: '', role_ids: roleId });
  const cashierRoleId = async () => (await t.deps.db.execute<{ id: string }>(sql`select id from roles where key = 'cashier'`))[0].id;

  test('a state-changing form without the token, with a wrong token, or from another origin is refused and writes nothing', async () => {
    const client = await signIn(t, OWNER.username, OWNER.password);
    await client.get('/staff/new');
    const roleId = await cashierRoleId();
    const before = await staffCount();
    const missing = await client.postForm('/staff', newStaff(roleId), { csrf: null });
    expect(missing.status).toBe(403);
    const wrong = await client.postForm('/staff', newStaff(roleId), { csrf: 'forged-token' });
    expect(wrong.status).toBe(403);
    const crossSite = await client.postForm('/staff', newStaff(roleId), { origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.text).toContain('another site');
    expect(await staffCount()).toBe(before);
    // The token also works as the X-CSRF-Token header (htmx requests).
    const viaHeader = await client.postForm('/staff', newStaff(roleId), { csrf: null, headers: { 'x-csrf-token': client.csrf } });
    expect(viaHeader.status).toBe(303);
    expect(await staffCount()).toBe(before + 1);
  });

  test("another user's token does not work for this session", async () => {
    const owner = await signIn(t, OWNER.username, OWNER.password);
    await owner.get('/staff/new');
    const other = await signIn(t, OWNER.username, OWNER.password);
    await other.get('/staff/new');
    expect(owner.csrf).not.toBe(other.csrf);
    const res = await owner.postForm('/staff', newStaff(await cashierRoleId()), { csrf: other.csrf });
    expect(res.status).toBe(403);
  });

  test('the login form itself is CSRF-protected', async () => {
    const client = new TestClient(t.app);
    await client.get('/login');
    expect((await client.postForm('/login', { username: OWNER.username, password: OWNER.password }, { csrf: 'nope' })).status).toBe(403);
  });
});

describe('permissions', () => {
  test('a cashier cannot see Staff (403) nor post to it, and does not see it in the navigation', async () => {
    await addStaff(t, 'cashier1', ['cashier']);
    const client = await signIn(t, 'cashier1', 'staff password 123');
    const home = await client.get('/');
    expect(home.status).toBe(200);
    expect(home.text).not.toContain('href="/staff"');
    expect((await client.get('/staff')).status).toBe(403);
    expect((await client.postForm('/staff', { username: 'x' })).status).toBe(403);
    expect(await staffCount()).toBe(2);
  });
});

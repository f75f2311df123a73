import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { apiRequest, makeTestApp, resetDb, SETUP_FIELDS, TestClient, setupStore, type TestContext } from '../helpers';
import { completeSetupWithDefaults, issueSetupToken } from '../../src/features/settings/service';

let t: TestContext;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
});

async function counts() {
  const [row] = await t.deps.db.execute<{ staff: number; settings: number; registers: number }>(
    sql`select (select count(*)::int from staff_users) as staff, (select count(*)::int from store_settings) as settings, (select count(*)::int from registers) as registers`,
  );
  return row;
}

describe('first run', () => {
  test('before setup, pages redirect to /setup and the API answers 503 setup_required; exemptions stay reachable', async () => {
    const client = new TestClient(t.app);
    for (const path of ['/', '/staff', '/login', '/audit', '/settings']) {
      const res = await client.get(path);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/setup');
    }
    const api = await apiRequest(t.app, 'GET', '/api/v1/staff');
    expect(api.status).toBe(503);
    expect(api.json().error.code).toBe('setup_required');
    expect((await client.get('/setup')).status).toBe(200);
    expect((await client.get('/healthz')).status).toBe(200);
    expect((await client.get('/version')).json().version).toBe('0.0.0-test');
    expect((await apiRequest(t.app, 'GET', '/api/v1/health')).json().setup_complete).toBe(false);
    expect((await apiRequest(t.app, 'GET', '/api/v1/openapi.json')).status).toBe(200);
    expect((await client.get('/static/vendor/htmx.min.js')).status).toBe(200);
  });

  test('setup stores the store details, creates the owner, signs them in, and the token works only once', async () => {
    const token = (await issueSetupToken(t.deps.db))!;
    const client = new TestClient(t.app);
    const form = await client.get(`/setup?token=${token}`);
    expect(form.text).toContain('name="store_name"');
    const res = await client.postForm('/setup', { ...SETUP_FIELDS, token });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const [settings] = await t.deps.db.execute<any>(sql`select * from store_settings`);
    expect(settings.store_name).toBe('Harmony Music');
    expect(settings.time_zone).toBe('America/Chicago');
    expect(settings.default_tax_rate_millipercent).toBe(8250);
    expect(settings.setup_completed_at).not.toBeNull();
    expect(await counts()).toEqual({ staff: 1, settings: 1, registers: 1 });
    const home = await client.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Harmony Music');

    // Replaying the same token in a fresh browser does nothing.
    const other = new TestClient(t.app);
    await other.get('/login');
    const again = await other.postForm('/setup', { ...SETUP_FIELDS, owner_username: 'mallory', token });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/login');
    expect((await counts()).staff).toBe(1);
    const [tok] = await t.deps.db.execute<any>(sql`select used_at from setup_token`);
    expect(tok.used_at).not.toBeNull();
  });

  test('a wrong or missing token is refused and writes nothing', async () => {
    await issueSetupToken(t.deps.db);
    const client = new TestClient(t.app);
    await client.get('/setup');
    const wrong = await client.postForm('/setup', { ...SETUP_FIELDS, token: 'not-the-token' });
    expect(wrong.status).toBe(403);
    expect(wrong.text).toContain('setup token');
    const missing = await client.postForm('/setup', { ...SETUP_FIELDS, token: '' });
    expect(missing.status).toBe(422);
    expect(await counts()).toEqual({ staff: 0, settings: 0, registers: 0 });
  });

  test('bad input shows errors next to the fields and writes nothing', async () => {
    const token = (await issueSetupToken(t.deps.db))!;
    const client = new TestClient(t.app);
    await client.get(`/setup?token=${token}`);
    const cases: [Record<string, string>, string][] = [
      [{ store_name: '' }, 'Store name is required.'],
      [{ store_name: 'x'.repeat(121) }, 'at most 120 characters'],
      [{ time_zone: 'Mars/Olympus' }, 'Pick a time zone'],
      [{ default_tax_rate: '8.8755' }, 'up to 3 decimals'],
      [{ default_tax_rate: 'abc' }, 'Enter a percentage'],
      [{ default_tax_rate: '101' }, 'Enter a percentage'],
      [{ owner_username: 'a b' }, 'letters, digits'],
      [{ owner_password: 'short', owner_password_confirm: 'short' }, 'at least 10 characters'],
      [{ owner_password_confirm: 'something else entirely' }, 'The two passwords differ.'],
      [{ owner_email: 'not-an-email' }, 'valid email'],
      [{ phone: 'call me maybe' }, 'digits'],
    ];
    for (const [override, message] of cases) {
      const res = await client.postForm('/setup', { ...SETUP_FIELDS, token, ...override });
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
    }
    expect(await counts()).toEqual({ staff: 0, settings: 0, registers: 0 });
  });

  test('a setup completed by the CLI in another process is seen by the running server at once', async () => {
    const client = new TestClient(t.app);
    expect((await client.get('/login')).status).toBe(303);
    await t.deps.db.transaction((tx) => completeSetupWithDefaults(tx, new Date()));
    const res = await client.get('/login');
    expect(res.status).toBe(200);
    expect(res.text).toContain('name="username"');
  });

  test('owner can change the store details later; bad input is refused', async () => {
    const client = await setupStore(t);
    await client.get('/settings');
    const bad = await client.postForm('/settings', { store_name: '', address: '', phone: '', time_zone: 'UTC', default_tax_rate: '5' });
    expect(bad.status).toBe(422);
    const ok = await client.postForm('/settings', { store_name: 'Harmony Music & Sound', address: '1 Elm', phone: '555-0100', time_zone: 'America/New_York', default_tax_rate: '8.875' });
    expect(ok.status).toBe(303);
    const [settings] = await t.deps.db.execute<any>(sql`select store_name, default_tax_rate_millipercent, time_zone from store_settings`);
    expect(settings).toEqual({ store_name: 'Harmony Music & Sound', default_tax_rate_millipercent: 8875, time_zone: 'America/New_York' });
    const [audit] = await t.deps.db.execute<any>(sql`select before, after from audit_log where action = 'settings.update'`);
    expect(audit.before.storeName).toBe('Harmony Music');
    expect(audit.after.storeName).toBe('Harmony Music & Sound');
  });
});

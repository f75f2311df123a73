import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { Validator } from '@seriousme/openapi-schema-validator';
import { addStaff, apiRequest, makeTestApp, ownerToken, setupStoreWithOwner, resetDb, type TestContext } from '../helpers';
import { createStaff, roleIdsByKey } from '../../src/features/staff/service';
import { cliActor } from '../../src/features/audit/service';
import { createApiToken, revokeApiToken } from '../../src/features/api-tokens/service';

let t: TestContext;
let token: string;

beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  await setupStoreWithOwner(t);
  token = await ownerToken(t);
});

const roleIds = (keys: string[]) => t.deps.db.transaction((tx) => roleIdsByKey(tx, keys));

describe('API auth', () => {
  test('responses say how long the server took (Server-Timing, what `bun run bench` reads)', async () => {
    const ok = await apiRequest(t.app, 'GET', '/api/v1/staff', { token });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('server-timing')).toMatch(/^app;dur=\d+\.\d{2}$/);
    const page = await t.app.handle(new Request('http://localhost/login'));
    expect(page.headers.get('server-timing')).toMatch(/^app;dur=\d+\.\d{2}$/);
  });

  test('no token, a malformed header, an unknown token and a revoked token are 401 JSON errors', async () => {
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer forte_nope' }] as Record<string, string>[]) {
      const res = await apiRequest(t.app, 'GET', '/api/v1/staff', { headers });
      expect(res.status).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
    const [{ id }] = await t.deps.db.execute<{ id: string }>(sql`select id from api_tokens limit 1`);
    await t.deps.db.transaction((tx) => revokeApiToken(tx, cliActor('test'), id));
    expect((await apiRequest(t.app, 'GET', '/api/v1/staff', { token })).status).toBe(401);
  });

  test('cookie sessions are not accepted on the API', async () => {
    const res = await apiRequest(t.app, 'GET', '/api/v1/staff', { headers: { cookie: 'forte_session=whatever' } });
    expect(res.status).toBe(401);
  });

  test('a token narrowed to staff.view can list but not create (403)', async () => {
    const [owner] = await t.deps.db.execute<{ id: string }>(sql`select id from staff_users where username = 'owner1'`);
    const narrow = (await t.deps.db.transaction((tx) => createApiToken(tx, cliActor('test'), { name: 'read-only', ownerUserId: owner.id, permissions: ['staff.view'] }))).token;
    expect((await apiRequest(t.app, 'GET', '/api/v1/staff', { token: narrow })).status).toBe(200);
    const res = await apiRequest(t.app, 'POST', '/api/v1/staff', { token: narrow, json: { username: 'x1234', name: 'X', password: 'long enough pw', role_ids: await roleIds(['cashier']) } });
    expect(res.status).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });

  test("a token can't carry permissions its owner lacks", async () => {
    const cashier = await addStaff(t, 'cash1', ['cashier']);
    await expect(t.deps.db.transaction((tx) => createApiToken(tx, cliActor('test'), { name: 'x', ownerUserId: cashier.id, permissions: ['staff.manage'] }))).rejects.toThrow();
  });
});

describe('staff endpoints', () => {
  test('create, read, list with search/sort/pagination, patch', async () => {
    const created = await apiRequest(t.app, 'POST', '/api/v1/staff', { token, json: { username: 'carl', name: 'Carl Cashier', email: 'carl@example.com', password: 'carl password 1', role_ids: await roleIds(['cashier']) } });
    expect(created.status).toBe(201);
    const carl = created.json();
    expect(carl).toMatchObject({ username: 'carl', name: 'Carl Cashier', active: true, has_pin: false });
    expect(carl.roles.map((r: any) => r.key)).toEqual(['cashier']);
    expect(carl).not.toHaveProperty('password_hash');

    expect((await apiRequest(t.app, 'GET', `/api/v1/staff/${carl.id}`, { token })).json().username).toBe('carl');
    for (let i = 0; i < 4; i++) await addStaff(t, `zed${i}`, ['technician']);
    const page = await apiRequest(t.app, 'GET', '/api/v1/staff?limit=2&page=2&sort=username&order=asc', { token });
    expect(page.status).toBe(200);
    expect(page.json().pagination).toEqual({ page: 2, limit: 2, total: 6, total_pages: 3 });
    expect(page.json().data.map((s: any) => s.username)).toEqual(['zed0', 'zed1']);
    const search = await apiRequest(t.app, 'GET', '/api/v1/staff?q=cashier', { token });
    expect(search.json().data.map((s: any) => s.username)).toEqual(['carl']);

    const patched = await apiRequest(t.app, 'PATCH', `/api/v1/staff/${carl.id}`, { token, json: { name: 'Carl C.', active: false } });
    expect(patched.status).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Carl C.', active: false, email: 'carl@example.com' });
    const [audit] = await t.deps.db.execute<any>(sql`select actor_label, before, after from audit_log where action = 'staff.deactivate'`);
    expect(audit.actor_label).toBe('api:test');
    expect(audit.before.active).toBe(true);
    expect(audit.after.active).toBe(false);
  });

  test('bad input: 4xx JSON errors with fields, nothing written', async () => {
    const before = (await t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from staff_users`))[0].n;
    const cashierRole = await roleIds(['cashier']);
    const cases: [unknown, number, string][] = [
      [{}, 422, 'username'],
      [{ username: 'ab', name: 'A', password: 'long enough pw', role_ids: cashierRole }, 422, 'username'],
      [{ username: 'okname', name: 'x'.repeat(101), password: 'long enough pw', role_ids: cashierRole }, 422, 'name'],
      [{ username: 'okname', name: 'A', password: 123, role_ids: cashierRole }, 422, 'password'],
      [{ username: 'okname', name: 'A', password: 'long enough pw', role_ids: 'cashier' }, 422, 'role_ids'],
      [{ username: 'okname', name: 'A', password: 'long enough pw', role_ids: ['00000000-0000-4000-8000-000000000000'] }, 422, 'role_ids'],
      [{ username: 'OWNER1', name: 'Dup', password: 'long enough pw', role_ids: cashierRole }, 409, 'username'],
      [{ username: 'okname', name: 'A', password: 'long enough pw', role_ids: cashierRole, email: 'nope' }, 422, 'email'],
    ];
    for (const [json, status, field] of cases) {
      const res = await apiRequest(t.app, 'POST', '/api/v1/staff', { token, json });
      expect(res.status).toBe(status);
      expect(res.json().error.fields).toHaveProperty(field);
    }
    const notJson = await t.app.handle(new Request('http://forte.test/api/v1/staff', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{bad json' }));
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBeString();
    const form = await t.app.handle(new Request('http://forte.test/api/v1/staff', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=x' }));
    expect(form.status).toBe(400);
    const after = (await t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from staff_users`))[0].n;
    expect(after).toBe(before);

    expect((await apiRequest(t.app, 'GET', '/api/v1/staff/not-a-uuid', { token })).status).toBe(404);
    expect((await apiRequest(t.app, 'GET', '/api/v1/staff/00000000-0000-4000-8000-000000000000', { token })).json().error.code).toBe('not_found');
    expect((await apiRequest(t.app, 'PATCH', '/api/v1/staff/00000000-0000-4000-8000-000000000000', { token, json: { name: 'x' } })).status).toBe(404);
    expect((await apiRequest(t.app, 'PATCH', `/api/v1/staff/${(await addStaff(t, 'pat1', ['cashier'])).id}`, { token, json: { bogus: 1 } })).status).toBe(422);
    expect((await apiRequest(t.app, 'GET', '/api/v1/staff?limit=500', { token })).status).toBe(400);
    expect((await apiRequest(t.app, 'GET', '/api/v1/staff?sort=password_hash', { token })).status).toBe(400);
    expect((await apiRequest(t.app, 'GET', '/api/v1/nope', { token })).json().error.code).toBe('not_found');
  });

  test('the last active owner cannot be deactivated or lose the owner role', async () => {
    const [owner] = await t.deps.db.execute<{ id: string }>(sql`select id from staff_users where username = 'owner1'`);
    const res = await apiRequest(t.app, 'PATCH', `/api/v1/staff/${owner.id}`, { token, json: { active: false } });
    expect(res.status).toBe(409);
    const res2 = await apiRequest(t.app, 'PATCH', `/api/v1/staff/${owner.id}`, { token, json: { role_ids: await roleIds(['manager']) } });
    expect(res2.status).toBe(409);
    expect((await apiRequest(t.app, 'GET', `/api/v1/staff/${owner.id}`, { token })).json().active).toBe(true);
  });
});

describe('OpenAPI', () => {
  test('the document is valid OpenAPI 3.1 and its paths are exactly the registered /api/v1 routes', async () => {
    const res = await apiRequest(t.app, 'GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    if (!result.valid) console.error(JSON.stringify(result.errors, null, 2).slice(0, 2000));
    expect(result.valid).toBe(true);
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const registered = t.app.routes
      .filter((r) => r.path.startsWith('/api/v1'))
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`)
      .sort();
    expect(documented).toEqual(registered);
  });

  test('health answers with the same facts as /healthz', async () => {
    const api = (await apiRequest(t.app, 'GET', '/api/v1/health')).json();
    const healthz = (await apiRequest(t.app, 'GET', '/healthz')).json();
    expect(api).toEqual(healthz);
    expect(api.database.ok).toBe(true);
    expect(api.schema.pending).toBe(0);
  });
});

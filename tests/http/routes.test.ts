import { beforeAll, describe, expect, test } from 'bun:test';
import { addStaff, apiRequest, makeTestApp, resetDb, setupStore, signIn, TestClient, type TestContext } from '../helpers';
import { routeAccess } from '../../src/server/auth';
import { BUILT_IN_ROLES, type Permission } from '../../src/features/auth/permissions';
import { createApiToken } from '../../src/features/api-tokens/service';
import { cliActor } from '../../src/features/audit/service';

let t: TestContext;
const clients = new Map<string, TestClient>();
const tokens = new Map<string, string>();
const UUID = '00000000-0000-4000-8000-000000000000';
const concrete = (path: string) => path.replace(/:id/g, UUID).replace('/*', '/css/app.css');

beforeAll(async () => {
  await resetDb();
  t = makeTestApp();
  clients.set('owner', await setupStore(t));
  for (const role of BUILT_IN_ROLES.filter((r) => r.key !== 'owner')) {
    const user = await addStaff(t, `u_${role.key}`, [role.key]);
    clients.set(role.key, await signIn(t, `u_${role.key}`, 'staff password 123'));
    tokens.set(role.key, (await t.deps.db.transaction((tx) => createApiToken(tx, cliActor('test'), { name: role.key, ownerUserId: user.id }))).token);
  }
}, 120_000);

describe('route access', () => {
  test('every route declares exactly one access rule', () => {
    const undeclared = t.app.routes.filter((r) => routeAccess(r).length !== 1).map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
    expect(t.app.routes.length).toBeGreaterThan(20);
  });

  test('no non-public route is reachable without login (pages -> /login, API -> 401)', async () => {
    const anonymous = new TestClient(t.app);
    await anonymous.get('/login');
    const reached: string[] = [];
    for (const route of t.app.routes) {
      const [access] = routeAccess(route);
      if (access.kind === 'public') continue;
      const path = concrete(route.path);
      if (access.kind === 'api') {
        const res = await apiRequest(t.app, route.method, path, route.method === 'GET' ? {} : { json: {} });
        if (res.status !== 401) reached.push(`${route.method} ${route.path} -> ${res.status}`);
      } else {
        const res = route.method === 'GET' ? await anonymous.get(path) : await anonymous.postForm(path, {});
        if (res.status !== 303 || !res.headers.get('location')?.startsWith('/login')) reached.push(`${route.method} ${route.path} -> ${res.status}`);
      }
    }
    expect(reached).toEqual([]);
  });

  test('role × permission matrix: every role is refused exactly the routes whose permission it lacks', async () => {
    const mismatches: string[] = [];
    for (const role of BUILT_IN_ROLES.filter((r) => r.key !== 'owner')) {
      const client = clients.get(role.key)!;
      await client.get('/');
      const held = new Set<Permission>(role.permissions);
      for (const route of t.app.routes) {
        const [access] = routeAccess(route);
        if (access.kind !== 'permission' && access.kind !== 'api') continue;
        const path = concrete(route.path);
        const allowed = access.permission === null || held.has(access.permission);
        let status: number;
        if (access.kind === 'api') {
          status = (await apiRequest(t.app, route.method, path, { token: tokens.get(role.key), ...(route.method === 'GET' ? {} : { json: {} }) })).status;
        } else {
          // POSTs are sent with an invalid body: an allowed role gets a validation error or a redirect, never 403.
          status = route.method === 'GET' ? (await client.get(path)).status : (await client.postForm(path, {})).status;
        }
        const refused = status === 403;
        if (refused === allowed) mismatches.push(`${role.key} ${route.method} ${route.path}: status ${status}, permission ${access.permission}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  test('a cashier is refused the Staff page with a 403 page, not a redirect', async () => {
    const res = await clients.get('cashier')!.get('/staff');
    expect(res.status).toBe(403);
    expect(res.text).toContain('staff.view');
  });
});

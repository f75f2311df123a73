import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { addStaff, makeTestApp, resetDb, setupStore, type TestClient, type TestContext } from '../helpers';

let t: TestContext;
let owner: TestClient;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
});

const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const roleId = async (key: string) => (await t.deps.db.execute<{ id: string }>(sql`select id from roles where key = ${key}`))[0].id;

describe('staff forms: bad input shows messages and writes nothing', () => {
  test('new staff user', async () => {
    await owner.get('/staff/new');
    const cashier = await roleId('cashier');
    const good = { username: 'casey', name: 'Casey', email: '', password: 'casey password 1', pin: '', role_ids: cashier };
    const cases: [Record<string, string>, number, string][] = [
      [{ username: '' }, 422, 'at least 3 characters'],
      [{ username: 'x'.repeat(41) }, 422, 'at most 40 characters'],
      [{ name: '' }, 422, 'Name is required.'],
      [{ password: 'short' }, 422, 'at least 10 characters'],
      [{ pin: '12' }, 422, 'PIN must be 4 to 6 digits.'],
      [{ email: 'nope' }, 422, 'valid email'],
      [{ role_ids: '' }, 422, 'Pick at least one role.'],
      [{ role_ids: 'not-a-uuid' }, 422, 'Unknown role.'],
      [{ role_ids: '00000000-0000-4000-8000-000000000000' }, 422, 'does not exist'],
      [{ username: 'OLIVIA' }, 409, 'already taken'],
    ];
    for (const [override, status, message] of cases) {
      const res = await owner.postForm('/staff', { ...good, ...override });
      expect(res.status).toBe(status);
      expect(res.text).toContain(message);
    }
    expect(await count('staff_users')).toBe(1);
  });

  test('edit, reset password and deactivate', async () => {
    const tech = await addStaff(t, 'tech1', ['technician']);
    await owner.get(`/staff/${tech.id}`);
    const edit = await owner.postForm(`/staff/${tech.id}`, { name: '', email: '', pin: '', role_ids: await roleId('technician') });
    expect(edit.status).toBe(422);
    expect(edit.text).toContain('Name is required.');
    const pw = await owner.postForm(`/staff/${tech.id}/password`, { password: 'long enough 1', password_confirm: 'different one 1' });
    expect(pw.status).toBe(422);
    expect(pw.text).toContain('The two passwords differ.');
    expect((await owner.postForm(`/staff/${tech.id}/password`, { password: 'short', password_confirm: 'short' })).status).toBe(422);
    expect((await owner.get('/staff/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await owner.postForm('/staff/00000000-0000-4000-8000-000000000000', { name: 'x' })).status).toBe(404);
    const [row] = await t.deps.db.execute<any>(sql`select name, updated_at = created_at as untouched from staff_users where id = ${tech.id}`);
    expect(row).toEqual({ name: 'TECH1', untouched: true });

    const ok = await owner.postForm(`/staff/${tech.id}/active`, { active: 'false' });
    expect(ok.status).toBe(303);
    const [after] = await t.deps.db.execute<any>(sql`select active from staff_users where id = ${tech.id}`);
    expect(after.active).toBe(false);
    const [audit] = await t.deps.db.execute<any>(sql`select actor_label, before, after from audit_log where action = 'staff.deactivate'`);
    expect(audit).toMatchObject({ actor_label: 'olivia', before: { active: true }, after: { active: false } });
  });

  test('roles: bad input, duplicates, built-in roles locked, roles in use not deleted', async () => {
    await owner.get('/staff/roles/new');
    const cases: [Record<string, string | string[]>, number, string][] = [
      [{ name: '', permissions: 'pos.sell' }, 422, 'Name is required.'],
      [{ name: 'x'.repeat(61), permissions: 'pos.sell' }, 422, 'at most 60 characters'],
      [{ name: 'Closer' }, 422, 'Pick at least one permission.'],
      [{ name: 'Closer', permissions: 'pos.fly' }, 422, 'Unknown permission.'],
      [{ name: 'cashier', permissions: 'pos.sell' }, 409, 'already exists'],
    ];
    const before = await count('roles');
    for (const [fields, status, message] of cases) {
      const res = await owner.postForm('/staff/roles', fields);
      expect(res.status).toBe(status);
      expect(res.text).toContain(message);
    }
    expect(await count('roles')).toBe(before);
    const created = await owner.postForm('/staff/roles', { name: 'Closer', description: 'Closes the store', permissions: ['drawer.close', 'reports.view'] });
    expect(created.status).toBe(303);
    const [closer] = await t.deps.db.execute<any>(sql`select id, permissions from roles where name = 'Closer'`);
    expect(closer.permissions).toEqual(['drawer.close', 'reports.view']);
    const builtIn = await owner.postForm(`/staff/roles/${await roleId('cashier')}`, { name: 'Cashier', permissions: 'staff.manage' });
    expect(builtIn.status).toBe(409);
    await addStaff(t, 'closer1', ['custom_closer']);
    await owner.postForm(`/staff/roles/${closer.id}/delete`, {});
    expect(await count('roles')).toBe(before + 1);
  });

  test('API tokens page: a name is required; the new token is shown once and works; revoke', async () => {
    await owner.get('/settings/api-tokens');
    const bad = await owner.postForm('/settings/api-tokens', { name: '' });
    expect(bad.status).toBe(422);
    expect(await count('api_tokens')).toBe(0);
    const made = await owner.postForm('/settings/api-tokens', { name: 'Website', permissions: 'staff.view' });
    expect(made.status).toBe(201);
    const token = /forte_[A-Za-z0-9_-]{40,}/.exec(made.text)![0];
    const res = await t.app.handle(new Request('http://forte.test/api/v1/staff', { headers: { authorization: `Bearer ${token}` } }));
    expect(res.status).toBe(200);
    expect((await owner.get('/settings/api-tokens')).text).not.toContain(token);
    const [{ id }] = await t.deps.db.execute<{ id: string }>(sql`select id from api_tokens`);
    expect((await owner.postForm(`/settings/api-tokens/${id}/revoke`, {})).status).toBe(303);
    expect((await t.app.handle(new Request('http://forte.test/api/v1/staff', { headers: { authorization: `Bearer ${token}` } }))).status).toBe(401);
  });
});

describe('CSV export of lists', () => {
  test('staff and audit lists export the rows matching the current filters as CSV', async () => {
    await addStaff(t, 'zara', ['cashier']);
    await addStaff(t, 'yusuf', ['technician']);
    const page = await owner.get('/staff?q=zar');
    expect(page.text).toContain('/staff/export.csv?q=zar');
    const res = await owner.get('/staff/export.csv?q=zar');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="staff-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('username,name,email,roles,active,last_login_at,created_at');
    expect(lines.length).toBe(2);
    expect(lines[1]).toStartWith('zara,ZARA,,cashier,true,');
    const audit = await owner.get('/audit/export.csv?q=staff.create');
    expect(audit.status).toBe(200);
    expect(audit.text.split('\r\n')[0]).toBe('id,at,actor,action,entity_type,entity_id,summary,before,after');
    expect(audit.text).toContain('staff.create');
  });
});

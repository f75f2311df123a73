import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { addStaff, apiRequest, makeTestApp, ownerToken, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';

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

describe('discount limit and PIN lockout on the staff forms', () => {
  const limitOf = async (username: string) => (await t.deps.db.execute<{ n: number }>(sql`select discount_limit_millipercent as n from staff_users where username = ${username}`))[0]?.n;

  test('new staff user: "Discount limit (%)" accepts 0–100 with up to 3 decimals, blank = 10%, bad input is shown next to the field', async () => {
    const form = await owner.get('/staff/new');
    expect(form.text).toContain('Discount limit (%)');
    expect(form.text).toMatch(/name="discount_limit"[^>]*value="10"/);
    const cashier = await roleId('cashier');
    const good = { username: 'dana', name: 'Dana', email: '', password: 'dana password 1', pin: '', role_ids: cashier };
    for (const bad of ['abc', '101', '-5', '12.3456', '100.001']) {
      const res = await owner.postForm('/staff', { ...good, discount_limit: bad });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Enter a percentage from 0 to 100 with up to 3 decimals, e.g. 12.5.');
      expect(res.text).toMatch(new RegExp(`name="discount_limit"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="discount_limit"`));
      expect(res.text).toContain(`value="${bad}"`);
    }
    // Other errors and a bad limit are shown together.
    const both = await owner.postForm('/staff', { ...good, name: '', discount_limit: 'x' });
    expect(both.text).toContain('Name is required.');
    expect(both.text).toContain('Enter a percentage');
    expect(await count('staff_users')).toBe(1);

    expect((await owner.postForm('/staff', { ...good, discount_limit: '12.5%' })).status).toBe(303);
    expect(await limitOf('dana')).toBe(12_500);
    expect((await owner.postForm('/staff', { ...good, username: 'eli', discount_limit: '' })).status).toBe(303);
    expect(await limitOf('eli')).toBe(10_000);
    expect((await owner.postForm('/staff', { ...good, username: 'fay', discount_limit: '0' })).status).toBe(303);
    expect(await limitOf('fay')).toBe(0);
  });

  test('edit: the limit is shown, changed, audited; bad input changes nothing', async () => {
    const cashier = await addStaff(t, 'gus', ['cashier']);
    const page = await owner.get(`/staff/${cashier.id}`);
    expect(page.text).toMatch(/name="discount_limit"[^>]*value="10"/);
    const fields = { name: 'Gus', email: '', pin: '', role_ids: await roleId('cashier') };
    const bad = await owner.postForm(`/staff/${cashier.id}`, { ...fields, discount_limit: '150' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Enter a percentage from 0 to 100');
    expect(await limitOf('gus')).toBe(10_000);
    const [row] = await t.deps.db.execute<any>(sql`select name from staff_users where id = ${cashier.id}`);
    expect(row.name).toBe('GUS');

    expect((await owner.postForm(`/staff/${cashier.id}`, { ...fields, discount_limit: '7.25' })).status).toBe(303);
    expect(await limitOf('gus')).toBe(7_250);
    expect((await owner.get(`/staff/${cashier.id}`)).text).toMatch(/name="discount_limit"[^>]*value="7.25"/);
    const [audit] = await t.deps.db.execute<any>(sql`select before, after from audit_log where action = 'staff.update' and entity_id = ${cashier.id}`);
    expect(audit.before.discountLimitMillipercent).toBe(10_000);
    expect(audit.after.discountLimitMillipercent).toBe(7_250);
    // Blank keeps the current limit.
    expect((await owner.postForm(`/staff/${cashier.id}`, { ...fields, discount_limit: '' })).status).toBe(303);
    expect(await limitOf('gus')).toBe(7_250);
  });

  test('read-only viewers see the limit and a locked PIN; a new PIN set on the form unlocks it', async () => {
    const cashier = await addStaff(t, 'hal', ['cashier']);
    await t.deps.db.execute(sql`update staff_users set pin_hash = 'x', pin_failures = 5, discount_limit_millipercent = 12500 where id = ${cashier.id}`);
    await addStaff(t, 'viewer', ['bookkeeper']);
    await t.deps.db.execute(sql`update roles set permissions = permissions || '{staff.view}' where key = 'bookkeeper'`);
    const viewer = await signIn(t, 'viewer', 'staff password 123');
    const readOnly = await viewer.get(`/staff/${cashier.id}`);
    expect(readOnly.status).toBe(200);
    expect(readOnly.text).toContain('Locked after 5 wrong tries');
    expect(readOnly.text).toContain('12.5%');

    const managerView = await owner.get(`/staff/${cashier.id}`);
    expect(managerView.text).toContain('The PIN is locked after 5 wrong tries; set a new one to unlock it.');
    const res = await owner.postForm(`/staff/${cashier.id}`, { name: 'Hal', email: '', pin: '5678', role_ids: await roleId('cashier'), discount_limit: '12.5' });
    expect(res.status).toBe(303);
    const [row] = await t.deps.db.execute<any>(sql`select pin_failures, pin_hash <> 'x' as new_pin from staff_users where id = ${cashier.id}`);
    expect(row).toEqual({ pin_failures: 0, new_pin: true });
    expect((await owner.get(`/staff/${cashier.id}`)).text).not.toContain('The PIN is locked');
  });

  test('API: discount_limit_millipercent and pin_locked in GET/POST/PATCH; out-of-range or non-integer is a 422 field error', async () => {
    const token = await ownerToken(t);
    const role_ids = [await roleId('cashier')];
    const base = { username: 'ivy', name: 'Ivy', password: 'ivy password 12', role_ids };
    for (const bad of [100_001, -1, 12.5, '10000', null]) {
      const res = await apiRequest(t.app, 'POST', '/api/v1/staff', { token, json: { ...base, discount_limit_millipercent: bad } });
      expect(res.status).toBe(422);
      expect(res.json().error.fields.discount_limit_millipercent).toContain('whole number from 0 to 100000');
    }
    expect(await count('staff_users')).toBe(1);
    const created = await apiRequest(t.app, 'POST', '/api/v1/staff', { token, json: { ...base, discount_limit_millipercent: 5_000 } });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ username: 'ivy', discount_limit_millipercent: 5_000, pin_locked: false, has_pin: false });
    const id = created.json().id;
    const dflt = await apiRequest(t.app, 'POST', '/api/v1/staff', { token, json: { ...base, username: 'jay' } });
    expect(dflt.json().discount_limit_millipercent).toBe(10_000);

    const badPatch = await apiRequest(t.app, 'PATCH', `/api/v1/staff/${id}`, { token, json: { discount_limit_millipercent: 200_000 } });
    expect(badPatch.status).toBe(422);
    expect(await limitOf('ivy')).toBe(5_000);
    await t.deps.db.execute(sql`update staff_users set pin_hash = 'x', pin_failures = 5 where id = ${id}`);
    expect((await apiRequest(t.app, 'GET', `/api/v1/staff/${id}`, { token })).json()).toMatchObject({ pin_locked: true, has_pin: true });
    const patched = await apiRequest(t.app, 'PATCH', `/api/v1/staff/${id}`, { token, json: { discount_limit_millipercent: 100_000, pin: '8642' } });
    expect(patched.status).toBe(200);
    expect(patched.json()).toMatchObject({ discount_limit_millipercent: 100_000, pin_locked: false, has_pin: true });
    const list = await apiRequest(t.app, 'GET', '/api/v1/staff?q=ivy', { token });
    expect(list.json().data[0]).toMatchObject({ username: 'ivy', discount_limit_millipercent: 100_000 });
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

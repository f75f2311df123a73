import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { apiRequest, makeTestApp, ownerToken, resetDb, setupStore, type TestContext } from '../helpers';

let t: TestContext;
let token: string;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp(); // clock: 2026-11-24 15:00 UTC = 09:00 in the store's America/Chicago
  await setupStore(t);
  token = await ownerToken(t);
});

const api = (method: string, path: string, json?: unknown, tok = token) => apiRequest(t.app, method, path, { token: tok, ...(json === undefined ? {} : { json }) });
const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const audits = (action: string) => t.deps.db.execute<any>(sql`select entity_id, actor_label, before, after from audit_log where action = ${action} order by id`);

async function createAccount(body: Record<string, unknown>) {
  const res = await api('POST', '/api/v1/accounts', body);
  if (res.status !== 201) throw new Error(`create account: ${res.status} ${res.text}`);
  return res.json();
}
async function addMember(accountId: string, body: Record<string, unknown>) {
  const res = await api('POST', `/api/v1/accounts/${accountId}/members`, body);
  if (res.status !== 201) throw new Error(`add member: ${res.status} ${res.text}`);
  return res.json();
}

describe('acceptance: a family with two children and a parent', () => {
  test('minor flags are right and a second account with the same phone gets the duplicate warning', async () => {
    const family = await createAccount({ name: 'Smith family', type: 'family', email: 'Smiths@Example.com', phone: '(555) 010-2233', billing_mode: 'consolidated', billing_day: 5 });
    expect(family.number).toMatch(/^\d{6}$/);
    expect(family).toMatchObject({ name: 'Smith family', type: 'family', phone: '(555) 010-2233', billing_day: 5, is_active: true, primary_member_id: null });

    const parent = await addMember(family.id, { first_name: 'Jane', last_name: 'Smith', date_of_birth: '1984-03-02' });
    const child1 = await addMember(family.id, { first_name: 'Tom', last_name: 'Smith', date_of_birth: '2014-06-10', school: 'Lincoln Middle', grade: '6', teacher: 'Ms. Reed' });
    // 18th birthday is tomorrow (store date 2026-11-24): still a minor today.
    const child2 = await addMember(family.id, { first_name: 'Amy', last_name: 'Smith', date_of_birth: '2008-11-25' });
    expect(parent.is_minor).toBe(false);
    expect(child1.is_minor).toBe(true);
    expect(child2.is_minor).toBe(true);
    expect(parent.minor_override).toBeNull();
    expect(child1.number).toMatch(/^\d{6}$/);

    const detail = (await api('GET', `/api/v1/accounts/${family.id}`)).json();
    expect(detail.primary_member_id).toBe(parent.id);
    expect(detail.members.map((m: any) => [m.first_name, m.is_minor])).toEqual([['Jane', false], ['Tom', true], ['Amy', true]]);
    expect(detail.balance_cents).toBe(0);
    expect(detail.store_credit_cents).toBe(0);

    // Same phone typed differently: digits match, so a warning with the match, and nothing written.
    const dup = await api('POST', '/api/v1/accounts', { name: 'J. Smith', phone: '555.010.2233' });
    expect(dup.status).toBe(409);
    const err = dup.json().error;
    expect(err.code).toBe('conflict');
    expect(err.fields.phone).toContain(`#${family.number}`);
    expect(err.matches).toEqual([{ id: family.id, number: family.number, name: 'Smith family', email: 'Smiths@Example.com', phone: '(555) 010-2233', matched_on: ['phone'] }]);
    expect(await count('accounts')).toBe(1);

    // Email compared case-insensitively.
    const dupEmail = await api('POST', '/api/v1/accounts', { name: 'Other', email: 'smiths@example.COM' });
    expect(dupEmail.status).toBe(409);
    expect(dupEmail.json().error.matches[0].matched_on).toEqual(['email']);

    const anyway = await api('POST', '/api/v1/accounts', { name: 'J. Smith', phone: '555.010.2233', confirm_duplicate: true });
    expect(anyway.status).toBe(201);
    expect(anyway.json().number).not.toBe(family.number);
  }, 30_000);

  test('an inactive account does not trigger the warning', async () => {
    const old = await createAccount({ name: 'Old', phone: '555-010-9999' });
    expect((await api('PATCH', `/api/v1/accounts/${old.id}`, { is_active: false })).status).toBe(200);
    expect((await api('POST', '/api/v1/accounts', { name: 'New', phone: '5550109999' })).status).toBe(201);
  }, 30_000);
});

describe('accounts', () => {
  test('list: search, filters, sort, pagination and bad parameters', async () => {
    const smith = await createAccount({ name: 'Smith family', phone: '555-010-1111', email: 'a@smith.test', tags: ['Band', 'band', 'vip'] });
    expect(smith.tags).toEqual(['band', 'vip']);
    await createAccount({ name: 'Smithers Inc', type: 'business', phone: '555-020-2222' });
    const jones = await createAccount({ name: 'Jones', type: 'family' });
    await addMember(jones.id, { first_name: 'Sam', last_name: 'Smithson' });
    const school = await createAccount({ name: 'Lincoln School', type: 'school' });
    await api('PATCH', `/api/v1/accounts/${school.id}`, { is_active: false });

    const names = async (query: string) => (await api('GET', `/api/v1/accounts?${query}`)).json().data.map((a: any) => a.name);
    expect(await names('q=smi')).toEqual(['Jones', 'Smith family', 'Smithers Inc']); // member Smithson finds Jones
    expect(await names('q=sm')).toEqual(['Jones', 'Smith family', 'Smithers Inc']);
    expect(await names('q=020-22')).toEqual(['Smithers Inc']);
    expect(await names(`q=${smith.number}`)).toEqual(['Smith family']);
    expect(await names('q=a%40smith')).toEqual(['Smith family']);
    expect(await names('type=business')).toEqual(['Smithers Inc']);
    expect(await names('status=inactive')).toEqual(['Lincoln School']);
    expect(await names('status=all&sort=name&order=desc')).toEqual(['Smithers Inc', 'Smith family', 'Lincoln School', 'Jones']);
    const page = (await api('GET', '/api/v1/accounts?limit=2&page=2&sort=name')).json();
    expect(page.pagination).toEqual({ page: 2, limit: 2, total: 3, total_pages: 2 });
    expect(page.data.map((a: any) => a.name)).toEqual(['Smithers Inc']);

    for (const bad of ['limit=500', 'page=0', 'sort=password', 'order=up', 'status=gone', 'type=alien']) {
      const res = await api('GET', `/api/v1/accounts?${bad}`);
      expect(res.status).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
  }, 30_000);

  test('create: bad input gives 4xx with per-field messages and writes nothing', async () => {
    const cases: [unknown, number, string, string][] = [
      [{}, 422, 'name', 'Name is required.'],
      [{ name: '   ' }, 422, 'name', 'Name is required.'],
      [{ name: 'x'.repeat(121) }, 422, 'name', 'at most 120 characters'],
      [{ name: 42 }, 422, 'name', 'Name is required.'],
      [{ name: 'A', type: 'alien' }, 422, 'type', 'individual, family, business or school'],
      [{ name: 'A', email: 'nope' }, 422, 'email', 'valid email'],
      [{ name: 'A', phone: 'call me' }, 422, 'phone', 'Use digits'],
      [{ name: 'A', phone: '12-34' }, 422, 'phone', 'at least 7 digits'],
      [{ name: 'A', billing_mode: 'weekly' }, 422, 'billing_mode', 'consolidated or split'],
      [{ name: 'A', billing_day: 29 }, 422, 'billing_day', '1 to 28'],
      [{ name: 'A', billing_day: '5' }, 422, 'billing_day', '1 to 28'],
      [{ name: 'A', billing_day: 2.5 }, 422, 'billing_day', '1 to 28'],
      [{ name: 'A', credit_limit_cents: -1 }, 422, 'credit_limit_cents', 'cannot be negative'],
      [{ name: 'A', credit_limit_cents: 10.5 }, 422, 'credit_limit_cents', 'whole number of cents'],
      [{ name: 'A', charge_allowed: 'yes' }, 422, 'charge_allowed', 'true or false'],
      [{ name: 'A', tags: 'band' }, 422, 'tags', 'list'],
      [{ name: 'A', tags: ['x'.repeat(41)] }, 422, 'tags', 'at most 40'],
      [{ name: 'A', country: 'USA' }, 422, 'country', 'at most 2'],
      [{ name: 'A', notes: 'x'.repeat(2001) }, 422, 'notes', 'at most 2000'],
      [{ name: 'A', phone_number: '555' }, 422, '_', ''],
    ];
    for (const [body, status, field, message] of cases) {
      const res = await api('POST', '/api/v1/accounts', body);
      expect(res.status).toBe(status);
      const err = res.json().error;
      expect(err.code).toBe('validation_failed');
      expect(Object.keys(err.fields)).toContain(field);
      expect(err.fields[field]).toContain(message);
    }
    const notJson = await apiRequest(t.app, 'POST', '/api/v1/accounts', { token, headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(400);
    const arrayBody = await api('POST', '/api/v1/accounts', [{ name: 'A' }]);
    expect(arrayBody.status).toBe(400);
    expect(await count('accounts')).toBe(0);
    expect(await count('audit_log where entity_type = \'account\'')).toBe(0);
  }, 30_000);

  test('legacy ids are unique (409) and nothing half-written', async () => {
    await createAccount({ name: 'A', legacy_id: 'AIM-1' });
    const res = await api('POST', '/api/v1/accounts', { name: 'B', legacy_id: 'AIM-1' });
    expect(res.status).toBe(409);
    expect(res.json().error.fields.legacy_id).toContain('legacy id');
    expect(await count('accounts')).toBe(1);
  }, 30_000);

  test('patch writes an audit row with before/after; unknown ids are 404; bad input 422', async () => {
    const a = await createAccount({ name: 'Smith', billing_day: 5, email: 'x@y.test' });
    const res = await api('PATCH', `/api/v1/accounts/${a.id}`, { name: 'Smith family', billing_day: null, email: '', charge_allowed: true, credit_limit_cents: 50000 });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Smith family', billing_day: null, email: null, charge_allowed: true, credit_limit_cents: 50000, number: a.number });
    const [row] = await audits('account.update');
    expect(row).toMatchObject({ entity_id: a.id, actor_label: 'api:test', before: { name: 'Smith', billingDay: 5, email: 'x@y.test' }, after: { name: 'Smith family', billingDay: null, email: null } });

    expect((await api('PATCH', `/api/v1/accounts/${a.id}`, { is_active: false })).json().is_active).toBe(false);
    expect((await audits('account.deactivate')).length).toBe(1);
    expect((await api('PATCH', `/api/v1/accounts/${a.id}`, { is_active: true })).json().is_active).toBe(true);
    expect((await audits('account.reactivate')).length).toBe(1);

    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect((await api('GET', `/api/v1/accounts/${id}`)).status).toBe(404);
      expect((await api('PATCH', `/api/v1/accounts/${id}`, { name: 'x' })).status).toBe(404);
    }
    const bad = await api('PATCH', `/api/v1/accounts/${a.id}`, { name: '', billing_day: 0, surprise: 1 });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['_', 'billing_day', 'name']);
    expect((await api('GET', `/api/v1/accounts/${a.id}`)).json().name).toBe('Smith family');
  }, 30_000);
});

describe('members', () => {
  test('minor override wins over the date of birth, in both directions', async () => {
    const a = await createAccount({ name: 'Lee' });
    const adultFlagged = await addMember(a.id, { first_name: 'Kim', last_name: 'Lee', date_of_birth: '2012-01-01', is_minor: false });
    expect(adultFlagged).toMatchObject({ is_minor: false, minor_override: false });
    const minorFlagged = await addMember(a.id, { first_name: 'Pat', last_name: 'Lee', date_of_birth: '1990-01-01', is_minor: true });
    expect(minorFlagged.is_minor).toBe(true);
    const unknown = await addMember(a.id, { first_name: 'Max', last_name: 'Lee' });
    expect(unknown.is_minor).toBe(false);
    const cleared = await api('PATCH', `/api/v1/members/${adultFlagged.id}`, { is_minor: null });
    expect(cleared.json()).toMatchObject({ is_minor: true, minor_override: null });
    const [audit] = await audits('member.update');
    expect(audit.before).toMatchObject({ minorOverride: false, isMinor: false });
    expect(audit.after).toMatchObject({ minorOverride: null, isMinor: true });
  }, 30_000);

  test('a minor becomes an adult on the 18th birthday in the store time zone; Feb 29 birthdays count from Mar 1', async () => {
    const a = await createAccount({ name: 'Date' });
    const leap = await addMember(a.id, { first_name: 'Leap', last_name: 'Day', date_of_birth: '2008-02-29' });
    expect(leap.is_minor).toBe(false); // already 18 in Nov 2026
    const m = await addMember(a.id, { first_name: 'Nov', last_name: 'Day', date_of_birth: '2008-11-25' });
    expect(m.is_minor).toBe(true);
    t.clock.set('2026-11-25T05:59:00Z'); // 23:59 on Nov 24 in Chicago
    expect((await api('GET', `/api/v1/members/${m.id}`)).json().is_minor).toBe(true);
    t.clock.set('2026-11-25T06:00:00Z'); // midnight Nov 25 in Chicago
    expect((await api('GET', `/api/v1/members/${m.id}`)).json().is_minor).toBe(false);
    const leap2 = await addMember(a.id, { first_name: 'Leap', last_name: 'Later', date_of_birth: '2012-02-29' });
    t.clock.set('2030-02-28T18:00:00Z');
    expect((await api('GET', `/api/v1/members/${leap2.id}`)).json().is_minor).toBe(true);
    t.clock.set('2030-03-01T18:00:00Z');
    expect((await api('GET', `/api/v1/members/${leap2.id}`)).json().is_minor).toBe(false);
    expect(leap.id).toBeTruthy();
  }, 30_000);

  test('bad input, unknown and inactive accounts: clear errors, nothing written', async () => {
    const a = await createAccount({ name: 'Lee' });
    const cases: [unknown, string, string][] = [
      [{}, 'first_name', 'First name is required.'],
      [{ first_name: 'A' }, 'last_name', 'Last name is required.'],
      [{ first_name: 'x'.repeat(61), last_name: 'B' }, 'first_name', 'at most 60'],
      [{ first_name: 'A', last_name: 'B', date_of_birth: '2014-02-30' }, 'date_of_birth', 'real date'],
      [{ first_name: 'A', last_name: 'B', date_of_birth: '12/01/2014' }, 'date_of_birth', 'real date'],
      [{ first_name: 'A', last_name: 'B', date_of_birth: '2027-01-01' }, 'date_of_birth', 'cannot be in the future'],
      [{ first_name: 'A', last_name: 'B', date_of_birth: '1850-01-01' }, 'date_of_birth', 'after 1900'],
      [{ first_name: 'A', last_name: 'B', is_minor: 'yes' }, 'is_minor', 'true, false or null'],
      [{ first_name: 'A', last_name: 'B', email: 'bad' }, 'email', 'valid email'],
      [{ first_name: 'A', last_name: 'B', grade: 'x'.repeat(21) }, 'grade', 'at most 20'],
    ];
    for (const [body, field, message] of cases) {
      const res = await api('POST', `/api/v1/accounts/${a.id}/members`, body);
      expect(res.status).toBe(422);
      expect(res.json().error.fields[field]).toContain(message);
    }
    expect((await api('POST', '/api/v1/accounts/00000000-0000-4000-8000-000000000000/members', { first_name: 'A', last_name: 'B' })).status).toBe(404);
    await api('PATCH', `/api/v1/accounts/${a.id}`, { is_active: false });
    const inactive = await api('POST', `/api/v1/accounts/${a.id}/members`, { first_name: 'A', last_name: 'B' });
    expect(inactive.status).toBe(409);
    expect(await count('members')).toBe(0);
    expect((await api('GET', '/api/v1/members/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await api('PATCH', '/api/v1/members/nope', { first_name: 'x' })).status).toBe(404);
  }, 30_000);

  test('GET /members searches across accounts', async () => {
    const a = await createAccount({ name: 'Smith family' });
    await addMember(a.id, { first_name: 'Sam', last_name: 'Smithson', phone: '555 777 1234' });
    await addMember(a.id, { first_name: 'Ann', last_name: 'Other' });
    const res = await api('GET', '/api/v1/members?q=smiths');
    expect(res.status).toBe(200);
    expect(res.json().data.map((m: any) => [m.last_name, m.account_name, m.account_number])).toEqual([['Smithson', 'Smith family', a.number]]);
    expect((await api('GET', '/api/v1/members?q=555777')).json().data.length).toBe(1);
    expect((await api('GET', '/api/v1/members?sort=first_name')).json().data.map((m: any) => m.first_name)).toEqual(['Ann', 'Sam']);
    expect((await api('GET', '/api/v1/members?sort=nope')).status).toBe(400);
  }, 30_000);

  test('moving a member records the move, audits it and hands over the primary role', async () => {
    const from = await createAccount({ name: 'Garcia family' });
    const to = await createAccount({ name: 'Garcia (father)' });
    const mom = await addMember(from.id, { first_name: 'Ana', last_name: 'Garcia' });
    const kid = await addMember(from.id, { first_name: 'Leo', last_name: 'Garcia', date_of_birth: '2015-01-01' });

    const moved = await api('POST', `/api/v1/members/${mom.id}/move`, { to_account_id: to.id, reason: 'Moved out' });
    expect(moved.status).toBe(200);
    expect(moved.json().account_id).toBe(to.id);
    const fromAfter = (await api('GET', `/api/v1/accounts/${from.id}`)).json();
    const toAfter = (await api('GET', `/api/v1/accounts/${to.id}`)).json();
    expect(fromAfter.primary_member_id).toBe(kid.id);
    expect(toAfter.primary_member_id).toBe(mom.id);
    expect(fromAfter.members.map((m: any) => m.id)).toEqual([kid.id]);
    const [move] = await t.deps.db.execute<any>(sql`select from_account_id, to_account_id, reason, moved_by_user_id is not null as by_user from member_moves`);
    expect(move).toEqual({ from_account_id: from.id, to_account_id: to.id, reason: 'Moved out', by_user: true });
    const [audit] = await audits('member.move');
    expect(audit).toMatchObject({ entity_id: mom.id, before: { accountId: from.id }, after: { accountId: to.id, reason: 'Moved out' } });
    expect((await audits('account.primary_member')).map((r: any) => [r.entity_id, r.before.primaryMemberId, r.after.primaryMemberId])).toEqual([
      [from.id, null, mom.id],
      [from.id, mom.id, kid.id],
      [to.id, null, mom.id],
    ]);

    // Last member leaves: the account has no primary member.
    await api('POST', `/api/v1/members/${kid.id}/move`, { to_account_id: to.id, reason: 'Lives with father' });
    expect((await api('GET', `/api/v1/accounts/${from.id}`)).json().primary_member_id).toBeNull();
  }, 30_000);

  test('move: bad input and unknown targets are refused without writing', async () => {
    const from = await createAccount({ name: 'A' });
    const closed = await createAccount({ name: 'Closed' });
    await api('PATCH', `/api/v1/accounts/${closed.id}`, { is_active: false });
    const m = await addMember(from.id, { first_name: 'X', last_name: 'Y' });
    const cases: [unknown, number, string][] = [
      [{}, 422, 'to_account_id'],
      [{ to_account_id: from.id }, 422, 'reason'],
      [{ to_account_id: 'nope', reason: 'r' }, 422, 'to_account_id'],
      [{ to_account_id: from.id, reason: 'r' }, 422, 'to_account_id'],
      [{ to_account_id: '00000000-0000-4000-8000-000000000000', reason: 'r' }, 422, 'to_account_id'],
      [{ to_account_id: closed.id, reason: 'r' }, 422, 'to_account_id'],
      [{ to_account_id: closed.id, reason: 'x'.repeat(501) }, 422, 'reason'],
    ];
    for (const [body, status, field] of cases) {
      const res = await api('POST', `/api/v1/members/${m.id}/move`, body);
      expect(res.status).toBe(status);
      expect(Object.keys(res.json().error.fields)).toContain(field);
    }
    expect((await api('POST', '/api/v1/members/00000000-0000-4000-8000-000000000000/move', { to_account_id: closed.id, reason: 'r' })).status).toBe(404);
    expect(await count('member_moves')).toBe(0);
  }, 30_000);
});

describe('tax exemptions', () => {
  test('approval needs the permission, a certificate number and an expiry; expired certificates read as expired', async () => {
    const school = await createAccount({ name: 'Lincoln School', type: 'school' });
    const cashierLike = await ownerToken(t, ['customers.view', 'customers.manage']);

    const forbidden = await api('POST', `/api/v1/accounts/${school.id}/tax-exemptions`, { certificate_number: 'EX-1', expires_on: '2027-06-30', status: 'approved' }, cashierLike);
    expect(forbidden.status).toBe(403);
    expect(forbidden.json().error.message).toContain('customers.approve_exemption');

    const missing = await api('POST', `/api/v1/accounts/${school.id}/tax-exemptions`, { status: 'approved' });
    expect(missing.status).toBe(422);
    expect(Object.keys(missing.json().error.fields).sort()).toEqual(['certificate_number', 'expires_on']);
    const past = await api('POST', `/api/v1/accounts/${school.id}/tax-exemptions`, { certificate_number: 'EX-0', expires_on: '2026-11-23', status: 'approved' });
    expect(past.status).toBe(422);
    expect(past.json().error.fields.expires_on).toContain('expired');
    for (const [body, field] of [
      [{ status: 'expired' }, 'status'],
      [{ expires_on: '2026-13-01' }, 'expires_on'],
      [{ certificate_number: 'x'.repeat(61) }, 'certificate_number'],
      [{ approved_by_user_id: 'me' }, '_'],
    ] as const) {
      const res = await api('POST', `/api/v1/accounts/${school.id}/tax-exemptions`, body);
      expect(res.status).toBe(422);
      expect(Object.keys(res.json().error.fields)).toContain(field);
    }
    expect((await api('POST', '/api/v1/accounts/00000000-0000-4000-8000-000000000000/tax-exemptions', {})).status).toBe(404);
    expect(await count('tax_exemptions')).toBe(0);

    // A cashier records it as pending; approving needs the permission and the facts.
    const pendingBare = (await api('POST', `/api/v1/accounts/${school.id}/tax-exemptions`, { issuing_state: 'IL' }, cashierLike)).json();
    expect(pendingBare.status).toBe('pending');
    const approveBare = await api('POST', `/api/v1/tax-exemptions/${pendingBare.id}/approve`);
    expect(approveBare.status).toBe(422);
    expect(Object.keys(approveBare.json().error.fields).sort()).toEqual(['certificate_number', 'expires_on']);

    const pending = (await api('POST', `/api/v1/accounts/${school.id}/tax-exemptions`, { certificate_number: 'EX-2', issuing_state: 'IL', expires_on: '2026-12-01' }, cashierLike)).json();
    expect((await api('POST', `/api/v1/tax-exemptions/${pending.id}/approve`, undefined, cashierLike)).status).toBe(403);
    const approved = await api('POST', `/api/v1/tax-exemptions/${pending.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', certificate_number: 'EX-2' });
    expect(approved.json().approved_by_user_id).toBeTruthy();
    expect((await api('POST', `/api/v1/tax-exemptions/${pending.id}/approve`)).status).toBe(409);
    expect((await api('POST', '/api/v1/tax-exemptions/00000000-0000-4000-8000-000000000000/approve')).status).toBe(404);

    const [audit] = await audits('tax_exemption.approve');
    expect(audit).toMatchObject({ entity_id: pending.id, before: { status: 'pending' }, after: { status: 'approved' } });
    expect((await audits('tax_exemption.create')).length).toBe(2);

    // Valid through its expiry date, expired the day after (store's business date), with no write.
    t.clock.set('2026-12-02T05:00:00Z'); // still Dec 1 in Chicago
    const onLastDay = (await api('GET', `/api/v1/accounts/${school.id}`)).json().tax_exemptions.find((x: any) => x.id === pending.id);
    expect(onLastDay.status).toBe('approved');
    t.clock.set('2026-12-02T07:00:00Z');
    const after = (await api('GET', `/api/v1/accounts/${school.id}`)).json().tax_exemptions.find((x: any) => x.id === pending.id);
    expect(after.status).toBe('expired');
    const [stored] = await t.deps.db.execute<any>(sql`select status from tax_exemptions where id = ${pending.id}`);
    expect(stored.status).toBe('approved');
  }, 30_000);

  test('the database refuses an approved certificate without number or expiry', async () => {
    const a = await createAccount({ name: 'A' });
    const failure = await t.deps.db.execute(sql`insert into tax_exemptions (account_id, status) values (${a.id}, 'approved')`).then(
      () => null,
      (err: any) => err.cause?.constraint_name ?? err.constraint_name,
    );
    expect(failure).toBe('tax_exemptions_approval_check');
  }, 30_000);
});

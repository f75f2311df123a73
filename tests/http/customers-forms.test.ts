import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { addStaff, makeTestApp, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';

let t: TestContext;
let owner: TestClient;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp(); // store date 2026-11-24 (America/Chicago)
  owner = await setupStore(t);
});

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const one = async (query: ReturnType<typeof sql>) => (await t.deps.db.execute<any>(query))[0];

const ACCOUNT = { name: 'Smith family', type: 'family', email: 'smiths@example.com', phone: '(555) 010-2233', phone2: '', address_line1: '1 Elm St', address_line2: '', city: 'Springfield', region: 'IL', postal_code: '62701', country: 'US', billing_mode: 'consolidated', billing_day: '5', credit_limit: '250.00', notes: '', tags: 'band, vip', legacy_id: '' };
const MEMBER = { first_name: '', last_name: 'Smith', date_of_birth: '', minor: 'auto', email: '', phone: '', school: '', grade: '', teacher: '', notes: '', legacy_id: '' };

async function createAccountViaForm(client: TestClient, fields: Record<string, string> = {}) {
  await client.get('/customers/new');
  const res = await client.postForm('/customers', { ...ACCOUNT, ...fields });
  if (res.status !== 303) throw new Error(`create: ${res.status} ${res.text.slice(0, 400)}`);
  return res.headers.get('location')!.split('/').pop()!;
}

describe('acceptance through the pages', () => {
  test('a family with two children and a parent: minor badges, then the duplicate-phone warning', async () => {
    const id = await createAccountViaForm(owner);
    for (const [first, dob] of [['Jane', '1984-03-02'], ['Tom', '2014-06-10'], ['Amy', '2016-02-29']]) {
      await owner.get(`/customers/${id}/members/new`);
      const res = await owner.postForm(`/customers/${id}/members`, { ...MEMBER, first_name: first, date_of_birth: dob });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/customers/${id}`);
    }
    const page = await owner.get(`/customers/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Smith family');
    expect(page.text.match(/data-minor>Minor</g)?.length).toBe(2);
    expect(page.text).toMatch(/Jane Smith<\/a>\s*<span class="badge-list">\s*<span class="badge badge-accent badge-sm">Primary<\/span>\s*<\/span>/);
    // Only the modules that exist: no empty balance or rentals placeholders.
    expect(page.text).not.toMatch(/Balance|Rentals|Lessons/);
    // The audit trail lists the account and its members.
    expect(page.text).toContain('account.create');
    expect(page.text.match(/member\.create/g)?.length).toBe(3);
    const [account] = await t.deps.db.execute<any>(sql`select credit_limit_cents::int, tags, billing_day from accounts where id = ${id}`);
    expect(account).toEqual({ credit_limit_cents: 25000, tags: ['band', 'vip'], billing_day: 5 });

    await owner.get('/customers/new');
    const dup = await owner.postForm('/customers', { ...ACCOUNT, name: 'Smith again', email: '', phone: '555 010 2233' });
    expect(dup.status).toBe(409);
    expect(dup.text).toContain('Possible duplicate');
    expect(dup.text).toContain(`/customers/${id}`);
    expect(dup.text).toContain('name="confirm_duplicate" value="1"');
    expect(dup.text).toContain('value="Smith again"'); // what was typed is kept
    expect(await count('accounts')).toBe(1);

    const confirmed = await owner.postForm('/customers', { ...ACCOUNT, name: 'Smith again', email: '', phone: '555 010 2233', confirm_duplicate: '1' });
    expect(confirmed.status).toBe(303);
    expect(await count('accounts')).toBe(2);
  }, 30_000);
});

describe('account forms: bad input shows messages and writes nothing', () => {
  test('new account', async () => {
    await owner.get('/customers/new');
    const cases: [Record<string, string>, number, string][] = [
      [{ name: '' }, 422, 'Name is required.'],
      [{ name: 'x'.repeat(121) }, 422, 'at most 120 characters'],
      [{ type: 'alien' }, 422, 'individual, family, business or school'],
      [{ email: 'nope' }, 422, 'Enter a valid email address.'],
      [{ phone: 'call me' }, 422, 'Use digits'],
      [{ billing_day: '29' }, 422, '1 to 28'],
      [{ billing_day: 'abc' }, 422, '1 to 28'],
      [{ billing_mode: 'weekly' }, 422, 'consolidated or split'],
      [{ credit_limit: 'lots' }, 422, 'Enter an amount such as 500 or 500.00.'],
      [{ credit_limit: '-5' }, 422, 'cannot be negative'],
      [{ country: 'USA' }, 422, 'at most 2 characters'],
      [{ tags: 'x'.repeat(41) }, 422, 'at most 40 characters'],
      [{ notes: 'x'.repeat(2001) }, 422, 'at most 2000 characters'],
    ];
    for (const [override, status, message] of cases) {
      const res = await owner.postForm('/customers', { ...ACCOUNT, ...override });
      expect(res.status).toBe(status);
      expect(res.text).toContain(message);
      expect(res.text).toContain('class="field-error"');
    }
    expect(await count('accounts')).toBe(0);
    const withLegacy = await createAccountViaForm(owner, { legacy_id: 'AIM-7' });
    const clash = await owner.postForm('/customers', { ...ACCOUNT, email: '', phone: '', legacy_id: 'AIM-7' });
    expect(clash.status).toBe(409);
    expect(clash.text).toContain('legacy id');
    expect(await count('accounts')).toBe(1);
    expect(withLegacy).toBeTruthy();
  }, 30_000);

  test('edit, deactivate with an audit row, reactivate; unknown ids are 404', async () => {
    const id = await createAccountViaForm(owner);
    await owner.get(`/customers/${id}/edit`);
    const bad = await owner.postForm(`/customers/${id}`, { ...ACCOUNT, name: '', billing_day: '0' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Name is required.');
    expect(bad.text).toContain('1 to 28');
    expect((await one(sql`select name from accounts where id = ${id}`)).name).toBe('Smith family');

    const ok = await owner.postForm(`/customers/${id}`, { ...ACCOUNT, name: 'Smith household', charge_allowed: '1' });
    expect(ok.status).toBe(303);
    const audit = await one(sql`select actor_label, before, after from audit_log where action = 'account.update'`);
    expect(audit).toMatchObject({ actor_label: 'olivia', before: { name: 'Smith family', chargeAllowed: false }, after: { name: 'Smith household', chargeAllowed: true } });

    expect((await owner.postForm(`/customers/${id}/active`, { active: 'false' })).status).toBe(303);
    expect((await one(sql`select is_active from accounts where id = ${id}`)).is_active).toBe(false);
    const deact = await one(sql`select before, after from audit_log where action = 'account.deactivate'`);
    expect(deact).toMatchObject({ before: { isActive: true }, after: { isActive: false } });
    expect((await owner.get('/customers')).text).not.toContain('Smith household');
    expect((await owner.get('/customers?status=inactive')).text).toContain('Smith household');
    expect((await owner.get(`/customers/${id}`)).text).toContain('Reactivate account');
    expect((await owner.postForm(`/customers/${id}/active`, { active: 'true' })).status).toBe(303);
    expect(await count(`audit_log where action = 'account.reactivate'`)).toBe(1);

    for (const path of [`/customers/${UNKNOWN}`, `/customers/${UNKNOWN}/edit`, '/customers/not-an-id', `/customers/members/${UNKNOWN}`, `/customers/members/${UNKNOWN}/move`, `/customers/${UNKNOWN}/members/new`]) {
      expect((await owner.get(path)).status).toBe(404);
    }
    for (const path of [`/customers/${UNKNOWN}`, `/customers/${UNKNOWN}/active`, `/customers/${UNKNOWN}/members`, `/customers/${UNKNOWN}/tax-exemptions`, `/customers/members/${UNKNOWN}`, `/customers/members/${UNKNOWN}/move`, `/customers/members/${UNKNOWN}/documents`, `/customers/documents/${UNKNOWN}/delete`, `/customers/tax-exemptions/${UNKNOWN}/approve`, `/customers/tax-exemptions/${UNKNOWN}/withdraw`]) {
      expect((await owner.postForm(path, { name: 'x' })).status).toBe(404);
    }
  }, 30_000);

  test('list: search by name, number, phone and member; filter; sort; htmx fragment', async () => {
    const smith = await createAccountViaForm(owner);
    await createAccountViaForm(owner, { name: 'Jones', type: 'individual', email: '', phone: '555-777-0000' });
    await owner.postForm(`/customers/${smith}/members`, { ...MEMBER, first_name: 'Sam', last_name: 'Smithson' });
    const number = (await one(sql`select number from accounts where id = ${smith}`)).number;
    const list = await owner.get('/customers');
    expect(list.text).toContain('Smith family');
    expect(list.text).toContain('Jones');
    expect((await owner.get('/customers?q=777')).text).not.toContain('Smith family');
    expect((await owner.get(`/customers?q=${number}`)).text).not.toContain('Jones');
    expect((await owner.get('/customers?q=smithson')).text).toContain('Smith family');
    expect((await owner.get('/customers?type=individual')).text).not.toContain('Smith family');
    const sorted = (await owner.get('/customers?sort=name&order=desc')).text;
    expect(sorted.indexOf('Smith family')).toBeLessThan(sorted.indexOf('Jones'));
    const fragment = await owner.get('/customers?q=jones', { 'hx-request': 'true', 'hx-request-type': 'partial' });
    expect(fragment.text.trim().startsWith('<div id="list"')).toBe(true);
    expect((await owner.get('/customers?q=zzz')).text).toContain('No accounts match');
    // Lenient parsing: nonsense parameters fall back to defaults instead of failing.
    expect((await owner.get('/customers?sort=nope&page=-1&limit=9999&status=x&type=y')).status).toBe(200);
  }, 30_000);
});

describe('member forms', () => {
  test('add and edit: bad input is refused with messages, a manual minor flag wins', async () => {
    const id = await createAccountViaForm(owner);
    await owner.get(`/customers/${id}/members/new`);
    const cases: [Record<string, string>, string][] = [
      [{ first_name: '' }, 'First name is required.'],
      [{ first_name: 'A', last_name: '' }, 'Last name is required.'],
      [{ first_name: 'x'.repeat(61) }, 'at most 60 characters'],
      [{ first_name: 'A', date_of_birth: '2014-02-30' }, 'real date'],
      [{ first_name: 'A', date_of_birth: '2030-01-01' }, 'cannot be in the future'],
      [{ first_name: 'A', minor: 'maybe' }, 'Pick &quot;From date of birth&quot;'],
      [{ first_name: 'A', email: 'bad' }, 'Enter a valid email address.'],
      [{ first_name: 'A', phone: 'abc' }, 'Use digits'],
    ];
    for (const [override, message] of cases) {
      const res = await owner.postForm(`/customers/${id}/members`, { ...MEMBER, ...override });
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
    }
    expect(await count('members')).toBe(0);

    expect((await owner.postForm(`/customers/${id}/members`, { ...MEMBER, first_name: 'Pat', date_of_birth: '1990-01-01', minor: 'yes' })).status).toBe(303);
    const pat = await one(sql`select id, minor_override from members`);
    expect(pat.minor_override).toBe(true);
    const memberPage = await owner.get(`/customers/members/${pat.id}`);
    expect(memberPage.text).toMatch(/Pat Smith <span class="badge badge-info">Minor<\/span>/);

    const badEdit = await owner.postForm(`/customers/members/${pat.id}`, { ...MEMBER, first_name: '' });
    expect(badEdit.status).toBe(422);
    expect(badEdit.text).toContain('First name is required.');
    const edit = await owner.postForm(`/customers/members/${pat.id}`, { ...MEMBER, first_name: 'Pat', date_of_birth: '1990-01-01', minor: 'auto', school: 'Central High', grade: '12' });
    expect(edit.status).toBe(303);
    const audit = await one(sql`select before, after from audit_log where action = 'member.update'`);
    expect(audit.before).toMatchObject({ minorOverride: true, isMinor: true, school: '' });
    expect(audit.after).toMatchObject({ minorOverride: null, isMinor: false, school: 'Central High' });
    expect((await owner.get(`/customers/${id}`)).text).not.toContain('data-minor>Minor<');
  }, 30_000);

  test('identity documents: add with bad input, add, remove; each audited', async () => {
    const id = await createAccountViaForm(owner);
    await owner.postForm(`/customers/${id}/members`, { ...MEMBER, first_name: 'Jane', date_of_birth: '1984-03-02' });
    const jane = (await one(sql`select id from members`)).id;
    await owner.get(`/customers/members/${jane}`);
    for (const [fields, message] of [
      [{ doc_type: 'library_card', number: 'X1' }, "driver's license, state ID, passport or other"],
      [{ doc_type: 'drivers_license', number: '' }, 'Document number is required.'],
      [{ doc_type: 'drivers_license', number: 'x'.repeat(61) }, 'at most 60 characters'],
      [{ doc_type: 'drivers_license', number: 'D1', expires_on: '2026-02-30' }, 'real date'],
    ] as [Record<string, string>, string][]) {
      const res = await owner.postForm(`/customers/members/${jane}/documents`, fields);
      expect(res.status).toBe(422);
      expect(res.text).toContain(message.replace("'", '&#39;'));
    }
    expect(await count('identity_documents')).toBe(0);
    const added = await owner.postForm(`/customers/members/${jane}/documents`, { doc_type: 'drivers_license', number: 'S123-4567', issuing_region: 'IL', expires_on: '2029-03-02', notes: '' });
    expect(added.status).toBe(303);
    const doc = await one(sql`select id, number, expires_on from identity_documents`);
    expect(doc).toMatchObject({ number: 'S123-4567', expires_on: '2029-03-02' });
    expect((await owner.get(`/customers/members/${jane}`)).text).toContain('S123-4567');
    expect((await owner.postForm(`/customers/documents/${doc.id}/delete`, {})).status).toBe(303);
    expect(await count('identity_documents')).toBe(0);
    const rows = await t.deps.db.execute<any>(sql`select action, entity_id, before, after from audit_log where action like 'member.identity_document.%' order by id`);
    expect(rows.map((r: any) => [r.action, r.entity_id])).toEqual([
      ['member.identity_document.add', jane],
      ['member.identity_document.remove', jane],
    ]);
    expect(rows[1].before.number).toBe('S123-4567');
  }, 30_000);

  test('move a member by account number, with a reason; bad input refused', async () => {
    const from = await createAccountViaForm(owner);
    const to = await createAccountViaForm(owner, { name: 'Smith (father)', email: '', phone: '' });
    await owner.postForm(`/customers/${from}/members`, { ...MEMBER, first_name: 'Jane' });
    await owner.postForm(`/customers/${from}/members`, { ...MEMBER, first_name: 'Tom', date_of_birth: '2014-06-10' });
    const jane = (await one(sql`select id from members where first_name = 'Jane'`)).id;
    const tom = (await one(sql`select id from members where first_name = 'Tom'`)).id;
    const fromNumber = (await one(sql`select number from accounts where id = ${from}`)).number;
    const toNumber = (await one(sql`select number from accounts where id = ${to}`)).number;
    await owner.get(`/customers/members/${jane}/move`);
    const cases: [Record<string, string>, string][] = [
      [{ to_account: '', reason: 'x' }, 'Enter the 6-digit number'],
      [{ to_account: '12', reason: 'x' }, 'No account has that number.'],
      [{ to_account: toNumber, reason: '' }, 'Reason is required.'],
      [{ to_account: toNumber, reason: 'x'.repeat(501) }, 'at most 500 characters'],
      [{ to_account: fromNumber, reason: 'x' }, 'already on that account'],
    ];
    for (const [fields, message] of cases) {
      const res = await owner.postForm(`/customers/members/${jane}/move`, fields);
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
    }
    expect(await count('member_moves')).toBe(0);
    const moved = await owner.postForm(`/customers/members/${jane}/move`, { to_account: toNumber, reason: 'Moved in with her partner' });
    expect(moved.status).toBe(303);
    expect(moved.headers.get('location')).toBe(`/customers/${to}`);
    expect(await one(sql`select primary_member_id from accounts where id = ${from}`)).toEqual({ primary_member_id: tom });
    expect(await one(sql`select primary_member_id from accounts where id = ${to}`)).toEqual({ primary_member_id: jane });
    expect(await one(sql`select reason from member_moves`)).toEqual({ reason: 'Moved in with her partner' });
    // The move shows in both households' history.
    expect((await owner.get(`/customers/${from}`)).text).toContain('Moved in with her partner');
    expect((await owner.get(`/customers/${to}`)).text).toContain('Moved in with her partner');
  }, 30_000);
});

describe('tax exemption on the account page', () => {
  test('a cashier records a pending certificate but cannot approve; a manager approves; it expires on the business date', async () => {
    const id = await createAccountViaForm(owner, { name: 'Lincoln School', type: 'school', email: '', phone: '' });
    await addStaff(t, 'cash1', ['cashier']);
    await addStaff(t, 'mgr1', ['manager']);
    const cashier = await signIn(t, 'cash1', 'staff password 123');
    const manager = await signIn(t, 'mgr1', 'staff password 123');

    const cashierPage = await cashier.get(`/customers/${id}`);
    expect(cashierPage.text).not.toContain('value="approved"');
    const sneaky = await cashier.postForm(`/customers/${id}/tax-exemptions`, { certificate_number: 'EX-9', issuing_state: 'IL', expires_on: '2027-01-01', status: 'approved', notes: '' });
    expect(sneaky.status).toBe(403);
    expect(sneaky.text).toContain('customers.approve_exemption');
    const badDate = await cashier.postForm(`/customers/${id}/tax-exemptions`, { certificate_number: 'EX-9', expires_on: '01/01/2027', status: 'pending' });
    expect(badDate.status).toBe(422);
    expect(badDate.text).toContain('real date');
    const badStatus = await cashier.postForm(`/customers/${id}/tax-exemptions`, { status: 'expired' });
    expect(badStatus.status).toBe(422);
    expect(badStatus.text).toContain('pending or approved');
    expect(await count('tax_exemptions')).toBe(0);

    expect((await cashier.postForm(`/customers/${id}/tax-exemptions`, { certificate_number: 'EX-9', issuing_state: 'IL', expires_on: '2026-12-31', status: 'pending', notes: '' })).status).toBe(303);
    const ex = await one(sql`select id, status from tax_exemptions`);
    expect(ex.status).toBe('pending');
    expect((await cashier.postForm(`/customers/tax-exemptions/${ex.id}/approve`, {})).status).toBe(403);

    const managerPage = await manager.get(`/customers/${id}`);
    expect(managerPage.text).toContain(`/customers/tax-exemptions/${ex.id}/approve`);
    expect((await manager.postForm(`/customers/tax-exemptions/${ex.id}/approve`, {})).status).toBe(303);
    expect(await one(sql`select status, approved_by_user_id is not null as by from tax_exemptions`)).toEqual({ status: 'approved', by: true });
    expect((await manager.get(`/customers/${id}`)).text).toContain('data-exemption-status="approved"');

    t.clock.set('2027-01-01T12:00:00Z'); // the day after expiry; sign in again (the old session idled out)
    const managerNextYear = await signIn(t, 'mgr1', 'staff password 123');
    const expired = await managerNextYear.get(`/customers/${id}`);
    expect(expired.text).toContain('data-exemption-status="expired"');
    expect(expired.text).toContain('sales are taxed until a renewed certificate is approved');

    // Approving with missing facts is refused with a message, not a 500.
    await managerNextYear.postForm(`/customers/${id}/tax-exemptions`, { certificate_number: '', status: 'pending' });
    const bare = await one(sql`select id from tax_exemptions where certificate_number = ''`);
    const refused = await managerNextYear.postForm(`/customers/tax-exemptions/${bare.id}/approve`, {});
    expect(refused.status).toBe(303);
    expect(await one(sql`select status from tax_exemptions where id = ${bare.id}`)).toEqual({ status: 'pending' });
    expect((await managerNextYear.get(`/customers/${id}`)).text).toContain('needs the certificate number');

    expect((await managerNextYear.postForm(`/customers/tax-exemptions/${ex.id}/withdraw`, {})).status).toBe(303);
    const actions = (await t.deps.db.execute<any>(sql`select action from audit_log where entity_type = 'tax_exemption' order by id`)).map((r: any) => r.action);
    expect(actions).toEqual(['tax_exemption.create', 'tax_exemption.approve', 'tax_exemption.create', 'tax_exemption.withdraw']);
  }, 30_000);
});

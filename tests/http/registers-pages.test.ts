import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { addStaff, makeTestApp, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';

let t: TestContext;
let owner: TestClient;
let registerId: string;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  [{ id: registerId }] = await t.deps.db.execute<{ id: string }>(sql`select id from registers where name = 'Register 1'`);
  await owner.get('/registers');
});

/** Signed in, with a page loaded so the client holds the session's CSRF token. */
async function staffClient(username: string) {
  const c = await signIn(t, username, 'staff password 123');
  await c.get('/');
  return c;
}

const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const sessionId = async () => (await t.deps.db.execute<{ id: string }>(sql`select id from drawer_sessions order by opened_at desc limit 1`))[0]?.id;

async function openDrawer(client: TestClient, fields: Record<string, string> = { count_2000: '5', count_1000: '4', count_500: '2' }) {
  const res = await client.postForm(`/registers/${registerId}/open`, fields);
  expect(res.status).toBe(303);
  return sessionId();
}

describe('register pages', () => {
  test('list, open with the denomination grid, paid-out, drop, no-sale, X report, close over/short, Z report, history + CSV', async () => {
    const list = await owner.get('/registers');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Register 1');
    expect((await owner.get(`/registers/${registerId}`)).text).toContain('data-denomination-grid');

    const id = await openDrawer(owner);
    const page = await owner.get(`/registers/sessions/${id}`);
    expect(page.text).toContain('DS-000001');
    expect(page.text).toContain('$150.00');

    expect((await owner.postForm(`/registers/sessions/${id}/movements`, { kind: 'paid_out', amount: '12.50', reason: 'Postage' })).status).toBe(303);
    expect((await owner.postForm(`/registers/sessions/${id}/movements`, { kind: 'drop', amount: '$50', reason: '' })).status).toBe(303);
    expect((await owner.postForm(`/registers/sessions/${id}/movements`, { kind: 'no_sale', amount: '', reason: '' })).status).toBe(303);
    const x = await owner.get(`/registers/sessions/${id}`);
    expect(x.text).toMatch(/id="expected-cash">\$87\.50/);
    expect(x.text).toContain('Postage');

    const closeForm = await owner.get(`/registers/sessions/${id}/close`);
    expect(closeForm.text).toContain('$87.50');
    expect(closeForm.text).toContain('data-confirm');
    const closed = await owner.postForm(`/registers/sessions/${id}/close`, { count_5000: '1', count_2000: '1', count_1000: '1', count_500: '1', count_100: '2', count_25: '1', checks: '', note: '' });
    expect(closed.status).toBe(303);
    expect(closed.headers.get('location')).toBe(`/registers/sessions/${id}/z`);
    const z = await owner.get(`/registers/sessions/${id}/z`);
    expect(z.text).toMatch(/id="z-expected">\$87\.50/);
    expect(z.text).toMatch(/id="z-counted">\$87\.25/);
    expect(z.text).toMatch(/id="z-over-short">-\$0\.25 short|id="z-over-short">−\$0\.25 short|id="z-over-short">\(\$0\.25\) short/);

    const [os] = await t.deps.db.execute<{ b: string }>(sql`select sum(l.debit_cents - l.credit_cents) as b from journal_lines l join ledger_accounts a on a.id = l.account_id where a.system_key = 'cash_over_short'`);
    expect(Number(os.b)).toBe(25);

    const history = await owner.get('/registers/history');
    expect(history.text).toContain('DS-000001');
    expect(history.text).toContain('/registers/history/export.csv');
    const csv = await owner.get('/registers/history/export.csv');
    expect(csv.status).toBe(200);
    expect(csv.text.split(/\r?\n/)[0]).toBe('number,register,status,opened_by,opened_at,closed_by,closed_at,float,expected_cash,counted_cash,counted_checks,over_short,blind');
    expect(csv.text).toContain('DS-000001,Register 1,closed');
    expect(csv.text).toContain('-0.25');
    expect((await owner.get('/registers/history?from=nope')).status).toBe(400);
  });

  test('bad input on every form: errors next to the fields, nothing written', async () => {
    // add register
    for (const name of ['', 'x'.repeat(61)]) {
      const res = await owner.postForm('/registers', { name });
      expect(res.status).toBe(422);
      expect(res.text).toContain('aria-invalid="true"');
    }
    const dup = await owner.postForm('/registers', { name: 'register 1' });
    expect(dup.status).toBe(409);
    expect(dup.text).toContain('Another register already has this name.');
    // open
    const badCount = await owner.postForm(`/registers/${registerId}/open`, { count_2000: '-1' });
    expect(badCount.status).toBe(422);
    expect(badCount.text).toContain('Count of $20 must be a whole number');
    const badText = await owner.postForm(`/registers/${registerId}/open`, { count_25: 'lots' });
    expect(badText.status).toBe(422);
    expect(await count('drawer_sessions')).toBe(0);
    expect((await owner.postForm('/registers/not-a-uuid/open', { count_2000: '1' })).status).toBe(404);

    const id = await openDrawer(owner);
    const again = await owner.postForm(`/registers/${registerId}/open`, { count_2000: '1' });
    expect(again.status).toBe(409);
    // movements
    const cases: [Record<string, string>, string][] = [
      [{ kind: 'paid_out', amount: '12.50', reason: '' }, 'Say what the paid-out is for.'],
      [{ kind: 'paid_out', amount: 'twelve', reason: 'x' }, 'The amount must be an amount like 12.50.'],
      [{ kind: 'drop', amount: '-5', reason: '' }, 'The amount cannot be negative.'],
      [{ kind: 'drop', amount: '', reason: '' }, 'Enter an amount of more than $0.00.'],
      [{ kind: 'paid_in', amount: '5', reason: 'r'.repeat(201) }, 'at most 200 characters'],
      [{ kind: 'steal', amount: '5', reason: 'x' }, 'kind must be one of'],
    ];
    for (const [fields, message] of cases) {
      const res = await owner.postForm(`/registers/sessions/${id}/movements`, fields);
      expect([res.status, fields.kind]).toEqual([422, fields.kind]);
      expect(res.text).toContain(message);
    }
    expect(await count('drawer_movements')).toBe(0);
    // close
    const badClose = await owner.postForm(`/registers/sessions/${id}/close`, { count_100: '1.5', checks: 'abc' });
    expect(badClose.status).toBe(422);
    expect(badClose.text).toContain('Count of $1 must be a whole number');
    expect(badClose.text).toContain('The checks total must be an amount like 12.50.');
    const negChecks = await owner.postForm(`/registers/sessions/${id}/close`, { count_100: '1', checks: '-3' });
    expect(negChecks.status).toBe(422);
    expect((await t.deps.db.execute<{ status: string }>(sql`select status from drawer_sessions`))[0].status).toBe('open');
    // closed session: close again and reopen without a note
    await owner.postForm(`/registers/sessions/${id}/close`, { count_2000: '5', count_1000: '4', count_500: '2' });
    expect((await owner.postForm(`/registers/sessions/${id}/close`, { count_2000: '1' })).status).toBe(409);
    const noNote = await owner.postForm(`/registers/sessions/${id}/reopen`, { note: '' });
    expect(noNote.status).toBe(422);
    expect(noNote.text).toContain('Say why the session is reopened');
    expect((await owner.get('/registers/sessions/11111111-1111-4111-8111-111111111111')).status).toBe(404);
  });

  test('blind close: the cashier sees no expected amount until the Z report; a manager reopens with a note', async () => {
    await addStaff(t, 'casey', ['cashier']);
    await addStaff(t, 'morgan', ['manager']);
    const cashier = await staffClient('casey');
    const id = await openDrawer(cashier, { count_2000: '5', blind: 'on' });
    const x = await cashier.get(`/registers/sessions/${id}`);
    expect(x.text).toContain('Hidden (blind close)');
    expect(x.text).not.toContain('id="expected-cash"');
    const closeForm = await cashier.get(`/registers/sessions/${id}/close`);
    expect(closeForm.text).not.toContain('id="expected-cash"');
    expect(closeForm.text).toContain('Blind close');
    expect((await cashier.postForm(`/registers/sessions/${id}/close`, { count_2000: '4' })).status).toBe(303);
    const z = await cashier.get(`/registers/sessions/${id}/z`);
    expect(z.text).toMatch(/id="z-expected">\$100\.00/);
    // the cashier can't reopen
    expect((await cashier.postForm(`/registers/sessions/${id}/reopen`, { note: 'please' })).status).toBe(403);
    const manager = await staffClient('morgan');
    expect((await manager.get(`/registers/sessions/${id}`)).text).toContain('Reopen session');
    const reopened = await manager.postForm(`/registers/sessions/${id}/reopen`, { note: 'Recount: a $20 was in the safe bag' });
    expect(reopened.status).toBe(303);
    expect((await t.deps.db.execute<{ status: string }>(sql`select status from drawer_sessions`))[0].status).toBe('open');
    const [{ n }] = await t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from journal_entries where reverses_entry_id is not null`);
    expect(n).toBe(1);
  });

  test('permissions: a technician cannot see registers or open a drawer; a cashier cannot add registers', async () => {
    await addStaff(t, 'terry', ['technician']);
    await addStaff(t, 'casey', ['cashier']);
    const tech = await staffClient('terry');
    expect((await tech.get('/registers')).status).toBe(403);
    expect((await tech.postForm(`/registers/${registerId}/open`, { count_2000: '1' })).status).toBe(403);
    const cashier = await staffClient('casey');
    expect((await cashier.postForm('/registers', { name: 'Sneaky' })).status).toBe(403);
    expect((await cashier.get('/registers')).text).not.toContain('Add a register');
    expect(await count('drawer_sessions')).toBe(0);
    expect(await count('registers')).toBe(1);
  });

  test('money forms carry a one-time key: a double submit of the open, paid-out and close forms acts once', async () => {
    const formKey = (html: string) => /name="form_key" value="([0-9a-f-]{36})"/.exec(html)![1];
    const key1 = formKey((await owner.get(`/registers/${registerId}`)).text);
    const fields = { count_2000: '5', count_1000: '4', count_500: '2', form_key: key1 };
    expect((await owner.postForm(`/registers/${registerId}/open`, fields)).status).toBe(303);
    const again = await owner.postForm(`/registers/${registerId}/open`, fields);
    expect(again.status).toBe(303);
    expect(await count('drawer_sessions')).toBe(1);
    const id = await sessionId();
    const key2 = formKey((await owner.get(`/registers/sessions/${id}`)).text);
    const payout = { kind: 'paid_out', amount: '12.50', reason: 'Postage', form_key: key2 };
    expect((await owner.postForm(`/registers/sessions/${id}/movements`, payout)).status).toBe(303);
    expect((await owner.postForm(`/registers/sessions/${id}/movements`, payout)).status).toBe(303);
    expect(await count(`drawer_movements where kind = 'paid_out'`)).toBe(1);
    // The same key with other amounts is refused, not recorded.
    const changed = await owner.postForm(`/registers/sessions/${id}/movements`, { ...payout, amount: '13.00' });
    expect(changed.status).toBe(409);
    expect(await count(`drawer_movements where kind = 'paid_out'`)).toBe(1);
    const key3 = formKey((await owner.get(`/registers/sessions/${id}/close`)).text);
    const close = { count_10000: '1', count_2000: '1', count_1000: '1', count_500: '1', count_100: '2', count_25: '2', form_key: key3 };
    expect((await owner.postForm(`/registers/sessions/${id}/close`, close)).status).toBe(303);
    expect((await owner.postForm(`/registers/sessions/${id}/close`, close)).status).toBe(303);
    expect(await count(`journal_entries where event_type = 'drawer_close'`)).toBe(1);
  });

  test('owner renames and deactivates a register', async () => {
    const res = await owner.postForm(`/registers/${registerId}/edit`, { name: 'Front counter', active: '' });
    expect(res.status).toBe(303);
    const [r] = await t.deps.db.execute<{ name: string; active: boolean }>(sql`select name, active from registers`);
    expect(r).toEqual({ name: 'Front counter', active: false });
    expect((await owner.postForm(`/registers/${registerId}/open`, { count_2000: '1' })).status).toBe(409);
  });
});

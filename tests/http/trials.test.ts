import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { countRows, entryFor, netByAccount, posFixture, type PosFixture } from '../pos/fixture';

let f: PosFixture;
beforeEach(async () => {
  f = await posFixture();
});

const unitStatus = async () => (await f.api('GET', `/api/v1/units/${f.unitId}`)).json().status;
const journalCount = () => countRows(f.t, 'journal_entries');

describe('trials API', () => {
  test('a unit goes home for 7 days with no journal entry, shows on the overdue list after the due date, and converts to a sale to the same account', async () => {
    const entries = await journalCount();
    const res = await f.api('POST', '/api/v1/trials', { account_id: f.accountId, unit_id: f.unitId, note: 'Trying it at band practice' });
    expect(res.status).toBe(201);
    const trial = res.json();
    expect(trial).toMatchObject({ number: 'T-000001', status: 'out', out_on: '2026-11-24', due_on: '2026-12-01', overdue: false, serial_number: 'TR-1001' });
    expect(await unitStatus()).toBe('on_trial');
    expect(await journalCount()).toBe(entries); // still Inventory: nothing posted
    expect(JSON.stringify((await f.api('GET', `/api/v1/units/${f.unitId}`)).json())).toContain('Out on trial T-000001 with Rivera Family');

    expect((await f.api('GET', '/api/v1/trials?overdue=true')).json().data).toEqual([]);
    f.t.clock.advance(8 * 86_400_000);
    const overdue = (await f.api('GET', '/api/v1/trials?overdue=true')).json();
    expect(overdue.data.map((r: any) => [r.number, r.overdue])).toEqual([['T-000001', true]]);

    // Another customer can't buy it while it's out; the trial customer can.
    const other = await f.api('POST', '/api/v1/sales', { account_id: f.schoolId, lines: [{ unit_id: f.unitId }], tenders: [{ method: 'check', amount_cents: 89900, reference: '77' }], register_session_id: f.sessionId });
    expect(other.status).toBe(409);
    const sale = await f.api('POST', '/api/v1/sales', { account_id: f.accountId, lines: [{ unit_id: f.unitId }], tenders: [{ method: 'external_card', amount_cents: 97879, last4: '1111', auth_code: 'OK1' }] });
    expect(sale.status).toBe(201);
    expect(netByAccount(await entryFor(f.t, sale.json().id))).toEqual({ card_clearing_external: 97879, sales: -89900, sales_tax_payable: -7979, cogs: 52000, inventory: -52000 });
    const converted = (await f.api('GET', `/api/v1/trials/${trial.id}`)).json();
    expect(converted).toMatchObject({ status: 'converted', sale_id: sale.json().id, sale_number: sale.json().number, overdue: false });
    expect(await unitStatus()).toBe('sold');
    expect((await f.api('POST', `/api/v1/trials/${trial.id}/return`, {})).status).toBe(409);
  });

  test('return: the unit is available again, no entry; a returned unit can go out again', async () => {
    const trial = (await f.api('POST', '/api/v1/trials', { account_id: f.accountId, unit_id: f.unitId, days: 3 })).json();
    expect(trial.due_on).toBe('2026-11-27');
    const entries = await journalCount();
    const back = await f.api('POST', `/api/v1/trials/${trial.id}/return`, { note: 'Too heavy' }, { headers: { 'idempotency-key': 'trial-back-1' } });
    expect(back.status).toBe(200);
    expect(back.json()).toMatchObject({ status: 'returned' });
    expect(back.json().closed_at).not.toBeNull();
    expect(await unitStatus()).toBe('available');
    expect(await journalCount()).toBe(entries);
    const again = await f.api('POST', '/api/v1/trials', { account_id: f.schoolId, unit_id: f.unitId, due_on: '2026-12-10' });
    expect(again.status).toBe(201);
    expect(again.json()).toMatchObject({ number: 'T-000002', due_on: '2026-12-10' });
    const list = (await f.api('GET', '/api/v1/trials?status=returned')).json();
    expect(list.data.map((r: any) => r.number)).toEqual(['T-000001']);
  });

  test('bad input is 4xx and writes nothing: unknown ids, a unit not available, bad dates', async () => {
    await f.api('POST', '/api/v1/layaways', { account_id: f.accountId, lines: [{ unit_id: f.unitId }] });
    const counts = async () => [await countRows(f.t, 'trials'), await countRows(f.t, 'unit_events'), await journalCount()];
    const before = await counts();
    const nobody = '00000000-0000-4000-8000-000000000000';
    const cases: [string, unknown, number, string?][] = [
      ['/api/v1/trials', { account_id: f.accountId, unit_id: f.unitId }, 409, 'unit_id'],
      ['/api/v1/trials', { account_id: f.accountId, unit_id: nobody }, 422, 'unit_id'],
      ['/api/v1/trials', { account_id: nobody, unit_id: f.unitId }, 422, 'account_id'],
      ['/api/v1/trials', { account_id: f.accountId, unit_id: f.unitId, days: 0 }, 422, 'days'],
      ['/api/v1/trials', { account_id: f.accountId, unit_id: f.unitId, days: -3 }, 422, 'days'],
      ['/api/v1/trials', { account_id: f.accountId, unit_id: f.unitId, days: 3, due_on: '2026-12-01' }, 422, 'days'],
      ['/api/v1/trials', { account_id: f.accountId, unit_id: f.unitId, due_on: '2026-02-30' }, 422, 'due_on'],
      [`/api/v1/trials/${nobody}/return`, {}, 404],
      ['/api/v1/trials/T-999999/return', {}, 404],
    ];
    for (const [path, body, status, field] of cases) {
      const res = await f.api('POST', path, body);
      if (res.status !== status) throw new Error(`${path} ${JSON.stringify(body)} -> ${res.status} ${res.text}`);
      if (field) expect(Object.keys(res.json().error.fields ?? {})).toContain(field);
    }
    // Past due dates are refused after the unit is checked, so use an available unit for that one.
    const unit = (await f.api('POST', '/api/v1/units', { product_id: f.trumpet.id, serial_number: 'TR-1002', condition: 'new', cost_cents: 52000 })).json();
    const after = await counts();
    const past = await f.api('POST', '/api/v1/trials', { account_id: f.accountId, unit_id: unit.id, due_on: '2026-11-01' });
    expect(past.status).toBe(422);
    expect(past.json().error.fields.due_on).toBeDefined();
    expect(await counts()).toEqual(after);
    expect(after[0]).toBe(before[0]);
    expect((await f.api('GET', '/api/v1/trials?overdue=maybe')).status).toBe(400);
    const [{ n }] = await f.t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from trials`);
    expect(n).toBe(0);
  });
});

describe('trial pages', () => {
  test('send a unit home, see it overdue, record its return; errors next to the fields', async () => {
    const { signIn } = await import('../helpers');
    let c = await signIn(f.t, 'owner1', 'owner password 1');
    const accountNumber = (await f.api('GET', `/api/v1/accounts/${f.accountId}`)).json().number;
    expect((await c.get('/trials')).text).toContain('No trials yet.');
    const form = await c.get('/trials/new');
    expect(form.text).toContain('value="7"');
    const bad = await c.postForm('/trials', { account: accountNumber, serial: 'NOPE', days: 'x' });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/id="trial-serial-error">No unit with serial number NOPE\./);
    expect(bad.text).toMatch(/id="trial-days-error">Enter a whole number of days\./);
    const long = await c.postForm('/trials', { account: accountNumber, serial: 'TR-1001', days: '200' });
    expect(long.status).toBe(422);
    expect(long.text).toMatch(/id="trial-days-error">A trial lasts at most 90 days\./);
    expect(await countRows(f.t, 'trials')).toBe(0);

    const made = await c.postForm('/trials', { account: accountNumber, serial: 'tr-1001', days: '5', note: 'With case' });
    expect(made.status).toBe(303);
    const id = made.headers.get('location')!.split('/').pop()!;
    expect((await c.get(`/trials/${id}`)).text).toMatch(/id="trial-due">Nov 29, 2026/);
    const taken = await c.postForm('/trials', { account: accountNumber, serial: 'TR-1001', days: '5' });
    expect(taken.status).toBe(409);
    expect(taken.text).toMatch(/id="trial-serial-error">This unit is on trial\./);

    f.t.clock.advance(6 * 86_400_000);
    c = await signIn(f.t, 'owner1', 'owner password 1'); // a week later: a new session
    const overdue = await c.get('/trials?status=overdue');
    expect(overdue.text).toContain('T-000001');
    expect(overdue.text).toContain('Overdue');
    const back = await c.postForm(`/trials/${id}/return`, { note: 'All fine' });
    expect(back.status).toBe(303);
    expect((await c.get(`/trials/${id}`)).text).toContain('Returned');
    expect(await unitStatus()).toBe('available');
    expect((await c.postForm(`/trials/${id}/return`, { note: '' })).status).toBe(409);
    expect((await c.get('/trials?status=overdue')).text).toContain('No trial is overdue.');
  });
});

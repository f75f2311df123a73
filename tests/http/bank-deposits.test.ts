import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { addStaff, apiRequest, makeTestApp, ownerToken, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';
import { postEntry } from '../../src/features/ledger/journal';
import { trialBalanceAsOf } from '../../src/features/ledger/queries';
import { cliActor } from '../../src/features/audit/service';

let t: TestContext;
let owner: TestClient;
let token: string;
let registerId: string;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  token = await ownerToken(t);
  [{ id: registerId }] = await t.deps.db.execute<{ id: string }>(sql`select id from registers where name = 'Register 1'`);
  await owner.get('/deposits');
});

const api = (method: string, path: string, json?: unknown, opts: { tok?: string; headers?: Record<string, string> } = {}) => apiRequest(t.app, method, path, { token: opts.tok ?? token, headers: opts.headers, ...(json === undefined ? {} : { json }) });
const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;

/** Normal-side balance of a system account, from the trial balance (debit balance − credit balance). */
async function tb(key: string) {
  const row = (await trialBalanceAsOf(t.deps.db, null)).rows.find((r) => r.account.systemKey === key);
  return row ? row.debitBalanceCents - row.creditBalanceCents : 0;
}

/**
 * The safe starts with $500 (an opening entry); a drawer is opened with a $150 float from the safe, $100 is
 * dropped back, and the close counts the $50 left plus $75.50 of checks: safe $500.00, checks to deposit $75.50.
 */
async function fillSafe() {
  await t.deps.db.transaction((tx) =>
    postEntry(tx, cliActor('test'), { eventType: 'opening_balance', sourceType: 'test', memo: 'Cash in the safe on day one', lines: [{ accountKey: 'safe_cash', debitCents: 50000 }, { accountKey: 'opening_balance_equity', creditCents: 50000 }] }),
  );
  const s = (await api('POST', `/api/v1/registers/${registerId}/sessions`, { float_cents: 15000 })).json();
  expect((await api('POST', `/api/v1/register-sessions/${s.id}/movements`, { kind: 'drop', amount_cents: 10000 })).status).toBe(201);
  expect((await api('POST', `/api/v1/register-sessions/${s.id}/close`, { cash_denominations: { '2000': 2, '1000': 1 }, checks_cents: 7550 })).status).toBe(200);
  expect(await tb('safe_cash')).toBe(50000);
  expect(await tb('checks_to_deposit')).toBe(7550);
}

const DEPOSIT = { cash_denominations: { '10000': 4, '2000': 2, '500': 2 }, checks: [{ number: '1001', amount_cents: 5000, from: 'J. Smith' }, { number: '2002', amount_cents: 2550 }], note: 'Bag 17' };

describe('bank deposits API', () => {
  test('a drop to the safe, then a deposit moves Safe and Checks to deposit to Bank in the trial balance', async () => {
    await fillSafe();
    const res = await api('POST', '/api/v1/bank-deposits', DEPOSIT);
    expect(res.status).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({ number: 'BD-000001', deposited_on: '2026-11-24', cash_cents: 45000, cash_denominations: { '10000': 4, '2000': 2, '500': 2 }, checks_cents: 7550, total_cents: 52550, note: 'Bag 17', by: 'api:test' });
    expect(d.checks).toEqual([{ number: '1001', amount_cents: 5000, from: 'J. Smith' }, { number: '2002', amount_cents: 2550, from: '' }]);
    expect(await tb('safe_cash')).toBe(5000);
    expect(await tb('checks_to_deposit')).toBe(0);
    expect(await tb('bank')).toBe(52550);
    const trial = await trialBalanceAsOf(t.deps.db, null);
    expect(trial.differenceCents).toBe(0);

    const lines = await t.deps.db.execute<{ key: string; debit: string; credit: string; entry_date: string; event_type: string; source_id: string }>(sql`
      select a.system_key as key, l.debit_cents as debit, l.credit_cents as credit, e.entry_date::text, e.event_type, e.source_id::text
      from journal_lines l join journal_entries e on e.id = l.entry_id join ledger_accounts a on a.id = l.account_id
      where e.id = ${d.journal_entry_id} order by l.line_no`);
    expect(lines.map((l) => [l.key, Number(l.debit), Number(l.credit)])).toEqual([['bank', 52550, 0], ['safe_cash', 0, 45000], ['checks_to_deposit', 0, 7550]]);
    expect(lines[0]).toMatchObject({ entry_date: '2026-11-24', event_type: 'bank_deposit', source_id: d.id });
    const [audit] = await t.deps.db.execute<{ summary: string }>(sql`select summary from audit_log where action = 'bank_deposit.create'`);
    expect(audit.summary).toContain('BD-000001');

    // A second deposit: the rest of the safe as a plain total, back-dated a day; numbers are gap-free.
    const second = await api('POST', '/api/v1/bank-deposits', { cash_cents: 5000, deposited_on: '2026-11-23' });
    expect(second.status).toBe(201);
    expect(second.json()).toMatchObject({ number: 'BD-000002', cash_cents: 5000, cash_denominations: null, checks: [], checks_cents: 0, deposited_on: '2026-11-23' });
    expect(await tb('safe_cash')).toBe(0);
    expect(await tb('bank')).toBe(57550);
  });

  test('more than the safe or checks to deposit hold is refused with a field error; nothing is written', async () => {
    await fillSafe();
    const entries = await count('journal_entries');
    const cash = await api('POST', '/api/v1/bank-deposits', { cash_cents: 50001 });
    expect(cash.status).toBe(422);
    expect(cash.json().error.fields.cash_cents).toBe("The safe holds $500.00; you can't deposit $500.01 of cash.");
    const counted = await api('POST', '/api/v1/bank-deposits', { cash_denominations: { '10000': 6 } });
    expect(counted.status).toBe(422);
    expect(counted.json().error.fields.cash_denominations).toContain('The safe holds $500.00');
    const checks = await api('POST', '/api/v1/bank-deposits', { cash_cents: 100, checks: [{ number: '1', amount_cents: 7551 }] });
    expect(checks.status).toBe(422);
    expect(checks.json().error.fields.checks).toBe('Checks to deposit holds $75.50; these checks add up to $75.51.');
    expect(checks.json().error.fields.cash_cents).toBeUndefined();
    expect(await count('bank_deposits')).toBe(0);
    expect(await count('journal_entries')).toBe(entries);
    expect(await tb('safe_cash')).toBe(50000);
    // The refused attempts gave their numbers back.
    expect((await api('POST', '/api/v1/bank-deposits', { cash_cents: 50000 })).json().number).toBe('BD-000001');
    // With nothing in the safe any cash is too much.
    const empty = await api('POST', '/api/v1/bank-deposits', { cash_cents: 1 });
    expect(empty.json().error.fields.cash_cents).toContain('The safe holds $0.00');
  });

  test('bad input: 4xx with a message on the field, nothing written', async () => {
    await fillSafe();
    const entries = await count('journal_entries');
    const cases: [unknown, string][] = [
      [{}, '_'],
      [{ cash_cents: 0 }, '_'],
      [{ checks: [] }, '_'],
      [{ cash_denominations: {} }, '_'],
      [{ cash_cents: -1 }, 'cash_cents'],
      [{ cash_cents: 12.5 }, 'cash_cents'],
      [{ cash_cents: '100' }, 'cash_cents'],
      [{ cash_cents: 100_000_001 }, 'cash_cents'],
      [{ cash_denominations: { '300': 1 } }, 'cash_denominations'],
      [{ cash_denominations: { '2000': -1 } }, 'cash_denominations'],
      [{ cash_denominations: { '2000': 1.5 } }, 'cash_denominations'],
      [{ cash_denominations: { '20.00': 1 } }, 'cash_denominations'],
      [{ cash_denominations: [1, 2] }, 'cash_denominations'],
      [{ cash_denominations: { '2000': 1 }, cash_cents: 1999 }, 'cash_cents'],
      [{ checks: 'two checks' }, 'checks'],
      [{ checks: [{ number: '', amount_cents: 100 }] }, 'checks.0.number'],
      [{ checks: [{ number: '7', amount_cents: 0 }] }, 'checks.0.amount_cents'],
      [{ checks: [{ number: '7', amount_cents: 100 }, { number: '8', amount_cents: -100 }] }, 'checks.1.amount_cents'],
      [{ checks: [{ number: '7', amount_cents: 100, memo: 'x' }] }, 'checks.0'],
      [{ checks: [{ number: 'x'.repeat(31), amount_cents: 100 }] }, 'checks.0.number'],
      [{ cash_cents: 100, deposited_on: '2026-13-01' }, 'deposited_on'],
      [{ cash_cents: 100, deposited_on: '2099-01-01' }, 'deposited_on'], // future
      [{ cash_cents: 100, deposited_on: '2000-01-01' }, 'deposited_on'], // more than a year back
      [{ cash_cents: 100, note: 'n'.repeat(501) }, 'note'],
      [{ cash_cents: 100, colour: 'red' }, '_'],
    ];
    for (const [body, field] of cases) {
      const res = await api('POST', '/api/v1/bank-deposits', body);
      expect([res.status, body]).toEqual([422, body]);
      const err = res.json().error;
      expect(err.code).toBe('validation_failed');
      expect([Object.keys(err.fields ?? {}), body]).toEqual([expect.arrayContaining([field]), body]);
      expect(err.fields[field].length).toBeGreaterThan(5);
    }
    expect((await api('POST', '/api/v1/bank-deposits', { cash_denominations: { '300': 1 } })).json().error.fields.cash_denominations).toContain('300');
    expect((await api('POST', '/api/v1/bank-deposits', {})).json().error.message).toBe('Nothing to deposit: count the cash or list at least one check.');
    const noJson = await apiRequest(t.app, 'POST', '/api/v1/bank-deposits', { token, headers: { 'content-type': 'text/plain' } });
    expect(noJson.status).toBe(400);
    expect(await count('bank_deposits')).toBe(0);
    expect(await count('journal_entries')).toBe(entries);
  });

  test('Idempotency-Key: a retried deposit is recorded once; the same key with another body is 409', async () => {
    await fillSafe();
    const headers = { 'idempotency-key': 'deposit-2026-11-24' };
    const first = await api('POST', '/api/v1/bank-deposits', DEPOSIT, { headers });
    const second = await api('POST', '/api/v1/bank-deposits', DEPOSIT, { headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(await count('bank_deposits')).toBe(1);
    expect(await tb('bank')).toBe(52550);
    const other = await api('POST', '/api/v1/bank-deposits', { cash_cents: 100 }, { headers });
    expect(other.status).toBe(409);
    expect(other.json().error.code).toBe('idempotency_mismatch');
    expect(await count('bank_deposits')).toBe(1);
    // A refused deposit does not spend its key: fixed, the same key goes through.
    const refusedKey = { 'idempotency-key': 'too-much' };
    expect((await api('POST', '/api/v1/bank-deposits', { cash_cents: 999_999 }, { headers: refusedKey })).status).toBe(422);
    expect((await api('POST', '/api/v1/bank-deposits', { cash_cents: 999_999 }, { headers: refusedKey })).status).toBe(422);
    expect((await api('POST', '/api/v1/bank-deposits', { cash_cents: 5000 }, { headers: { 'idempotency-key': 'ok-now' } })).status).toBe(201);
  });

  test('list (search, sort, dates), one by id or number, 404s, permissions', async () => {
    await fillSafe();
    await api('POST', '/api/v1/bank-deposits', DEPOSIT);
    await api('POST', '/api/v1/bank-deposits', { cash_cents: 2000, deposited_on: '2026-11-20', note: 'Friday' });
    const all = (await api('GET', '/api/v1/bank-deposits')).json();
    expect(all.pagination.total).toBe(2);
    expect(all.data.map((d: any) => d.number)).toEqual(['BD-000001', 'BD-000002']);
    expect((await api('GET', '/api/v1/bank-deposits?sort=total&order=asc')).json().data.map((d: any) => d.total_cents)).toEqual([2000, 52550]);
    expect((await api('GET', '/api/v1/bank-deposits?q=smith')).json().data.map((d: any) => d.number)).toEqual(['BD-000001']);
    expect((await api('GET', '/api/v1/bank-deposits?q=friday')).json().data.map((d: any) => d.number)).toEqual(['BD-000002']);
    expect((await api('GET', '/api/v1/bank-deposits?q=amount')).json().data).toHaveLength(0);
    expect((await api('GET', '/api/v1/bank-deposits?to=2026-11-21')).json().data.map((d: any) => d.number)).toEqual(['BD-000002']);
    expect((await api('GET', '/api/v1/bank-deposits?from=bad')).status).toBe(400);
    expect((await api('GET', '/api/v1/bank-deposits?sort=bogus')).status).toBe(400);
    const one = (await api('GET', `/api/v1/bank-deposits/${all.data[0].id}`)).json();
    expect(one.number).toBe('BD-000001');
    expect((await api('GET', '/api/v1/bank-deposits/BD-000002')).json().note).toBe('Friday');
    expect((await api('GET', '/api/v1/bank-deposits/BD-999999')).status).toBe(404);
    expect((await api('GET', '/api/v1/bank-deposits/nope')).status).toBe(404);
    const bookkeeper = await ownerToken(t, ['accounting.view']);
    expect((await api('GET', '/api/v1/bank-deposits', undefined, { tok: bookkeeper })).status).toBe(403);
    expect((await api('POST', '/api/v1/bank-deposits', { cash_cents: 100 }, { tok: bookkeeper })).status).toBe(403);
  });
});

describe('bank deposit pages', () => {
  test('list with balances, the form with the denomination grid and check rows, the slip; a double submit records once', async () => {
    await fillSafe();
    const list = await owner.get('/deposits');
    expect(list.status).toBe(200);
    expect(list.text).toMatch(/id="safe-balance">\$500\.00/);
    expect(list.text).toMatch(/id="checks-balance">\$75\.50/);
    expect(list.text).toContain('No bank deposits yet.');

    const form = await owner.get('/deposits/new');
    expect(form.status).toBe(200);
    expect(form.text).toContain('data-denomination-grid');
    expect(form.text).toContain('name="check_number_5"');
    expect(form.text).not.toContain('name="check_number_6"');
    const formKey = /name="form_key" value="([0-9a-f-]{36})"/.exec(form.text)![1];
    expect(form.text).toContain('value="2026-11-24"');

    const fields = { form_key: formKey, check_rows: '6', count_10000: '4', count_2000: '2', count_500: '2', cash_total: '', check_number_0: '1001', check_amount_0: '50.00', check_from_0: 'J. Smith', check_number_2: '2002', check_amount_2: '$25.50', deposited_on: '2026-11-24', note: 'Bag 17' };
    const res = await owner.postForm('/deposits', fields);
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/deposits\/[0-9a-f-]{36}$/);
    // The same form sent again (double click, back + resend): the same deposit, not a second one.
    const again = await owner.postForm('/deposits', fields);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(location);
    expect(await count('bank_deposits')).toBe(1);
    expect(await tb('bank')).toBe(52550);

    const slip = await owner.get(location);
    expect(slip.status).toBe(200);
    expect(slip.text).toContain('Already recorded: Recorded BD-000001');
    expect(slip.text).toContain('Deposit slip BD-000001');
    expect(slip.text).toMatch(/id="slip-total">\$525\.50/);
    expect(slip.text).toMatch(/id="slip-bills">\$450\.00/);
    expect(slip.text).toMatch(/id="slip-coins">\$0\.00/);
    expect(slip.text).toMatch(/id="slip-checks">\$75\.50/);
    expect(slip.text).toContain('J. Smith');
    expect(slip.text).toContain('Nov 24, 2026');
    expect(slip.text).toContain('Harmony Music');
    expect(slip.text).toContain('data-print');
    expect(slip.text).toContain('/accounting/journal/');

    const after = await owner.get('/deposits');
    expect(after.text).toContain('BD-000001');
    expect(after.text).toMatch(/id="safe-balance">\$50\.00/);
    expect((await owner.get('/deposits?q=bag')).text).toContain('BD-000001');
    expect((await owner.get('/deposits?from=nope')).status).toBe(400);
    expect((await owner.get('/deposits/BD-000001')).status).toBe(200);
    expect((await owner.get('/deposits/11111111-1111-4111-8111-111111111111')).status).toBe(404);
  });

  test('bad input on the form: messages next to the fields, nothing written', async () => {
    await fillSafe();
    const post = async (fields: Record<string, string>) => {
      const res = await owner.postForm('/deposits', { check_rows: '6', ...fields });
      return res;
    };
    const cases: [Record<string, string>, string, string][] = [
      [{}, 'Nothing to deposit: count the cash or list at least one check.', ''],
      [{ count_2000: '-1' }, 'Count of $20 must be a whole number of 0 or more.', 'count_2000'],
      [{ count_25: 'lots' }, 'Count of 25¢ must be a whole number of 0 or more.', 'count_25'],
      [{ cash_total: 'ten' }, 'The cash total must be an amount like 12.50.', 'cash_total'],
      [{ cash_total: '-5' }, 'The cash total cannot be negative.', 'cash_total'],
      [{ count_2000: '1', cash_total: '25.00' }, 'The cash total does not match the count above', 'cash_total'],
      [{ check_amount_1: '12.00' }, 'Enter the check number.', 'check_number_1'],
      [{ check_number_3: '55' }, 'Enter the check amount.', 'check_amount_3'],
      [{ check_number_2: '55', check_amount_2: '0' }, 'The check amount must be more than $0.00.', 'check_amount_2'],
      [{ check_number_4: '55', check_amount_4: 'abc' }, 'The check amount must be an amount like 12.50.', 'check_amount_4'],
      [{ cash_total: '1', deposited_on: '2026-11-30' }, "The deposit date can't be after today (2026-11-24).", 'deposited_on'],
      [{ cash_total: '500.01' }, "The safe holds $500.00; you can't deposit $500.01 of cash.", 'cash_total'],
      [{ count_10000: '6' }, "The safe holds $500.00; you can't deposit $600.00 of cash.", ''],
      [{ check_number_0: '1', check_amount_0: '80' }, 'Checks to deposit holds $75.50; these checks add up to $80.00.', ''],
    ];
    for (const [fields, message, field] of cases) {
      const res = await post(fields);
      expect([res.status, fields]).toEqual([422, fields]);
      expect([res.text.includes(message.replaceAll("'", '&#39;')) || res.text.includes(message), message]).toEqual([true, message]);
      if (field) expect(res.text).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"|name="${field}"[^>]*aria-invalid="true"`));
    }
    // Typed values come back so nothing has to be typed again.
    const kept = await post({ check_number_2: '55', check_amount_2: 'abc', check_from_2: 'Band boosters' });
    expect(kept.text).toContain('value="Band boosters"');
    expect(await count('bank_deposits')).toBe(0);
    expect(await tb('bank')).toBe(0);
  });

  test('"More check rows" keeps what was typed; a cashier may deposit, a technician may not', async () => {
    await fillSafe();
    const more = await owner.postForm('/deposits', { check_rows: '6', check_number_0: '77', check_amount_0: '10', add_rows: '1' });
    expect(more.status).toBe(200);
    expect(more.text).toContain('name="check_number_15"');
    expect(more.text).toContain('value="77"');
    expect(await count('bank_deposits')).toBe(0);

    await addStaff(t, 'casey', ['cashier']);
    await addStaff(t, 'terry', ['technician']);
    const cashier = await signIn(t, 'casey', 'staff password 123');
    await cashier.get('/deposits/new');
    const made = await cashier.postForm('/deposits', { check_rows: '6', cash_total: '100.00' });
    expect(made.status).toBe(303);
    const slip = await cashier.get(made.headers.get('location')!);
    expect(slip.text).toContain('Recorded by casey');
    expect(slip.text).not.toContain('/accounting/journal/');
    const tech = await signIn(t, 'terry', 'staff password 123');
    await tech.get('/');
    expect((await tech.get('/deposits')).status).toBe(403);
    expect((await tech.postForm('/deposits', { cash_total: '1' })).status).toBe(403);
    expect(await count('bank_deposits')).toBe(1);
  });
});

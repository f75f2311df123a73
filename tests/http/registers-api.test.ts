import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { apiRequest, makeTestApp, ownerToken, resetDb, setupStore, type TestContext } from '../helpers';

let t: TestContext;
let token: string;
let registerId: string;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  await setupStore(t);
  token = await ownerToken(t);
  registerId = (await api('GET', '/api/v1/registers')).json().data[0].id;
});

const api = (method: string, path: string, json?: unknown, opts: { tok?: string; headers?: Record<string, string> } = {}) => apiRequest(t.app, method, path, { token: opts.tok ?? token, headers: opts.headers, ...(json === undefined ? {} : { json }) });
const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;

/** Per entry: its event and [account key, debit, credit] lines; every entry must balance. */
async function journal() {
  const rows = await t.deps.db.execute<{ number: string; event_type: string; memo: string; key: string; debit: string; credit: string; reverses: string | null }>(sql`
    select e.number, e.event_type, e.memo, a.system_key as key, l.debit_cents as debit, l.credit_cents as credit, e.reverses_entry_id as reverses
    from journal_entries e join journal_lines l on l.entry_id = e.id join ledger_accounts a on a.id = l.account_id order by e.number, l.line_no`);
  const entries = new Map<string, { event: string; memo: string; reverses: string | null; lines: [string, number, number][] }>();
  for (const r of rows) {
    const e = entries.get(r.number) ?? { event: r.event_type, memo: r.memo, reverses: r.reverses, lines: [] };
    e.lines.push([r.key, Number(r.debit), Number(r.credit)]);
    entries.set(r.number, e);
  }
  for (const e of entries.values()) expect(e.lines.reduce((s, l) => s + l[1], 0)).toBe(e.lines.reduce((s, l) => s + l[2], 0));
  return [...entries.values()];
}

async function balance(key: string) {
  const [r] = await t.deps.db.execute<{ b: string }>(sql`select coalesce(sum(l.debit_cents - l.credit_cents), 0) as b from journal_lines l join ledger_accounts a on a.id = l.account_id where a.system_key = ${key}`);
  return Number(r.b);
}

// $150.00 float: 5 × $20, 4 × $10, 2 × $5
const FLOAT = { '2000': 5, '1000': 4, '500': 2 };
const open = () => api('POST', `/api/v1/registers/${registerId}/sessions`, { float_denominations: FLOAT });

describe('registers API', () => {
  test('setup created "Register 1"; add, rename, duplicate names refused case-insensitively', async () => {
    const list = (await api('GET', '/api/v1/registers')).json().data;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name: 'Register 1', active: true, open_session: null });
    const created = await api('POST', '/api/v1/registers', { name: 'Back counter' });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Back counter', active: true });
    const dup = await api('POST', '/api/v1/registers', { name: 'back COUNTER' });
    expect(dup.status).toBe(409);
    expect(dup.json().error.fields.name).toContain('already');
    const renamed = await api('PATCH', `/api/v1/registers/${created.json().id}`, { name: 'Repair desk' });
    expect(renamed.status).toBe(200);
    expect(renamed.json().name).toBe('Repair desk');
    expect(await count('registers')).toBe(2);
  });

  test('register bad input: missing/empty/too long/wrong type/extra fields → 422, unknown id → 404', async () => {
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(61) }, { name: 12 }, { name: 'A', active: 'yes' }]) {
      const res = await api('POST', '/api/v1/registers', body);
      expect(res.status).toBe(422);
      expect(res.json().error.code).toBe('validation_failed');
    }
    expect((await api('PATCH', '/api/v1/registers/not-a-uuid', { name: 'X' })).status).toBe(404);
    expect((await api('PATCH', '/api/v1/registers/11111111-1111-4111-8111-111111111111', { name: 'X' })).status).toBe(404);
    expect((await api('PATCH', `/api/v1/registers/${registerId}`, { active: 'no' })).status).toBe(422);
    expect(await count('registers')).toBe(1);
  });

  test('a register with an open session cannot be deactivated; a deactivated one cannot open', async () => {
    const s = (await open()).json();
    expect((await api('PATCH', `/api/v1/registers/${registerId}`, { active: false })).status).toBe(409);
    await api('POST', `/api/v1/register-sessions/${s.id}/close`, { cash_denominations: FLOAT });
    expect((await api('PATCH', `/api/v1/registers/${registerId}`, { active: false })).json().active).toBe(false);
    expect((await open()).status).toBe(409);
  });
});

describe('drawer session through the API', () => {
  test('open → paid-in → paid-out → drop → no-sale → close exact; journal balanced on the right accounts', async () => {
    const opened = await open();
    expect(opened.status).toBe(201);
    const s = opened.json();
    expect(s).toMatchObject({ number: 'DS-000001', status: 'open', register_name: 'Register 1', float_cents: 15000, float_denominations: FLOAT, expected: { cash_cents: 15000, checks_cents: 0 }, counted: null, over_short_cents: null });
    expect((await api('GET', '/api/v1/registers')).json().data[0].open_session).toMatchObject({ id: s.id, number: 'DS-000001', float_cents: 15000 });

    const mv = (body: unknown) => api('POST', `/api/v1/register-sessions/${s.id}/movements`, body);
    expect((await mv({ kind: 'paid_in', amount_cents: 2000, reason: 'More quarters' })).status).toBe(201);
    expect((await mv({ kind: 'paid_out', amount_cents: 1250, reason: 'Postage' })).status).toBe(201);
    expect((await mv({ kind: 'drop', amount_cents: 5000 })).status).toBe(201);
    const x = await mv({ kind: 'no_sale', reason: 'Change for a customer' });
    expect(x.status).toBe(201);
    // X report: 15000 + 2000 − 1250 − 5000
    expect(x.json().expected.cash_cents).toBe(10750);
    expect(x.json().totals).toMatchObject({ paid_ins_cents: 2000, paid_outs_cents: 1250, drops_cents: 5000, no_sales: 1 });
    expect(x.json().movements.map((m: any) => m.kind)).toEqual(['paid_in', 'paid_out', 'drop', 'no_sale']);
    expect(x.json().movements[3].journal_entry_id).toBeNull();

    const closed = await api('POST', `/api/v1/register-sessions/${s.id}/close`, { cash_denominations: { '5000': 2, '500': 1, '25': 3 }, checks_cents: 0 });
    expect(closed.status).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', expected: { cash_cents: 10750, checks_cents: 0 }, counted: { cash_cents: 10575 + 0, checks_cents: 0 } });
    // 2 × 5000 + 500 + 75 = 10575: that's $1.75 short
    expect(closed.json().over_short_cents).toBe(-175);

    const entries = await journal();
    expect(entries.map((e) => e.event)).toEqual(['drawer_open', 'drawer_paid_in', 'drawer_paid_out', 'drawer_drop', 'drawer_close']);
    expect(entries[0].lines).toEqual([['cash_drawer', 15000, 0], ['safe_cash', 0, 15000]]);
    expect(entries[1].lines).toEqual([['cash_drawer', 2000, 0], ['safe_cash', 0, 2000]]);
    expect(entries[2].lines).toEqual([['paid_outs', 1250, 0], ['cash_drawer', 0, 1250]]);
    expect(entries[3].lines).toEqual([['safe_cash', 5000, 0], ['cash_drawer', 0, 5000]]);
    expect(entries[4].lines).toEqual([['safe_cash', 10575, 0], ['cash_drawer', 0, 10750], ['cash_over_short', 175, 0]]);
    expect(await balance('cash_drawer')).toBe(0);
    expect(await balance('cash_over_short')).toBe(175);
    expect(await balance('paid_outs')).toBe(1250);
  });

  test("the spec's shift: $150 float, close counting $194.01 against $194.02 expected → 1¢ short posted", async () => {
    const s = (await open()).json();
    // No sales yet: a $44.02 paid-in stands in for the acceptance sale's net cash (60.00 − 15.98 change).
    await api('POST', `/api/v1/register-sessions/${s.id}/movements`, { kind: 'paid_in', amount_cents: 4402, reason: 'stand-in for the sale' });
    const closed = await api('POST', `/api/v1/register-sessions/${s.id}/close`, { cash_denominations: { '10000': 1, '5000': 1, '2000': 2, '100': 4, '1': 1 } });
    expect(closed.json()).toMatchObject({ expected: { cash_cents: 19402 }, counted: { cash_cents: 19401 }, over_short_cents: -1 });
    expect((await journal()).at(-1)!.lines).toEqual([['safe_cash', 19401, 0], ['cash_drawer', 0, 19402], ['cash_over_short', 1, 0]]);
  });

  test('over on cash and checks counted with none expected; float given as cents', async () => {
    const s = (await api('POST', `/api/v1/registers/${registerId}/sessions`, { float_cents: 10000 })).json();
    expect(s.float_denominations).toBeNull();
    const closed = await api('POST', `/api/v1/register-sessions/${s.id}/close`, { cash_denominations: { '10000': 1, '25': 2 }, checks_cents: 2500 });
    expect(closed.json().over_short_cents).toBe(2550);
    expect((await journal()).at(-1)!.lines).toEqual([['safe_cash', 10050, 0], ['cash_drawer', 0, 10000], ['cash_over_short', 0, 50], ['checks_to_deposit', 2500, 0], ['cash_over_short', 0, 2500]]);
  });

  test('second open on the same register 409; closing a closed session 409; movements on a closed session 409', async () => {
    const s = (await open()).json();
    const again = await open();
    expect(again.status).toBe(409);
    expect(again.json().error.message).toContain('DS-000001');
    await api('POST', `/api/v1/register-sessions/${s.id}/close`, { cash_denominations: FLOAT });
    expect((await api('POST', `/api/v1/register-sessions/${s.id}/close`, { cash_denominations: FLOAT })).status).toBe(409);
    expect((await api('POST', `/api/v1/register-sessions/${s.id}/movements`, { kind: 'drop', amount_cents: 100 })).status).toBe(409);
    expect(await count('drawer_sessions')).toBe(1);
    expect(await count('drawer_movements')).toBe(0);
    expect((await journal()).length).toBe(2);
  });

  test('reopen with a note reverses the close entry; closing again posts a new close', async () => {
    const s = (await open()).json();
    await api('POST', `/api/v1/register-sessions/${s.id}/close`, { cash_denominations: { '2000': 7 } });
    expect((await api('POST', `/api/v1/register-sessions/${s.id}/reopen`, { note: '' })).status).toBe(422);
    const reopened = await api('POST', `/api/v1/register-sessions/${s.id}/reopen`, { note: 'Found a $10 bill under the tray' });
    expect(reopened.status).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'open', counted: null, over_short_cents: null, expected: { cash_cents: 15000 } });
    expect(reopened.json().note).toContain('Found a $10 bill');
    expect(reopened.json().movements.map((m: any) => m.kind)).toEqual(['reopen']);
    expect(await balance('cash_over_short')).toBe(0);
    expect(await balance('cash_drawer')).toBe(15000);
    expect((await api('POST', `/api/v1/register-sessions/${s.id}/reopen`, { note: 'again please' })).status).toBe(409);
    const closed = await api('POST', `/api/v1/register-sessions/${s.id}/close`, { cash_denominations: FLOAT });
    expect(closed.json().over_short_cents).toBe(0);
    const entries = await journal();
    expect(entries.map((e) => e.event)).toEqual(['drawer_open', 'drawer_close', 'drawer_close', 'drawer_close']);
    expect(entries[2].reverses).not.toBeNull();
    expect(entries[2].lines).toEqual([['safe_cash', 0, 14000], ['cash_drawer', 15000, 0], ['cash_over_short', 0, 1000]]);
    expect(await balance('cash_drawer')).toBe(0);
  });

  test('a cashier token cannot reopen; a technician cannot open a drawer', async () => {
    const s = (await open()).json();
    await api('POST', `/api/v1/register-sessions/${s.id}/close`, { cash_denominations: FLOAT });
    const cashierToken = await ownerToken(t, ['drawer.open', 'drawer.close']);
    expect((await api('POST', `/api/v1/register-sessions/${s.id}/reopen`, { note: 'let me in' }, { tok: cashierToken })).status).toBe(403);
    const techToken = await ownerToken(t, ['repairs.manage', 'inventory.view']);
    expect((await api('POST', `/api/v1/registers/${registerId}/sessions`, { float_cents: 100 }, { tok: techToken })).status).toBe(403);
    expect((await api('GET', '/api/v1/registers', undefined, { tok: techToken })).status).toBe(403);
    expect(await count('drawer_sessions')).toBe(1);
  });

  test('Idempotency-Key: a retried paid-out posts once; another body with the same key is 409', async () => {
    const s = (await open()).json();
    const headers = { 'idempotency-key': 'paid-out-42' };
    const body = { kind: 'paid_out', amount_cents: 999, reason: 'Window cleaner' };
    const first = await api('POST', `/api/v1/register-sessions/${s.id}/movements`, body, { headers });
    const second = await api('POST', `/api/v1/register-sessions/${s.id}/movements`, body, { headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(await count('drawer_movements')).toBe(1);
    expect((await api('POST', `/api/v1/register-sessions/${s.id}/movements`, { ...body, amount_cents: 1 }, { headers })).status).toBe(409);
    expect(await balance('paid_outs')).toBe(999);
  });

  test('history list with filters; GET by DS- number', async () => {
    const s = (await open()).json();
    await api('POST', `/api/v1/register-sessions/${s.id}/close`, { cash_denominations: FLOAT });
    const other = (await api('POST', '/api/v1/registers', { name: 'Register 2' })).json();
    await api('POST', `/api/v1/registers/${other.id}/sessions`, { float_cents: 5000 });
    const all = (await api('GET', '/api/v1/register-sessions')).json();
    expect(all.pagination.total).toBe(2);
    expect(all.data.map((r: any) => r.register_name).sort()).toEqual(['Register 1', 'Register 2']);
    const one = (await api('GET', `/api/v1/register-sessions?register_id=${registerId}`)).json();
    expect(one.data).toHaveLength(1);
    expect(one.data[0]).toMatchObject({ number: 'DS-000001', status: 'closed', over_short_cents: 0, counted_cash_cents: 15000 });
    expect((await api('GET', '/api/v1/register-sessions?from=2099-01-01')).json().data).toHaveLength(0); // no session is opened in the future
    expect((await api('GET', '/api/v1/register-sessions?from=bad')).status).toBe(400);
    expect((await api('GET', '/api/v1/register-sessions?register_id=nope')).status).toBe(400);
    expect((await api('GET', '/api/v1/register-sessions?sort=bogus')).status).toBe(400);
    expect((await api('GET', '/api/v1/register-sessions/DS-000001')).json().id).toBe(s.id);
  });
});

describe('drawer API bad input: clear 4xx, nothing written', () => {
  test('open', async () => {
    const cases: [unknown, string][] = [
      [{}, 'float_cents'],
      [{ float_cents: -1 }, 'float_cents'],
      [{ float_cents: 12.5 }, 'float_cents'],
      [{ float_cents: '1500' }, 'float_cents'],
      [{ float_cents: 10_000_001 }, 'float_cents'],
      [{ float_denominations: { '300': 1 } }, 'float_denominations'],
      [{ float_denominations: { '2000': -1 } }, 'float_denominations'],
      [{ float_denominations: { '2000': 1.5 } }, 'float_denominations'],
      [{ float_denominations: { '20.00': 1 } }, 'float_denominations'],
      [{ float_denominations: [1, 2] }, 'float_denominations'],
      [{ float_denominations: { '2000': 1 }, float_cents: 1999 }, 'float_cents'],
      [{ float_cents: 100, blind: 'yes' }, 'blind'],
      [{ float_cents: 100, colour: 'red' }, '_'],
    ];
    for (const [body, field] of cases) {
      const res = await api('POST', `/api/v1/registers/${registerId}/sessions`, body);
      expect([res.status, body]).toEqual([422, body]);
      expect(Object.keys(res.json().error.fields ?? {})).toContain(field);
    }
    const denom = await api('POST', `/api/v1/registers/${registerId}/sessions`, { float_denominations: { '300': 1 } });
    expect(denom.json().error.fields.float_denominations).toContain('300');
    expect((await api('POST', '/api/v1/registers/not-a-uuid/sessions', { float_cents: 1 })).status).toBe(404);
    expect((await api('POST', '/api/v1/registers/11111111-1111-4111-8111-111111111111/sessions', { float_cents: 1 })).status).toBe(404);
    const noJson = await apiRequest(t.app, 'POST', `/api/v1/registers/${registerId}/sessions`, { token, headers: { 'content-type': 'text/plain' } });
    expect(noJson.status).toBe(400);
    expect(await count('drawer_sessions')).toBe(0);
    expect(await count('journal_entries')).toBe(0);
  });

  test('movements and close', async () => {
    const s = (await open()).json();
    const movementCases: [unknown, string][] = [
      [{}, 'kind'],
      [{ kind: 'sale_cash', amount_cents: 100 }, 'kind'],
      [{ kind: 'paid_out', amount_cents: 100 }, 'reason'],
      [{ kind: 'paid_out', amount_cents: 100, reason: 'x'.repeat(201) }, 'reason'],
      [{ kind: 'paid_out', amount_cents: -100, reason: 'x' }, 'amount_cents'],
      [{ kind: 'drop', amount_cents: 0 }, 'amount_cents'],
      [{ kind: 'drop' }, 'amount_cents'],
      [{ kind: 'drop', amount_cents: '100' }, 'amount_cents'],
      [{ kind: 'no_sale', amount_cents: 100 }, 'amount_cents'],
    ];
    for (const [body, field] of movementCases) {
      const res = await api('POST', `/api/v1/register-sessions/${s.id}/movements`, body);
      expect([res.status, body]).toEqual([422, body]);
      expect(Object.keys(res.json().error.fields)).toContain(field);
    }
    const closeCases: [unknown, string][] = [
      [{}, 'cash_denominations'],
      [{ cash_denominations: { '300': 1 } }, 'cash_denominations'],
      [{ cash_denominations: { '2000': -2 } }, 'cash_denominations'],
      [{ cash_denominations: 'lots' }, 'cash_denominations'],
      [{ cash_denominations: {}, checks_cents: -5 }, 'checks_cents'],
      [{ cash_denominations: {}, note: 'n'.repeat(501) }, 'note'],
    ];
    for (const [body, field] of closeCases) {
      const res = await api('POST', `/api/v1/register-sessions/${s.id}/close`, body);
      expect([res.status, body]).toEqual([422, body]);
      expect(Object.keys(res.json().error.fields)).toContain(field);
    }
    expect((await api('POST', '/api/v1/register-sessions/nope/close', { cash_denominations: {} })).status).toBe(404);
    expect((await api('POST', '/api/v1/register-sessions/11111111-1111-4111-8111-111111111111/movements', { kind: 'no_sale' })).status).toBe(404);
    expect((await api('GET', '/api/v1/register-sessions/DS-999999')).status).toBe(404);
    expect(await count('drawer_movements')).toBe(0);
    const after = (await api('GET', `/api/v1/register-sessions/${s.id}`)).json();
    expect(after.status).toBe('open');
    expect(await count('journal_entries')).toBe(1);
  });
});

import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { ownerToken } from '../helpers';
import { cliActor } from '../../src/features/audit/service';
import { createStaff, roleIdsByKey } from '../../src/features/staff/service';
import { countRows, entryFor, netByAccount, posFixture, type PosFixture } from '../pos/fixture';

let f: PosFixture;
beforeEach(async () => {
  f = await posFixture();
});

const storeCredit = async () => Number((await f.t.deps.db.execute<{ s: string }>(sql`select coalesce(sum(amount_cents), 0) as s from store_credit_entries where account_id = ${f.accountId}`))[0].s);
const entriesOf = async (sourceId: string) => (await f.t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from journal_entries where source_id = ${sourceId}`))[0].n;
const appraisal = (extra: Record<string, unknown> = {}) => ({ account_id: f.accountId, product_id: f.trumpet.id, serial_number: 'TR-9001', condition: 'good', value_cents: 30000, note: 'Dented bell', ...extra });

describe('trade-ins API', () => {
  test('appraise, accept: a unit at the trade-in value as cost and store credit (Dr Inventory / Cr Store credit liability); the credit then pays a sale whose tax is on the full price', async () => {
    const res = await f.api('POST', '/api/v1/trade-ins', appraisal());
    expect(res.status).toBe(201);
    const ti = res.json();
    expect(ti).toMatchObject({ number: 'TI-000001', status: 'appraised', unit_id: null, journal_entry_id: null, value_cents: 30000, condition: 'good', store_credit_balance_cents: 0 });
    expect(await entriesOf(ti.id)).toBe(0);

    const accepted = await f.api('POST', `/api/v1/trade-ins/${ti.id}/accept`, {}, { headers: { 'idempotency-key': 'ti-accept-1' } });
    expect(accepted.status).toBe(200);
    const done = accepted.json();
    expect(done).toMatchObject({ status: 'accepted', unit_status: 'available', store_credit_balance_cents: 30000 });
    expect(netByAccount(await entryFor(f.t, ti.id))).toEqual({ inventory: 30000, store_credit_liability: -30000 });
    // One entry: the unit's creation posts nothing of its own (no double posting).
    expect(await entriesOf(done.unit_id)).toBe(0);
    expect(await storeCredit()).toBe(30000);
    const replay = await f.api('POST', `/api/v1/trade-ins/${ti.id}/accept`, {}, { headers: { 'idempotency-key': 'ti-accept-1' } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await f.api('POST', `/api/v1/trade-ins/${ti.id}/accept`, {})).status).toBe(409);
    expect(await storeCredit()).toBe(30000);

    // The unit's passport shows where it came from.
    const unit = (await f.api('GET', `/api/v1/units/${done.unit_id}`)).json();
    expect(unit).toMatchObject({ serial_number: 'TR-9001', status: 'available', cost_cents: 30000, acquired_via: 'trade_in', condition: 'good' });
    expect(JSON.stringify(unit)).toContain('Taken in trade on TI-000001 from Rivera Family');

    // Applied to a sale: the tuner ($24.95 + $2.21 tax) paid with the credit — tax on the full price.
    const sale = await f.api('POST', '/api/v1/sales', { account_id: f.accountId, lines: [{ product_id: f.tuner.id }], tenders: [{ method: 'store_credit', amount_cents: 2716 }] });
    expect(sale.status).toBe(201);
    expect(sale.json()).toMatchObject({ net_cents: 2495, tax_cents: 221, total_cents: 2716 });
    expect(netByAccount(await entryFor(f.t, sale.json().id))).toEqual({ store_credit_liability: 2716, sales: -2495, sales_tax_payable: -221, cogs: 1100, inventory: -1100 });
    expect(await storeCredit()).toBe(30000 - 2716);
    const list = (await f.api('GET', '/api/v1/trade-ins?status=accepted&q=tr-9001')).json();
    expect(list.data.map((r: any) => r.number)).toEqual(['TI-000001']);
  });

  test("accepting gives value away: a cashier needs a manager's PIN; with it, appraise + accept in one request", async () => {
    await f.t.deps.db.transaction(async (tx) => createStaff(tx, cliActor('test'), { username: 'mona', name: 'Mona Manager', email: null, password: 'staff password 123', pin: '2468', role_ids: await roleIdsByKey(tx, ['manager']) }));
    const cashier = await ownerToken(f.t, ['pos.sell']);
    const refused = await f.api('POST', '/api/v1/trade-ins', appraisal({ accept: true }), { tok: cashier });
    expect(refused.status).toBe(403);
    expect(refused.json().error.approval_required).toBe(true);
    expect(await countRows(f.t, 'trade_ins')).toBe(0);
    const ok = await f.api('POST', '/api/v1/trade-ins', appraisal({ accept: true, approval: { username: 'mona', pin: '2468' } }), { tok: cashier });
    expect(ok.status).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'accepted', store_credit_balance_cents: 30000 });
    const [audit] = await f.t.deps.db.execute<{ summary: string }>(sql`select summary from audit_log where action = 'trade_in.accept'`);
    expect(audit.summary).toContain('approved by mona');
  });

  test('bad input is 4xx and writes nothing', async () => {
    const ti = (await f.api('POST', '/api/v1/trade-ins', appraisal())).json();
    const counts = async () => [await countRows(f.t, 'trade_ins'), await countRows(f.t, 'inventory_units'), await countRows(f.t, 'journal_entries'), await countRows(f.t, 'store_credit_entries')];
    const before = await counts();
    const nobody = '00000000-0000-4000-8000-000000000000';
    const cases: [string, unknown, number, string?][] = [
      ['/api/v1/trade-ins', appraisal({ value_cents: -100 }), 422, 'value_cents'],
      ['/api/v1/trade-ins', appraisal({ value_cents: 0 }), 422, 'value_cents'],
      ['/api/v1/trade-ins', appraisal({ condition: 'mint' }), 422, 'condition'],
      ['/api/v1/trade-ins', appraisal({ serial_number: '  ' }), 422, 'serial_number'],
      ['/api/v1/trade-ins', appraisal({ serial_number: 'tr-1001' }), 409, 'serial_number'],
      ['/api/v1/trade-ins', appraisal({ product_id: f.tuner.id }), 422, 'product_id'],
      ['/api/v1/trade-ins', appraisal({ product_id: nobody }), 422, 'product_id'],
      ['/api/v1/trade-ins', appraisal({ account_id: nobody }), 422, 'account_id'],
      [`/api/v1/trade-ins/${nobody}/accept`, {}, 404],
      ['/api/v1/trade-ins/TI-999999/accept', {}, 404],
      [`/api/v1/trade-ins/${ti.id}/accept`, { approval: 'yes' }, 422, 'approval'],
    ];
    for (const [path, body, status, field] of cases) {
      const res = await f.api('POST', path, body);
      if (res.status !== status) throw new Error(`${path} ${JSON.stringify(body)} -> ${res.status} ${res.text}`);
      if (field) expect(Object.keys(res.json().error.fields ?? {})).toContain(field);
    }
    expect((await f.api('GET', `/api/v1/trade-ins/${nobody}`)).status).toBe(404);
    expect((await f.api('GET', '/api/v1/trade-ins?status=maybe')).status).toBe(400);
    expect(await counts()).toEqual(before);
  });
});

describe('trade-in pages', () => {
  const formKey = (html: string) => /name="form_key" value="([^"]+)"/.exec(html)![1];

  test('appraise, then accept from its page; errors next to the fields; accept at once', async () => {
    const { signIn } = await import('../helpers');
    const c = await signIn(f.t, 'owner1', 'owner password 1');
    const accountNumber = (await f.api('GET', `/api/v1/accounts/${f.accountId}`)).json().number;
    expect((await c.get('/trade-ins')).text).toContain('No trade-ins yet.');
    const form = await c.get('/trade-ins/new');
    const bad = await c.postForm('/trade-ins', { form_key: formKey(form.text), account: '', product: 'TUN-1', serial_number: 'X1', condition: 'good', value: '-10' });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/id="ti-account-error">Enter the account number/);
    expect(bad.text).toMatch(/id="ti-value-error">The trade-in value must be an amount like 12.50./);
    const stock = await c.postForm('/trade-ins', { form_key: formKey(form.text), account: accountNumber, product: 'TUN-1', serial_number: 'X1', condition: 'good', value: '10' });
    expect(stock.status).toBe(422);
    expect(stock.text).toMatch(/id="ti-product-error">TUN-1 is not a serialized product/);
    const dup = await c.postForm('/trade-ins', { form_key: formKey(form.text), account: accountNumber, product: 'TR-200', serial_number: 'TR-1001', condition: 'good', value: '10' });
    expect(dup.status).toBe(409);
    expect(dup.text).toMatch(/id="ti-serial-error">A unit with this serial number already exists/);
    expect(await countRows(f.t, 'trade_ins')).toBe(0);

    const made = await c.postForm('/trade-ins', { form_key: formKey(form.text), account: accountNumber, product: 'TR-200', serial_number: 'TR-7777', condition: 'fair', value: '250.00', note: 'Sticky valves' });
    expect(made.status).toBe(303);
    const id = made.headers.get('location')!.split('/').pop()!;
    const page = await c.get(`/trade-ins/${id}`);
    expect(page.text).toContain('Trade-in TI-000001');
    expect(page.text).toContain('Accept trade-in');
    const accepted = await c.postForm(`/trade-ins/${id}/accept`, { form_key: formKey(page.text) });
    expect(accepted.status).toBe(303);
    const after = await c.get(`/trade-ins/${id}`);
    expect(after.text).toMatch(/id="ti-credit">\$250\.00/);
    expect(after.text).toContain('/inventory/units/');
    expect(netByAccount(await entryFor(f.t, id))).toEqual({ inventory: 25000, store_credit_liability: -25000 });

    const once = await c.postForm('/trade-ins', { form_key: formKey((await c.get('/trade-ins/new')).text), account: accountNumber, product: 'TR-200', serial_number: 'TR-8888', condition: 'excellent', value: '400', accept: 'on' });
    expect(once.status).toBe(303);
    expect(await storeCredit()).toBe(65000);
    expect((await c.get('/trade-ins?status=accepted')).text).toContain('TI-000002');
  });
});

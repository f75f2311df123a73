import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { balanceOf, countRows, entryFor, netByAccount, posFixture, type PosFixture } from '../pos/fixture';

let f: PosFixture;
beforeEach(async () => {
  f = await posFixture();
});

/** The trumpet unit TR-1001 ($899.00) and a pack of strings ($8.99): net $907.99, tax 8.875% = $80.58, total $988.57. */
const layawayBody = (extra: Record<string, unknown> = {}) => ({ account_id: f.accountId, lines: [{ unit_id: f.unitId }, { product_id: f.strings.id, quantity: 1 }], due_on: '2027-02-24', ...extra });
const unitStatus = async (id = f.unitId) => (await f.api('GET', `/api/v1/units/${id}`)).json().status;
const storeCredit = async (accountId = f.accountId) => Number((await f.t.deps.db.execute<{ s: string }>(sql`select coalesce(sum(amount_cents), 0) as s from store_credit_entries where account_id = ${accountId}`))[0].s);
const entriesOf = async (sourceId: string) => (await f.t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from journal_entries where source_id = ${sourceId}`))[0].n;

describe('layaways API', () => {
  test('create with a deposit, pay the rest, pick up: tax fixed at creation, deposits held until pickup, revenue + tax + COGS at pickup', async () => {
    const res = await f.api('POST', '/api/v1/layaways', layawayBody({ deposit: { amount_cents: 20000, register_session_id: f.sessionId, tenders: [{ method: 'cash', amount_cents: 20000 }] } }));
    expect(res.status).toBe(201);
    const lay = res.json();
    expect(lay).toMatchObject({ number: 'L-000001', status: 'open', net_cents: 90799, tax_cents: 8058, total_cents: 98857, paid_cents: 20000, balance_cents: 78857, due_on: '2027-02-24' });
    expect(lay.lines.map((l: any) => [l.sku, l.net_cents, l.tax_cents])).toEqual([['TR-200', 89900, 7978], ['STR-10', 899, 80]]);
    expect(lay.taxes.reduce((s: number, t: any) => s + t.tax_cents, 0)).toBe(8058);
    expect(lay.payments).toEqual([expect.objectContaining({ amount_cents: 20000, status: 'completed' })]);
    // Reserving the unit moves no value (still Inventory): no journal entry for the layaway or the unit's move.
    expect(await unitStatus()).toBe('layaway');
    expect(await entriesOf(lay.id)).toBe(0);
    expect(await entriesOf(f.unitId)).toBe(1); // its acquisition only
    const passport = (await f.api('GET', `/api/v1/units/${f.unitId}`)).json();
    expect(JSON.stringify(passport)).toContain('On layaway L-000001');
    // The deposit: Dr Cash in drawers / Cr Customer deposits.
    expect(netByAccount(await entryFor(f.t, lay.deposit_sale_id))).toEqual({ cash_drawer: 20000, customer_deposits: -20000 });
    // Stock stays on the shelf until pickup.
    expect((await f.api('GET', `/api/v1/products/${f.strings.id}/stock`)).json().quantity_on_hand).toBe(20);

    // The tax rate changes before the pickup: the layaway keeps the tax it was made with.
    await f.t.deps.db.execute(sql`update tax_class_components set rate_millipercent = rate_millipercent + 1000 where tax_class_id = ${f.taxClassId}`);

    const early = await f.api('POST', `/api/v1/layaways/${lay.id}/pickup`, {});
    expect(early.status).toBe(409);
    expect(early.json().error.message).toContain('$788.57 left to pay');

    const pay = await f.api('POST', `/api/v1/layaways/${lay.id}/payments`, { amount_cents: 78857, register_session_id: f.sessionId, tenders: [{ method: 'check', amount_cents: 78857, reference: '2211' }] }, { headers: { 'idempotency-key': 'lay-pay-1' } });
    expect(pay.status).toBe(201);
    expect(pay.json()).toMatchObject({ paid_cents: 98857, balance_cents: 0, sale: { total_cents: 78857 } });
    expect(netByAccount(await entryFor(f.t, pay.json().sale.id))).toEqual({ checks_to_deposit: 78857, customer_deposits: -78857 });
    const replay = await f.api('POST', `/api/v1/layaways/${lay.id}/payments`, { amount_cents: 78857, register_session_id: f.sessionId, tenders: [{ method: 'check', amount_cents: 78857, reference: '2211' }] }, { headers: { 'idempotency-key': 'lay-pay-1' } });
    expect(replay.json().sale.id).toBe(pay.json().sale.id);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await balanceOf(f.t, 'customer_deposits')).toBe(-98857);

    const pickup = await f.api('POST', `/api/v1/layaways/${lay.id}/pickup`, {});
    expect(pickup.status).toBe(200);
    const done = pickup.json();
    expect(done).toMatchObject({ status: 'picked_up', pickup_sale_number: 'S-000003', sale: { total_cents: 98857 } });
    const sale = (await f.api('GET', `/api/v1/sales/${done.sale.id}`)).json();
    expect(sale).toMatchObject({ net_cents: 90799, tax_cents: 8058, total_cents: 98857 });
    expect(sale.tenders).toEqual([expect.objectContaining({ method: 'deposit', amount_cents: 98857 })]);
    expect(netByAccount(await entryFor(f.t, done.sale.id))).toEqual({ customer_deposits: 98857, sales: -90799, sales_tax_payable: -8058, cogs: 52000 + 300, inventory: -(52000 + 300) });
    expect(await balanceOf(f.t, 'customer_deposits')).toBe(0);
    expect(await unitStatus()).toBe('sold');
    expect((await f.api('GET', `/api/v1/products/${f.strings.id}/stock`)).json().quantity_on_hand).toBe(19);

    // A pickup paid by the deposits can't be voided (the layaway would stay picked up): returned instead.
    const voided = await f.api('POST', `/api/v1/sales/${done.sale.id}/void`, { reason: 'wrong customer' });
    expect(voided.status).toBe(409);
    expect(voided.json().error.message).toContain('return the items instead');
    expect(await balanceOf(f.t, 'customer_deposits')).toBe(0);

    // Closed: no more payments, pickups or cancels.
    expect((await f.api('POST', `/api/v1/layaways/${lay.id}/pickup`, {})).status).toBe(409);
    expect((await f.api('POST', `/api/v1/layaways/${lay.id}/cancel`, { reason: 'changed mind' })).status).toBe(409);
    const list = (await f.api('GET', '/api/v1/layaways?status=picked_up')).json();
    expect(list.data.map((r: any) => r.number)).toEqual(['L-000001']);
    expect((await f.api('GET', '/api/v1/layaways/L-000001')).json().id).toBe(lay.id);
  });

  test('cancel: units back to available and deposits to store credit (Dr Customer deposits / Cr Store credit), or cash out of the drawer', async () => {
    const lay = (await f.api('POST', '/api/v1/layaways', layawayBody({ deposit: { amount_cents: 5000, register_session_id: f.sessionId, tenders: [{ method: 'cash', amount_cents: 5000 }] } }))).json();
    const cancel = await f.api('POST', `/api/v1/layaways/${lay.id}/cancel`, { reason: 'Customer changed their mind' });
    expect(cancel.status).toBe(200);
    expect(cancel.json()).toMatchObject({ status: 'cancelled', paid_cents: 5000 });
    expect(netByAccount(await entryFor(f.t, lay.id))).toEqual({ customer_deposits: 5000, store_credit_liability: -5000 });
    expect(await storeCredit()).toBe(5000);
    expect(await unitStatus()).toBe('available');
    expect(await balanceOf(f.t, 'customer_deposits')).toBe(0);

    // A cash refund comes out of the open drawer: the drawer's expected cash drops by it.
    const second = (await f.api('POST', '/api/v1/layaways', layawayBody({ deposit: { amount_cents: 3000, register_session_id: f.sessionId, tenders: [{ method: 'cash', amount_cents: 3000 }] } }))).json();
    expect(second.number).toBe('L-000002');
    const before = (await f.api('GET', `/api/v1/register-sessions/${f.sessionId}`)).json().expected.cash_cents;
    const noDrawer = await f.api('POST', `/api/v1/layaways/${second.id}/cancel`, { reason: 'Moving away', refund: 'cash' });
    expect(noDrawer.status).toBe(422);
    expect(noDrawer.json().error.fields.register_session_id).toBeDefined();
    const cash = await f.api('POST', `/api/v1/layaways/${second.id}/cancel`, { reason: 'Moving away', refund: 'cash', register_session_id: f.sessionId });
    expect(cash.status).toBe(200);
    expect(netByAccount(await entryFor(f.t, second.id))).toEqual({ customer_deposits: 3000, cash_drawer: -3000 });
    expect((await f.api('GET', `/api/v1/register-sessions/${f.sessionId}`)).json().expected.cash_cents).toBe(before - 3000);
    expect(await storeCredit()).toBe(5000);

    // A cashier token without pos.refund needs a manager's PIN for a cash refund.
    const third = (await f.api('POST', '/api/v1/layaways', layawayBody({ deposit: { amount_cents: 1000, register_session_id: f.sessionId, tenders: [{ method: 'cash', amount_cents: 1000 }] } }))).json();
    const { ownerToken } = await import('../helpers');
    const cashierToken = await ownerToken(f.t, ['pos.sell']);
    const refused = await f.api('POST', `/api/v1/layaways/${third.id}/cancel`, { reason: 'Moving away', refund: 'cash', register_session_id: f.sessionId }, { tok: cashierToken });
    expect(refused.status).toBe(403);
    expect(refused.json().error.approval_required).toBe(true);
    expect((await f.api('GET', `/api/v1/layaways/${third.id}`)).json().status).toBe('open');
    // Store credit needs no approval.
    expect((await f.api('POST', `/api/v1/layaways/${third.id}/cancel`, { reason: 'Moving away' }, { tok: cashierToken })).status).toBe(200);
  });

  test('aging report: age since creation, paid %, due date and buckets', async () => {
    const a = (await f.api('POST', '/api/v1/layaways', { account_id: f.accountId, lines: [{ product_id: f.tuner.id }], due_on: '2026-12-01', deposit: { amount_cents: 1000, register_session_id: f.sessionId, tenders: [{ method: 'cash', amount_cents: 1000 }] } })).json();
    f.t.clock.advance(45 * 86_400_000);
    const b = (await f.api('POST', '/api/v1/layaways', { account_id: f.schoolId, lines: [{ product_id: f.strings.id, quantity: 2 }] })).json();
    expect(b.tax_cents).toBe(0); // tax-exempt school
    const aging = await f.api('GET', '/api/v1/layaways/aging');
    expect(aging.status).toBe(200);
    const r = aging.json();
    expect(r.as_of).toBe('2027-01-08');
    expect(r.data.map((x: any) => [x.number, x.age_days, x.paid_percent, x.overdue])).toEqual([[a.number, 45, Math.floor((1000 * 100) / a.total_cents), true], [b.number, 0, 0, false]]);
    expect(r.buckets.map((x: any) => [x.key, x.count])).toEqual([['0_30', 1], ['31_60', 1], ['61_90', 0], ['91_plus', 0]]);
    expect(r.totals).toMatchObject({ count: 2, overdue: 1, paid_cents: 1000 });
  });

  test('bad input is 4xx and writes nothing: unknown ids, negative amounts, overpaying, units not available, too much stock', async () => {
    const lay = (await f.api('POST', '/api/v1/layaways', layawayBody())).json();
    expect(lay.paid_cents).toBe(0);
    const counts = async () => [await countRows(f.t, 'layaways'), await countRows(f.t, 'sales'), await countRows(f.t, 'journal_entries'), await countRows(f.t, 'unit_events')];
    const before = await counts();
    const cases: [string, string, unknown, number, string?][] = [
      ['POST', '/api/v1/layaways', { account_id: '00000000-0000-4000-8000-000000000000', lines: [{ product_id: f.tuner.id }] }, 422, 'account_id'],
      ['POST', '/api/v1/layaways', { account_id: f.accountId, lines: [] }, 422, 'lines'],
      ['POST', '/api/v1/layaways', { account_id: f.accountId, lines: [{ quantity: 1 }] }, 422, 'lines.product_id'],
      ['POST', '/api/v1/layaways', { account_id: f.accountId, lines: [{ product_id: f.tuner.id, unit_price_cents: -5 }] }, 422, 'lines.unit_price_cents'],
      ['POST', '/api/v1/layaways', { account_id: f.accountId, lines: [{ unit_id: f.unitId }] }, 409, 'lines.0.unit_id'],
      ['POST', '/api/v1/layaways', { account_id: f.accountId, lines: [{ product_id: f.tuner.id, quantity: 6 }] }, 409, 'lines.0.quantity'],
      ['POST', '/api/v1/layaways', { account_id: f.accountId, lines: [{ product_id: f.tuner.id }], due_on: '2020-01-01' }, 422, 'due_on'],
      ['POST', '/api/v1/layaways', { account_id: f.accountId, lines: [{ product_id: f.tuner.id }], deposit: { amount_cents: 999999, tenders: [{ method: 'cash', amount_cents: 999999 }], register_session_id: f.sessionId } }, 422, 'deposit.amount_cents'],
      ['POST', '/api/v1/layaways', { account_id: f.accountId, lines: [{ product_id: f.tuner.id }], deposit: { amount_cents: 500, tenders: [{ method: 'deposit', amount_cents: 500 }] } }, 422, 'deposit.tenders.method'],
      ['POST', '/api/v1/layaways', { account_id: f.accountId, lines: [{ product_id: f.tuner.id }], deposit: { amount_cents: 500, tenders: [{ method: 'cash', amount_cents: 500 }] } }, 422, 'deposit.register_session_id'],
      ['POST', `/api/v1/layaways/${lay.id}/payments`, { amount_cents: -100, tenders: [{ method: 'cash', amount_cents: 100 }], register_session_id: f.sessionId }, 422, 'amount_cents'],
      ['POST', `/api/v1/layaways/${lay.id}/payments`, { amount_cents: lay.total_cents + 1, tenders: [{ method: 'cash', amount_cents: lay.total_cents + 1 }], register_session_id: f.sessionId }, 422, 'amount_cents'],
      ['POST', `/api/v1/layaways/${lay.id}/payments`, { amount_cents: 1000, tenders: [{ method: 'cash', amount_cents: 900 }], register_session_id: f.sessionId }, 422, 'tenders'],
      ['POST', `/api/v1/layaways/${lay.id}/pickup`, {}, 409],
      ['POST', '/api/v1/layaways/00000000-0000-4000-8000-000000000000/payments', { amount_cents: 100, tenders: [{ method: 'cash', amount_cents: 100 }] }, 404],
      ['POST', '/api/v1/layaways/nope/pickup', {}, 404],
      ['POST', '/api/v1/layaways/L-999999/cancel', { reason: 'whatever' }, 404],
      ['POST', `/api/v1/layaways/${lay.id}/cancel`, { reason: 'x' }, 422, 'reason'],
      ['GET', '/api/v1/layaways/00000000-0000-4000-8000-000000000000', undefined, 404],
      ['GET', '/api/v1/layaways?status=lost', undefined, 400],
    ];
    for (const [method, path, body, status, field] of cases) {
      const res = await f.api(method, path, body);
      if (res.status !== status) throw new Error(`${method} ${path} ${JSON.stringify(body)} -> ${res.status} ${res.text}`);
      expect(res.json().error).toBeDefined();
      if (field) expect(Object.keys(res.json().error.fields ?? {})).toContain(field);
    }
    expect(await counts()).toEqual(before);
    expect((await f.api('GET', `/api/v1/layaways/${lay.id}`)).json().paid_cents).toBe(0);
    // The number series gave the refused creations' numbers back.
    expect((await f.api('POST', '/api/v1/layaways', { account_id: f.accountId, lines: [{ product_id: f.tuner.id }] })).json().number).toBe('L-000002');
  });
});

describe('layaway pages', () => {
  const formKey = (html: string) => /name="form_key" value="([^"]+)"/.exec(html)![1];
  const idFrom = (location: string | null) => location!.split('/').pop()!;

  test('make a layaway with a first payment, pay, pick up; cancel another to store credit; aging; errors next to the fields and nothing written', async () => {
    const { signIn } = await import('../helpers');
    const c = await signIn(f.t, 'owner1', 'owner password 1');
    const accountNumber = (await f.api('GET', `/api/v1/accounts/${f.accountId}`)).json().number;
    expect((await c.get('/layaways')).text).toContain('No layaways yet.');
    const form = await c.get(`/layaways/new?account=${accountNumber}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain(`value="${accountNumber}"`);

    // Bad input: every message next to its field, nothing written.
    const bad = await c.postForm('/layaways', { form_key: formKey(form.text), account: '999999', item_0: 'NOPE-1', qty_0: '1', item_1: 'STR-10', qty_1: '-2', amount: '-5', tender_method: 'cash', register_session_id: f.sessionId });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('No account with number 999999.');
    expect(bad.text).toContain('No product (SKU/UPC) or unit (serial) NOPE-1.');
    expect(bad.text).toMatch(/id="qty_1-error">Quantity must be a whole number/);
    expect(bad.text).toMatch(/id="deposit-amount-error">The amount must be an amount like 12.50./);
    const taken = await c.postForm('/layaways', { form_key: formKey(form.text), account: accountNumber, item_0: 'TUN-1', qty_0: '9' });
    expect(taken.status).toBe(409);
    expect(taken.text).toMatch(/id="qty_0-error">Only 5 free\./);
    expect(await countRows(f.t, 'layaways')).toBe(0);

    const page = await c.get('/layaways/new');
    const made = await c.postForm('/layaways', { form_key: formKey(page.text), account: accountNumber, item_0: 'TR-1001', item_1: 'STR-10', qty_1: '2', due_on: '2027-01-31', note: 'Birthday present', amount: '100.00', tender_method: 'cash', tender_amount: '120', register_session_id: f.sessionId });
    expect(made.status).toBe(303);
    const id = idFrom(made.headers.get('location'));
    const again = await c.postForm('/layaways', { form_key: formKey(page.text), account: accountNumber, item_0: 'TR-1001', item_1: 'STR-10', qty_1: '2', due_on: '2027-01-31', note: 'Birthday present', amount: '100.00', tender_method: 'cash', tender_amount: '120', register_session_id: f.sessionId });
    expect(again.status).toBe(303); // the same form sent twice: one layaway
    expect(await countRows(f.t, 'layaways')).toBe(1);
    const show = await c.get(`/layaways/${id}`);
    expect(show.text).toContain('Layaway L-000001');
    expect(show.text).toMatch(/id="layaway-paid">\$100\.00/);
    const total = (await f.api('GET', `/api/v1/layaways/${id}`)).json().total_cents;
    expect(await balanceOf(f.t, 'customer_deposits')).toBe(-10000);

    const tooMuch = await c.postForm(`/layaways/${id}/payments`, { form_key: formKey(show.text), amount: '5000', tender_method: 'cash', register_session_id: f.sessionId });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.text).toMatch(/id="payment-amount-error">Layaway L-000001 has \$[\d,.]+ left to pay\./);
    const early = await c.postForm(`/layaways/${id}/pickup`, { form_key: formKey(show.text) });
    expect(early.status).toBe(409);
    expect(early.text).toContain('left to pay');

    const rest = ((total - 10000) / 100).toFixed(2);
    const paid = await c.postForm(`/layaways/${id}/payments`, { form_key: formKey((await c.get(`/layaways/${id}`)).text), amount: rest, tender_method: 'check', tender_reference: '5150', register_session_id: f.sessionId });
    expect(paid.status).toBe(303);
    const ready = await c.get(`/layaways/${id}`);
    expect(ready.text).toContain('Record pickup');
    const picked = await c.postForm(`/layaways/${id}/pickup`, { form_key: formKey(ready.text) });
    expect(picked.status).toBe(303);
    const after = await c.get(`/layaways/${id}`);
    expect(after.text).toContain('Picked up');
    expect(after.text).toMatch(/Picked up on<\/dt><dd><a href="\/sales\/[0-9a-f-]+">S-000003/);
    expect(await balanceOf(f.t, 'customer_deposits')).toBe(0);

    // A second layaway, cancelled to store credit.
    const second = await c.postForm('/layaways', { form_key: formKey((await c.get('/layaways/new')).text), account: accountNumber, item_0: 'TUN-1', amount: '10', tender_method: 'cash', register_session_id: f.sessionId });
    const id2 = idFrom(second.headers.get('location'));
    const noReason = await c.postForm(`/layaways/${id2}/cancel`, { form_key: formKey((await c.get(`/layaways/${id2}`)).text), reason: '', refund: 'store_credit' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toMatch(/id="cancel-reason-error">Say why it is cancelled/);
    const cancelled = await c.postForm(`/layaways/${id2}/cancel`, { form_key: formKey((await c.get(`/layaways/${id2}`)).text), reason: 'Changed their mind', refund: 'store_credit' });
    expect(cancelled.status).toBe(303);
    expect(netByAccount(await entryFor(f.t, id2))).toEqual({ customer_deposits: 1000, store_credit_liability: -1000 });
    expect((await c.get(`/layaways/${id2}`)).text).toContain('Cancelled');

    const third = await c.postForm('/layaways', { form_key: formKey((await c.get('/layaways/new')).text), account: accountNumber, item_0: 'STR-10' });
    expect(third.status).toBe(303);
    const aging = await c.get('/layaways/aging');
    expect(aging.status).toBe(200);
    expect(aging.text).toContain('L-000003');
    expect(aging.text).not.toContain('L-000001');
    const list = await c.get('/layaways?status=picked_up');
    expect(list.text).toContain('L-000001');
    expect(list.text).not.toContain('L-000003');
    expect((await c.get('/layaways/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

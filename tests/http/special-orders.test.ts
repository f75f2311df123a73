import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { ownerToken } from '../helpers';
import { balanceOf, countRows, entryFor, netByAccount, posFixture, type PosFixture } from '../pos/fixture';

let f: PosFixture;
let supplierId: string;
beforeEach(async () => {
  f = await posFixture();
  const s = await f.api('POST', '/api/v1/suppliers', { name: 'Brass Wholesale' });
  expect(s.status).toBe(201);
  supplierId = s.json().id;
});

const cash = (cents: number) => ({ register_session_id: f.sessionId, tenders: [{ method: 'cash', amount_cents: cents }] });
const storeCredit = async () => Number((await f.t.deps.db.execute<{ s: string }>(sql`select coalesce(sum(amount_cents), 0) as s from store_credit_entries where account_id = ${f.accountId}`))[0].s);

describe('special orders API', () => {
  test('tuners ordered for a customer: deposit held, put on a new draft PO, received → arrived, completed paying deposit + cash; revenue, tax and COGS at completion', async () => {
    const res = await f.api('POST', '/api/v1/special-orders', { account_id: f.accountId, product_id: f.tuner.id, quantity: 2, note: 'Two red ones', deposit: { amount_cents: 2000, ...cash(2000) } });
    expect(res.status).toBe(201);
    const so = res.json();
    expect(so).toMatchObject({ number: 'SO-000001', status: 'open', quantity: 2, unit_price_cents: 2495, total_cents: 4990, deposit_cents: 2000, purchase_order: null });
    expect(netByAccount(await entryFor(f.t, so.deposit_sale_id))).toEqual({ cash_drawer: 2000, customer_deposits: -2000 });

    const early = await f.api('POST', `/api/v1/special-orders/${so.id}/complete`, cash(5000));
    expect(early.status).toBe(409);
    expect(early.json().error.message).toContain("hasn't arrived yet");

    const ordered = await f.api('POST', `/api/v1/special-orders/${so.id}/order`, { supplier_id: supplierId });
    expect(ordered.status).toBe(200);
    expect(ordered.json()).toMatchObject({ status: 'ordered', purchase_order: { number: 'PO-000001', status: 'draft', line_quantity_ordered: 2, line_quantity_received: 0 } });
    const po = (await f.api('GET', `/api/v1/purchase-orders/${ordered.json().purchase_order.id}`)).json();
    expect(po.lines).toEqual([expect.objectContaining({ product_id: f.tuner.id, quantity_ordered: 2, unit_cost_cents: 1100, note: 'Special order SO-000001 — Rivera Family' })]);
    expect((await f.api('POST', `/api/v1/special-orders/${so.id}/order`, { supplier_id: supplierId })).status).toBe(409);

    expect((await f.api('POST', `/api/v1/purchase-orders/${po.id}/order`)).status).toBe(200);
    const received = await f.api('POST', `/api/v1/purchase-orders/${po.id}/receipts`, { lines: [{ line_id: po.lines[0].id, quantity: 2 }] });
    expect(received.status).toBe(201);
    const arrived = (await f.api('GET', '/api/v1/special-orders?status=received')).json();
    expect(arrived.data.map((r: any) => r.number)).toEqual(['SO-000001']);
    expect(arrived.data[0].received_at).not.toBeNull();

    // Net $49.90, tax $4.43, total $54.33: the $20.00 deposit plus $34.33 cash.
    const short = await f.api('POST', `/api/v1/special-orders/${so.id}/complete`, cash(3000));
    expect(short.status).toBe(422);
    const done = await f.api('POST', `/api/v1/special-orders/${so.id}/complete`, cash(3433), { headers: { 'idempotency-key': 'so-complete-1' } });
    expect(done.status).toBe(200);
    expect(done.json()).toMatchObject({ status: 'completed', sale: { total_cents: 5433 } });
    const again = await f.api('POST', `/api/v1/special-orders/${so.id}/complete`, cash(3433), { headers: { 'idempotency-key': 'so-complete-1' } });
    expect(again.json().sale.id).toBe(done.json().sale.id);
    const sale = (await f.api('GET', `/api/v1/sales/${done.json().sale.id}`)).json();
    expect(sale.tenders.map((t: any) => [t.method, t.amount_cents])).toEqual([['deposit', 2000], ['cash', 3433]]);
    expect(netByAccount(await entryFor(f.t, sale.id))).toEqual({ customer_deposits: 2000, cash_drawer: 3433, sales: -4990, sales_tax_payable: -443, cogs: 2200, inventory: -2200 });
    expect(await balanceOf(f.t, 'customer_deposits')).toBe(0);
    expect((await f.api('GET', `/api/v1/products/${f.tuner.id}/stock`)).json().quantity_on_hand).toBe(5);
    expect((await f.api('POST', `/api/v1/special-orders/${so.id}/cancel`, { reason: 'too late' })).status).toBe(409);
  });

  test('a draft PO line a special order waits on can be neither removed nor replaced', async () => {
    const po = (await f.api('POST', '/api/v1/purchase-orders', { supplier_id: supplierId, lines: [{ product_id: f.tuner.id, quantity: 1, unit_cost_cents: 1100 }] })).json();
    const so = (await f.api('POST', '/api/v1/special-orders', { account_id: f.accountId, product_id: f.tuner.id })).json();
    const link = await f.api('POST', `/api/v1/special-orders/${so.id}/order`, { purchase_order_line_id: po.lines[0].id });
    expect(link.status).toBe(200);
    const removed = await f.api('DELETE', `/api/v1/purchase-orders/${po.id}/lines/${po.lines[0].id}`);
    expect(removed.status).toBe(409);
    expect(removed.json().error.message).toContain(so.number);
    const replaced = await f.api('PATCH', `/api/v1/purchase-orders/${po.id}`, { lines: [{ product_id: f.strings.id, quantity: 1, unit_cost_cents: 300 }] });
    expect(replaced.status).toBe(409);
    expect((await f.api('GET', `/api/v1/purchase-orders/${po.id}`)).json().lines.map((l: any) => l.id)).toEqual([po.lines[0].id]);
  });

  test('serialized orders on an open PO line: each takes its share of what is received; completion needs the unit', async () => {
    const po = (await f.api('POST', '/api/v1/purchase-orders', { supplier_id: supplierId, lines: [{ product_id: f.trumpet.id, quantity: 2, unit_cost_cents: 50000 }] })).json();
    const lineId = po.lines[0].id;
    expect((await f.api('POST', `/api/v1/purchase-orders/${po.id}/order`)).status).toBe(200);
    const a = (await f.api('POST', '/api/v1/special-orders', { account_id: f.accountId, product_id: f.trumpet.id })).json();
    const b = (await f.api('POST', '/api/v1/special-orders', { account_id: f.schoolId, product_id: f.trumpet.id })).json();
    const c = (await f.api('POST', '/api/v1/special-orders', { account_id: f.schoolId, product_id: f.trumpet.id })).json();
    expect((await f.api('POST', `/api/v1/special-orders/${a.id}/order`, { purchase_order_line_id: lineId })).status).toBe(200);
    expect((await f.api('POST', `/api/v1/special-orders/${b.id}/order`, { purchase_order_line_id: lineId })).status).toBe(200);
    const full = await f.api('POST', `/api/v1/special-orders/${c.id}/order`, { purchase_order_line_id: lineId });
    expect(full.status).toBe(409);
    expect(full.json().error.fields.purchase_order_line_id).toBeDefined();
    const wrong = await f.api('POST', `/api/v1/special-orders/${c.id}/order`, { purchase_order_line_id: (await f.api('POST', '/api/v1/purchase-orders', { supplier_id: supplierId, lines: [{ product_id: f.tuner.id, quantity: 1, unit_cost_cents: 1100 }] })).json().lines[0].id });
    expect(wrong.status).toBe(422);

    await f.api('POST', `/api/v1/purchase-orders/${po.id}/receipts`, { lines: [{ line_id: lineId, quantity: 1, serials: ['TR-2001'] }] });
    expect((await f.api('GET', `/api/v1/special-orders/${a.id}`)).json().status).toBe('received');
    expect((await f.api('GET', `/api/v1/special-orders/${b.id}`)).json().status).toBe('ordered');
    const unit = (await f.api('GET', '/api/v1/units?q=TR-2001')).json().data[0];

    const noUnit = await f.api('POST', `/api/v1/special-orders/${a.id}/complete`, { tenders: [{ method: 'external_card', amount_cents: 97879, last4: '4242', auth_code: 'A1' }] });
    expect(noUnit.status).toBe(422);
    expect(noUnit.json().error.fields.unit_ids).toBeDefined();
    const done = await f.api('POST', `/api/v1/special-orders/${a.id}/complete`, { unit_ids: [unit.id], tenders: [{ method: 'external_card', amount_cents: 97879, last4: '4242', auth_code: 'A1' }] });
    expect(done.status).toBe(200);
    expect(netByAccount(await entryFor(f.t, done.json().sale.id))).toEqual({ card_clearing_external: 97879, sales: -89900, sales_tax_payable: -7979, cogs: 50000, inventory: -50000 });
    expect((await f.api('GET', `/api/v1/units/${unit.id}`)).json().status).toBe('sold');

    await f.api('POST', `/api/v1/purchase-orders/${po.id}/receipts`, { lines: [{ line_id: lineId, quantity: 1, serials: ['TR-2002'] }] });
    expect((await f.api('GET', `/api/v1/special-orders/${b.id}`)).json().status).toBe('received');
    // An order with no Forte PO is marked arrived by hand.
    expect((await f.api('POST', `/api/v1/special-orders/${c.id}/arrived`, { note: 'Bought at the trade show' })).json().status).toBe('received');
  });

  test('cancel: the deposit goes to store credit (Dr Customer deposits / Cr Store credit liability)', async () => {
    const so = (await f.api('POST', '/api/v1/special-orders', { account_id: f.accountId, product_id: f.trumpet.id, deposit: { amount_cents: 5000, ...cash(5000) } })).json();
    const more = await f.api('POST', `/api/v1/special-orders/${so.id}/deposits`, { amount_cents: 2500, ...cash(2500) });
    expect(more.status).toBe(201);
    expect(more.json()).toMatchObject({ deposit_cents: 7500, deposits: [expect.objectContaining({ amount_cents: 5000 }), expect.objectContaining({ amount_cents: 2500 })] });
    const cancel = await f.api('POST', `/api/v1/special-orders/${so.id}/cancel`, { reason: 'Found one elsewhere' });
    expect(cancel.status).toBe(200);
    expect(cancel.json().status).toBe('cancelled');
    expect(netByAccount(await entryFor(f.t, so.id))).toEqual({ customer_deposits: 7500, store_credit_liability: -7500 });
    expect(await storeCredit()).toBe(7500);
    expect(await balanceOf(f.t, 'customer_deposits')).toBe(0);
    expect((await f.api('POST', `/api/v1/special-orders/${so.id}/deposits`, { amount_cents: 100, ...cash(100) })).status).toBe(409);
  });

  test('bad input is 4xx and writes nothing', async () => {
    const so = (await f.api('POST', '/api/v1/special-orders', { account_id: f.accountId, product_id: f.tuner.id })).json();
    const cashier = await ownerToken(f.t, ['pos.sell']);
    const counts = async () => [await countRows(f.t, 'special_orders'), await countRows(f.t, 'sales'), await countRows(f.t, 'journal_entries'), await countRows(f.t, 'purchase_orders')];
    const before = await counts();
    const nobody = '00000000-0000-4000-8000-000000000000';
    const cases: [string, unknown, number, string?, string?][] = [
      ['/api/v1/special-orders', { account_id: f.accountId, product_id: nobody }, 422, 'product_id'],
      ['/api/v1/special-orders', { account_id: nobody, product_id: f.tuner.id }, 422, 'account_id'],
      ['/api/v1/special-orders', { account_id: f.accountId, product_id: f.tuner.id, quantity: -1 }, 422, 'quantity'],
      ['/api/v1/special-orders', { account_id: f.accountId, product_id: f.tuner.id, unit_price_cents: -1 }, 422, 'unit_price_cents'],
      ['/api/v1/special-orders', { account_id: f.accountId, product_id: f.tuner.id, deposit: { amount_cents: 2496, ...cash(2496) } }, 422, 'deposit.amount_cents'],
      ['/api/v1/special-orders', { account_id: f.accountId, product_id: f.tuner.id, unit_price_cents: 1500 }, 403, undefined, cashier],
      [`/api/v1/special-orders/${so.id}/deposits`, { amount_cents: 2496, ...cash(2496) }, 422, 'amount_cents'],
      [`/api/v1/special-orders/${so.id}/deposits`, { amount_cents: 0, ...cash(1) }, 422, 'amount_cents'],
      [`/api/v1/special-orders/${so.id}/order`, { purchase_order_line_id: nobody, supplier_id: supplierId }, 422, 'purchase_order_line_id'],
      [`/api/v1/special-orders/${so.id}/order`, { purchase_order_line_id: nobody }, 422, 'purchase_order_line_id'],
      [`/api/v1/special-orders/${so.id}/order`, { supplier_id: nobody }, 422, 'supplier_id'],
      [`/api/v1/special-orders/${so.id}/complete`, { tenders: [{ method: 'deposit', amount_cents: 100 }] }, 422, 'tenders.method'],
      [`/api/v1/special-orders/${so.id}/complete`, { tenders: [] }, 409],
      [`/api/v1/special-orders/${so.id}/cancel`, { reason: 'no', refund: 'gold' }, 422, 'refund'],
      [`/api/v1/special-orders/${nobody}/cancel`, { reason: 'gone away' }, 404],
      ['/api/v1/special-orders/SO-999999/arrived', {}, 404],
    ];
    for (const [path, body, status, field, tok] of cases) {
      const res = await f.api('POST', path, body, tok ? { tok } : {});
      if (res.status !== status) throw new Error(`${path} ${JSON.stringify(body)} -> ${res.status} ${res.text}`);
      expect(res.json().error).toBeDefined();
      if (field) expect(Object.keys(res.json().error.fields ?? {})).toContain(field);
    }
    expect((await f.api('GET', `/api/v1/special-orders/${nobody}`)).status).toBe(404);
    expect((await f.api('GET', '/api/v1/special-orders?status=lost')).status).toBe(400);
    expect(await counts()).toEqual(before);
    expect((await f.api('GET', `/api/v1/special-orders/${so.id}`)).json()).toMatchObject({ status: 'open', deposit_cents: 0 });
  });
});

describe('special order pages', () => {
  const formKey = (html: string) => /name="form_key" value="([^"]+)"/.exec(html)![1];

  test('make one with a deposit, put it on a new draft PO, receive it (arrived list), complete paying the rest; errors next to the fields', async () => {
    const { signIn } = await import('../helpers');
    const c = await signIn(f.t, 'owner1', 'owner password 1');
    const accountNumber = (await f.api('GET', `/api/v1/accounts/${f.accountId}`)).json().number;
    expect((await c.get('/special-orders')).text).toContain('No special orders yet.');
    const form = await c.get('/special-orders/new');
    expect(form.status).toBe(200);

    const bad = await c.postForm('/special-orders', { form_key: formKey(form.text), account: accountNumber, product: 'NOPE', quantity: '0', price: 'abc', amount: '' });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/id="so-product-error">No product with SKU or UPC NOPE\./);
    expect(bad.text).toMatch(/id="so-quantity-error">Quantity must be a whole number/);
    expect(bad.text).toMatch(/id="so-price-error">The price must be an amount like 12.50./);
    const tooMuch = await c.postForm('/special-orders', { form_key: formKey(form.text), account: accountNumber, product: 'TUN-1', amount: '30', tender_method: 'cash', register_session_id: f.sessionId });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.text).toMatch(/id="deposit-amount-error">The deposit can&#39;t be more than the order&#39;s price|id="deposit-amount-error">The deposit can't be more than the order's price/);
    expect(await countRows(f.t, 'special_orders')).toBe(0);

    const made = await c.postForm('/special-orders', { form_key: formKey(form.text), account: accountNumber, product: 'TUN-1', quantity: '2', note: 'Red ones', amount: '20', tender_method: 'cash', register_session_id: f.sessionId });
    expect(made.status).toBe(303);
    const id = made.headers.get('location')!.split('/').pop()!;
    const show = await c.get(`/special-orders/${id}`);
    expect(show.text).toContain('Special order SO-000001');
    expect(show.text).toMatch(/id="so-deposit">\$20\.00/);
    expect(show.text).toMatch(/id="so-due">\$34\.33/);
    expect(show.text).toContain('Brass Wholesale');

    const noChoice = await c.postForm(`/special-orders/${id}/order`, {});
    expect(noChoice.status).toBe(422);
    expect(noChoice.text).toMatch(/id="order-line-error">Choose an open PO line/);
    expect((await c.postForm(`/special-orders/${id}/order`, { supplier_id: supplierId, unit_cost: '10.50' })).status).toBe(303);
    const so = (await f.api('GET', `/api/v1/special-orders/${id}`)).json();
    expect(so).toMatchObject({ status: 'ordered', purchase_order: { number: 'PO-000001' } });
    const po = (await f.api('GET', `/api/v1/purchase-orders/${so.purchase_order.id}`)).json();
    expect(po.lines[0].unit_cost_cents).toBe(1050);
    await f.api('POST', `/api/v1/purchase-orders/${po.id}/receipts`, { lines: [{ line_id: po.lines[0].id, quantity: 2 }] });
    const list = await c.get('/special-orders');
    expect(list.text).toMatch(/id="arrived-alert">.*1 special order has arrived/s);
    expect((await c.get('/special-orders?status=received')).text).toContain('SO-000001');

    const ready = await c.get(`/special-orders/${id}`);
    expect(ready.text).toContain('Complete sale');
    const short = await c.postForm(`/special-orders/${id}/complete`, { form_key: formKey(ready.text), tender_method: 'external_card', tender_amount: '30.00', tender_last4: '4242', tender_auth_code: 'X9', register_session_id: f.sessionId });
    expect(short.status).toBe(422);
    expect(short.text).toMatch(/id="complete-tendered-error">The tenders don&#39;t cover the total|id="complete-tendered-error">The tenders don't cover the total/);
    const done = await c.postForm(`/special-orders/${id}/complete`, { form_key: formKey(ready.text), tender_method: 'external_card', tender_amount: '34.33', tender_last4: '4242', tender_auth_code: 'X9', register_session_id: f.sessionId });
    expect(done.status).toBe(303);
    const after = await c.get(`/special-orders/${id}`);
    expect(after.text).toContain('Completed on');
    const saleId = (await f.api('GET', `/api/v1/special-orders/${id}`)).json().completed_sale_id;
    expect(netByAccount(await entryFor(f.t, saleId))).toMatchObject({ customer_deposits: 2000, card_clearing_external: 3433, sales: -4990, sales_tax_payable: -443 });

    // Another order, cancelled with its deposit to store credit.
    const second = await c.postForm('/special-orders', { form_key: formKey((await c.get('/special-orders/new')).text), account: accountNumber, product: 'TR-200', amount: '50', tender_method: 'cash', register_session_id: f.sessionId });
    const id2 = second.headers.get('location')!.split('/').pop()!;
    const cancelled = await c.postForm(`/special-orders/${id2}/cancel`, { form_key: formKey((await c.get(`/special-orders/${id2}`)).text), reason: 'Found one used', refund: 'store_credit' });
    expect(cancelled.status).toBe(303);
    expect(await storeCredit()).toBe(5000);
    expect((await c.get(`/special-orders/${id2}`)).text).toContain('Cancelled');
    expect((await c.get('/special-orders/SO-999999')).status).toBe(404);
  });
});

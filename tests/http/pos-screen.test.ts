import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { addStaff, signIn, type TestClient, type TestResponse } from '../helpers';
import { countRows, entryFor, netByAccount, posFixture, type PosFixture } from '../pos/fixture';
import { cliActor } from '../../src/features/audit/service';
import { updateStaff } from '../../src/features/staff/service';

/**
 * The sale screen over HTTP (docs/pos-screen.md): the register picker, scans, line edits, the manager PIN,
 * park/resume, tenders and checkout through the draft's one-time key. Money checks use the same numbers as the
 * sales API acceptance test (pos.md): strings $8.99 × 2 + tuner $24.95 with 10% off = $44.02.
 */

let f: PosFixture;
let owner: TestClient;

beforeEach(async () => {
  f = await posFixture();
  owner = await signIn(f.t, 'owner1', 'owner password 1');
  await owner.get('/');
});

const HX = { 'hx-request': 'true' };

async function pickRegister(c: TestClient, registerId = f.registerId) {
  await c.get('/pos'); // the picker (and the CSRF token of this session)
  const res = await c.postForm('/pos/register', { register_id: registerId });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/pos');
  return c.get('/pos');
}

const scan = (c: TestClient, code: string, headers: Record<string, string> = {}) => c.postForm('/pos/scan', { code }, { headers });
const idText = (html: string, id: string) => new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1]?.trim() ?? null;
const lineIds = (html: string) => [...html.matchAll(/<tr class="pos-line[^"]*" data-line-id="([a-z0-9]+)"/g)].map((m) => m[1]);
function checkoutFields(html: string) {
  const draft = /name="draft_id" value="([^"]+)"/.exec(html);
  const key = /name="checkout_key" value="([^"]+)"/.exec(html);
  expect(draft).not.toBeNull();
  expect(key).not.toBeNull();
  return { draft_id: draft![1], checkout_key: key![1] };
}
const fieldError = (html: string, id: string) => new RegExp(`id="${id}-error">([^<]*)<`).exec(html)?.[1] ?? null;
const stockOf = async (productId: string) => (await f.api('GET', `/api/v1/products/${productId}/stock`)).json().quantity_on_hand as number;

/** Rings up the acceptance basket on `c`: strings × 2 (UPC then SKU), tuner with 10% off. Returns the page. */
async function acceptanceBasket(c: TestClient, opts: { firstScanned?: boolean } = {}): Promise<TestResponse> {
  if (!opts.firstScanned) expect((await scan(c, '0123456789012')).status).toBe(303);
  expect((await scan(c, 'str-10')).status).toBe(303);
  expect((await scan(c, 'TUN-1')).status).toBe(303);
  const page = await c.get('/pos');
  const [strings, tuner] = lineIds(page.text);
  expect(strings).toBeDefined();
  const edit = await c.postForm(`/pos/lines/${tuner}`, { line_id: tuner, quantity: '1', price: '', discount: '10%' });
  expect(edit.status).toBe(303);
  return c.get('/pos');
}

async function payCash(c: TestClient, amount: string) {
  const res = await c.postForm('/pos/tenders', { method: 'cash', amount });
  expect(res.status).toBe(303);
  return c.get('/pos');
}

describe('register choice', () => {
  test('the picker lists registers with an open drawer; the choice is remembered; a closed drawer says where to open it', async () => {
    const picker = await owner.get('/pos');
    expect(picker.status).toBe(200);
    expect(picker.text).toContain('Sell on Register 1');
    expect(picker.text).toContain('DS-000001');

    const bad = await owner.postForm('/pos/register', { register_id: 'not-a-register' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Choose one of the registers listed.');

    const screen = await pickRegister(owner);
    expect(screen.text).toContain('id="pos-screen"');
    expect(screen.text).toContain('Register 1 · DS-000001');
    expect(screen.text).toMatch(/id="pos-code"[^>]*autofocus/);

    await f.api('POST', `/api/v1/register-sessions/${f.sessionId}/close`, { cash_denominations: { '2000': 5, '1000': 4, '500': 2 }, checks_cents: 0 });
    const closed = await owner.get('/pos');
    expect(closed.status).toBe(200);
    expect(idText(closed.text, 'pos-register-problem')).toContain('The drawer of Register 1 is closed');
    expect(closed.text).toContain('No register has an open drawer.');
    expect(closed.text).toContain('href="/registers"');
  });

  test('the screen needs pos.sell; forms need the CSRF token', async () => {
    await addStaff(f.t, 'tech1', ['technician']);
    const tech = await signIn(f.t, 'tech1', 'staff password 123');
    expect((await tech.get('/pos')).status).toBe(403);
    await tech.get('/');
    expect((await tech.postForm('/pos/scan', { code: '0123456789012' })).status).toBe(403);
    expect((await tech.postForm('/pos/register', { register_id: f.registerId })).status).toBe(403);
    await pickRegister(owner);
    const noCsrf = await owner.postForm('/pos/scan', { code: '0123456789012' }, { csrf: null });
    expect(noCsrf.status).toBe(403);
    expect(await countRows(f.t, 'sale_drafts')).toBe(0);
  });
});

describe('scanning', () => {
  test('UPC and SKU add stock lines (same product again = quantity +1); totals are priceSale\'s, tax included', async () => {
    await pickRegister(owner);
    const first = await scan(owner, '0123456789012', HX);
    expect(first.status).toBe(200);
    expect(first.text.startsWith('<div id="pos-screen"')).toBe(true);
    expect(first.text).not.toContain('<html');
    expect(first.text).toContain('Added Guitar strings 10-46 ($8.99).');
    const page = await acceptanceBasket(owner, { firstScanned: true });
    expect(lineIds(page.text)).toHaveLength(2);
    expect(idText(page.text, 'pos-subtotal')).toBe('$42.93');
    expect(idText(page.text, 'pos-discounts')).toBe('−$2.50');
    expect(idText(page.text, 'pos-tax')).toBe('$3.59');
    expect(idText(page.text, 'pos-total')).toBe('$44.02');
    expect(idText(page.text, 'pos-remaining')).toBe('$44.02');
    // Nothing financial is written while ringing up.
    expect(await countRows(f.t, 'sales')).toBe(0);
    expect(await stockOf(f.strings.id)).toBe(20);
  });

  test('serial, gift card, sale number and search scans', async () => {
    await pickRegister(owner);
    // A serialized product's SKU lists its available units; the serial adds that unit.
    const pick = await scan(owner, 'TR-200');
    expect(pick.status).toBe(200);
    expect(pick.text).toContain('Student trumpet');
    expect(pick.text).toContain('pick the unit');
    expect(pick.text).toContain(`name="unit_id" value="${f.unitId}"`);
    expect(await countRows(f.t, 'sale_drafts')).toBe(0);

    const bySerial = await scan(owner, 'tr-1001');
    expect(bySerial.status).toBe(303);
    const again = await scan(owner, 'TR-1001');
    expect(again.status).toBe(422);
    expect(fieldError(again.text, 'pos-code')).toBe('Unit TR-1001 is already on this sale.');

    // A gift card number shows the balance with a reload form.
    const card = await f.api('POST', '/api/v1/gift-cards', { number: 'GC-500100', amount_cents: 2500, register_session_id: f.sessionId, tenders: [{ method: 'cash', amount_cents: 2500 }] });
    expect(card.status).toBe(201);
    const gc = await scan(owner, 'gc-500100');
    expect(gc.status).toBe(200);
    expect(idText(gc.text, 'pos-gift-card-balance')).toBe('$25.00');
    expect(gc.text).toContain('Reload card');
    expect(gc.text).toMatch(/id="pos-reload-amount"[^>]*autofocus/);
    expect(gc.text).not.toMatch(/id="pos-code"[^>]*autofocus/);
    // Reload it from there: a gift-card line for that number.
    expect((await owner.postForm('/pos/gift-card', { gift_card_number: 'GC-500100', gift_card_amount: '10' })).status).toBe(303);
    expect((await owner.get('/pos')).text).toContain('Gift card GC-500100');

    // A sale number links to the sale; an unknown one says so.
    const saleNo = await scan(owner, card.json().sale_number.toLowerCase());
    expect(saleNo.text).toContain(`href="/sales/${card.json().sale_id}" id="pos-sale-link">${card.json().sale_number}`);
    expect((await scan(owner, 'S-999999')).text).toContain('No sale S-999999.');

    // Anything else searches products and customer accounts.
    const search = await scan(owner, 'Rivera');
    expect(search.status).toBe(200);
    expect(search.text).toContain('Customers');
    expect(search.text).toContain(`name="account_id" value="${f.accountId}"`);
    const products = await scan(owner, 'tuner');
    expect(products.text).toContain(`name="product_id" value="${f.tuner.id}"`);
    expect((await scan(owner, 'zzqqxx')).text).toContain('Nothing found for “zzqqxx”.');
    expect((await scan(owner, 'x'.repeat(101))).status).toBe(422);
  });

  test('serialized sale needs the unit and a customer; detach and attach change the screen', async () => {
    await pickRegister(owner);
    const added = await owner.postForm('/pos/lines', { unit_id: f.unitId });
    expect(added.status).toBe(303);
    let page = await owner.get('/pos');
    expect(idText(page.text, 'pos-problem')).toBe('A serialized sale needs a customer account (warranty and passport).');
    expect(idText(page.text, 'pos-total')).toBe('—');
    const { draft_id, checkout_key } = checkoutFields(page.text);
    const refused = await owner.postForm('/pos/checkout', { draft_id, checkout_key });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('A serialized sale needs a customer account');
    expect(await countRows(f.t, 'sales')).toBe(0);

    // Customer search (htmx fragment) and attach.
    const hits = await owner.get('/pos/customers?q=555-0100', { ...HX });
    expect(hits.status).toBe(200);
    expect(hits.text).toContain('Rivera Family');
    expect(hits.text).not.toContain('<html');
    expect((await owner.postForm('/pos/customer', { account_id: f.accountId })).status).toBe(303);
    page = await owner.get('/pos');
    expect(page.text).not.toContain('id="pos-problem"');
    expect(idText(page.text, 'pos-customer-balance')).toBe('$0.00');
    expect(idText(page.text, 'pos-customer-credit')).toBe('$0.00');
    expect(idText(page.text, 'pos-customer-tax')).toBe('Taxable');
    expect(idText(page.text, 'pos-total')).toBe('$978.79');

    // The tax-exempt school: no tax, the certificate shows.
    expect((await owner.postForm('/pos/customer/detach', {})).status).toBe(303);
    expect((await owner.postForm('/pos/customer', { account_id: f.schoolId })).status).toBe(303);
    page = await owner.get('/pos');
    expect(page.text).toContain('EX-12345');
    expect(idText(page.text, 'pos-total')).toBe('$899.00');
  });
});

describe('line edits and the manager PIN', () => {
  test('bad quantity, price and discount are refused next to the field; nothing changes', async () => {
    await pickRegister(owner);
    await scan(owner, 'TUN-1');
    const [line] = lineIds((await owner.get('/pos')).text);
    const before = (await f.t.deps.db.execute<{ data: unknown }>(sql`select data from sale_drafts`))[0].data;
    for (const [fields, id, message] of [
      [{ quantity: 'abc' }, `q-${line}`, 'Quantity must be a whole number from 1 to 9999.'],
      [{ quantity: '0' }, `q-${line}`, 'Quantity must be a whole number from 1 to 9999.'],
      [{ price: '12.345' }, `pr-${line}`, 'The price must be an amount like 12.50.'],
      [{ discount: '120%' }, `d-${line}`, 'A percent discount is more than 0% and at most 100%, like 10% or 12.5%.'],
      [{ discount: 'lots' }, `d-${line}`, 'Type a discount like 10% (percent) or 2.50 (amount).'],
    ] as const) {
      const res = await owner.postForm(`/pos/lines/${line}`, Object.assign({ line_id: line, quantity: '1', price: '', discount: '' }, fields));
      expect(res.status).toBe(422);
      expect(fieldError(res.text, id)).toBe(message);
    }
    const after = (await f.t.deps.db.execute<{ data: unknown }>(sql`select data from sale_drafts`))[0].data;
    expect(after).toEqual(before);
    // A good edit: quantity 3, removing works.
    expect((await owner.postForm(`/pos/lines/${line}`, { line_id: line, quantity: '3', price: '', discount: '' })).status).toBe(303);
    expect(idText((await owner.get('/pos')).text, 'pos-subtotal')).toBe('$74.85');
    expect((await owner.postForm(`/pos/lines/${line}/remove`, { line_id: line })).status).toBe(303);
    expect(lineIds((await owner.get('/pos')).text)).toEqual([]);
  });

  test('a cashier\'s 20% discount needs a manager\'s PIN: prompt, wrong PIN next to the field, approval stored, sale records the approver', async () => {
    await addStaff(f.t, 'cashier1', ['cashier']);
    const manager = await addStaff(f.t, 'manager1', ['manager']);
    await f.t.deps.db.transaction((tx) => updateStaff(tx, cliActor('test'), manager.id, { pin: '4321' }));
    const cashier = await signIn(f.t, 'cashier1', 'staff password 123');
    await pickRegister(cashier);
    // The tuner has a $20.00 minimum price: 20% off it is below the minimum.
    await scan(cashier, 'TUN-1');
    const [tunerLine] = lineIds((await cashier.get('/pos')).text);
    const belowMin = await cashier.postForm(`/pos/lines/${tunerLine}`, { line_id: tunerLine, quantity: '1', price: '', discount: '20%' }, { headers: HX });
    expect(belowMin.text).toContain('A price below the minimum needs a manager&#39;s approval (PIN).');
    await cashier.postForm(`/pos/lines/${tunerLine}/remove`, { line_id: tunerLine });

    await scan(cashier, '0123456789012');
    const [line] = lineIds((await cashier.get('/pos')).text);
    const asked = await cashier.postForm(`/pos/lines/${line}`, { line_id: line, quantity: '1', price: '', discount: '20%' }, { headers: HX });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('A discount above your limit needs a manager&#39;s approval (PIN).');
    expect(asked.text).toMatch(/<option value="manager1"[^>]*>MANAGER1 \(manager1\)<\/option>/);
    expect(asked.text).toMatch(/id="pos-approver-pin"[^>]*autofocus/);
    // The total it will be once approved shows as pending; no payment can be taken yet.
    expect(asked.text).toMatch(/pending approval<\/span><\/dt><dd id="pos-total">\$7\.83</);
    expect(asked.text).not.toContain('id="pos-tender-amount"');
    const noPay = await cashier.postForm('/pos/tenders', { method: 'cash', amount: '10' });
    expect(noPay.status).toBe(403);

    // Checkout is refused until approved.
    const { draft_id, checkout_key } = checkoutFields(asked.text);
    const early = await cashier.postForm('/pos/checkout', { draft_id, checkout_key });
    expect(early.status).toBe(403);
    expect(await countRows(f.t, 'sales')).toBe(0);

    const wrong = await cashier.postForm('/pos/approve', { approver_username: 'manager1', approver_pin: '0000' });
    expect(wrong.status).toBe(403);
    expect(fieldError(wrong.text, 'pos-approver-pin')).toBe('Wrong username or PIN.');
    const malformed = await cashier.postForm('/pos/approve', { approver_username: 'manager1', approver_pin: '12' });
    expect(malformed.status).toBe(400);
    expect(fieldError(malformed.text, 'pos-approver-pin')).toBe('PIN must be 4 to 6 digits.');

    const ok = await cashier.postForm('/pos/approve', { approver_username: 'manager1', approver_pin: '4321' });
    expect(ok.status).toBe(303);
    let page = await cashier.get('/pos');
    expect(page.text).toContain('Discounts approved by MANAGER1.');
    expect(page.text).not.toContain('id="pos-approval"');
    expect(idText(page.text, 'pos-total')).toBe('$7.83'); // 8.99 − 1.80 = 7.19 + 0.64 tax

    // Scanning another (undiscounted) item keeps the approval; changing the discount drops it.
    await scan(cashier, 'TUN-1');
    page = await cashier.get('/pos');
    expect(page.text).toContain('Discounts approved by MANAGER1.');
    await cashier.postForm(`/pos/lines/${line}`, { line_id: line, quantity: '1', price: '', discount: '25%' });
    page = await cashier.get('/pos');
    expect(page.text).toContain('id="pos-approval"');
    await cashier.postForm(`/pos/lines/${line}`, { line_id: line, quantity: '1', price: '', discount: '20%' });
    expect((await cashier.postForm('/pos/approve', { approver_username: 'manager1', approver_pin: '4321' })).status).toBe(303);
    page = await cashier.get('/pos');
    expect(idText(page.text, 'pos-total')).toBe('$34.99'); // (7.19 + 24.95) + 2.85 tax

    const paid = await payCash(cashier, '40');
    expect(idText(paid.text, 'pos-change')).toBe('$5.01');
    const done = await cashier.postForm('/pos/checkout', checkoutFields(paid.text));
    expect(done.status).toBe(303);
    const saleId = /^\/sales\/([0-9a-f-]{36})\/receipt$/.exec(done.headers.get('location')!)![1];
    const sale = (await f.api('GET', `/api/v1/sales/${saleId}`)).json();
    expect(sale.total_cents).toBe(3499);
    expect(sale.discounts).toEqual([expect.objectContaining({ label: 'Discount', amount_cents: 180, applied_by: 'cashier1', approved_by: 'manager1', reasons: ['above_user_limit'] })]);
    const [audit] = await f.t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'pos.discount.approve'`);
    expect(audit.n).toBe(2);
  });
});

describe('order discount and named discounts', () => {
  test('percent and named order discounts come from the core\'s pricing; a role without pos.discount is refused', async () => {
    const [teacher] = await f.t.deps.db.execute<{ id: string }>(sql`insert into named_discounts (name, kind, percent_millipercent) values ('Teacher 15%', 'percent', 15000) returning id`);
    await pickRegister(owner);
    await acceptanceBasket(owner);
    const [, tuner] = lineIds((await owner.get('/pos')).text);
    // Back to no line discount, then 10% off the order.
    await owner.postForm(`/pos/lines/${tuner}`, { line_id: tuner, quantity: '1', price: '', discount: '' });
    expect((await owner.postForm('/pos/order-discount', { order_discount: '10%', order_named_discount_id: '' })).status).toBe(303);
    let page = await owner.get('/pos');
    expect(idText(page.text, 'pos-discounts')).toBe('−$4.29');
    expect(idText(page.text, 'pos-total')).toBe('$42.07');
    const both = await owner.postForm('/pos/order-discount', { order_discount: '5%', order_named_discount_id: teacher.id });
    expect(both.status).toBe(422);
    expect(fieldError(both.text, 'pos-order-discount')).toBe('Give a named discount or a typed one, not both.');
    const unknown = await owner.postForm('/pos/order-discount', { order_discount: '', order_named_discount_id: f.accountId });
    expect(fieldError(unknown.text, 'pos-order-named')).toBe('Pick one of the named discounts.');
    expect((await owner.postForm('/pos/order-discount', { order_discount: '', order_named_discount_id: teacher.id })).status).toBe(303);
    page = await owner.get('/pos');
    expect(page.text).toContain('Teacher 15%: −$6.44');
    expect(idText(page.text, 'pos-total')).toBe('$39.73');
    // A named discount on a line.
    await owner.postForm('/pos/order-discount', { order_discount: '', order_named_discount_id: '' });
    expect((await owner.postForm(`/pos/lines/${tuner}`, { line_id: tuner, quantity: '1', price: '', discount: '', named_discount_id: teacher.id })).status).toBe(303);
    page = await owner.get('/pos');
    expect(idText(page.text, 'pos-discounts')).toBe('−$3.74');
    expect(page.text).toContain('TUN-1 · Teacher 15% off');

    // The rental manager role sells but may not discount.
    await addStaff(f.t, 'rentals1', ['rental_manager']);
    const rentals = await signIn(f.t, 'rentals1', 'staff password 123');
    await pickRegister(rentals);
    await scan(rentals, 'TUN-1');
    const [line] = lineIds((await rentals.get('/pos')).text);
    const refused = await rentals.postForm(`/pos/lines/${line}`, { line_id: line, quantity: '1', price: '', discount: '5%' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Your role can&#39;t give discounts (pos.discount). Ask a manager.');
    expect((await rentals.postForm('/pos/order-discount', { order_discount: '5%' })).status).toBe(403);
    // A price override is not a discount by role, but below the minimum it needs a manager.
    expect((await rentals.postForm(`/pos/lines/${line}`, { line_id: line, quantity: '1', price: '19.00', discount: '' })).status).toBe(303);
    expect((await rentals.get('/pos')).text).toContain('A price below the minimum needs a manager&#39;s approval (PIN).');
  });
});

describe('park and resume', () => {
  test('park with a label, list, resume on another register; a parked sale holds no stock; refusals', async () => {
    await pickRegister(owner);
    const empty = await owner.postForm('/pos/park', { park_label: '' });
    expect(empty.status).toBe(422);
    expect(idText(empty.text.slice(empty.text.indexOf('id="pos-notice"')), 'pos-notice')).toBe('');
    expect(empty.text).toMatch(/<div id="pos-notice"[^>]*>\s*<div class="alert alert-error" role="alert"><p class="alert-body">Nothing to park: the sale is empty.<\/p>/);

    await scan(owner, '0123456789012');
    await scan(owner, '0123456789012');
    expect((await owner.postForm('/pos/park', { park_label: 'Mrs. Lee' })).status).toBe(303);
    const cleared = await owner.get('/pos');
    expect(lineIds(cleared.text)).toEqual([]);
    expect(cleared.text).toMatch(/Parked sales <span class="badge[^"]*">1<\/span>/);
    expect(await stockOf(f.strings.id)).toBe(20);

    const list = await owner.get('/pos/parked');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Mrs. Lee');
    expect(list.text).toContain('2 items');
    const [{ id }] = await f.t.deps.db.execute<{ id: string }>(sql`select id from sale_drafts where status = 'parked'`);

    // Another register (its own drawer) resumes it; the current ticket must be empty first.
    const reg2 = (await f.api('POST', '/api/v1/registers', { name: 'Register 2' })).json();
    expect((await f.api('POST', `/api/v1/registers/${reg2.id}/sessions`, { float_denominations: { '2000': 5 } })).status).toBe(201);
    await pickRegister(owner, reg2.id);
    await scan(owner, 'TUN-1');
    const busy = await owner.postForm(`/pos/parked/${id}/resume`, {});
    expect(busy.status).toBe(409);
    expect(busy.text).toContain('The current sale has items: park it or finish it before resuming another.');
    await owner.postForm('/pos/new', {});
    expect((await owner.postForm(`/pos/parked/${id}/resume`, {})).status).toBe(303);
    const resumed = await owner.get('/pos');
    expect(resumed.text).toContain('Register 2');
    expect(resumed.text).toContain('Guitar strings 10-46');
    expect(idText(resumed.text, 'pos-subtotal')).toBe('$17.98');
    expect((await owner.postForm(`/pos/parked/${id}/resume`, {})).status).toBe(409);
    const [{ n }] = await f.t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from sale_drafts where status = 'parked'`);
    expect(n).toBe(0);
    const actions = (await f.t.deps.db.execute<{ action: string }>(sql`select action from audit_log where action like 'pos.draft.%' order by id`)).map((r) => r.action);
    expect(actions).toEqual(['pos.draft.park', 'pos.draft.clear', 'pos.draft.resume']);
    // Journal effect: parking and resuming post nothing; the resumed sale posts once when it is paid.
    const counterEntries = async () => (await f.t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from journal_entries where event_type = 'counter_document'`))[0].n;
    expect(await counterEntries()).toBe(0);
    expect(await stockOf(f.strings.id)).toBe(20);
    const paid = await payCash(owner, '20');
    const done = await owner.postForm('/pos/checkout', checkoutFields(paid.text));
    expect(done.status).toBe(303);
    expect(await counterEntries()).toBe(1);
    expect(await stockOf(f.strings.id)).toBe(18);
  });
});

describe('checkout', () => {
  test('the acceptance sale: $60 cash, $15.98 change, redirect to the receipt, journal entry, draft deleted', async () => {
    await pickRegister(owner);
    await acceptanceBasket(owner);
    const quick = await owner.get('/pos');
    expect(quick.text).toContain('name="quick_cash" value="4402"');
    expect(quick.text).toContain('name="quick_cash" value="4500"');
    expect(quick.text).toContain('name="quick_cash" value="5000"');
    expect(quick.text).toContain('name="quick_cash" value="6000"');
    const paid = await payCash(owner, '60.00');
    expect(idText(paid.text, 'pos-change')).toBe('$15.98');
    expect(paid.text).toMatch(/id="pos-complete"[^>]*autofocus/);
    const res = await owner.postForm('/pos/checkout', checkoutFields(paid.text), { headers: HX });
    expect(res.status).toBe(200);
    const location = res.headers.get('hx-redirect')!;
    expect(location).toMatch(/^\/sales\/[0-9a-f-]{36}\/receipt$/);
    const saleId = location.split('/')[2];
    const sale = (await f.api('GET', `/api/v1/sales/${saleId}`)).json();
    expect(sale).toMatchObject({ number: 'S-000001', subtotal_cents: 4293, discount_cents: 250, net_cents: 4043, tax_cents: 359, total_cents: 4402, change_cents: 1598, register_session_id: f.sessionId, cashier: 'owner1' });
    expect(sale.tenders).toEqual([expect.objectContaining({ method: 'cash', amount_cents: 4402, tendered_cents: 6000, change_cents: 1598 })]);
    expect(netByAccount(await entryFor(f.t, saleId))).toEqual({ cash_drawer: 4402, discounts: 250, sales: -4293, sales_tax_payable: -359, cogs: 1700, inventory: -1700 });
    expect(await countRows(f.t, 'sale_drafts')).toBe(0);
    expect(await stockOf(f.strings.id)).toBe(18);
    expect(lineIds((await owner.get('/pos')).text)).toEqual([]);
  });

  test('the same checkout key twice (double click, in sequence and at once) makes one sale', async () => {
    await pickRegister(owner);
    await scan(owner, '0123456789012');
    const page = await payCash(owner, '10');
    const fields = checkoutFields(page.text);
    const first = await owner.postForm('/pos/checkout', fields);
    const second = await owner.postForm('/pos/checkout', fields);
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await countRows(f.t, 'sales')).toBe(1);

    await scan(owner, 'TUN-1');
    const page2 = await payCash(owner, '30');
    const fields2 = checkoutFields(page2.text);
    const both = await Promise.all([owner.postForm('/pos/checkout', fields2), owner.postForm('/pos/checkout', fields2)]);
    expect(both.map((r) => r.status)).toEqual([303, 303]);
    expect(both[0].headers.get('location')).toBe(both[1].headers.get('location'));
    expect(await countRows(f.t, 'sales')).toBe(2);
    const [{ n }] = await f.t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from journal_entries where event_type = 'counter_document'`);
    expect(n).toBe(2);
    // A form shown before a change can't complete the changed sale.
    await scan(owner, 'TUN-1');
    const stale = checkoutFields((await owner.get('/pos')).text);
    await scan(owner, 'TUN-1');
    const refused = await owner.postForm('/pos/checkout', stale);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('The sale changed since this page was shown');
  });

  test('split cash + gift card; gift card sale and payment on account lines', async () => {
    const card = await f.api('POST', '/api/v1/gift-cards', { number: 'GC-700200', amount_cents: 2000, register_session_id: f.sessionId, tenders: [{ method: 'cash', amount_cents: 2000 }] });
    expect(card.status).toBe(201);
    await pickRegister(owner);
    await scan(owner, 'TUN-1'); // 24.95 + 2.21 tax = 27.16
    const gc = await owner.postForm('/pos/tenders', { method: 'gift_card', amount: '20.00', tender_gift_card: 'gc-700200' });
    expect(gc.status).toBe(303);
    let page = await owner.get('/pos');
    expect(idText(page.text, 'pos-remaining')).toBe('$7.16');
    page = await payCash(owner, '10');
    expect(idText(page.text, 'pos-change')).toBe('$2.84');
    const done = await owner.postForm('/pos/checkout', checkoutFields(page.text));
    const saleId = done.headers.get('location')!.split('/')[2];
    const sale = (await f.api('GET', `/api/v1/sales/${saleId}`)).json();
    expect(sale.tenders.map((t: any) => [t.method, t.amount_cents])).toEqual([['gift_card', 2000], ['cash', 716]]);
    expect((await f.api('GET', '/api/v1/gift-cards/GC-700200')).json().balance_cents).toBe(0);

    // A new gift card (generated number) and a payment on account in one ticket, paid by check.
    await owner.postForm('/pos/customer', { account_id: f.accountId });
    const needsAmount = await owner.postForm('/pos/gift-card', { gift_card_number: '', gift_card_amount: '' });
    expect(needsAmount.status).toBe(422);
    expect(fieldError(needsAmount.text, 'pos-gc-amount')).toBe('Enter the amount.');
    expect((await owner.postForm('/pos/gift-card', { gift_card_number: '', gift_card_amount: '50' })).status).toBe(303);
    expect((await owner.postForm('/pos/account-payment', { payment_amount: '15.00' })).status).toBe(303);
    page = await owner.get('/pos');
    expect(idText(page.text, 'pos-total')).toBe('$65.00');
    const noNumber = await owner.postForm('/pos/tenders', { method: 'check', amount: '65.00', check_number: '' });
    expect(noNumber.status).toBe(422);
    expect(fieldError(noNumber.text, 'pos-check-number')).toBe('Enter the check number.');
    expect((await owner.postForm('/pos/tenders', { method: 'check', amount: '65.00', check_number: '1042' })).status).toBe(303);
    const sold = await owner.postForm('/pos/checkout', checkoutFields((await owner.get('/pos')).text));
    expect(sold.status).toBe(303);
    const sale2 = (await f.api('GET', `/api/v1/sales/${sold.headers.get('location')!.split('/')[2]}`)).json();
    expect(sale2.lines.map((l: any) => [l.kind, l.net_cents])).toEqual([['gift_card', 5000], ['account_payment', 1500]]);
    expect(sale2.tenders).toEqual([expect.objectContaining({ method: 'check', amount_cents: 6500, reference: '1042' })]);
    // No open invoices: the payment on account became store credit.
    const [credit] = await f.t.deps.db.execute<{ s: string }>(sql`select coalesce(sum(amount_cents), 0) as s from store_credit_entries where account_id = ${f.accountId}`);
    expect(Number(credit.s)).toBe(1500);
  });

  test('bad input: no lines, tenders short, unknown gift card, over the credit limit, closed drawer — a message and nothing written', async () => {
    await pickRegister(owner);
    // No lines (a ticket whose only line was removed).
    await scan(owner, '0123456789012');
    const [line] = lineIds((await owner.get('/pos')).text);
    await owner.postForm(`/pos/lines/${line}/remove`, { line_id: line });
    expect((await owner.get('/pos')).text).not.toContain('name="checkout_key"');
    const [draft] = await f.t.deps.db.execute<{ id: string; checkout_key: string }>(sql`select id, checkout_key from sale_drafts`);
    const none = await owner.postForm('/pos/checkout', { draft_id: draft.id, checkout_key: draft.checkout_key });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Nothing to sell yet: scan or add an item first.');
    const noTender = await owner.postForm('/pos/tenders', { method: 'cash', amount: '5' });
    expect(noTender.status).toBe(422);
    expect(fieldError(noTender.text, 'pos-tender-amount')).toBe('Nothing to pay for yet: scan an item first.');

    // Tenders that don't cover the total.
    await scan(owner, '0123456789012');
    let page = await payCash(owner, '5');
    expect(idText(page.text, 'pos-remaining')).toBe('$4.79');
    const short = await owner.postForm('/pos/checkout', checkoutFields(page.text));
    expect(short.status).toBe(422);
    expect(short.text).toContain('The tenders don&#39;t cover the total: $4.79 is still due.');

    // A card payment more than what is due, a card without its details, an unknown gift card.
    const over = await owner.postForm('/pos/tenders', { method: 'external_card', amount: '9.79', last4: '4242', auth_code: 'A1' });
    expect(over.status).toBe(422);
    expect(fieldError(over.text, 'pos-tender-amount')).toBe('Payment 2 is more than what is due (only cash gives change).');
    const noCard = await owner.postForm('/pos/tenders', { method: 'external_card', amount: '4.79', last4: '42', auth_code: '' });
    expect(noCard.status).toBe(422);
    expect(fieldError(noCard.text, 'pos-last4')).toBe('Enter the last 4 digits of the card.');
    expect(fieldError(noCard.text, 'pos-auth-code')).toBe('Enter the auth code from the terminal slip.');
    const unknown = await owner.postForm('/pos/tenders', { method: 'gift_card', amount: '4.79', tender_gift_card: '999999' });
    expect(unknown.status).toBe(422);
    expect(fieldError(unknown.text, 'pos-tender-gift-card')).toBe('No gift card 999999.');
    const storeCredit = await owner.postForm('/pos/tenders', { method: 'store_credit', amount: '4.79' });
    expect(storeCredit.status).toBe(422);
    expect(fieldError(storeCredit.text, 'pos-tender-method')).toBe('Store credit needs the customer attached (F8).');

    // Over the credit limit: the trumpet charged to Rivera's $500 account.
    await owner.postForm('/pos/new', {});
    await owner.postForm('/pos/lines', { unit_id: f.unitId });
    await owner.postForm('/pos/customer', { account_id: f.accountId });
    const limit = await owner.postForm('/pos/tenders', { method: 'account', amount: '978.79' });
    expect(limit.status).toBe(422);
    expect(fieldError(limit.text, 'pos-tender-amount')).toBe('Over the credit limit: $500.00 available.');

    // A closed drawer: the screen says so and sends the cashier to open one.
    page = await payCash(owner, '1000');
    const fields = checkoutFields(page.text);
    await f.api('POST', `/api/v1/register-sessions/${f.sessionId}/close`, { cash_denominations: { '2000': 5, '1000': 4, '500': 2 }, checks_cents: 0 });
    const closed = await owner.postForm('/pos/checkout', fields);
    expect(closed.status).toBe(409);
    expect(closed.text).toContain('The drawer of Register 1 is closed');

    expect(await countRows(f.t, 'sales')).toBe(0);
    expect(await countRows(f.t, 'invoices')).toBe(0);
    const [{ n }] = await f.t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from journal_entries where event_type = 'counter_document'`);
    expect(n).toBe(0);
  });
});

describe('quick keys', () => {
  test('the stock products sold most in 30 days first, then the rest by name', async () => {
    await pickRegister(owner);
    const names = (html: string) => [...html.matchAll(/class="pos-quick-name">([^<]+)</g)].map((m) => m[1]);
    expect(names((await owner.get('/pos')).text)).toEqual(['Clip-on tuner', 'Guitar strings 10-46']);
    await f.api('POST', '/api/v1/sales', { register_session_id: f.sessionId, lines: [{ product_id: f.strings.id, quantity: 3 }], tenders: [{ method: 'cash', amount_cents: 5000 }] });
    expect(names((await owner.get('/pos')).text)).toEqual(['Guitar strings 10-46', 'Clip-on tuner']);
    const key = await owner.postForm('/pos/lines', { product_id: f.tuner.id }, { headers: HX });
    expect(key.status).toBe(200);
    expect(key.text).toContain('Added Clip-on tuner ($24.95).');
  });
});

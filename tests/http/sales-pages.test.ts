import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { signIn, type TestClient } from '../helpers';
import { countRows, entryFor, netByAccount, posFixture, type PosFixture } from '../pos/fixture';
import { cliActor } from '../../src/features/audit/service';
import { createStaff, roleIdsByKey } from '../../src/features/staff/service';

/**
 * The pages after the sale (pos.md "After the sale", "Stored value"): sales are rung up through the API
 * (tests/pos/fixture.ts), then the receipt, invoice, detail, list/CSV, return, no-receipt return, void and gift
 * card pages are checked for the figures the store would see, and every form for bad input writing nothing.
 */

let f: PosFixture;
let owner: TestClient;
beforeEach(async () => {
  f = await posFixture();
  owner = await signIn(f.t, 'owner1', 'owner password 1');
  await owner.get('/sales');
});

const MANAGER_PIN = '2468';

/** A clerk who may sell and refund but not approve overrides or voids, and a manager with a POS PIN. */
async function clerkAndManager(): Promise<TestClient> {
  await f.t.deps.db.execute(sql`insert into roles (key, name, permissions) values ('senior_cashier', 'Senior cashier', array['dashboard.view', 'customers.view', 'inventory.view', 'pos.sell', 'pos.refund', 'drawer.open']::text[])`);
  await f.t.deps.db.transaction(async (tx) => {
    await createStaff(tx, cliActor('test'), { username: 'sam', name: 'Sam Clerk', email: null, password: 'staff password 123', pin: null, role_ids: await roleIdsByKey(tx, ['senior_cashier']) });
    await createStaff(tx, cliActor('test'), { username: 'mia', name: 'Mia Manager', email: null, password: 'staff password 123', pin: MANAGER_PIN, role_ids: await roleIdsByKey(tx, ['manager']) });
  });
  const clerk = await signIn(f.t, 'sam', 'staff password 123');
  await clerk.get('/sales');
  return clerk;
}

const acceptanceLines = () => [
  { product_id: f.strings.id, quantity: 2 },
  { product_id: f.tuner.id, quantity: 1, discount_percent_millipercent: 10000 },
];

async function sale(body: Record<string, unknown> = {}) {
  const res = await f.api('POST', '/api/v1/sales', { register_session_id: f.sessionId, lines: acceptanceLines(), tenders: [{ method: 'cash', amount_cents: 6000 }], ...body });
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  return res.json();
}

const formKey = (html: string) => /name="form_key" value="([^"]+)"/.exec(html)![1];
const returnCount = async () => (await f.t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from sales where kind = 'return'`))[0].n;
const accountNumber = async (id: string) => (await f.t.deps.db.execute<{ number: string }>(sql`select number from accounts where id = ${id}`))[0].number;
const storeCredit = async (id: string) => Number((await f.t.deps.db.execute<{ b: string }>(sql`select coalesce(sum(amount_cents), 0) as b from store_credit_entries where account_id = ${id}`))[0].b);

describe('receipt, invoice and detail', () => {
  test('the acceptance sale: $44.02 total, tax by class, $15.98 change, return policy, barcode; reprint marker; auto-print flag', async () => {
    const s = await sale();
    const res = await owner.get(`/sales/${s.id}/receipt`);
    expect(res.status).toBe(200);
    const html = res.text;
    expect(html).toContain('href="/static/css/receipt.css"');
    expect(html).toContain('src="/static/js/receipt.js"');
    expect(html).toMatch(/id="slip-number">S-000001</);
    expect(html).toContain('My Music Store');
    expect(html).toContain('2 × $8.99');
    expect(html).toContain('$17.98');
    expect(html).toContain('Discount 10%');
    expect(html).toContain('-$2.50');
    expect(html).toMatch(/Subtotal<\/th><td class="slip-amount">\$42\.93/);
    expect(html).toMatch(/Tax NYC goods 8\.875%<\/th><td class="slip-amount">\$3\.59/);
    expect(html).toMatch(/id="slip-total">\$44\.02/);
    expect(html).toMatch(/Cash<\/th><td class="slip-amount">\$60\.00/);
    expect(html).toMatch(/id="slip-change">\$15\.98/);
    expect(html).toMatch(/id="slip-policy">Returns within 30 days with receipt\./);
    expect(html).toMatch(/<svg class="slip-barcode-svg" id="slip-barcode" viewBox="[\d. ]+"[^>]*>.*<(path|rect)/s);
    expect(html).not.toContain('REPRINT');
    expect(html).not.toContain('data-autoprint');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script (strict CSP)
    expect(html).not.toMatch(/\sstyle="/);

    expect((await owner.get(`/sales/${s.id}/receipt?reprint=1`)).text).toContain('*** REPRINT ***');
    // Found by number as well as by id (a scanned receipt).
    expect((await owner.get('/sales/S-000001/receipt')).text).toMatch(/id="slip-total">\$44\.02/);

    await f.t.deps.db.execute(sql`update store_settings set auto_print_receipt = true, return_policy = 'Exchanges only after 14 days.'`);
    const auto = await owner.get(`/sales/${s.id}/receipt`);
    expect(auto.text).toContain('data-autoprint');
    expect(auto.text).toContain('Exchanges only after 14 days.');

    const detail = await owner.get(`/sales/${s.id}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toMatch(/id="total">\$44\.02/);
    expect(detail.text).toMatch(/id="change">\$15\.98/);
    for (const part of ['NY State', '$1.62', 'NYC', '$1.82', 'MCTD', '$0.15', 'Discount 10%', 'owner1', 'Register 1', `/sales/${s.id}/receipt?reprint=1`, `/sales/${s.id}/invoice`, `/sales/${s.id}/return`, `/sales/${s.id}/void`]) expect(detail.text).toContain(part);

    const invoice = await owner.get(`/sales/${s.id}/invoice`);
    expect(invoice.status).toBe(200);
    expect(invoice.text).toContain('INVOICE');
    expect(invoice.text).toContain('Walk-in customer');
    expect(invoice.text).toContain('$44.02');
    expect(invoice.text).toContain('$3.59');

    expect((await owner.get('/sales/S-999999')).status).toBe(404);
    expect((await owner.get('/sales/not-a-sale/receipt')).status).toBe(404);
  });

  test('the tax-exempt school: no tax, the certificate number on the receipt and the invoice with the school’s name', async () => {
    const s = await sale({ account_id: f.schoolId, tenders: [{ method: 'check', amount_cents: 4043, reference: '1042' }] });
    const receipt = await owner.get(`/sales/${s.id}/receipt`);
    expect(receipt.text).toMatch(/id="slip-certificate">EX-12345</);
    expect(receipt.text).toMatch(/id="slip-total">\$40\.43/);
    expect(receipt.text).toContain('Lincoln High School');
    expect(receipt.text).toContain('Check');
    expect(receipt.text).not.toContain('Tax NYC goods');
    const invoice = await owner.get(`/sales/${s.id}/invoice`);
    expect(invoice.text).toContain('Lincoln High School');
    expect(invoice.text).toContain('certificate EX-12345');
  });

  test('a return and a payment have receipts too', async () => {
    const s = await sale({ account_id: f.accountId, tenders: [{ method: 'account', amount_cents: 4402 }] });
    const ret = await f.api('POST', `/api/v1/sales/${s.id}/returns`, { register_session_id: f.sessionId, lines: [{ line_id: s.lines[0].id, quantity: 1 }] });
    expect(ret.status).toBe(201);
    const r = await owner.get(`/sales/${ret.json().id}/receipt`);
    expect(r.text).toContain('RETURN RECEIPT');
    expect(r.text).toMatch(/id="slip-total">\$9\.79/);
    expect(r.text).toContain('S-000001');
    const pay = await f.api('POST', `/api/v1/accounts/${f.accountId}/payments`, { register_session_id: f.sessionId, amount_cents: 2000, tenders: [{ method: 'cash', amount_cents: 2000 }] });
    expect(pay.status).toBe(201);
    const p = await owner.get(`/sales/${pay.json().id}/receipt`);
    expect(p.text).toContain('PAYMENT RECEIPT');
    expect(p.text).toMatch(/id="slip-total">\$20\.00/);
  });
});

describe('the list', () => {
  test('filters by kind, status, date and search; a scanned number opens the sale; CSV with the same filters, formula-safe', async () => {
    const s1 = await sale();
    const s2 = await sale({ account_id: f.schoolId, tenders: [{ method: 'check', amount_cents: 4043, reference: '1042' }] });
    const evil = await f.api('POST', '/api/v1/accounts', { name: '=HYPERLINK("http://x")', type: 'individual' });
    const s3 = await sale({ account_id: evil.json().id });
    await f.api('POST', `/api/v1/sales/${s1.id}/returns`, { register_session_id: f.sessionId, lines: [{ line_id: s1.lines[0].id, quantity: 1 }] });

    const all = await owner.get('/sales');
    expect(all.status).toBe(200);
    for (const n of ['S-000001', 'S-000002', 'S-000003', 'R-000001']) expect(all.text).toContain(n);
    // Newest first.
    expect(all.text.indexOf('R-000001')).toBeLessThan(all.text.indexOf('S-000001'));
    const returns = await owner.get('/sales?kind=return');
    expect(returns.text).toContain('R-000001');
    expect(returns.text).not.toContain('>S-000002<');
    const school = await owner.get('/sales?q=lincoln');
    expect(school.text).toContain('S-000002');
    expect(school.text).not.toContain('>S-000001<');
    expect((await owner.get('/sales?status=voided')).text).toContain('No sales, returns or payments match these filters.');
    const day = s1.business_date;
    expect((await owner.get(`/sales?from=${day}&to=${day}`)).text).toContain('S-000003');
    expect((await owner.get('/sales?from=2999-01-01')).text).toContain('No sales, returns or payments match');
    expect((await owner.get('/sales?from=nope')).status).toBe(400);
    expect((await owner.get('/sales?kind=refund')).status).toBe(400);

    const jump = await owner.get('/sales?q=s-000002');
    expect(jump.status).toBe(303);
    expect(jump.headers.get('location')).toBe(`/sales/${s2.id}`);
    const htmxJump = await owner.get('/sales?q=S-000003', { 'hx-request': 'true', 'hx-request-type': 'partial' });
    expect(htmxJump.headers.get('hx-redirect')).toBe(`/sales/${s3.id}`);
    const fragment = await owner.get('/sales?kind=sale', { 'hx-request': 'true', 'hx-request-type': 'partial' });
    expect(fragment.text.trimStart()).toStartWith('<div id="list"');
    expect(fragment.text).not.toContain('<html');

    expect(all.text).toContain('/sales/export.csv?');
    const csv = await owner.get('/sales/export.csv?kind=sale');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('attachment; filename="sales-');
    const lines = csv.text.trim().split(/\r\n/);
    expect(lines[0]).toBe('number,kind,status,business_date,created_at,customer,account_number,cashier,register,subtotal,discount,tax,total,tenders,original_sale,void_reason');
    expect(lines).toHaveLength(4);
    expect(csv.text).toContain('S-000001,sale,completed');
    expect(csv.text).toContain(',42.93,2.50,3.59,44.02,Cash,');
    expect(csv.text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv.text).not.toContain('R-000001');
    expect((await owner.get('/sales/export.csv?to=bad')).status).toBe(400);
  });
});

describe('return with the receipt', () => {
  test('one pack of strings refunds $9.79 to cash; the same form posted twice makes one return', async () => {
    const s = await sale();
    const page = await owner.get(`/sales/${s.id}/return`);
    expect(page.status).toBe(200);
    const strings = s.lines[0].id;
    expect(page.text).toContain(`name="qty_${strings}"`);
    expect(page.text).toContain('Choose the quantities coming back to see the refund.');

    const preview = await owner.postForm(`/sales/${s.id}/return/preview`, { [`qty_${strings}`]: '1', refund_to: 'original' }, { headers: { 'hx-request': 'true', 'hx-request-type': 'partial' } });
    expect(preview.status).toBe(200);
    expect(preview.text.trimStart()).toStartWith('<div id="refund-summary"');
    expect(preview.text).toMatch(/id="refund-total">\$9\.79/);
    expect(preview.text).toMatch(/Cash refund: \$9\.79/);
    expect(await returnCount()).toBe(0);

    const key = formKey(page.text);
    const fields = { form_key: key, [`qty_${strings}`]: '1', [`restock_${strings}`]: 'restock', refund_to: 'original', register_session_id: f.sessionId, note: '', action: 'refund' };
    const first = await owner.postForm(`/sales/${s.id}/return`, fields);
    expect(first.status).toBe(303);
    const again = await owner.postForm(`/sales/${s.id}/return`, fields);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(await returnCount()).toBe(1);

    const [ret] = await f.t.deps.db.execute<{ id: string; total_cents: string; number: string }>(sql`select id, total_cents, number from sales where kind = 'return'`);
    expect(first.headers.get('location')).toBe(`/sales/${ret.id}/receipt`);
    expect(Number(ret.total_cents)).toBe(-979);
    expect(netByAccount(await entryFor(f.t, ret.id))).toEqual({ returns: 899, sales_tax_payable: 80, cash_drawer: -979, inventory: 300, cogs: -300 });
    const receipt = await owner.get(`/sales/${ret.id}/receipt`);
    expect(receipt.text).toContain('R-000001 was already made by your first click.');
    expect(receipt.text).toMatch(/id="slip-total">\$9\.79/);
    expect(receipt.text).toMatch(/Cash refund<\/th><td class="slip-amount">\$9\.79/);

    const detail = await owner.get(`/sales/${s.id}`);
    expect(detail.text).toContain('R-000001');
    expect(detail.text).toContain('has a return (R-000001)');
    // One more pack can come back, not two.
    const more = await owner.get(`/sales/${s.id}/return`);
    expect(more.text).toMatch(/of 1<\/span>/);
  });

  test('bad input re-renders with messages next to the fields and writes nothing', async () => {
    const s = await sale();
    const strings = s.lines[0].id;
    const entries = await countRows(f.t, 'journal_entries');
    const post = (extra: Record<string, string>) => owner.postForm(`/sales/${s.id}/return`, { form_key: crypto.randomUUID(), refund_to: 'original', register_session_id: f.sessionId, action: 'refund', ...extra });
    const cases: [Record<string, string>, string][] = [
      [{ [`qty_${strings}`]: '5' }, 'Only 2 of 2 can still come back.'],
      [{ [`qty_${strings}`]: 'two' }, 'Enter a whole number from 0 to 2.'],
      [{ [`qty_${strings}`]: '0' }, 'Choose at least one item to return (a quantity above 0).'],
      [{ [`qty_${strings}`]: '1', refund_to: 'bank' }, 'Choose where the refund goes.'],
      [{ [`qty_${strings}`]: '1', refund_to: 'store_credit' }, 'Store credit needs a customer account on the sale.'],
      [{ [`qty_${strings}`]: '1', approver_pin: '1234' }, 'Pick the manager who approves.'],
    ];
    for (const [extra, message] of cases) {
      const res = await post(extra);
      expect([res.status, message]).toEqual([422, message]);
      expect(res.text).toContain(message);
    }
    const noDrawer = await post({ [`qty_${strings}`]: '1', register_session_id: '' });
    expect(noDrawer.status).toBe(422);
    expect(noDrawer.text).toContain('Cash and checks go into a drawer');
    expect(await returnCount()).toBe(0);
    expect(await countRows(f.t, 'journal_entries')).toBe(entries);
    // A voided sale has nothing to return.
    const v = await f.api('POST', `/api/v1/sales/${s.id}/void`, { reason: 'test void' });
    expect(v.status).toBe(200);
    const voided = await owner.get(`/sales/${s.id}/return`);
    expect(voided.status).toBe(409);
    expect(voided.text).toContain('was voided; there is nothing to return.');
  });

  test('store credit instead of the original tender needs a manager PIN; the PIN prompt comes back and the resubmit refunds', async () => {
    const clerk = await clerkAndManager();
    const s = await sale({ account_id: f.accountId });
    const strings = s.lines[0].id;
    const page = await clerk.get(`/sales/${s.id}/return`);
    expect(page.text).toContain('Mia Manager (mia)');
    const fields = { form_key: formKey(page.text), [`qty_${strings}`]: '1', refund_to: 'store_credit', register_session_id: f.sessionId, action: 'refund' };
    const asked = await clerk.postForm(`/sales/${s.id}/return`, fields);
    expect(asked.status).toBe(403);
    expect(asked.text).toContain('id="return-approval-required"');
    expect(asked.text).toContain('Refunding to other tenders than the original ones needs a manager');
    expect(asked.text).toContain('approval-needed');
    expect(formKey(asked.text)).toBe(fields.form_key);
    const wrong = await clerk.postForm(`/sales/${s.id}/return`, { ...fields, approver_username: 'mia', approver_pin: '1111' });
    expect(wrong.status).toBe(403);
    expect(wrong.text).toContain('Wrong username or PIN.');
    expect(wrong.text).not.toContain('1111');
    expect(await returnCount()).toBe(0);
    const ok = await clerk.postForm(`/sales/${s.id}/return`, { ...fields, approver_username: 'mia', approver_pin: MANAGER_PIN });
    expect(ok.status).toBe(303);
    expect(await storeCredit(f.accountId)).toBe(979);
    const [ret] = await f.t.deps.db.execute<{ approved_by_label: string }>(sql`select approved_by_label from sales where kind = 'return'`);
    expect(ret.approved_by_label).toBe('mia');
  });
});

describe('return without a receipt', () => {
  test('needs a manager PIN and gives store credit at today’s price and tax', async () => {
    const clerk = await clerkAndManager();
    const page = await clerk.get('/returns/new');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Mia Manager (mia)');
    const number = await accountNumber(f.accountId);
    const fields = { form_key: formKey(page.text), rows: '5', account: number, code_0: 'str-10', qty_0: '1', restock_0: 'restock', note: 'Lost the receipt' };
    const asked = await clerk.postForm('/returns/new', fields);
    expect(asked.status).toBe(403);
    expect(asked.text).toContain('A return without a receipt needs a manager');
    expect(asked.text).toContain('Rivera Family');
    expect(await returnCount()).toBe(0);

    const ok = await clerk.postForm('/returns/new', { ...fields, account_id: f.accountId, approver_username: 'mia', approver_pin: MANAGER_PIN });
    expect(ok.status).toBe(303);
    const again = await clerk.postForm('/returns/new', { ...fields, account_id: f.accountId, approver_username: 'mia', approver_pin: MANAGER_PIN });
    expect(again.status).toBe(303);
    expect(await returnCount()).toBe(1);
    expect(await storeCredit(f.accountId)).toBe(979);
    const [ret] = await f.t.deps.db.execute<{ id: string; original_sale_id: string | null }>(sql`select id, original_sale_id from sales where kind = 'return'`);
    expect(ret.original_sale_id).toBeNull();
    expect(netByAccount(await entryFor(f.t, ret.id))).toMatchObject({ returns: 899, sales_tax_payable: 80, store_credit_liability: -979 });
    const receipt = await clerk.get(`/sales/${ret.id}/receipt`);
    expect(receipt.text).toContain('none (no receipt)');
    expect(receipt.text).toMatch(/Store credit refund<\/th><td class="slip-amount">\$9\.79/);
  });

  test('bad input: unknown code, serialized SKU, no account, ambiguous account, bad quantity — messages next to the fields, nothing written', async () => {
    await f.api('POST', '/api/v1/accounts', { name: 'Rivera Music Club', type: 'business' });
    const page = await owner.get('/returns/new');
    const base = { form_key: formKey(page.text), rows: '5' };
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ account: 'Lincoln', code_0: 'NOPE-1' }, 'No product or unit matches “NOPE-1”.', /id="code_0-error"/],
      [{ account: 'Lincoln', code_0: 'TR-200' }, 'Student trumpet is serialized: scan the returned unit', /id="code_0-error"/],
      [{ account: 'Lincoln', code_0: 'STR-10', qty_0: '-1' }, 'Quantity must be a whole number from 1 to 9999.', /id="qty_0-error"/],
      [{ account: '', code_0: 'STR-10' }, 'Find the customer account that gets the store credit', /id="nr-account-error"/],
      [{ account: 'Rivera', code_0: 'STR-10' }, 'Several accounts match; choose one below.', /name="account_id" value=/],
      [{ account: 'Lincoln' }, 'Scan or type at least one returned item.', /id="items-error"/],
      [{ account: 'Lincoln', code_0: 'TR-1001' }, 'Unit TR-1001 is available, not sold', /id="code_0-error"/],
    ];
    for (const [extra, message, marker] of cases) {
      const res = await owner.postForm('/returns/new', { ...base, ...extra });
      expect([res.status, message]).toEqual([422, message]);
      expect(res.text).toContain(message);
      expect(res.text).toMatch(marker);
    }
    expect(await returnCount()).toBe(0);
    expect(await countRows(f.t, 'store_credit_entries')).toBe(0);
  });
});

describe('void', () => {
  test('reason + manager PIN reverses the journal entry; the confirmation page shows what is undone; a second post changes nothing', async () => {
    const clerk = await clerkAndManager();
    const s = await sale();
    const page = await clerk.get(`/sales/${s.id}/void`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Void S-000001?');
    expect(page.text).toContain('$44.02 cash');
    expect(page.text).toContain('data-confirm=');
    const key = formKey(page.text);
    const noReason = await clerk.postForm(`/sales/${s.id}/void`, { form_key: key, reason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('Say why the sale is voided');
    const noPin = await clerk.postForm(`/sales/${s.id}/void`, { form_key: key, reason: 'Rang up twice' });
    expect(noPin.status).toBe(403);
    expect(noPin.text).toContain('Voiding a sale needs a manager');
    expect((await f.t.deps.db.execute<{ status: string }>(sql`select status from sales where id = ${s.id}`))[0].status).toBe('completed');

    const fields = { form_key: key, reason: 'Rang up twice', approver_username: 'mia', approver_pin: MANAGER_PIN };
    const done = await clerk.postForm(`/sales/${s.id}/void`, fields);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/sales/${s.id}`);
    const again = await clerk.postForm(`/sales/${s.id}/void`, fields);
    expect(again.status).toBe(303); // the second click goes where the first went
    expect(again.headers.get('location')).toBe(`/sales/${s.id}`);
    const original = netByAccount(await entryFor(f.t, s.id));
    const reversal = netByAccount(await entryFor(f.t, s.id, { reversal: true }));
    for (const [k, v] of Object.entries(original)) expect(reversal[k]).toBe(-v);
    const [{ n }] = await f.t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from journal_entries where reverses_entry_id is not null`);
    expect(n).toBe(1);
    const detail = await clerk.get(`/sales/${s.id}`);
    expect(detail.text).toContain('id="void-info"');
    expect(detail.text).toContain('approved by mia: Rang up twice');
    expect(detail.text).not.toContain(`/sales/${s.id}/void"`);
    expect((await clerk.get(`/sales/${s.id}/receipt`)).text).toContain('VOIDED');
  });

  test('not voidable: a sale with a return, a closed drawer session — the reason is shown and nothing changes', async () => {
    const s = await sale();
    await f.api('POST', `/api/v1/sales/${s.id}/returns`, { register_session_id: f.sessionId, lines: [{ line_id: s.lines[0].id, quantity: 1 }] });
    const withReturn = await owner.get(`/sales/${s.id}/void`);
    expect(withReturn.status).toBe(409);
    expect(withReturn.text).toContain('has a return (R-000001)');
    const post = await owner.postForm(`/sales/${s.id}/void`, { form_key: crypto.randomUUID(), reason: 'Try anyway' });
    expect(post.status).toBe(409);
    const s2 = await sale();
    const session = (await f.api('GET', `/api/v1/register-sessions/${f.sessionId}`)).json();
    const close = await f.api('POST', `/api/v1/register-sessions/${f.sessionId}/close`, { cash_denominations: { '1': session.expected.cash_cents }, checks_cents: 0 });
    expect(close.status).toBe(200);
    const closed = await owner.get(`/sales/${s2.id}`);
    expect(closed.text).toContain('is closed; return the items instead of voiding.');
    expect((await owner.postForm(`/sales/${s2.id}/void`, { form_key: crypto.randomUUID(), reason: 'Too late' })).status).toBe(409);
    expect((await f.t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from sales where status = 'voided'`))[0].n).toBe(0);
  });
});

describe('gift cards', () => {
  test('balance inquiry by number (scanned in lower case) and the card’s history', async () => {
    const sold = await f.api('POST', '/api/v1/gift-cards', { number: 'GC-123456', amount_cents: 5000, register_session_id: f.sessionId, tenders: [{ method: 'cash', amount_cents: 5000 }] });
    expect(sold.status).toBe(201);
    await sale({ tenders: [{ method: 'gift_card', amount_cents: 1000, gift_card_number: 'GC-123456' }, { method: 'cash', amount_cents: 4000 }] });
    const inquiry = await owner.get('/gift-cards?number=gc-123456');
    expect(inquiry.status).toBe(303);
    expect(inquiry.headers.get('location')).toBe('/gift-cards/GC-123456');
    const card = await owner.get('/gift-cards/GC-123456');
    expect(card.status).toBe(200);
    expect(card.text).toMatch(/id="gift-card-balance">\$40\.00/);
    expect(card.text).toContain('Sold');
    expect(card.text).toContain('Spent');
    expect(card.text).toContain('S-000001');
    expect(card.text).toContain('S-000002');
    const receipt = await owner.get('/sales/S-000002/receipt');
    expect(receipt.text).toContain('•••• 3456');
    expect(receipt.text).not.toContain('GC-123456');
    const missing = await owner.get('/gift-cards?number=NOPE-999999');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('No gift card NOPE-999999.');
    expect((await owner.get('/gift-cards/NOPE-999999')).status).toBe(404);
  });
});

describe('permissions', () => {
  test('a cashier (no pos.refund) can see sales and receipts but not the return pages', async () => {
    const s = await sale();
    await f.t.deps.db.transaction(async (tx) => createStaff(tx, cliActor('test'), { username: 'cass', name: 'Cass Cashier', email: null, password: 'staff password 123', pin: null, role_ids: await roleIdsByKey(tx, ['cashier']) }));
    const cashier = await signIn(f.t, 'cass', 'staff password 123');
    expect((await cashier.get('/sales')).status).toBe(200);
    expect((await cashier.get(`/sales/${s.id}/receipt`)).status).toBe(200);
    const detail = await cashier.get(`/sales/${s.id}`);
    expect(detail.text).not.toContain(`/sales/${s.id}/return"`);
    expect((await cashier.get(`/sales/${s.id}/return`)).status).toBe(403);
    expect((await cashier.get('/returns/new')).status).toBe(403);
    expect((await cashier.get('/returns')).status).toBe(403);
  });
});

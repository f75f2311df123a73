import { beforeAll, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { BASE } from '../helpers';
import { countRows, posFixture, type PosFixture } from '../pos/fixture';

/**
 * Bad input at the counter API: every refusal is a clear 4xx with a message (and the field when there is one),
 * never a 500, and writes nothing (row counts of every table a counter document touches are unchanged).
 * Then the database's own guards: completed documents and their ledgers can't be edited or removed, whatever
 * connection tries.
 */

let f: PosFixture;
/**
 * One store for all the cases: a completed cash sale of the acceptance lines (with Rivera's account), a $10 gift
 * card charged to the account (invoice $10, then $1 paid on it), a gift card with $5, $9.79 of store credit
 * (a no-receipt return), an expired card, and Rivera's credit limit lowered to $15.
 */
let sale: any;
let charged: any;
const COUNTED = ['sales', 'sale_lines', 'sale_tenders', 'sale_taxes', 'sale_discounts', 'journal_entries', 'journal_lines', 'drawer_movements', 'gift_cards', 'gift_card_entries', 'store_credit_entries', 'invoices', 'invoice_allocations', 'stock_movements', 'unit_events', 'idempotency_keys'];
const counts = async () => Object.fromEntries(await Promise.all(COUNTED.map(async (t) => [t, await countRows(f.t, t)] as const)));

let payment: any;
let invoiceId: string;

/** The shared store of the bad-input cases (see the comment on `sale`). */
async function build() {
  f = await posFixture();
  const ok = async (path: string, body: unknown) => {
    const r = await f.api('POST', path, body);
    if (r.status !== 201) throw new Error(`${r.status} ${r.text}`);
    return r.json();
  };
  sale = await ok('/api/v1/sales', { register_session_id: f.sessionId, account_id: f.accountId, lines: [{ product_id: f.strings.id, quantity: 2 }, { product_id: f.tuner.id, discount_percent_millipercent: 10000 }], tenders: [{ method: 'cash', amount_cents: 6000 }] });
  charged = await ok('/api/v1/sales', { account_id: f.accountId, lines: [{ kind: 'gift_card', amount_cents: 1000, gift_card_number: 'GC-CHARGED-1' }], tenders: [{ method: 'account', amount_cents: 1000 }] });
  payment = await ok(`/api/v1/accounts/${f.accountId}/payments`, { amount_cents: 100, tenders: [card(100)] });
  await ok('/api/v1/gift-cards', { number: 'GC-FIVE-0001', amount_cents: 500, tenders: [card(500)] });
  await ok('/api/v1/returns', { account_id: f.accountId, lines: [{ product_id: f.strings.id, quantity: 1 }] });
  await f.t.deps.db.execute(sql`insert into gift_cards (number, expires_on) values ('GC-EXPIRED-1', '2020-01-31')`);
  await f.t.deps.db.execute(sql`update accounts set credit_limit_cents = 1500 where id = ${f.accountId}`);
  [{ id: invoiceId }] = await f.t.deps.db.execute<{ id: string }>(sql`select id from invoices`);
}

beforeAll(build, 60_000);

const strings = () => [{ product_id: f.strings.id }]; // $9.79 with tax
const card = (amount_cents: number) => ({ method: 'external_card', amount_cents, last4: '4242', auth_code: 'OK1' });

interface Case {
  name: string;
  path: () => string;
  body: () => unknown;
  status: number;
  /** The field the error names (zod drops list indexes: "lines.quantity"), or a part of the message. */
  field?: string;
  message?: string;
}

const CASES: Case[] = [
  // Lines.
  { name: 'negative quantity', path: () => '/api/v1/sales', body: () => ({ lines: [{ product_id: f.strings.id, quantity: -2 }], tenders: [card(1)] }), status: 422, field: 'lines.quantity' },
  { name: 'zero quantity', path: () => '/api/v1/sales', body: () => ({ lines: [{ product_id: f.strings.id, quantity: 0 }], tenders: [] }), status: 422, field: 'lines.quantity' },
  { name: 'fractional quantity', path: () => '/api/v1/sales', body: () => ({ lines: [{ product_id: f.strings.id, quantity: 1.5 }], tenders: [] }), status: 422, field: 'lines.quantity' },
  { name: 'no lines', path: () => '/api/v1/sales', body: () => ({ lines: [], tenders: [] }), status: 422, field: 'lines' },
  { name: 'unknown product', path: () => '/api/v1/sales', body: () => ({ lines: [{ product_id: '00000000-0000-4000-8000-000000000000' }], tenders: [card(100)] }), status: 422, field: 'lines.0.product_id' },
  { name: 'product id not a uuid', path: () => '/api/v1/sales', body: () => ({ lines: [{ product_id: 'STR-10' }], tenders: [] }), status: 422, field: 'lines.product_id' },
  { name: 'unknown unit', path: () => '/api/v1/sales', body: () => ({ account_id: f.accountId, lines: [{ unit_id: '00000000-0000-4000-8000-000000000000' }], tenders: [card(100)] }), status: 422, field: 'lines.0.unit_id' },
  { name: 'a unit on a stock product', path: () => '/api/v1/sales', body: () => ({ account_id: f.accountId, lines: [{ product_id: f.strings.id, unit_id: f.unitId }], tenders: [card(100)] }), status: 422, field: 'lines.0.unit_id' },
  { name: 'serialized without its unit', path: () => '/api/v1/sales', body: () => ({ account_id: f.accountId, lines: [{ product_id: f.trumpet.id }], tenders: [card(100)] }), status: 422, field: 'lines.0.unit_id' },
  { name: 'serialized without an account', path: () => '/api/v1/sales', body: () => ({ lines: [{ unit_id: f.unitId }], tenders: [card(97879)] }), status: 422, field: 'account_id' },
  { name: 'the same unit twice', path: () => '/api/v1/sales', body: () => ({ account_id: f.accountId, lines: [{ unit_id: f.unitId }, { unit_id: f.unitId }], tenders: [card(100)] }), status: 422, field: 'lines' },
  { name: 'more than on hand', path: () => '/api/v1/sales', body: () => ({ register_session_id: f.sessionId, lines: [{ product_id: f.tuner.id, quantity: 50 }], tenders: [{ method: 'cash', amount_cents: 200_000 }] }), status: 409, field: 'lines.0.quantity' },
  { name: 'discount as amount and percent', path: () => '/api/v1/sales', body: () => ({ lines: [{ product_id: f.strings.id, discount_cents: 10, discount_percent_millipercent: 1000 }], tenders: [card(900)] }), status: 422, field: 'lines.0.discount_cents' },
  { name: 'discount over 100%', path: () => '/api/v1/sales', body: () => ({ lines: [{ product_id: f.strings.id, discount_percent_millipercent: 100001 }], tenders: [] }), status: 422, field: 'lines.discount_percent_millipercent' },
  { name: 'unknown named discount', path: () => '/api/v1/sales', body: () => ({ lines: [{ product_id: f.strings.id, named_discount_id: '00000000-0000-4000-8000-000000000000' }], tenders: [card(979)] }), status: 422, field: 'lines.0.named_discount_id' },
  { name: 'gift card line without an amount', path: () => '/api/v1/sales', body: () => ({ lines: [{ kind: 'gift_card' }], tenders: [] }), status: 422, field: 'lines.0.amount_cents' },
  { name: 'gift card line with a bad number', path: () => '/api/v1/sales', body: () => ({ lines: [{ kind: 'gift_card', amount_cents: 500, gift_card_number: 'x!' }], tenders: [card(500)] }), status: 422, field: 'lines.0.gift_card_number' },
  { name: 'reloading an expired gift card', path: () => '/api/v1/sales', body: () => ({ lines: [{ kind: 'gift_card', amount_cents: 500, gift_card_number: 'GC-EXPIRED-1' }], tenders: [card(500)] }), status: 409, field: 'lines.0.gift_card_number', message: 'expired' },
  { name: 'selling a gift card with a bad number', path: () => '/api/v1/gift-cards', body: () => ({ number: 'x!', amount_cents: 500, tenders: [card(500)] }), status: 422, field: 'number' },
  { name: 'payment line without an account', path: () => '/api/v1/sales', body: () => ({ lines: [{ kind: 'account_payment', amount_cents: 500 }], tenders: [card(500)] }), status: 422, field: 'account_id' },
  // Tenders.
  { name: 'tenders not covering the total', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [card(900)] }), status: 422, field: 'tenders', message: '$0.79 is still due' },
  { name: 'no tender for a total due', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [] }), status: 422, field: 'tenders' },
  { name: 'a card tender over what is due', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [card(980)] }), status: 422, field: 'tenders', message: 'only cash gives change' },
  { name: 'a tender after the total is paid', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [card(979), card(1)] }), status: 422, field: 'tenders', message: 'nothing is left to pay' },
  { name: 'a processor card (not set up)', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [{ method: 'card', amount_cents: 979 }] }), status: 422, field: 'tenders.0.method' },
  { name: 'a deposit tender at the counter', path: () => '/api/v1/sales', body: () => ({ account_id: f.accountId, lines: strings(), tenders: [{ method: 'deposit', amount_cents: 979 }] }), status: 422, field: 'tenders.0.method' },
  { name: 'terminal card without last 4 / auth', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [{ method: 'external_card', amount_cents: 979 }] }), status: 422, field: 'tenders.0.last4' },
  { name: 'last 4 that are not 4 digits', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [{ method: 'external_card', amount_cents: 979, last4: '42', auth_code: 'A' }] }), status: 422, field: 'tenders.last4' },
  { name: 'unknown tender method', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [{ method: 'bitcoin', amount_cents: 979 }] }), status: 422, field: 'tenders.method' },
  { name: 'over the credit limit', path: () => '/api/v1/sales', body: () => ({ account_id: f.accountId, lines: strings(), tenders: [{ method: 'account', amount_cents: 979 }] }), status: 409, field: 'tenders.0.amount_cents', message: 'over its $15.00 credit limit' },
  { name: 'charge on an account without charges', path: () => '/api/v1/sales', body: () => ({ account_id: f.schoolId, lines: strings(), tenders: [{ method: 'account', amount_cents: 899 }] }), status: 409, field: 'tenders.0.amount_cents' },
  { name: 'charge without an account', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [{ method: 'account', amount_cents: 979 }] }), status: 422, field: 'account_id' },
  { name: 'store credit over the balance', path: () => '/api/v1/sales', body: () => ({ account_id: f.accountId, lines: [{ product_id: f.tuner.id }], tenders: [{ method: 'store_credit', amount_cents: 2716 }] }), status: 409, field: 'tenders.0.amount_cents', message: '$9.79 of store credit' },
  { name: 'store credit without an account', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [{ method: 'store_credit', amount_cents: 979 }] }), status: 422, field: 'account_id' },
  { name: 'unknown gift card', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [{ method: 'gift_card', amount_cents: 979, gift_card_number: 'GC-NOPE-99' }] }), status: 422, field: 'tenders.0.gift_card_number' },
  { name: 'gift card over its balance', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [{ method: 'gift_card', amount_cents: 501, gift_card_number: 'GC-FIVE-0001' }, card(478)] }), status: 409, field: 'tenders.0.gift_card_number', message: 'has $5.00' },
  { name: 'expired gift card', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [{ method: 'gift_card', amount_cents: 979, gift_card_number: 'GC-EXPIRED-1' }] }), status: 409, field: 'tenders.0.gift_card_number', message: 'expired' },
  { name: 'gift card tender without its number', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [{ method: 'gift_card', amount_cents: 979 }] }), status: 422, field: 'tenders.0.gift_card_number' },
  { name: 'check without its number', path: () => '/api/v1/sales', body: () => ({ register_session_id: f.sessionId, lines: strings(), tenders: [{ method: 'check', amount_cents: 979 }] }), status: 422, field: 'tenders.0.reference' },
  // The drawer.
  { name: 'cash without a drawer session', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [{ method: 'cash', amount_cents: 1000 }] }), status: 422, field: 'register_session_id' },
  { name: 'an unknown drawer session', path: () => '/api/v1/sales', body: () => ({ register_session_id: '00000000-0000-4000-8000-000000000000', lines: strings(), tenders: [{ method: 'cash', amount_cents: 1000 }] }), status: 422, field: 'register_session_id' },
  // Returns.
  { name: 'returning more than sold', path: () => `/api/v1/sales/${sale.id}/returns`, body: () => ({ register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 3 }] }), status: 422, field: 'lines.0.quantity', message: '2 of 2 can still be returned' },
  { name: 'a line of another sale', path: () => `/api/v1/sales/${sale.id}/returns`, body: () => ({ lines: [{ line_id: charged.lines[0].id, quantity: 1 }] }), status: 422, field: 'lines.0.line_id' },
  { name: 'the same line twice', path: () => `/api/v1/sales/${sale.id}/returns`, body: () => ({ register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }, { line_id: sale.lines[0].id, quantity: 1 }] }), status: 422, field: 'lines.1.line_id' },
  { name: 'a gift card line returned', path: () => `/api/v1/sales/${charged.id}/returns`, body: () => ({ lines: [{ line_id: charged.lines[0].id, quantity: 1 }] }), status: 422, field: 'lines.0.line_id' },
  { name: 'refund tenders above the refund', path: () => `/api/v1/sales/${sale.id}/returns`, body: () => ({ register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }], tenders: [{ method: 'cash', amount_cents: 980 }] }), status: 422, field: 'tenders', message: 'more than was paid back' },
  { name: 'refund tenders below the refund', path: () => `/api/v1/sales/${sale.id}/returns`, body: () => ({ register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }], tenders: [{ method: 'cash', amount_cents: 978 }] }), status: 422, field: 'tenders' },
  { name: 'a refund tender left with nothing', path: () => `/api/v1/sales/${sale.id}/returns`, body: () => ({ register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }], tenders: [{ method: 'cash', amount_cents: 979 }, { method: 'store_credit' }] }), status: 422, field: 'tenders' },
  { name: 'two refund tenders without amounts', path: () => `/api/v1/sales/${sale.id}/returns`, body: () => ({ register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }], tenders: [{ method: 'cash' }, { method: 'store_credit' }] }), status: 422, field: 'tenders' },
  { name: 'a gift card refund for a sale paid otherwise', path: () => `/api/v1/sales/${sale.id}/returns`, body: () => ({ register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }], tenders: [{ method: 'gift_card' }] }), status: 422, field: 'tenders' },
  { name: 'a cash refund without a drawer session', path: () => `/api/v1/sales/${sale.id}/returns`, body: () => ({ lines: [{ line_id: sale.lines[0].id, quantity: 1 }] }), status: 422, field: 'register_session_id' },
  { name: 'returning a payment', path: () => `/api/v1/sales/${payment.id}/returns`, body: () => ({ lines: [{ line_id: payment.lines[0].id, quantity: 1 }] }), status: 409, message: 'only sales can be returned' },
  { name: 'returning an unknown sale', path: () => '/api/v1/sales/S-999999/returns', body: () => ({ lines: [{ line_id: sale.lines[0].id, quantity: 1 }] }), status: 404 },
  { name: 'no-receipt return without an account', path: () => '/api/v1/returns', body: () => ({ lines: [{ product_id: f.strings.id, quantity: 1 }] }), status: 422, field: 'account_id' },
  { name: 'no-receipt return of an unknown product', path: () => '/api/v1/returns', body: () => ({ account_id: f.accountId, lines: [{ product_id: '00000000-0000-4000-8000-000000000000', quantity: 1 }] }), status: 422, field: 'lines.0.product_id' },
  { name: 'no-receipt return of a unit that was never sold', path: () => '/api/v1/returns', body: () => ({ account_id: f.accountId, lines: [{ product_id: f.trumpet.id, unit_id: f.unitId, quantity: 1 }] }), status: 409, field: 'lines.0.unit_id' },
  // Voids.
  { name: 'a void without a reason', path: () => `/api/v1/sales/${sale.id}/void`, body: () => ({ reason: ' ' }), status: 422, field: 'reason' },
  { name: 'a void of an unknown sale', path: () => '/api/v1/sales/00000000-0000-4000-8000-000000000000/void', body: () => ({ reason: 'typo sale' }), status: 404 },
  // Payments on account.
  { name: 'a payment on an unknown account', path: () => '/api/v1/accounts/00000000-0000-4000-8000-000000000000/payments', body: () => ({ amount_cents: 100, tenders: [card(100)] }), status: 404 },
  { name: 'a payment of $0', path: () => `/api/v1/accounts/${f.accountId}/payments`, body: () => ({ amount_cents: 0, tenders: [card(1)] }), status: 422, field: 'amount_cents' },
  { name: 'a payment to an invoice of another account', path: () => `/api/v1/accounts/${f.schoolId}/payments`, body: () => ({ amount_cents: 100, invoice_ids: [invoiceId], tenders: [card(100)] }), status: 422, field: 'invoice_ids' },
  { name: 'a payment charged to the account itself', path: () => `/api/v1/accounts/${f.accountId}/payments`, body: () => ({ amount_cents: 100, tenders: [{ method: 'account', amount_cents: 100 }] }), status: 422, field: 'tenders.0.method' },
  { name: 'a payment without tenders', path: () => `/api/v1/accounts/${f.accountId}/payments`, body: () => ({ amount_cents: 100, tenders: [] }), status: 422, field: 'tenders' },
  // Gift card sale.
  { name: 'a gift card of $0', path: () => '/api/v1/gift-cards', body: () => ({ amount_cents: 0, tenders: [card(1)] }), status: 422, field: 'amount_cents' },
  { name: 'a gift card not paid in full', path: () => '/api/v1/gift-cards', body: () => ({ amount_cents: 1000, tenders: [card(999)] }), status: 422, field: 'tenders' },
  // Shapes.
  { name: 'wrong types', path: () => '/api/v1/sales', body: () => ({ lines: [{ product_id: f.strings.id, quantity: '2' }], tenders: [{ method: 'cash', amount_cents: '10.00' }] }), status: 422, field: 'lines.quantity' },
  { name: 'amount with a fraction of a cent', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [card(978.5)] }), status: 422, field: 'tenders.amount_cents' },
  { name: 'an extra field on the sale', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [card(979)], total_cents: 1 }), status: 422, field: '_' },
  { name: 'an extra field on a line', path: () => '/api/v1/sales', body: () => ({ lines: [{ product_id: f.strings.id, price: 1 }], tenders: [card(979)] }), status: 422, field: 'lines' },
  { name: 'an extra field on a tender', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [{ ...card(979), tip_cents: 100 }] }), status: 422, field: 'tenders' },
  { name: 'lines not a list', path: () => '/api/v1/sales', body: () => ({ lines: { product_id: f.strings.id }, tenders: [] }), status: 422, field: 'lines' },
  { name: 'a body that is a list', path: () => '/api/v1/sales', body: () => [{ lines: strings() }], status: 400 },
  { name: 'an approval without a PIN', path: () => '/api/v1/sales', body: () => ({ lines: strings(), tenders: [card(979)], approval: { username: 'mona' } }), status: 422, field: 'approval.pin' },
];

describe('sales API — bad input gets a 4xx and writes nothing', () => {
  for (const [i, c] of CASES.entries()) {
    test(c.name, async () => {
      const before = await counts();
      // With an Idempotency-Key too: a refused request keeps no key either.
      const res = await f.api('POST', c.path(), c.body(), { headers: { 'idempotency-key': `bad-case-${i}` } });
      expect({ status: res.status, body: res.json() }).toMatchObject({ status: c.status, body: { error: { code: expect.any(String), message: expect.any(String) } } });
      if (c.field) expect(Object.keys(res.json().error.fields ?? {})).toContain(c.field);
      if (c.message) expect(res.json().error.message + JSON.stringify(res.json().error.fields ?? {})).toContain(c.message);
      expect(await counts()).toEqual(before);
    });
  }

  test('malformed JSON, a form body and an over-long Idempotency-Key are 400 and write nothing', async () => {
    const before = await counts();
    const raw = (body: string, type: string, headers: Record<string, string> = {}) =>
      f.t.app.handle(new Request(`${BASE}/api/v1/sales`, { method: 'POST', headers: { authorization: `Bearer ${f.token}`, 'content-type': type, ...headers }, body }));
    const malformed = await raw('{"lines": [', 'application/json');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBeString();
    const form = await raw('lines=1', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(400);
    const body = { register_session_id: f.sessionId, lines: strings(), tenders: [{ method: 'cash', amount_cents: 1000 }] };
    const longKey = await f.api('POST', '/api/v1/sales', body, { headers: { 'idempotency-key': 'k'.repeat(201) } });
    expect(longKey.status).toBe(400);
    expect(longKey.json().error.fields).toHaveProperty('Idempotency-Key');
    const badKey = await f.api('POST', '/api/v1/sales', body, { headers: { 'idempotency-key': 'has space' } });
    expect(badKey.status).toBe(400);
    expect(await counts()).toEqual(before);
  });
});

describe('database guards on counter documents (the app\'s own connection)', () => {
  const refused = async (q: ReturnType<typeof sql>, message: string) => {
    let err: any = null;
    try {
      await f.t.deps.db.execute(q);
    } catch (e) {
      err = e;
    }
    expect(err).not.toBeNull();
    expect(String(err?.cause?.message ?? err?.message)).toContain(message);
  };

  test('a sale changes only by being voided (status and void columns), once; it is never deleted', async () => {
    await refused(sql`update sales set note = 'edited' where id = ${sale.id}`, 'a completed sale can only be voided, not changed');
    await refused(sql`update sales set total_cents = total_cents + 1, net_cents = net_cents + 1, gross_cents = gross_cents + 1 where id = ${sale.id}`, 'can only be voided');
    await refused(sql`update sales set status = 'voided', voided_at = now(), void_reason = 'x', total_cents = 1 where id = ${sale.id}`, 'can only be voided');
    await refused(sql`delete from sales where id = ${sale.id}`, 'sales are never deleted');
    // The void columns alone may change, from completed to voided — and then nothing more.
    await f.t.deps.db.execute(sql`update sales set status = 'voided', voided_at = now(), void_reason = 'guard test' where id = ${charged.id}`);
    await refused(sql`update sales set void_reason = 'again' where id = ${charged.id}`, 'can only be voided');
    await refused(sql`update sales set status = 'completed', voided_at = null where id = ${charged.id}`, 'can only be voided');
    const [row] = await f.t.deps.db.execute<{ note: string; status: string }>(sql`select note, status from sales where id = ${sale.id}`);
    expect(row).toEqual({ note: '', status: 'completed' });
  });

  for (const table of ['sale_lines', 'sale_tenders', 'sale_taxes', 'sale_discounts', 'gift_card_entries', 'store_credit_entries', 'invoice_allocations']) {
    test(`${table} rows can't be updated or deleted`, async () => {
      const [any] = await f.t.deps.db.execute<{ id: string }>(sql.raw(`select id from ${table} limit 1`));
      expect(any).toBeDefined();
      await refused(sql.raw(`update ${table} set id = id where id = '${any.id}'`), `${table} rows are append-only (UPDATE refused)`);
      await refused(sql.raw(`delete from ${table} where id = '${any.id}'`), `${table} rows are append-only (DELETE refused)`);
    });
  }

  test("an invoice's total and account never change and it is never deleted; only its balance moves", async () => {
    const [inv] = await f.t.deps.db.execute<{ id: string }>(sql`select id from invoices limit 1`);
    await refused(sql`update invoices set total_cents = total_cents + 100 where id = ${inv.id}`, "only an invoice's open balance changes");
    await refused(sql`update invoices set account_id = ${f.schoolId} where id = ${inv.id}`, "only an invoice's open balance changes");
    await refused(sql`delete from invoices where id = ${inv.id}`, 'invoices are never deleted');
    await f.t.deps.db.execute(sql`update invoices set balance_cents = balance_cents where id = ${inv.id}`);
    // Beyond its total or below zero the balance is refused by its check.
    await refused(sql`update invoices set balance_cents = total_cents + 1 where id = ${inv.id}`, 'invoices_balance_check');
  });
});

// Last: it starts a store of its own (resetDb), which ends the shared one.
describe('the drawer', () => {
  test('a closed drawer refuses cash (409) and writes nothing', async () => {
    const g = await posFixture();
    const expected = (await g.api('GET', `/api/v1/register-sessions/${g.sessionId}`)).json().expected.cash_cents;
    expect((await g.api('POST', `/api/v1/register-sessions/${g.sessionId}/close`, { cash_denominations: { '100': expected / 100 }, checks_cents: 0 })).status).toBe(200);
    const before = await Promise.all(COUNTED.map((t) => countRows(g.t, t)));
    const res = await g.api('POST', '/api/v1/sales', { register_session_id: g.sessionId, lines: [{ product_id: g.strings.id }], tenders: [{ method: 'cash', amount_cents: 1000 }] });
    expect(res.status).toBe(409);
    expect(res.json().error.fields.register_session_id).toBe('This drawer session is closed.');
    expect(await Promise.all(COUNTED.map((t) => countRows(g.t, t)))).toEqual(before);
  });

});

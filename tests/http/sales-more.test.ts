import { describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { settableClock } from '../../src/domain/clock';
import { cliActor } from '../../src/features/audit/service';
import { createApiToken } from '../../src/features/api-tokens/service';
import { createStaff, roleIdsByKey } from '../../src/features/staff/service';
import { balanceOf, countRows, entryFor, netByAccount, posFixture, type PosFixture } from '../pos/fixture';

/**
 * The counter through the API beyond the acceptance shift: voids (and who may), returns without a receipt,
 * payments on account, gift cards, split tenders and their refunds, serialized sales, discounts and their
 * approvals, named and order discounts, cash rounding, checks, the return window.
 */

let f: PosFixture;
const MANAGER = { username: 'mona', pin: '2468' };
let ids: { mona: string; cass: string };
/** A cashier's register token (pos.sell, pos.discount, payments.manage; discount limit 10%). */
let cashier: string;

async function setup(opts: Parameters<typeof posFixture>[0] = {}) {
  f = await posFixture(opts);
  const made = await f.t.deps.db.transaction(async (tx) => ({
    mona: await createStaff(tx, cliActor('test'), { username: 'mona', name: 'Mona Manager', email: null, password: 'staff password 123', pin: MANAGER.pin, role_ids: await roleIdsByKey(tx, ['manager']) }),
    cass: await createStaff(tx, cliActor('test'), { username: 'cass', name: 'Cass Cashier', email: null, password: 'staff password 123', pin: '1357', role_ids: await roleIdsByKey(tx, ['cashier']) }),
  }));
  ids = { mona: made.mona.id, cass: made.cass.id };
  cashier = (await f.t.deps.db.transaction((tx) => createApiToken(tx, cliActor('test'), { name: 'register', ownerUserId: ids.cass }))).token;
}

/** A token of the owner limited to the given permissions (e.g. refunds without the manager's override). */
const limitedToken = async (permissions: string[]) => (await f.t.deps.db.transaction(async (tx) => {
  const [owner] = await f.t.deps.db.execute<{ id: string }>(sql`select id from staff_users where username = 'owner1'`);
  return createApiToken(tx, cliActor('test'), { name: 'limited', ownerUserId: owner.id, permissions });
})).token;

const post = async (path: string, body: unknown, status: number, tok?: string) => {
  const res = await f.api('POST', path, body, tok ? { tok } : {});
  if (res.status !== status) throw new Error(`${path}: expected ${status}, got ${res.status} ${res.text}`);
  return res.json();
};
const expectedCash = async () => (await f.api('GET', `/api/v1/register-sessions/${f.sessionId}`)).json().expected;
const one = async <T = any>(q: ReturnType<typeof sql>) => (await f.t.deps.db.execute(q))[0] as T;
const acceptanceLines = () => [
  { product_id: f.strings.id, quantity: 2 },
  { product_id: f.tuner.id, quantity: 1, discount_percent_millipercent: 10000 },
];
const COUNTED = ['sales', 'sale_lines', 'sale_tenders', 'journal_entries', 'drawer_movements', 'gift_card_entries', 'store_credit_entries', 'invoices', 'invoice_allocations', 'stock_movements'];
const counts = async () => Object.fromEntries(await Promise.all(COUNTED.map(async (t) => [t, await countRows(f.t, t)] as const)));

describe('void', () => {
  test('a manager voids a sale: the entry is reversed exactly, stock and the unit come back, the drawer gives the cash back', async () => {
    await setup();
    const sale = await post('/api/v1/sales', { register_session_id: f.sessionId, account_id: f.accountId, lines: [...acceptanceLines(), { unit_id: f.unitId }], tenders: [{ method: 'cash', amount_cents: 110_000 }] }, 201);
    // One tax for the class: (4043 + 89900) × 8.875% = 8337.44 → 8337.
    expect(sale).toMatchObject({ net_cents: 93943, tax_cents: 8337, total_cents: 102280, change_cents: 110_000 - 102280 });
    expect((await expectedCash()).cash_cents).toBe(15000 + sale.total_cents);
    expect(await one(sql`select status from inventory_units where id = ${f.unitId}`)).toEqual({ status: 'sold' });

    const voided = await post(`/api/v1/sales/${sale.id}/void`, { reason: 'rang up on the wrong account' }, 200);
    expect(voided).toMatchObject({ status: 'voided', void_reason: 'rang up on the wrong account' });
    const original = netByAccount(await entryFor(f.t, sale.id));
    const reversal = netByAccount(await entryFor(f.t, sale.id, { reversal: true }));
    expect(reversal).toEqual(Object.fromEntries(Object.entries(original).map(([k, v]) => [k, -v])));
    expect(original).toMatchObject({ cash_drawer: sale.total_cents, cogs: 600 + 1100 + 52000 });
    const [{ entry_date }] = await f.t.deps.db.execute<{ entry_date: string }>(sql`select entry_date::text from journal_entries where source_id = ${sale.id} and reverses_entry_id is not null`);
    expect(entry_date).toBe(sale.business_date);

    expect(await one(sql`select status from inventory_units where id = ${f.unitId}`)).toEqual({ status: 'available' });
    expect((await f.api('GET', `/api/v1/products/${f.strings.id}/stock`)).json().quantity_on_hand).toBe(20);
    expect((await f.api('GET', `/api/v1/products/${f.tuner.id}/stock`)).json().quantity_on_hand).toBe(5);
    expect(await balanceOf(f.t, 'inventory')).toBe(20 * 300 + 5 * 1100 + 52000);
    expect((await expectedCash()).cash_cents).toBe(15000);
    expect(await balanceOf(f.t, 'cash_drawer')).toBe(15000);
    expect(await balanceOf(f.t, 'sales')).toBe(0);

    const again = await f.api('POST', `/api/v1/sales/${sale.id}/void`, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.json().error.message).toContain('already voided');
    // A voided sale has nothing to return.
    const ret = await f.api('POST', `/api/v1/sales/${sale.id}/returns`, { register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }] });
    expect(ret.status).toBe(409);
  });

  test('a void after the stock went below zero (manager override) keeps Inventory equal to the stock value', async () => {
    await setup();
    // Five tuners sold at their recorded $55.00; then 2 come in at $14.00 and 3 go out with an override (−1 on hand).
    const sale = await post('/api/v1/sales', { register_session_id: f.sessionId, lines: [{ product_id: f.tuner.id, quantity: 5 }], tenders: [{ method: 'cash', amount_cents: 20_000 }] }, 201);
    await post('/api/v1/stock/adjustments', { product_id: f.tuner.id, quantity: 2, reason: 'found', unit_cost_cents: 1400 }, 201);
    await post('/api/v1/stock/adjustments', { product_id: f.tuner.id, quantity: -3, reason: 'broken', allow_negative: true }, 201);
    await post(`/api/v1/sales/${sale.id}/void`, { reason: 'wrong item rung up' }, 200);
    const [p] = await f.t.deps.db.execute<{ qty: number; value: number }>(sql`select quantity_on_hand as qty, stock_value_cents::int as value from products where id = ${f.tuner.id}`);
    expect(p).toEqual({ qty: 4, value: 4400 });
    expect(await balanceOf(f.t, 'inventory')).toBe(20 * 300 + 4400 + 52000);
    const [{ n }] = await f.t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from journal_entries where source_id = ${sale.id}`);
    expect(n).toBe(3); // the sale, its reversal, the variance (Dr Inventory / Cr COGS 3.00)
  });

  test("a cashier can't void alone (403 approval_required, nothing written); with a manager's PIN the void goes through and names the manager", async () => {
    await setup();
    const sale = await post('/api/v1/sales', { register_session_id: f.sessionId, lines: acceptanceLines(), tenders: [{ method: 'cash', amount_cents: 5000 }] }, 201, cashier);
    const before = await counts();
    const refused = await f.api('POST', `/api/v1/sales/${sale.id}/void`, { reason: 'customer changed their mind' }, { tok: cashier });
    expect(refused.status).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'forbidden', approval_required: true, permission: 'pos.void', reasons: ['void'] });
    expect(await counts()).toEqual(before);

    const wrongPin = await f.api('POST', `/api/v1/sales/${sale.id}/void`, { reason: 'customer changed their mind', approval: { username: 'mona', pin: '0000' } }, { tok: cashier });
    expect(wrongPin.status).toBe(403);
    expect(wrongPin.json().error.code).toBe('approval_failed');
    // A cashier's own PIN doesn't carry pos.void.
    const ownPin = await f.api('POST', `/api/v1/sales/${sale.id}/void`, { reason: 'customer changed their mind', approval: { username: 'cass', pin: '1357' } }, { tok: cashier });
    expect(ownPin.status).toBe(403);
    expect(await counts()).toEqual(before);

    // The longest reason the API takes (500 characters) still fits the reversal's memo.
    const reason = `customer changed their mind ${'and then changed it back again '.repeat(20)}`.slice(0, 500);
    const ok = await post(`/api/v1/sales/${sale.id}/void`, { reason, approval: MANAGER }, 200, cashier);
    expect(ok).toMatchObject({ status: 'voided', void_reason: reason.trim() });
    expect(await one(sql`select voided_by_user_id, voided_by_label from sales where id = ${sale.id}`)).toEqual({ voided_by_user_id: ids.mona, voided_by_label: 'mona' });
    expect((await expectedCash()).cash_cents).toBe(15000);
  });

  test('what cannot be voided: a sale of a closed session, a sale with a return, a payment on account', async () => {
    await setup();
    const withReturn = await post('/api/v1/sales', { register_session_id: f.sessionId, lines: acceptanceLines(), tenders: [{ method: 'cash', amount_cents: 4402 }] }, 201);
    await post(`/api/v1/sales/${withReturn.id}/returns`, { register_session_id: f.sessionId, lines: [{ line_id: withReturn.lines[0].id, quantity: 1 }] }, 201);
    const r1 = await f.api('POST', `/api/v1/sales/${withReturn.id}/void`, { reason: 'oops' });
    expect(r1.status).toBe(409);
    expect(r1.json().error.message).toContain('has a return');

    const charge = await post('/api/v1/sales', { account_id: f.accountId, lines: [{ kind: 'gift_card', amount_cents: 2000, gift_card_number: 'GC-CHARGE-1' }], tenders: [{ method: 'account', amount_cents: 2000 }] }, 201);
    const payment = await post(`/api/v1/accounts/${f.accountId}/payments`, { register_session_id: f.sessionId, amount_cents: 2000, tenders: [{ method: 'cash', amount_cents: 2000 }] }, 201);
    const r2 = await f.api('POST', `/api/v1/sales/${payment.id}/void`, { reason: 'oops' });
    expect(r2.status).toBe(409);
    expect(r2.json().error.message).toContain('only sales can be voided');
    // The charge's invoice has a payment applied: the charge can't be voided either.
    const r3 = await f.api('POST', `/api/v1/sales/${charge.id}/void`, { reason: 'oops' });
    expect(r3.status).toBe(409);
    expect(r3.json().error.message).toContain('has payments applied');

    const closedSale = await post('/api/v1/sales', { register_session_id: f.sessionId, lines: [{ product_id: f.strings.id }], tenders: [{ method: 'cash', amount_cents: 1000 }] }, 201);
    const expected = (await expectedCash()).cash_cents;
    const denominations: Record<string, number> = { '100': Math.floor(expected / 100), '1': expected % 100 };
    await post(`/api/v1/register-sessions/${f.sessionId}/close`, { cash_denominations: denominations, checks_cents: 0 }, 200);
    const r4 = await f.api('POST', `/api/v1/sales/${closedSale.id}/void`, { reason: 'oops' });
    expect(r4.status).toBe(409);
    expect(r4.json().error.message).toContain('is closed');
  });
});

describe('return without a receipt', () => {
  test('needs a manager; gives store credit at the current price and tax; Dr Returns, Dr Sales tax / Cr Store credit liability', async () => {
    await setup();
    const refundsOnly = await limitedToken(['pos.sell', 'pos.refund']);
    const body = { register_session_id: f.sessionId, account_id: f.accountId, lines: [{ product_id: f.strings.id, quantity: 1, restock: true }] };
    const before = await counts();
    const refused = await f.api('POST', '/api/v1/returns', body, { tok: refundsOnly });
    expect(refused.status).toBe(403);
    expect(refused.json().error).toMatchObject({ approval_required: true, permission: 'pos.refund.override', reasons: ['no_receipt'] });
    expect(await counts()).toEqual(before);

    const ret = await post('/api/v1/returns', { ...body, approval: MANAGER }, 201, refundsOnly);
    // $8.99 at 8.875% = 79.79 → 80.
    expect(ret).toMatchObject({ kind: 'return', number: 'R-000001', net_cents: -899, tax_cents: -80, total_cents: -979, refund_cents: 979, original_sale_id: null });
    expect(ret.tenders).toEqual([expect.objectContaining({ method: 'store_credit', amount_cents: -979 })]);
    expect(await one(sql`select approved_by_user_id, approved_by_label from sales where id = ${ret.id}`)).toEqual({ approved_by_user_id: ids.mona, approved_by_label: 'mona' });
    expect(netByAccount(await entryFor(f.t, ret.id))).toEqual({ returns: 899, sales_tax_payable: 80, store_credit_liability: -979, inventory: 300, cogs: -300 });
    expect(await one(sql`select kind, amount_cents::int, balance_after_cents::int from store_credit_entries where account_id = ${f.accountId}`)).toEqual({ kind: 'return', amount_cents: 979, balance_after_cents: 979 });
    expect((await f.api('GET', `/api/v1/products/${f.strings.id}/stock`)).json().quantity_on_hand).toBe(21);
    // No drawer movement: store credit doesn't leave the drawer.
    expect((await expectedCash()).cash_cents).toBe(15000);

    // The credit pays for the next sale.
    const spend = await post('/api/v1/sales', { account_id: f.accountId, lines: [{ product_id: f.strings.id }], tenders: [{ method: 'store_credit', amount_cents: 979 }] }, 201);
    expect(netByAccount(await entryFor(f.t, spend.id))).toMatchObject({ store_credit_liability: 979, sales: -899, sales_tax_payable: -80 });
    expect(await balanceOf(f.t, 'store_credit_liability')).toBe(0);
  });

  test('a unit sold on a receipt must be returned from that sale', async () => {
    await setup();
    const sale = await post('/api/v1/sales', { account_id: f.accountId, lines: [{ unit_id: f.unitId }], tenders: [{ method: 'external_card', amount_cents: 97879, last4: '4242', auth_code: 'A1' }] }, 201);
    const res = await f.api('POST', '/api/v1/returns', { account_id: f.accountId, lines: [{ product_id: f.trumpet.id, unit_id: f.unitId, quantity: 1 }] });
    expect(res.status).toBe(409);
    expect(res.json().error.fields['lines.0.unit_id']).toContain(sale.number);
  });
});

describe('payment on account', () => {
  test('charges of $100 and $20, then $150 paid: oldest invoice first, $30 over becomes store credit; Dr Cash / Cr AR, Cr Store credit liability', async () => {
    await setup();
    const first = await post('/api/v1/sales', { account_id: f.accountId, lines: [{ kind: 'gift_card', amount_cents: 10000, gift_card_number: 'GC-ACCT-100' }], tenders: [{ method: 'account', amount_cents: 10000 }] }, 201);
    expect(netByAccount(await entryFor(f.t, first.id))).toEqual({ accounts_receivable: 10000, gift_card_liability: -10000 });
    const second = await post('/api/v1/sales', { account_id: f.accountId, lines: [{ kind: 'gift_card', amount_cents: 2000, gift_card_number: 'GC-ACCT-020' }], tenders: [{ method: 'account', amount_cents: 2000 }] }, 201);
    expect(second.tenders[0].reference).toBe('INV-000002');
    expect(await balanceOf(f.t, 'accounts_receivable')).toBe(12000);

    const pay = await post(`/api/v1/accounts/${f.accountId}/payments`, { register_session_id: f.sessionId, amount_cents: 15000, tenders: [{ method: 'cash', amount_cents: 20000 }] }, 201);
    expect(pay).toMatchObject({ kind: 'payment', number: 'P-000001', total_cents: 15000, change_cents: 5000, tax_cents: 0 });
    const invoices = await f.t.deps.db.execute<{ number: string; balance: number; paid: number }>(sql`
      select i.number, i.balance_cents::int as balance, (select sum(a.amount_cents)::int from invoice_allocations a where a.invoice_id = i.id and a.sale_id = ${pay.id}) as paid
      from invoices i order by i.number`);
    expect([...invoices]).toEqual([
      { number: 'INV-000001', balance: 0, paid: 10000 },
      { number: 'INV-000002', balance: 0, paid: 2000 },
    ]);
    const entry = await entryFor(f.t, pay.id);
    expect(netByAccount(entry)).toEqual({ cash_drawer: 15000, accounts_receivable: -12000, store_credit_liability: -3000 });
    const [{ party_id }] = await f.t.deps.db.execute<{ party_id: string }>(sql`select l.party_id from journal_lines l join journal_entries e on e.id = l.entry_id join ledger_accounts a on a.id = l.account_id where e.source_id = ${pay.id} and a.system_key = 'accounts_receivable'`);
    expect(party_id).toBe(f.accountId);
    expect(await one(sql`select kind, amount_cents::int from store_credit_entries where account_id = ${f.accountId}`)).toEqual({ kind: 'overpayment', amount_cents: 3000 });
    expect(await balanceOf(f.t, 'accounts_receivable')).toBe(0);
    expect((await expectedCash()).cash_cents).toBe(15000 + 15000);
  });

  test('chosen invoices first (listing one twice applies it once); over the credit limit and accounts without charges are refused', async () => {
    await setup();
    await post('/api/v1/sales', { account_id: f.accountId, lines: [{ kind: 'gift_card', amount_cents: 3000, gift_card_number: 'GC-A-1' }], tenders: [{ method: 'account', amount_cents: 3000 }] }, 201);
    await post('/api/v1/sales', { account_id: f.accountId, lines: [{ kind: 'gift_card', amount_cents: 4000, gift_card_number: 'GC-A-2' }], tenders: [{ method: 'account', amount_cents: 4000 }] }, 201);
    const [, newer] = await f.t.deps.db.execute<{ id: string }>(sql`select id from invoices order by number`);
    const pay = await post(`/api/v1/accounts/${f.accountId}/payments`, { register_session_id: f.sessionId, amount_cents: 5000, invoice_ids: [newer.id, newer.id], tenders: [{ method: 'check', amount_cents: 5000, reference: '2211' }] }, 201);
    expect(pay.total_cents).toBe(5000);
    expect([...(await f.t.deps.db.execute<{ number: string; balance: number }>(sql`select number, balance_cents::int as balance from invoices order by number`))]).toEqual([
      { number: 'INV-000001', balance: 2000 },
      { number: 'INV-000002', balance: 0 },
    ]);
    expect(await balanceOf(f.t, 'accounts_receivable')).toBe(2000);

    const before = await counts();
    const over = await f.api('POST', '/api/v1/sales', { account_id: f.accountId, lines: [{ kind: 'gift_card', amount_cents: 48001, gift_card_number: 'GC-A-3' }], tenders: [{ method: 'account', amount_cents: 48001 }] });
    expect(over.status).toBe(409);
    expect(over.json().error.fields['tenders.0.amount_cents']).toContain('$480.00 available');
    const noCharge = await f.api('POST', '/api/v1/sales', { account_id: f.schoolId, lines: [{ kind: 'gift_card', amount_cents: 100, gift_card_number: 'GC-A-4' }], tenders: [{ method: 'account', amount_cents: 100 }] });
    expect(noCharge.status).toBe(409);
    expect(noCharge.json().error.fields['tenders.0.amount_cents']).toContain('does not allow charges');
    const circular = await f.api('POST', `/api/v1/accounts/${f.accountId}/payments`, { amount_cents: 2000, tenders: [{ method: 'account', amount_cents: 2000 }] });
    expect(circular.status).toBe(422);
    expect(circular.json().error.fields['tenders.0.method']).toContain("can't be charged to the account");
    expect(await counts()).toEqual(before);
  });
});

describe('gift cards', () => {
  test('sell, look up, redeem in a split tender with cash; the refund goes back in reverse order, each tender capped at what it paid', async () => {
    await setup();
    const card = await post('/api/v1/gift-cards', { number: 'gc 5000 0001', amount_cents: 5000, register_session_id: f.sessionId, tenders: [{ method: 'cash', amount_cents: 5000 }] }, 201);
    expect(card).toMatchObject({ number: 'GC50000001', status: 'active', balance_cents: 5000, sale_number: 'S-000001' });
    expect(netByAccount(await entryFor(f.t, card.sale_id))).toEqual({ cash_drawer: 5000, gift_card_liability: -5000 });
    const looked = await f.api('GET', '/api/v1/gift-cards/GC50000001');
    expect(looked.status).toBe(200);
    expect(looked.json()).toMatchObject({ balance_cents: 5000, entries: [expect.objectContaining({ kind: 'issue', amount_cents: 5000, balance_after_cents: 5000 })] });
    expect((await f.api('GET', '/api/v1/gift-cards/NOPE-123456')).status).toBe(404);

    // $44.02: $30 from the card, $20 cash → $14.02 applied, $5.98 change.
    const sale = await post('/api/v1/sales', { register_session_id: f.sessionId, lines: acceptanceLines(), tenders: [{ method: 'gift_card', amount_cents: 3000, gift_card_number: 'GC50000001' }, { method: 'cash', amount_cents: 2000 }] }, 201);
    expect(sale.tenders.map((t: any) => [t.method, t.amount_cents, t.change_cents])).toEqual([['gift_card', 3000, 0], ['cash', 1402, 598]]);
    expect(netByAccount(await entryFor(f.t, sale.id))).toMatchObject({ gift_card_liability: 3000, cash_drawer: 1402 });
    expect((await f.api('GET', '/api/v1/gift-cards/GC50000001')).json().balance_cents).toBe(2000);

    // Return one pack of strings ($9.79): all of it back in cash (the last tender).
    const r1 = await post(`/api/v1/sales/${sale.id}/returns`, { register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }] }, 201);
    expect(r1.tenders.map((t: any) => [t.method, t.amount_cents])).toEqual([['cash', -979]]);
    // The rest ($34.23): the cash left ($4.23), then the card ($30.00).
    const r2 = await post(`/api/v1/sales/${sale.id}/returns`, { register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }, { line_id: sale.lines[1].id, quantity: 1 }] }, 201);
    expect(r2.refund_cents).toBe(4402 - 979);
    expect(r2.tenders.map((t: any) => [t.method, t.amount_cents])).toEqual([['cash', -423], ['gift_card', -3000]]);
    expect(netByAccount(await entryFor(f.t, r2.id))).toMatchObject({ cash_drawer: -423, gift_card_liability: -3000 });
    expect((await f.api('GET', '/api/v1/gift-cards/GC50000001')).json()).toMatchObject({ balance_cents: 5000 });
    expect((await expectedCash()).cash_cents).toBe(15000 + 5000 + 1402 - 979 - 423);
    expect(await balanceOf(f.t, 'gift_card_liability')).toBe(-5000);
  });

  test('an unknown card, a card over its balance and an expired card are refused and write nothing', async () => {
    await setup();
    await post('/api/v1/gift-cards', { number: 'GC-SMALL-1', amount_cents: 500, tenders: [{ method: 'external_card', amount_cents: 500, last4: '1111', auth_code: 'OK' }] }, 201);
    await f.t.deps.db.execute(sql`insert into gift_cards (number, expires_on) values ('GC-OLD-0001', '2020-01-31')`);
    const before = await counts();
    const line = [{ product_id: f.strings.id }];
    const unknown = await f.api('POST', '/api/v1/sales', { lines: line, tenders: [{ method: 'gift_card', amount_cents: 979, gift_card_number: 'GC-NONE-1' }] });
    expect(unknown.status).toBe(422);
    expect(unknown.json().error.fields['tenders.0.gift_card_number']).toContain('No gift card');
    const over = await f.api('POST', '/api/v1/sales', { lines: line, tenders: [{ method: 'gift_card', amount_cents: 979, gift_card_number: 'GC-SMALL-1' }] });
    expect(over.status).toBe(409);
    expect(over.json().error.fields['tenders.0.gift_card_number']).toBe('Balance is $5.00.');
    const expired = await f.api('POST', '/api/v1/sales', { lines: line, tenders: [{ method: 'gift_card', amount_cents: 979, gift_card_number: 'GC-OLD-0001' }] });
    expect(expired.status).toBe(409);
    expect(expired.json().error.fields['tenders.0.gift_card_number']).toBe('This card has expired.');
    expect(await counts()).toEqual(before);
  });
});

describe('serialized sale', () => {
  test('needs an account; the unit is sold with its own cost as COGS; a return puts it back available at that cost', async () => {
    await setup();
    const noAccount = await f.api('POST', '/api/v1/sales', { lines: [{ unit_id: f.unitId }], tenders: [{ method: 'external_card', amount_cents: 97879, last4: '4242', auth_code: 'A1' }] });
    expect(noAccount.status).toBe(422);
    expect(noAccount.json().error.fields.account_id).toContain('serialized sale needs a customer account');
    const noUnit = await f.api('POST', '/api/v1/sales', { account_id: f.accountId, lines: [{ product_id: f.trumpet.id }], tenders: [] });
    expect(noUnit.status).toBe(422);
    expect(noUnit.json().error.fields['lines.0.unit_id']).toContain('serialized');

    const sale = await post('/api/v1/sales', { account_id: f.accountId, lines: [{ unit_id: f.unitId }], tenders: [{ method: 'external_card', amount_cents: 97879, last4: '4242', auth_code: 'A1' }] }, 201);
    expect(sale).toMatchObject({ total_cents: 97879, tax_cents: 7979 });
    expect(sale.lines[0]).toMatchObject({ unit_id: f.unitId, product_id: f.trumpet.id, description: 'Student trumpet #TR-1001' });
    expect(netByAccount(await entryFor(f.t, sale.id))).toEqual({ card_clearing_external: 97879, sales: -89900, sales_tax_payable: -7979, cogs: 52000, inventory: -52000 });
    expect(await one(sql`select cost_cents::int from sale_lines where sale_id = ${sale.id}`)).toEqual({ cost_cents: 52000 });
    expect(await one(sql`select status from inventory_units where id = ${f.unitId}`)).toEqual({ status: 'sold' });
    const again = await f.api('POST', '/api/v1/sales', { account_id: f.accountId, lines: [{ unit_id: f.unitId }], tenders: [{ method: 'external_card', amount_cents: 97879, last4: '4242', auth_code: 'A1' }] });
    expect(again.status).toBe(409);
    expect(again.json().error.fields['lines.0.unit_id']).toBe('This unit is sold.');

    const ret = await post(`/api/v1/sales/${sale.id}/returns`, { lines: [{ line_id: sale.lines[0].id, quantity: 1 }] }, 201);
    expect(ret.tenders).toEqual([expect.objectContaining({ method: 'external_card', amount_cents: -97879 })]);
    expect(netByAccount(await entryFor(f.t, ret.id))).toEqual({ returns: 89900, sales_tax_payable: 7979, card_clearing_external: -97879, inventory: 52000, cogs: -52000 });
    expect(await one(sql`select status from inventory_units where id = ${f.unitId}`)).toEqual({ status: 'available' });
    expect(await balanceOf(f.t, 'inventory')).toBe(20 * 300 + 5 * 1100 + 52000);
  });
});

describe('discounts and approvals', () => {
  test("a cashier's discount above their 10% limit needs a manager (403 approval_required); approved, the discount records who approved", async () => {
    await setup();
    const body = { register_session_id: f.sessionId, lines: [{ product_id: f.tuner.id, discount_percent_millipercent: 15000 }], tenders: [{ method: 'cash', amount_cents: 5000 }] };
    const before = await counts();
    const refused = await f.api('POST', '/api/v1/sales', body, { tok: cashier });
    expect(refused.status).toBe(403);
    expect(refused.json().error).toMatchObject({ approval_required: true, permission: 'pos.discount.override', reasons: ['above_user_limit'] });
    expect(await counts()).toEqual(before);
    // 10% is within the limit: no PIN.
    const within = await post('/api/v1/sales', { ...body, lines: [{ product_id: f.tuner.id, discount_percent_millipercent: 10000 }] }, 201, cashier);
    expect(within.discounts).toEqual([expect.objectContaining({ amount_cents: 250, approved_by: null })]);

    const approved = await post('/api/v1/sales', { ...body, approval: MANAGER }, 201, cashier);
    // 15% of $24.95 = 374.25 → $3.74.
    expect(approved.discounts).toEqual([expect.objectContaining({ kind: 'percent', amount_cents: 374, applied_by: 'api:register', approved_by: 'mona', reasons: ['above_user_limit'] })]);
    expect(await one(sql`select approved_by_user_id, applied_by_user_id from sale_discounts where sale_id = ${approved.id}`)).toEqual({ approved_by_user_id: ids.mona, applied_by_user_id: ids.cass });
    expect(netByAccount(await entryFor(f.t, approved.id))).toMatchObject({ discounts: 374, sales: -2495 });
  });

  test('a price below the minimum needs a manager even within the limit; a price override is a discount of kind price_override, not in the Discounts account', async () => {
    await setup();
    await f.t.deps.db.execute(sql`update staff_users set discount_limit_millipercent = 50000 where id = ${ids.cass}`);
    const body = { register_session_id: f.sessionId, lines: [{ product_id: f.tuner.id, unit_price_cents: 1900 }], tenders: [{ method: 'cash', amount_cents: 5000 }] };
    const refused = await f.api('POST', '/api/v1/sales', body, { tok: cashier });
    expect(refused.status).toBe(403);
    expect(refused.json().error).toMatchObject({ approval_required: true, reasons: ['below_minimum_price'] });
    expect(refused.json().error.message).toContain('price below the minimum');
    const sale = await post('/api/v1/sales', { ...body, approval: MANAGER }, 201, cashier);
    expect(sale).toMatchObject({ subtotal_cents: 1900, discount_cents: 0, net_cents: 1900 });
    expect(sale.discounts).toEqual([expect.objectContaining({ kind: 'price_override', amount_cents: 595, approved_by: 'mona', reasons: ['below_minimum_price'] })]);
    const entry = netByAccount(await entryFor(f.t, sale.id));
    expect(entry.sales).toBe(-1900);
    expect(entry.discounts).toBeUndefined();
    // At the minimum itself no approval is needed.
    await post('/api/v1/sales', { ...body, lines: [{ product_id: f.tuner.id, unit_price_cents: 2000 }] }, 201, cashier);
  });

  test('named discounts on a line and on the order are recorded with their name and id', async () => {
    await setup();
    const [teacher] = await f.t.deps.db.execute<{ id: string }>(sql`insert into named_discounts (name, kind, percent_millipercent) values ('Teacher 15%', 'percent', 15000) returning id`);
    const [band] = await f.t.deps.db.execute<{ id: string }>(sql`insert into named_discounts (name, kind, amount_cents) values ('Band night $2', 'amount', 200) returning id`);
    const sale = await post('/api/v1/sales', { register_session_id: f.sessionId, lines: [{ product_id: f.tuner.id, named_discount_id: teacher.id }, { product_id: f.strings.id }], order_discount: { named_discount_id: band.id }, tenders: [{ method: 'cash', amount_cents: 5000 }] }, 201);
    expect(sale.discounts).toHaveLength(2);
    expect(sale.discounts).toEqual(expect.arrayContaining([
      expect.objectContaining({ label: 'Teacher 15%', kind: 'percent', amount_cents: 374 }),
      expect.objectContaining({ label: 'Band night $2', kind: 'amount', amount_cents: 200 }),
    ]));
    const rows = await f.t.deps.db.execute<{ named_discount_id: string; line: boolean }>(sql`select named_discount_id, sale_line_id is not null as line from sale_discounts where sale_id = ${sale.id} order by label desc`);
    expect([...rows]).toEqual([{ named_discount_id: teacher.id, line: true }, { named_discount_id: band.id, line: false }]);
    expect(sale.discount_cents).toBe(574);
    const both = await f.api('POST', '/api/v1/sales', { register_session_id: f.sessionId, lines: [{ product_id: f.strings.id }], order_discount: { named_discount_id: band.id, amount_cents: 100 }, tenders: [{ method: 'cash', amount_cents: 2000 }] });
    expect(both.status).toBe(422);
    expect(both.json().error.fields.order_discount).toContain('not both');
    await f.t.deps.db.execute(sql`update named_discounts set active = false where id = ${teacher.id}`);
    const inactive = await f.api('POST', '/api/v1/sales', { register_session_id: f.sessionId, lines: [{ product_id: f.tuner.id, named_discount_id: teacher.id }], tenders: [{ method: 'cash', amount_cents: 5000 }] });
    expect(inactive.status).toBe(422);
    expect(inactive.json().error.fields['lines.0.named_discount_id']).toContain('No such active named discount');
  });

  test('a $5.00 order discount over nets 1798 and 2245 is spread 222 / 278 (largest remainder), tax on what is left', async () => {
    await setup();
    const sale = await post('/api/v1/sales', { register_session_id: f.sessionId, lines: acceptanceLines(), order_discount: { amount_cents: 500 }, tenders: [{ method: 'cash', amount_cents: 5000 }] }, 201);
    expect(sale.lines.map((l: any) => [l.gross_cents, l.discount_cents, l.net_cents])).toEqual([[1798, 222, 1576], [2495, 250 + 278, 1967]]);
    // 3543 × 8.875% = 314.44 → 314.
    expect(sale).toMatchObject({ subtotal_cents: 4293, discount_cents: 750, net_cents: 3543, tax_cents: 314, total_cents: 3857 });
    expect(sale.lines.map((l: any) => l.tax_cents).reduce((a: number, b: number) => a + b, 0)).toBe(314);
    expect(netByAccount(await entryFor(f.t, sale.id))).toMatchObject({ discounts: 750, sales: -4293, sales_tax_payable: -314, cash_drawer: 3857 });
  });
});

describe('tenders: cash rounding and checks', () => {
  test('with 5¢ cash rounding $44.02 is paid as $44.00: rounding posts to Cash over/short and the drawer expects what came in', async () => {
    await setup();
    await f.t.deps.db.execute(sql`update store_settings set cash_rounding_cents = 5`);
    const odd = await f.api('POST', '/api/v1/sales', { register_session_id: f.sessionId, lines: acceptanceLines(), tenders: [{ method: 'cash', amount_cents: 4402 }] });
    expect(odd.status).toBe(422);
    expect(odd.json().error.fields.tenders).toContain('multiple of 5');
    const sale = await post('/api/v1/sales', { register_session_id: f.sessionId, lines: acceptanceLines(), tenders: [{ method: 'cash', amount_cents: 5000 }] }, 201);
    expect(sale).toMatchObject({ total_cents: 4402, change_cents: 600, rounding_cents: -2 });
    expect(netByAccount(await entryFor(f.t, sale.id))).toMatchObject({ cash_drawer: 4400, cash_over_short: 2, sales: -4293 });
    expect((await expectedCash()).cash_cents).toBe(15000 + 4400);
    expect(await balanceOf(f.t, 'cash_drawer')).toBe(15000 + 4400);
    // $10.03 rounds up: the customer pays $10.05 and the store keeps 2¢ (Cr Cash over/short).
    const up = await post('/api/v1/sales', { register_session_id: f.sessionId, lines: [{ kind: 'gift_card', amount_cents: 1003, gift_card_number: 'GC-ROUND-1' }], tenders: [{ method: 'cash', amount_cents: 2000 }] }, 201);
    expect(up).toMatchObject({ change_cents: 995, rounding_cents: 2 });
    expect(netByAccount(await entryFor(f.t, up.id))).toEqual({ cash_drawer: 1005, cash_over_short: -2, gift_card_liability: -1003 });
    expect((await expectedCash()).cash_cents).toBe(15000 + 4400 + 1005);
    // A card pays to the cent, never rounded.
    const card = await post('/api/v1/sales', { lines: [{ product_id: f.strings.id }], tenders: [{ method: 'external_card', amount_cents: 979, last4: '4242', auth_code: 'R1' }] }, 201);
    expect(card.rounding_cents).toBe(0);
  });

  test('a check goes to Checks to deposit and the drawer counts it; without its number it is refused', async () => {
    await setup();
    const noNumber = await f.api('POST', '/api/v1/sales', { register_session_id: f.sessionId, lines: acceptanceLines(), tenders: [{ method: 'check', amount_cents: 4402 }] });
    expect(noNumber.status).toBe(422);
    expect(noNumber.json().error.fields['tenders.0.reference']).toBe('Enter the check number.');
    const sale = await post('/api/v1/sales', { register_session_id: f.sessionId, lines: acceptanceLines(), tenders: [{ method: 'check', amount_cents: 4402, reference: '1042' }] }, 201);
    expect(sale.tenders[0]).toMatchObject({ method: 'check', amount_cents: 4402, reference: '1042' });
    expect(netByAccount(await entryFor(f.t, sale.id))).toMatchObject({ checks_to_deposit: 4402 });
    expect(await expectedCash()).toEqual({ cash_cents: 15000, checks_cents: 4402 });
    // Returned from the same open drawer, the customer's check goes back (part of it, as recorded).
    const ret = await post(`/api/v1/sales/${sale.id}/returns`, { register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }] }, 201);
    expect(ret.tenders.map((t: any) => [t.method, t.amount_cents])).toEqual([['check', -979]]);
    expect(await expectedCash()).toEqual({ cash_cents: 15000, checks_cents: 4402 - 979 });
  });

  test('once the drawer holding the check is closed, its refund is cash from the open drawer (a manager can\'t ask for a check)', async () => {
    await setup();
    const sale = await post('/api/v1/sales', { register_session_id: f.sessionId, lines: acceptanceLines(), tenders: [{ method: 'check', amount_cents: 4402, reference: '1042' }] }, 201);
    await post(`/api/v1/register-sessions/${f.sessionId}/close`, { cash_denominations: { '2000': 5, '1000': 4, '500': 2 }, checks_cents: 4402 }, 200);
    const next = await post(`/api/v1/registers/${f.registerId}/sessions`, { float_cents: 10000 }, 201);
    const explicit = await f.api('POST', `/api/v1/sales/${sale.id}/returns`, { register_session_id: next.id, lines: [{ line_id: sale.lines[0].id, quantity: 1 }], tenders: [{ method: 'check' }] });
    expect(explicit.status).toBe(422);
    expect(explicit.json().error.fields['tenders.0.method']).toContain('Only a check taken in this drawer session');
    const ret = await post(`/api/v1/sales/${sale.id}/returns`, { register_session_id: next.id, lines: [{ line_id: sale.lines[0].id, quantity: 1 }] }, 201);
    expect(ret.tenders.map((t: any) => [t.method, t.amount_cents])).toEqual([['cash', -979]]);
    const session = (await f.api('GET', `/api/v1/register-sessions/${next.id}`)).json();
    expect(session.expected).toEqual({ cash_cents: 10000 - 979, checks_cents: 0 });
    expect(await balanceOf(f.t, 'checks_to_deposit')).toBe(4402);
  });
});

describe('return window', () => {
  test('past the window a return needs a manager; within it, it does not', async () => {
    const clock = settableClock('2026-11-24T15:00:00Z');
    await setup({ clock });
    const refundsOnly = await limitedToken(['pos.sell', 'pos.refund']);
    const sale = await post('/api/v1/sales', { register_session_id: f.sessionId, lines: acceptanceLines(), tenders: [{ method: 'cash', amount_cents: 5000 }] }, 201);
    expect(sale.business_date).toBe('2026-11-24');
    clock.advance(30 * 86_400_000);
    const within = await post(`/api/v1/sales/${sale.id}/returns`, { register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }] }, 201, refundsOnly);
    expect(within.business_date).toBe('2026-12-24');
    clock.advance(86_400_000);
    const before = await counts();
    const late = await f.api('POST', `/api/v1/sales/${sale.id}/returns`, { register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }] }, { tok: refundsOnly });
    expect(late.status).toBe(403);
    expect(late.json().error).toMatchObject({ approval_required: true, permission: 'pos.refund.override', reasons: ['past_return_window'] });
    expect(late.json().error.message).toContain('past the 30-day return window');
    expect(await counts()).toEqual(before);
    const approved = await post(`/api/v1/sales/${sale.id}/returns`, { register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }], approval: MANAGER }, 201, refundsOnly);
    expect(await one(sql`select approved_by_label from sales where id = ${approved.id}`)).toEqual({ approved_by_label: 'mona' });
    // The journal is dated the store's business day (the clock's), like the documents.
    const dates = await f.t.deps.db.execute<{ d: string }>(sql`select e.entry_date::text as d from journal_entries e where e.source_id in (${sale.id}, ${within.id}, ${approved.id}) order by e.entry_date`);
    expect(dates.map((r) => r.d)).toEqual(['2026-11-24', '2026-12-24', '2026-12-25']);
  });
});

describe('concurrency', () => {
  test('sales, returns and voids moving the same products in opposite line orders queue instead of deadlocking', async () => {
    await setup();
    await post('/api/v1/stock/adjustments', { product_id: f.strings.id, quantity: 200, reason: 'delivery', unit_cost_cents: 300 }, 201);
    await post('/api/v1/stock/adjustments', { product_id: f.tuner.id, quantity: 200, reason: 'delivery', unit_cost_cents: 1100 }, 201);
    const stringsFirst = [{ product_id: f.strings.id }, { product_id: f.tuner.id }];
    const tunerFirst = [{ product_id: f.tuner.id }, { product_id: f.strings.id }];
    const card = { method: 'external_card', amount_cents: 3695, last4: '1111', auth_code: 'A1' };
    const earlier: any[] = [];
    for (let i = 0; i < 16; i++) earlier.push(await post('/api/v1/sales', { lines: tunerFirst, tenders: [card] }, 201));
    const results = await Promise.all(
      earlier.flatMap((s, i) => [
        f.api('POST', '/api/v1/sales', { lines: stringsFirst, tenders: [card] }),
        i % 2 ? f.api('POST', `/api/v1/sales/${s.id}/void`, { reason: 'rang up twice' }) : f.api('POST', `/api/v1/sales/${s.id}/returns`, { lines: s.lines.map((l: any) => ({ line_id: l.id, quantity: 1 })) }),
      ]),
    );
    expect(results.map((r) => r.status).filter((s) => s >= 300)).toEqual([]);
    // Each product: 200 more, 16 sold first, 16 sold meanwhile, 8 voided and 8 returned back (+16).
    expect((await f.api('GET', `/api/v1/products/${f.strings.id}/stock`)).json().quantity_on_hand).toBe(20 + 200 - 16 - 16 + 16);
    expect((await f.api('GET', `/api/v1/products/${f.tuner.id}/stock`)).json().quantity_on_hand).toBe(5 + 200 - 16 - 16 + 16);
    const [{ value }] = await f.t.deps.db.execute<{ value: number }>(sql`select sum(stock_value_cents)::int as value from products where kind = 'stock'`);
    expect(await balanceOf(f.t, 'inventory')).toBe(value + 52000);
  });
});

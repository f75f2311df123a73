import { beforeEach, describe, expect, test } from 'bun:test';
import { balanceOf, countRows, entryFor, netByAccount, posFixture, type PosFixture } from '../pos/fixture';
import { stockLedger } from '../../src/features/inventory/stock';

let f: PosFixture;
beforeEach(async () => {
  f = await posFixture();
});

/** The spec's acceptance sale: strings $8.99 × 2 and a tuner $24.95 with 10% off the tuner. */
const acceptanceLines = () => [
  { product_id: f.strings.id, quantity: 2 },
  { product_id: f.tuner.id, quantity: 1, discount_percent_millipercent: 10000 },
];

describe('sales API — pos.md acceptance', () => {
  test('the acceptance shift: net $40.43, tax $3.59 (1.60 + 1.99), total $44.02, $60 cash -> $15.98 change; close at $194.01 -> $0.01 short posted', async () => {
    const res = await f.api('POST', '/api/v1/sales', { register_session_id: f.sessionId, lines: acceptanceLines(), tenders: [{ method: 'cash', amount_cents: 6000 }] });
    expect(res.status).toBe(201);
    const sale = res.json();
    expect(sale.number).toBe('S-000001');
    expect(sale).toMatchObject({ subtotal_cents: 4293, discount_cents: 250, net_cents: 4043, tax_cents: 359, total_cents: 4402, change_cents: 1598 });
    expect(sale.lines.map((l: any) => [l.net_cents, l.tax_cents])).toEqual([[1798, 160], [2245, 199]]);
    expect(sale.taxes.map((x: any) => [x.component, x.tax_cents])).toEqual([['NY State', 162], ['NYC', 182], ['MCTD', 15]]);
    expect(sale.discounts).toEqual([expect.objectContaining({ label: 'Discount', amount_cents: 250, approved_by: null })]);

    // The stock ledger names the sale (through the movement's reference) and the search finds it by number.
    const ledger = await stockLedger(f.t.deps.db, f.strings.id, { q: 'S-000001', page: 1, limit: 10, sort: 'at', order: 'desc' } as any);
    expect(ledger.rows.map((m) => [m.reason, m.quantityDelta, m.documentNumber])).toEqual([['sale', -2, 'S-000001']]);

    const entry = netByAccount(await entryFor(f.t, sale.id));
    expect(entry).toEqual({ cash_drawer: 4402, discounts: 250, sales: -4293, sales_tax_payable: -359, cogs: 600 + 1100, inventory: -(600 + 1100) });

    const session = (await f.api('GET', `/api/v1/register-sessions/${f.sessionId}`)).json();
    expect(session.expected.cash_cents).toBe(19402);
    const close = await f.api('POST', `/api/v1/register-sessions/${f.sessionId}/close`, { cash_denominations: { '10000': 1, '5000': 1, '2000': 2, '100': 4, '1': 1 }, checks_cents: 0 });
    expect(close.status).toBe(200);
    expect(close.json()).toMatchObject({ counted: { cash_cents: 19401 }, over_short_cents: -1 });
    expect(await balanceOf(f.t, 'cash_over_short')).toBe(1);
    expect(await balanceOf(f.t, 'cash_drawer')).toBe(0);
  });

  test('a tax-exempt school buys the same: no tax, certificate number on the document', async () => {
    const res = await f.api('POST', '/api/v1/sales', { register_session_id: f.sessionId, account_id: f.schoolId, lines: acceptanceLines(), tenders: [{ method: 'check', amount_cents: 4043, reference: '1042' }] });
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({ net_cents: 4043, tax_cents: 0, total_cents: 4043, tax_exempt_certificate: 'EX-12345' });
    expect(netByAccount(await entryFor(f.t, res.json().id))).toMatchObject({ checks_to_deposit: 4043, sales: -4293, discounts: 250 });
    const receipt = await f.api('GET', `/api/v1/sales/${res.json().number}`);
    expect(receipt.json().tax_exempt_certificate).toBe('EX-12345');
  });

  test('return one pack of strings from that sale: refund $8.99 + $0.80 tax = $9.79 cash, restocked at cost', async () => {
    const sale = (await f.api('POST', '/api/v1/sales', { register_session_id: f.sessionId, lines: acceptanceLines(), tenders: [{ method: 'cash', amount_cents: 6000 }] })).json();
    const ret = await f.api('POST', `/api/v1/sales/${sale.id}/returns`, { register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1, restock: true }] });
    expect(ret.status).toBe(201);
    expect(ret.json()).toMatchObject({ number: 'R-000001', refund_cents: 979, tax_cents: -80, net_cents: -899 });
    expect(ret.json().tenders).toEqual([expect.objectContaining({ method: 'cash', amount_cents: -979 })]);
    expect(netByAccount(await entryFor(f.t, ret.json().id))).toEqual({ returns: 899, sales_tax_payable: 80, cash_drawer: -979, inventory: 300, cogs: -300 });
    expect((await f.api('GET', `/api/v1/register-sessions/${f.sessionId}`)).json().expected.cash_cents).toBe(19402 - 979);
    expect((await f.api('GET', `/api/v1/products/${f.strings.id}/stock`)).json().quantity_on_hand).toBe(19);
    // The second pack refunds the rest exactly (1798 - 899, 160 - 80); a third is refused.
    const ret2 = await f.api('POST', `/api/v1/sales/${sale.id}/returns`, { register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }] });
    expect(ret2.json()).toMatchObject({ refund_cents: 979, net_cents: -899, tax_cents: -80 });
    const ret3 = await f.api('POST', `/api/v1/sales/${sale.id}/returns`, { register_session_id: f.sessionId, lines: [{ line_id: sale.lines[0].id, quantity: 1 }] });
    expect(ret3.status).toBe(422);
    expect(JSON.stringify(ret3.json().error.fields)).toContain('0 of 2 can still be returned');
  });
});

describe('sales API — idempotency and numbering', () => {
  test('same key + body -> same sale and one journal entry; other body -> 409; concurrent duplicates -> one sale', async () => {
    const body = { register_session_id: f.sessionId, lines: acceptanceLines(), tenders: [{ method: 'cash', amount_cents: 6000 }] };
    const headers = { 'idempotency-key': 'sale-abc-1' };
    const first = await f.api('POST', '/api/v1/sales', body, { headers });
    const again = await f.api('POST', '/api/v1/sales', body, { headers });
    expect(again.status).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await countRows(f.t, 'sales')).toBe(1);
    const other = await f.api('POST', '/api/v1/sales', { ...body, tenders: [{ method: 'cash', amount_cents: 5000 }] }, { headers });
    expect(other.status).toBe(409);
    expect(other.json().error.code).toBe('idempotency_mismatch');

    const concurrent = await Promise.all([1, 2, 3].map(() => f.api('POST', '/api/v1/sales', body, { headers: { 'idempotency-key': 'sale-concurrent' } })));
    expect(new Set(concurrent.filter((r) => r.status === 201).map((r) => r.json().id)).size).toBe(1);
    expect(await countRows(f.t, 'sales')).toBe(2);
    const [{ n }] = await f.t.deps.db.execute<{ n: number }>(`select count(*)::int as n from journal_entries where event_type = 'counter_document'` as any);
    expect(n).toBe(2);
  });

  test('sale numbers are gap-free under concurrent checkouts, and a failed checkout gives its number back', async () => {
    const bad = await f.api('POST', '/api/v1/sales', { register_session_id: f.sessionId, lines: [{ product_id: f.strings.id, quantity: 1 }], tenders: [{ method: 'gift_card', amount_cents: 979, gift_card_number: 'NOPE-0000' }] });
    expect(bad.status).toBe(422);
    const results = await Promise.all(Array.from({ length: 8 }, () => f.api('POST', '/api/v1/sales', { register_session_id: f.sessionId, lines: [{ product_id: f.strings.id, quantity: 1 }], tenders: [{ method: 'cash', amount_cents: 1000 }] })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(results.map((r) => r.json().number).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `S-${String(i + 1).padStart(6, '0')}`));
  });
});

import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { apiRequest, makeTestApp, OWNER, ownerToken, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';
import { products, suppliers } from '../../src/db/schema';
import { balancesByKey } from '../../src/features/ledger/queries';

/**
 * Receiving on a PO posts Dr Inventory / Rental fleet / Cr Accounts payable at the exact receipt value (lines +
 * freight, no per-unit rounding drift), dated the store's business date from the injected clock.
 */

let t: TestContext;
let owner: TestClient;
let token: string;
let supplierId: string;
let trumpetId: string;
let stringsId: string;
let reedsId: string;

beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  token = await ownerToken(t);
  [{ id: supplierId }] = await t.deps.db.insert(suppliers).values({ name: 'Conn-Selmer' }).returning({ id: suppliers.id });
  [{ id: trumpetId }] = await t.deps.db.insert(products).values({ sku: 'TPT-1', name: 'Rental trumpet', kind: 'serialized', rentable: true }).returning({ id: products.id });
  [{ id: stringsId }] = await t.deps.db.insert(products).values({ sku: 'STR-1', name: 'Violin strings', kind: 'stock' }).returning({ id: products.id });
  [{ id: reedsId }] = await t.deps.db.insert(products).values({ sku: 'RD-1', name: 'Clarinet reeds', kind: 'stock' }).returning({ id: products.id });
});

const api = (method: string, path: string, json?: unknown) => apiRequest(t.app, method, path, { token, ...(json === undefined ? {} : { json }) });
const rows = <T = any>(q: ReturnType<typeof sql>) => t.deps.db.execute<T & Record<string, unknown>>(q) as Promise<T[]>;

/** Every inventory_receipt line with its entry's date, account key and party. */
const receiptLines = () =>
  rows<{ entry_id: string; entry_date: string; memo: string; system_key: string; d: number; c: number; party_type: string | null; party_id: string | null }>(sql`
    select e.id as entry_id, e.entry_date::text as entry_date, e.memo, a.system_key, l.debit_cents::int as d, l.credit_cents::int as c, l.party_type, l.party_id
    from journal_entries e join journal_lines l on l.entry_id = e.id join ledger_accounts a on a.id = l.account_id
    where e.event_type = 'inventory_receipt' order by e.number, l.line_no`);

async function createPo() {
  const res = await api('POST', '/api/v1/purchase-orders', {
    supplier_id: supplierId,
    lines: [
      { product_id: trumpetId, quantity: 2, unit_cost_cents: 30_000 },
      { product_id: stringsId, quantity: 3, unit_cost_cents: 100 },
      { product_id: reedsId, quantity: 7, unit_cost_cents: 250 },
    ],
  });
  expect(res.status).toBe(201);
  const po = res.json();
  const line = (sku: string) => po.lines.find((l: any) => l.sku === sku).id as string;
  return { po, tr: line('TPT-1'), st: line('STR-1'), rd: line('RD-1') };
}

describe('receiving posts the exact receipt value', () => {
  test('stock + serialized lines with freight: AP = lines + freight, Inventory = stock value, Rental fleet = unit costs, dated the store today', async () => {
    // 21:00 on 4 Jan in Chicago (the store's zone) is already 5 Jan in UTC: the entry must take the store's date.
    t.clock.set('2027-01-05T03:00:00Z');
    const { po, tr, st, rd } = await createPo();
    const freight = 1_000;
    const res = await api('POST', `/api/v1/purchase-orders/${po.id}/receipts`, { lines: [{ line_id: tr, quantity: 2, serials: ['A1', 'A2'] }, { line_id: st, quantity: 3 }, { line_id: rd, quantity: 7 }], freight_cents: freight });
    expect(res.status).toBe(201);

    // Freight by value (600.00 / 3.00 / 17.50): shares 967, 5 and 28 cents. Strings land at 100 + round(5/3) = 102 a
    // unit, but the three cost 305, not 306: the stock value and the AP credit must say 305.
    const lineValues = 2 * 30_000 + 3 * 100 + 7 * 250;
    const lines = await receiptLines();
    const ap = lines.filter((l) => l.system_key === 'accounts_payable');
    expect(ap.reduce((s, l) => s + l.c, 0)).toBe(lineValues + freight);
    expect(ap.every((l) => l.party_type === 'supplier' && l.party_id === supplierId && l.d === 0)).toBe(true);
    expect(lines.filter((l) => l.system_key === 'cogs')).toEqual([]);
    // One entry per stock line and per unit; each balances on its own.
    const entryIds = [...new Set(lines.map((l) => l.entry_id))];
    expect(entryIds).toHaveLength(4);
    for (const id of entryIds) {
      const own = lines.filter((l) => l.entry_id === id);
      expect(own.reduce((s, l) => s + l.d, 0)).toBe(own.reduce((s, l) => s + l.c, 0));
    }
    expect(lines.every((l) => l.entry_date === '2027-01-04')).toBe(true);
    expect(lines.every((l) => l.memo.startsWith(`${po.number}: received`))).toBe(true);

    const stock = await rows<{ sku: string; q: number; v: number; avg: number }>(sql`select sku, quantity_on_hand as q, stock_value_cents::int as v, average_cost_cents::int as avg from products where kind = 'stock' order by sku`);
    expect(stock).toEqual([
      { sku: 'RD-1', q: 7, v: 1_778, avg: 254 },
      { sku: 'STR-1', q: 3, v: 305, avg: 102 },
    ]);
    const inventoryDebits = lines.filter((l) => l.system_key === 'inventory').map((l) => l.d).sort((a, b) => a - b);
    expect(inventoryDebits).toEqual([305, 1_778]);
    const units = await rows<{ serial_number: string; cost: number; acquired_on: string }>(sql`select serial_number, cost_cents::int as cost, acquired_on::text as acquired_on from inventory_units order by serial_number`);
    expect(units).toEqual([
      { serial_number: 'A1', cost: 30_484, acquired_on: '2027-01-04' },
      { serial_number: 'A2', cost: 30_483, acquired_on: '2027-01-04' },
    ]);
    expect(lines.filter((l) => l.system_key === 'rental_fleet').map((l) => l.d)).toEqual([30_484, 30_483]);

    // The movement still shows the landed unit cost the receipt shows.
    const [mv] = await rows<{ unit_cost: number }>(sql`select unit_cost_cents::int as unit_cost from stock_movements where product_id = ${stringsId}`);
    expect(mv.unit_cost).toBe(102);
    expect(res.json().receipts[0].lines.find((l: any) => l.sku === 'STR-1').landed_unit_cost_cents).toBe(102);

    const balances = await balancesByKey(t.deps.db);
    expect(balances.get('accounts_payable')).toBe(lineValues + freight);
    expect(balances.get('inventory')).toBe(305 + 1_778);
    expect(balances.get('rental_fleet')).toBe(30_484 + 30_483);
  }, 30_000);

  test('the HTML receive form dates its entries the store today too, and a later receipt its own day', async () => {
    const { po, st, rd } = await createPo();
    t.clock.set('2026-12-01T16:00:00Z');
    owner = await signIn(t, OWNER.username, OWNER.password); // a week later the setup session has expired
    const form = await owner.get(`/purchasing/${po.id}/receive`);
    expect(form.status).toBe(200);
    const i = po.lines.findIndex((l: any) => l.id === st);
    const first = await owner.postForm(`/purchasing/${po.id}/receive`, { [`lines.${i}.line_id`]: st, [`lines.${i}.quantity`]: '1', freight: '0.01', notes: '' });
    expect(first.status).toBe(303);
    t.clock.set('2026-12-03T05:59:00Z'); // 23:59 on 2 Dec in Chicago
    const second = await api('POST', `/api/v1/purchase-orders/${po.id}/receipts`, { lines: [{ line_id: st, quantity: 2 }, { line_id: rd, quantity: 7 }], freight_cents: 0 });
    expect(second.status).toBe(201);
    const lines = await receiptLines();
    const byDate = new Map<string, number>();
    for (const l of lines.filter((x) => x.system_key === 'accounts_payable')) byDate.set(l.entry_date, (byDate.get(l.entry_date) ?? 0) + l.c);
    expect(Object.fromEntries(byDate)).toEqual({ '2026-12-01': 101, '2026-12-02': 200 + 1_750 });
    // 1 string at 1.01, then 2 at 1.00: value 3.01 exactly, though the average (1.00) × 3 is 3.00.
    const [p] = await rows<{ v: number; avg: number }>(sql`select stock_value_cents::int as v, average_cost_cents::int as avg from products where id = ${stringsId}`);
    expect(p).toEqual({ v: 301, avg: 100 });
  }, 30_000);
});

describe('stock value on the pages and the API', () => {
  test('"Value at cost" shows the exact stock value, not on hand × average', async () => {
    const { po, st } = await createPo();
    const res = await api('POST', `/api/v1/purchase-orders/${po.id}/receipts`, { lines: [{ line_id: st, quantity: 3 }], freight_cents: 5 });
    expect(res.status).toBe(201);
    // 3 × 1.00 + 0.05 = 3.05; the average is 1.02 and 3 × 1.02 would be 3.06.
    const page = await owner.get(`/inventory/products/${stringsId}/stock`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/id="average-cost">\$1\.02</);
    expect(page.text).toMatch(/id="stock-value">\$3\.05</);
    expect(page.text).not.toContain('$3.06');
    const product = await owner.get(`/inventory/products/${stringsId}`);
    expect(product.status).toBe(200);
    expect(product.text).toMatch(/<dt>Value<\/dt><dd>\$3\.05<\/dd>/);
    const stockApi = await api('GET', `/api/v1/products/${stringsId}/stock`);
    expect(stockApi.status).toBe(200);
    expect(stockApi.json()).toMatchObject({ quantity_on_hand: 3, average_cost_cents: 102, inventory_value_cents: 305 });
  }, 30_000);
});

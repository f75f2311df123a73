import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { apiRequest, makeTestApp, ownerToken, resetDb, setupStore, type TestClient, type TestContext } from '../helpers';
import { products } from '../../src/db/schema';
import { balancesByKey } from '../../src/features/ledger/queries';
import type { Tx } from '../../src/db/client';
import { cliActor } from '../../src/features/audit/service';
import { updateProduct } from '../../src/features/inventory/products';
import { updateProductSchema } from '../../src/features/inventory/schemas';
import { createUnit, overrideUnitStatus } from '../../src/features/inventory/unit-lifecycle';

/**
 * Changing a product's `rentable` flag moves its held units' cost between Inventory and Rental fleet
 * (accounting-reports.md "Cost": units for sale are Inventory, rentable fleet units are Rental fleet), in the
 * same transaction as the product change.
 */

let t: TestContext;
let owner: TestClient;
let token: string;

beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  token = await ownerToken(t);
});

const api = (method: string, path: string, json?: unknown) => apiRequest(t.app, method, path, { token, ...(json === undefined ? {} : { json }) });
const rows = <T = any>(q: ReturnType<typeof sql>) => t.deps.db.execute<T & Record<string, unknown>>(q) as Promise<T[]>;

const reclassified = () =>
  rows<{ entry_id: string; source_type: string; source_id: string; memo: string; system_key: string; d: number; c: number }>(sql`
    select e.id as entry_id, e.source_type, e.source_id, e.memo, a.system_key, l.debit_cents::int as d, l.credit_cents::int as c
    from journal_entries e join journal_lines l on l.entry_id = e.id join ledger_accounts a on a.id = l.account_id
    where e.event_type = 'unit_reclassified' order by e.number, l.line_no`);
const entryCount = async () => (await rows<{ n: number }>(sql`select count(*)::int as n from journal_entries`))[0].n;

async function product(sku: string, kind = 'serialized', rentable = false): Promise<string> {
  const [{ id }] = await t.deps.db.insert(products).values({ sku, name: `${sku} name`, kind, rentable }).returning({ id: products.id });
  return id;
}
async function unit(productId: string, serial: string, costCents: number): Promise<string> {
  const res = await api('POST', '/api/v1/units', { product_id: productId, serial_number: serial, cost_cents: costCents, acquired_via: 'purchase' });
  expect(res.status).toBe(201);
  return res.json().id;
}
async function override(unitId: string, status: string) {
  const res = await api('POST', `/api/v1/units/${unitId}/status`, { status, reason: 'test setup' });
  expect(res.status).toBe(200);
}

/** What Inventory and Rental fleet must hold (the cost rules, computed from the tables): stock value + units. */
async function expectedUnitBalances() {
  const [r] = await rows<{ inv: number; fleet: number }>(sql`
    select (select coalesce(sum(stock_value_cents), 0) from products)::int
             + coalesce(sum(u.cost_cents) filter (where not p.rentable and u.status in ('available','on_trial','in_repair','loaned','layaway','reserved')), 0)::int as inv,
           coalesce(sum(u.cost_cents) filter (where u.status = 'rented' or (p.rentable and u.status in ('available','on_trial','in_repair','loaned','layaway','reserved'))), 0)::int as fleet
    from inventory_units u join products p on p.id = u.product_id`);
  return r;
}
async function expectBooksMatchUnits() {
  const b = await balancesByKey(t.deps.db);
  const e = await expectedUnitBalances();
  expect({ inv: b.get('inventory') ?? 0, fleet: b.get('rental_fleet') ?? 0 }).toEqual(e);
}

describe('rentable flag and the journal', () => {
  test('making a product rentable moves its held units to Rental fleet in one balanced entry; back moves them back', async () => {
    const guitar = await product('GTR-1');
    await unit(guitar, 'G1', 45_000);
    await unit(guitar, 'G2', 30_000);
    const lost = await unit(guitar, 'G3', 20_000);
    const rented = await unit(guitar, 'G4', 10_000);
    const inRepair = await unit(guitar, 'G5', 5_000);
    await override(lost, 'lost'); // off the books: not moved
    await override(rented, 'rented'); // already Rental fleet: not moved
    await override(inRepair, 'in_repair'); // held: moved
    await expectBooksMatchUnits();
    const before = await entryCount();

    const on = await api('PATCH', `/api/v1/products/${guitar}`, { rentable: true });
    expect(on.status).toBe(200);
    expect(on.json().rentable).toBe(true);
    expect(await entryCount()).toBe(before + 1);
    let lines = await reclassified();
    expect(lines.map((l) => [l.system_key, l.d, l.c])).toEqual([
      ['rental_fleet', 80_000, 0],
      ['inventory', 0, 80_000],
    ]);
    expect(lines[0]).toMatchObject({ source_type: 'product', source_id: guitar });
    expect(lines[0].memo).toContain('GTR-1 became rentable');
    await expectBooksMatchUnits();
    expect((await balancesByKey(t.deps.db)).get('inventory')).toBe(0);

    // Back through the HTML edit form (the checkbox left unticked).
    expect((await owner.get(`/inventory/products/${guitar}/edit`)).status).toBe(200);
    const off = await owner.postForm(`/inventory/products/${guitar}`, { sku: 'GTR-1', upc: '', name: 'GTR-1 name', brand: '', model: '', kind: 'serialized', category_id: '', tax_class_id: '', price: '0', min_price: '', cost: '0', description: '', size: '', monthly_rental: '', rto_purchase_price: '', reorder_point: '', reorder_quantity: '', legacy_id: '', supplier_id: '', supplier_sku: '', supplier_cost: '', sellable: 'on', is_active: 'on' });
    expect(off.status).toBe(303);
    expect(await entryCount()).toBe(before + 2);
    lines = await reclassified();
    expect(lines.slice(2).map((l) => [l.system_key, l.d, l.c])).toEqual([
      ['inventory', 80_000, 0],
      ['rental_fleet', 0, 80_000],
    ]);
    expect(lines[2].memo).toContain('no longer rentable');
    await expectBooksMatchUnits();
    expect((await balancesByKey(t.deps.db)).get('rental_fleet')).toBe(10_000);
    const audit = await rows<{ action: string; b: boolean; a: boolean }>(sql`select action, (before->>'rentable')::boolean as b, (after->>'rentable')::boolean as a from audit_log where entity_id = ${guitar} and action = 'product.update' order by at`);
    expect(audit.map((x) => [x.b, x.a])).toEqual([[false, true], [true, false]]);
  }, 30_000);

  test('no entry when nothing moves: no units, only sold/lost units, a stock item, or the flag unchanged', async () => {
    const empty = await product('EMPTY-1');
    const gone = await product('GONE-1');
    await override(await unit(gone, 'X1', 9_000), 'lost');
    const strings = await product('STR-1', 'stock');
    const adj = await api('POST', '/api/v1/stock/adjustments', { product_id: strings, quantity: 4, reason: 'opening', unit_cost_cents: 250 });
    expect(adj.status).toBe(201);
    const kept = await product('KEPT-1', 'serialized', true);
    await unit(kept, 'K1', 12_000);
    const before = await entryCount();

    for (const [id, body] of [[empty, { rentable: true }], [gone, { rentable: true }], [strings, { rentable: true }], [kept, { rentable: true, name: 'Renamed' }]] as const) {
      const res = await api('PATCH', `/api/v1/products/${id}`, body);
      expect(res.status).toBe(200);
    }
    expect(await entryCount()).toBe(before);
    expect(await reclassified()).toEqual([]);
    await expectBooksMatchUnits();
  }, 30_000);

  test('a refused product change moves nothing: bad flag, duplicate SKU, unknown product', async () => {
    const guitar = await product('GTR-1');
    await unit(guitar, 'G1', 45_000);
    await product('TAKEN-1');
    const before = await entryCount();

    const badType = await api('PATCH', `/api/v1/products/${guitar}`, { rentable: 'yes' });
    expect(badType.status).toBe(422);
    expect(badType.json().error.fields).toHaveProperty('rentable');
    // The flip and a taken SKU in one request: the whole change is refused, the units stay in Inventory.
    const dup = await api('PATCH', `/api/v1/products/${guitar}`, { rentable: true, sku: 'TAKEN-1' });
    expect(dup.status).toBe(409);
    expect(dup.json().error.fields).toHaveProperty('sku');
    const unknown = await api('PATCH', '/api/v1/products/00000000-0000-4000-8000-000000000000', { rentable: true });
    expect(unknown.status).toBe(404);

    expect(await entryCount()).toBe(before);
    const [p] = await rows<{ rentable: boolean; sku: string }>(sql`select rentable, sku from products where id = ${guitar}`);
    expect(p).toEqual({ rentable: false, sku: 'GTR-1' });
    await expectBooksMatchUnits();
  }, 30_000);

  /** Runs `first` in a transaction that stays open until `second` (another transaction) has had time to block on it. */
  async function interleave(first: (tx: Tx) => Promise<unknown>, second: (tx: Tx) => Promise<unknown>) {
    let reached!: () => void;
    let release!: () => void;
    const atGate = new Promise<void>((r) => (reached = r));
    const gate = new Promise<void>((r) => (release = r));
    const a = t.deps.db.transaction(async (tx) => {
      await first(tx);
      reached();
      await gate;
    });
    await atGate;
    const b = t.deps.db.transaction(second);
    await Bun.sleep(300);
    release();
    await Promise.all([a, b]);
  }

  test('a unit created while the flag is being changed is posted under the new flag (no drift)', async () => {
    const guitar = await product('GTR-1');
    await unit(guitar, 'G1', 45_000);
    const actor = cliActor('race');
    await interleave(
      (tx) => updateProduct(tx, actor, guitar, updateProductSchema.parse({ rentable: true })),
      (tx) => createUnit(tx, actor, { productId: guitar, serialNumber: 'G2', costCents: 30_000, acquiredVia: 'other', acquisitionSummary: 'found' }),
    );
    await expectBooksMatchUnits();
    expect((await balancesByKey(t.deps.db)).get('rental_fleet')).toBe(75_000);
  }, 30_000);

  test('a unit leaving the books while the flag changes is not moved as well (no drift)', async () => {
    const guitar = await product('GTR-1');
    const g1 = await unit(guitar, 'G1', 45_000);
    await unit(guitar, 'G2', 30_000);
    const actor = cliActor('race');
    await interleave(
      (tx) => overrideUnitStatus(tx, actor, g1, 'lost', 'stolen from the wall'),
      (tx) => updateProduct(tx, actor, guitar, updateProductSchema.parse({ rentable: true })),
    );
    await expectBooksMatchUnits();
    const b = await balancesByKey(t.deps.db);
    expect({ inventory: b.get('inventory'), fleet: b.get('rental_fleet') }).toEqual({ inventory: 0, fleet: 30_000 });
  }, 30_000);
});

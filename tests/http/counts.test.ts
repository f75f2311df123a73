import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { addStaff, makeTestApp, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';
import { categories, products } from '../../src/db/schema';
import { createUnit } from '../../src/features/inventory/unit-lifecycle';
import { recordStockMovement } from '../../src/features/inventory/stock-ledger';
import { cliActor } from '../../src/features/audit/service';

let t: TestContext;
let owner: TestClient;
let stringsCat: string;
let strings: typeof products.$inferSelect;
let rosin: typeof products.$inferSelect;
let violin: typeof products.$inferSelect;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  [{ id: stringsCat }] = await t.deps.db.insert(categories).values({ name: 'Strings' }).returning({ id: categories.id });
  const [{ id: accessories }] = await t.deps.db.insert(categories).values({ name: 'Accessories', parentId: stringsCat }).returning({ id: categories.id });
  const [{ id: other }] = await t.deps.db.insert(categories).values({ name: 'Brass' }).returning({ id: categories.id });
  [strings] = await t.deps.db.insert(products).values({ sku: 'STR-10', upc: '0123456789012', name: 'Violin strings', kind: 'stock', categoryId: stringsCat }).returning();
  [rosin] = await t.deps.db.insert(products).values({ sku: 'ROS-1', name: 'Rosin', kind: 'stock', categoryId: accessories }).returning();
  await t.deps.db.insert(products).values({ sku: 'VALVE-OIL', name: 'Valve oil', kind: 'stock', categoryId: other });
  [violin] = await t.deps.db.insert(products).values({ sku: 'VN-44', name: 'Violin 4/4', kind: 'serialized', categoryId: stringsCat }).returning();
  await t.deps.db.transaction(async (tx) => {
    const actor = cliActor('test');
    await recordStockMovement(tx, actor, { productId: strings.id, quantityDelta: 10, reason: 'receipt', unitCostCents: 400 });
    await recordStockMovement(tx, actor, { productId: rosin.id, quantityDelta: 2, reason: 'receipt', unitCostCents: 300 });
    for (const serial of ['V-1', 'V-2']) await createUnit(tx, actor, { productId: violin.id, serialNumber: serial, costCents: 30000, acquiredVia: 'purchase', acquisitionSummary: 'Test', location: 'Wall A' });
  });
});

const rows = (q: ReturnType<typeof sql>) => t.deps.db.execute<any>(q) as unknown as Promise<any[]>;
const countIdFrom = (location: string | null) => /\/inventory\/counts\/([0-9a-f-]{36})/.exec(location ?? '')![1];

async function startCount(fields: Record<string, string>) {
  await owner.get('/inventory/counts/new');
  const res = await owner.postForm('/inventory/counts', fields);
  expect(res.status).toBe(303);
  return countIdFrom(res.headers.get('location'));
}

describe('cycle counts', () => {
  test('count a category, scan, review the variance at average cost, post it to the stock ledger', async () => {
    const id = await startCount({ name: 'Strings wall', category_id: stringsCat, location: '' });
    const lines = await rows(sql`select p.sku, l.expected_quantity, l.unit_id is not null as is_unit from cycle_count_lines l join products p on p.id = l.product_id order by p.sku`);
    expect(lines.map((l) => [l.sku, l.expected_quantity, l.is_unit])).toEqual([
      ['ROS-1', 2, false],
      ['STR-10', 10, false],
      ['VN-44', 1, true],
      ['VN-44', 1, true],
    ]);
    const page = await owner.get(`/inventory/counts/${id}`);
    expect(page.text).toContain('SKU, UPC or serial');
    for (let i = 0; i < 3; i++) expect((await owner.postForm(`/inventory/counts/${id}/scan`, { code: 'str-10', quantity: '' })).status).toBe(200);
    const typed = await owner.postForm(`/inventory/counts/${id}/scan`, { code: '0123456789012', quantity: '4' });
    expect(typed.text).toContain('STR-10: 7 counted.');
    // htmx scans get just the scan region back.
    const htmx = await owner.postForm(`/inventory/counts/${id}/scan`, { code: 'V-1', quantity: '' }, { headers: { 'hx-request': 'true' } });
    expect(htmx.status).toBe(200);
    expect(htmx.text.trim().startsWith('<div id="count-scan">')).toBe(true);
    expect(htmx.text).toContain('Found VN-44 serial V-1.');
    expect((await owner.postForm(`/inventory/counts/${id}/scan`, { code: 'v-1' })).text).toContain('already found');
    const [rosinLine] = await rows(sql`select l.id from cycle_count_lines l where l.product_id = ${rosin.id}`);
    expect((await owner.postForm(`/inventory/counts/${id}/set`, { line_id: rosinLine.id, counted_quantity: '3' })).status).toBe(303);

    const review = await owner.get(`/inventory/counts/${id}/review`);
    expect(review.status).toBe(200);
    // STR-10: 7 - 10 = -3 at $4.00 = -$12.00; ROS-1: +1 at $3.00; total -$9.00.
    expect(review.text).toContain('-$12.00');
    expect(review.text).toContain('-$9.00');
    expect(review.text).toContain('<code>V-2</code>');

    // Posting needs inventory.manage: a cashier counts but can't post.
    await addStaff(t, 'casey', ['cashier']);
    const cashier = await signIn(t, 'casey', 'staff password 123');
    expect((await cashier.get(`/inventory/counts/${id}/review`)).status).toBe(200);
    expect((await cashier.postForm(`/inventory/counts/${id}/scan`, { code: 'STR-10' })).status).toBe(200);
    expect((await cashier.postForm(`/inventory/counts/${id}/post`, {})).status).toBe(403);

    expect((await owner.postForm(`/inventory/counts/${id}/post`, {})).status).toBe(303);
    const moves = await rows(sql`select p.sku, m.reason, m.quantity_delta, m.reference_type, m.reference_id from stock_movements m join products p on p.id = m.product_id where m.reason = 'count' order by p.sku`);
    expect(moves.map((m) => [m.sku, m.reason, m.quantity_delta, m.reference_type, m.reference_id])).toEqual([
      ['ROS-1', 'count', 1, 'cycle_count', id],
      ['STR-10', 'count', -2, 'cycle_count', id],
    ]);
    const [p] = await rows(sql`select quantity_on_hand from products where id = ${strings.id}`);
    expect(p.quantity_on_hand).toBe(8);
    // The unit not found is listed, not changed.
    const [v2] = await rows(sql`select status from inventory_units where serial_number = 'V-2'`);
    expect(v2.status).toBe('available');
    const [audit] = await rows(sql`select after from audit_log where action = 'cycle_count.post'`);
    expect(audit.after.units_not_found).toEqual(['VN-44 V-2']);
    expect((await rows(sql`select count(*)::int as n from audit_log where action = 'cycle_count.scan'`))[0].n).toBe(6);

    // Posted counts are read-only.
    expect((await owner.postForm(`/inventory/counts/${id}/scan`, { code: 'STR-10' })).status).toBe(409);
    expect((await owner.postForm(`/inventory/counts/${id}/post`, {})).status).toBe(409);
    expect((await owner.postForm(`/inventory/counts/${id}/cancel`, {})).status).toBe(409);
    expect((await owner.postForm(`/inventory/counts/${id}/set`, { line_id: rosinLine.id, counted_quantity: '1' })).status).toBe(409);
    expect((await rows(sql`select count(*)::int as n from stock_movements where reason = 'count'`))[0].n).toBe(2);
  });

  test('a count by location covers the units there only; cancelling adjusts nothing', async () => {
    await t.deps.db.execute(sql`update inventory_units set location = 'Back room' where serial_number = 'V-2'`);
    const id = await startCount({ name: 'Wall A', category_id: '', location: 'wall a' });
    const lines = await rows(sql`select u.serial_number from cycle_count_lines l join inventory_units u on u.id = l.unit_id`);
    expect(lines.map((l) => l.serial_number)).toEqual(['V-1']);
    expect((await rows(sql`select count(*)::int as n from cycle_count_lines where unit_id is null`))[0].n).toBe(0);
    expect((await owner.postForm(`/inventory/counts/${id}/cancel`, {})).status).toBe(303);
    expect((await rows(sql`select status from cycle_counts`))[0].status).toBe('cancelled');
    expect((await rows(sql`select count(*)::int as n from stock_movements where reason = 'count'`))[0].n).toBe(0);
    expect((await rows(sql`select count(*)::int as n from audit_log where action = 'cycle_count.cancel'`))[0].n).toBe(1);
  });

  test('bad input on start, scan and set shows clear messages and writes nothing', async () => {
    await owner.get('/inventory/counts/new');
    const cases: [Record<string, string>, string][] = [
      [{ name: '', category_id: stringsCat }, 'Name is required.'],
      [{ name: 'x'.repeat(101), category_id: stringsCat }, 'at most 100 characters'],
      [{ name: 'All', category_id: '', location: '' }, 'Pick a category or a location to count.'],
      [{ name: 'All', category_id: 'bogus' }, 'Unknown category.'],
      [{ name: 'All', category_id: '00000000-0000-4000-8000-000000000000' }, 'That category does not exist.'],
      [{ name: 'All', location: 'y'.repeat(101) }, 'at most 100 characters'],
    ];
    for (const [fields, message] of cases) {
      const res = await owner.postForm('/inventory/counts', fields);
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
    }
    expect((await rows(sql`select count(*)::int as n from cycle_counts`))[0].n).toBe(0);

    const id = await startCount({ name: 'Strings', category_id: stringsCat });
    const scans: [Record<string, string>, string][] = [
      [{ code: '' }, 'Scan or type a SKU, UPC or serial number.'],
      [{ code: 'STR-10', quantity: 'many' }, 'Quantity must be a whole number.'],
      [{ code: 'STR-10', quantity: '0' }, 'Quantity must be at least 1.'],
      [{ code: 'x'.repeat(101) }, 'at most 100 characters'],
      [{ code: 'NOPE' }, 'Nothing matches'],
      [{ code: 'VALVE-OIL' }, 'VALVE-OIL is not part of this count.'],
      [{ code: 'VN-44' }, 'scan each unit&#39;s serial number'],
    ];
    for (const [fields, message] of scans) {
      const res = await owner.postForm(`/inventory/counts/${id}/scan`, fields);
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
    }
    const [unitLine] = await rows(sql`select id from cycle_count_lines where unit_id is not null limit 1`);
    expect((await owner.postForm(`/inventory/counts/${id}/set`, { line_id: unitLine.id, counted_quantity: '2' })).status).toBe(422);
    expect((await owner.postForm(`/inventory/counts/${id}/set`, { line_id: unitLine.id, counted_quantity: '-1' })).status).toBe(422);
    expect((await owner.postForm(`/inventory/counts/${id}/set`, { line_id: 'nope', counted_quantity: '1' })).status).toBe(422);
    expect((await owner.postForm(`/inventory/counts/${id}/set`, { line_id: '00000000-0000-4000-8000-000000000000', counted_quantity: '1' })).status).toBe(422);
    expect((await rows(sql`select count(*)::int as n from cycle_count_lines where counted_quantity is not null`))[0].n).toBe(0);
    expect((await rows(sql`select count(*)::int as n from audit_log where action like 'cycle_count.s%t%' and action <> 'cycle_count.start'`))[0].n).toBe(0);
    for (const path of ['/inventory/counts/00000000-0000-4000-8000-000000000000', '/inventory/counts/nope/review']) expect((await owner.get(path)).status).toBe(404);
    expect((await owner.postForm('/inventory/counts/00000000-0000-4000-8000-000000000000/post', {})).status).toBe(404);
  });

  test('a negative result is refused at posting and nothing is adjusted', async () => {
    const id = await startCount({ name: 'Strings', category_id: stringsCat });
    await owner.postForm(`/inventory/counts/${id}/scan`, { code: 'ROS-1', quantity: '2' });
    // Sold 8 of the 10 strings while counting; nobody scanned the strings, so posting would take 10 off the remaining 2.
    await t.deps.db.transaction((tx) => recordStockMovement(tx, cliActor('test'), { productId: strings.id, quantityDelta: -8, reason: 'sale' }));
    const res = await owner.postForm(`/inventory/counts/${id}/post`, {});
    expect(res.status).toBe(409);
    expect(res.text).toContain('STR-10');
    expect((await rows(sql`select status from cycle_counts`))[0].status).toBe('open');
    expect((await rows(sql`select count(*)::int as n from stock_movements where reason = 'count'`))[0].n).toBe(0);
  });

  test('list: search, status filter, sort, pagination', async () => {
    await startCount({ name: 'Strings wall', category_id: stringsCat });
    const b = await startCount({ name: 'Wall A units', location: 'Wall A' });
    await owner.postForm(`/inventory/counts/${b}/cancel`, {});
    const search = await owner.get('/inventory/counts?q=strings');
    expect(search.text).toContain('Strings wall');
    expect(search.text).not.toContain('Wall A units');
    const cancelled = await owner.get('/inventory/counts?status=cancelled');
    expect(cancelled.text).toContain('CC-000002');
    expect(cancelled.text).not.toContain('CC-000001');
    const paged = await owner.get('/inventory/counts?limit=1&page=2&sort=number&order=asc');
    expect(paged.text).toContain('CC-000002');
    expect(paged.text).not.toContain('>CC-000001<');
  });
});

import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { addStaff, makeTestApp, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';
import { products, suppliers } from '../../src/db/schema';

let t: TestContext;
let owner: TestClient;
let supplierId: string;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  [{ id: supplierId }] = await t.deps.db.insert(suppliers).values({ name: 'Brasswind Wholesale' }).returning({ id: suppliers.id });
});

const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const rows = <T = any>(q: ReturnType<typeof sql>) => t.deps.db.execute<T & Record<string, unknown>>(q) as unknown as Promise<T[]>;
async function product(sku: string, kind: 'stock' | 'serialized' | 'service', extra: Partial<typeof products.$inferInsert> = {}) {
  const [p] = await t.deps.db.insert(products).values({ sku, name: `${sku} name`, kind, priceCents: 1999, ...extra }).returning();
  return p;
}
const poIdFrom = (location: string | null) => /\/purchasing\/([0-9a-f-]{36})/.exec(location ?? '')![1];

/** Creates a PO through the form and adds lines through the line form; returns its id. */
async function createPo(lines: { sku: string; quantity: string; unit_cost: string }[], ordered = true) {
  await owner.get('/purchasing/new');
  const created = await owner.postForm('/purchasing', { supplier_id: supplierId, expected_on: '2026-12-01', notes: 'Fall restock' });
  expect(created.status).toBe(303);
  const id = poIdFrom(created.headers.get('location'));
  for (const line of lines) {
    const res = await owner.postForm(`/purchasing/${id}/lines`, { product: line.sku, quantity: line.quantity, unit_cost: line.unit_cost, note: '' });
    expect(res.status).toBe(303);
  }
  if (ordered) expect((await owner.postForm(`/purchasing/${id}/order`, {})).status).toBe(303);
  return id;
}
const lineIds = async (poId: string) => (await rows<{ id: string }>(sql`select l.id from purchase_order_lines l join products p on p.id = l.product_id where l.purchase_order_id = ${poId} order by lower(p.sku), l.id`)).map((r) => r.id);

describe('purchase orders: receiving', () => {
  test('acceptance: receive a PO of 3 trumpets with serials; they are available units and the passport shows the receipt', async () => {
    const trumpet = await product('TR-200', 'serialized', { name: 'Bach TR200 Trumpet' });
    const id = await createPo([{ sku: 'tr-200', quantity: '3', unit_cost: '450.00' }]);
    const page = await owner.get(`/purchasing/${id}/receive`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Serial 3');
    const [lineId] = await lineIds(id);
    const res = await owner.postForm(`/purchasing/${id}/receive`, { 'lines.0.line_id': lineId, 'lines.0.serials': ['TR-1001', 'TR-1002', 'TR-1003'], freight: '', notes: 'All good' });
    expect(res.status).toBe(303);
    const units = await rows<any>(sql`select serial_number, status, cost_cents, acquired_via, acquired_on from inventory_units where product_id = ${trumpet.id} order by serial_number`);
    expect(units.map((u) => [u.serial_number, u.status, Number(u.cost_cents), u.acquired_via])).toEqual([
      ['TR-1001', 'available', 45000, 'purchase'],
      ['TR-1002', 'available', 45000, 'purchase'],
      ['TR-1003', 'available', 45000, 'purchase'],
    ]);
    expect(units[0].acquired_on).toBe('2026-11-24');
    const events = await rows<any>(sql`select e.event_type, e.summary, e.reference_type, e.reference_id from unit_events e join inventory_units u on u.id = e.unit_id where u.serial_number = 'TR-1002'`);
    expect(events).toEqual([{ event_type: 'acquired', summary: 'Received on PO-000001', reference_type: 'purchase_order', reference_id: id }]);
    const [po] = await rows<any>(sql`select status, number from purchase_orders where id = ${id}`);
    expect(po).toEqual({ status: 'received', number: 'PO-000001' });
    expect(await count('receipts')).toBe(1);
    const detail = await owner.get(`/purchasing/${id}`);
    expect(detail.text).toContain('Received');
    expect(detail.text).toContain('3 × <code>TR-200</code>');
    const audit = await rows<any>(sql`select action, actor_label, before, after from audit_log where entity_type = 'purchase_order' order by id`);
    expect(audit.map((a) => a.action)).toEqual(['purchase_order.create', 'purchase_order.line_add', 'purchase_order.order', 'purchase_order.receive']);
    expect(audit[3]).toMatchObject({ actor_label: 'olivia', before: { status: 'ordered' }, after: { status: 'received' } });
  });

  test('partial receiving moves stock at cost and leaves the PO partially received until the rest arrives', async () => {
    const strings = await product('STR-10', 'stock');
    const id = await createPo([{ sku: 'STR-10', quantity: '10', unit_cost: '5.00' }]);
    const [lineId] = await lineIds(id);
    expect((await owner.postForm(`/purchasing/${id}/receive`, { 'lines.0.line_id': lineId, 'lines.0.quantity': '4' })).status).toBe(303);
    let [p] = await rows<any>(sql`select quantity_on_hand, average_cost_cents from products where id = ${strings.id}`);
    expect([p.quantity_on_hand, Number(p.average_cost_cents)]).toEqual([4, 500]);
    expect((await rows<any>(sql`select status from purchase_orders where id = ${id}`))[0].status).toBe('partially_received');
    const receivePage = await owner.get(`/purchasing/${id}/receive`);
    expect(receivePage.text).toContain('4 of 10 received so far');
    expect((await owner.postForm(`/purchasing/${id}/receive`, { 'lines.0.line_id': lineId, 'lines.0.quantity': '6' })).status).toBe(303);
    [p] = await rows<any>(sql`select quantity_on_hand from products where id = ${strings.id}`);
    expect(p.quantity_on_hand).toBe(10);
    const moves = await rows<any>(sql`select reason, quantity_delta, unit_cost_cents, reference_type, reference_id from stock_movements order by id`);
    expect(moves.map((m) => [m.reason, m.quantity_delta, Number(m.unit_cost_cents), m.reference_type, m.reference_id])).toEqual([
      ['receipt', 4, 500, 'purchase_order', id],
      ['receipt', 6, 500, 'purchase_order', id],
    ]);
    expect((await rows<any>(sql`select status from purchase_orders where id = ${id}`))[0].status).toBe('received');
    // Nothing left to receive: a further receipt is refused and the cancel button is gone.
    expect((await owner.postForm(`/purchasing/${id}/receive`, { 'lines.0.line_id': lineId, 'lines.0.quantity': '1' })).status).toBe(409);
    expect((await owner.postForm(`/purchasing/${id}/cancel`, {})).status).toBe(409);
  });

  test('landed cost: freight is spread by value into the stock average and the unit costs', async () => {
    const strings = await product('STR-10', 'stock', { quantityOnHand: 0 });
    const trumpet = await product('TR-200', 'serialized');
    // $90 of strings and $810 of trumpet share $10.00 freight 1:9 -> $1.00 and $9.00.
    const id = await createPo([
      { sku: 'STR-10', quantity: '10', unit_cost: '9.00' },
      { sku: 'TR-200', quantity: '1', unit_cost: '810.00' },
    ]);
    const [strLine, trLine] = await lineIds(id);
    const res = await owner.postForm(`/purchasing/${id}/receive`, { 'lines.0.line_id': strLine, 'lines.0.quantity': '10', 'lines.1.line_id': trLine, 'lines.1.serials': 'TR-9', freight: '10.00' });
    expect(res.status).toBe(303);
    const [p] = await rows<any>(sql`select average_cost_cents from products where id = ${strings.id}`);
    expect(Number(p.average_cost_cents)).toBe(910);
    const [u] = await rows<any>(sql`select cost_cents from inventory_units where product_id = ${trumpet.id}`);
    expect(Number(u.cost_cents)).toBe(81900);
    const landed = await rows<any>(sql`select landed_unit_cost_cents from receipt_lines order by landed_unit_cost_cents`);
    expect(landed.map((l) => Number(l.landed_unit_cost_cents))).toEqual([910, 81900]);
    expect(Number((await rows<any>(sql`select freight_cents from receipts`))[0].freight_cents)).toBe(1000);
  });

  test('over-receiving is refused next to the field and nothing is written', async () => {
    await product('STR-10', 'stock');
    const id = await createPo([{ sku: 'STR-10', quantity: '3', unit_cost: '5.00' }]);
    const [lineId] = await lineIds(id);
    const res = await owner.postForm(`/purchasing/${id}/receive`, { 'lines.0.line_id': lineId, 'lines.0.quantity': '4' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Only 3 of STR-10 still to receive.');
    expect(res.text).toContain('value="4"');
    expect(await count('receipts')).toBe(0);
    expect(await count('stock_movements')).toBe(0);
    expect((await rows<any>(sql`select status from purchase_orders where id = ${id}`))[0].status).toBe('ordered');
  });

  test('duplicate serials (in the form, or already on file) are refused with nothing written', async () => {
    const trumpet = await product('TR-200', 'serialized');
    await product('STR-10', 'stock');
    const id = await createPo([
      { sku: 'STR-10', quantity: '5', unit_cost: '5.00' },
      { sku: 'TR-200', quantity: '3', unit_cost: '450.00' },
    ]);
    const [strLine, trLine] = await lineIds(id);
    const twice = await owner.postForm(`/purchasing/${id}/receive`, { 'lines.0.line_id': strLine, 'lines.0.quantity': '5', 'lines.1.line_id': trLine, 'lines.1.serials': ['A1', 'a1', 'A3'] });
    expect(twice.status).toBe(422);
    expect(twice.text).toContain('Serial a1 is entered twice.');
    // One serial already exists for this product (e.g. a trade-in): the whole receipt is refused.
    await t.deps.db.execute(sql`insert into inventory_units (product_id, serial_number, acquired_via) values (${trumpet.id}, 'OLD-1', 'trade_in')`);
    const taken = await owner.postForm(`/purchasing/${id}/receive`, { 'lines.0.line_id': strLine, 'lines.0.quantity': '5', 'lines.1.line_id': trLine, 'lines.1.serials': ['B1', 'old-1', 'B3'] });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('Serial OLD-1 already exists for this product.');
    expect(taken.text).toContain('value="B3"');
    expect(await count('inventory_units')).toBe(1);
    expect(await count('receipts')).toBe(0);
    expect(await count('stock_movements')).toBe(0);
    expect(await count('unit_events')).toBe(0);
    expect((await rows<any>(sql`select sum(quantity_received)::int as n from purchase_order_lines`))[0].n).toBe(0);
    // Serials on a stock line, and a receipt of nothing, are refused too.
    const nothing = await owner.postForm(`/purchasing/${id}/receive`, { 'lines.0.line_id': strLine, 'lines.0.quantity': '0', 'lines.1.line_id': trLine });
    expect(nothing.status).toBe(422);
    expect(nothing.text).toContain('Enter a quantity for at least one line.');
    const bad = await owner.postForm(`/purchasing/${id}/receive`, { 'lines.0.line_id': strLine, 'lines.0.quantity': 'lots', freight: 'ten' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Quantity must be a whole number.');
    expect(bad.text).toContain('Freight must be an amount in cents.');
    const long = await owner.postForm(`/purchasing/${id}/receive`, { 'lines.1.line_id': trLine, 'lines.1.serials': ['x'.repeat(101)] });
    expect(long.status).toBe(422);
    expect(long.text).toContain('at most 100 characters');
    expect(await count('receipts')).toBe(0);
  });
});

describe('purchase orders: forms refuse bad input and write nothing', () => {
  test('new purchase order', async () => {
    await owner.get('/purchasing/new');
    const good = { supplier_id: supplierId, expected_on: '', notes: '' };
    const cases: [Record<string, string>, number, string][] = [
      [{ supplier_id: '' }, 422, 'Unknown supplier.'],
      [{ supplier_id: 'nope' }, 422, 'Unknown supplier.'],
      [{ supplier_id: '00000000-0000-4000-8000-000000000000' }, 422, 'That supplier does not exist.'],
      [{ expected_on: '2026-02-30' }, 422, 'Enter a date as YYYY-MM-DD.'],
      [{ notes: 'x'.repeat(2001) }, 422, 'at most 2000 characters'],
    ];
    for (const [override, status, message] of cases) {
      const res = await owner.postForm('/purchasing', { ...good, ...override });
      expect(res.status).toBe(status);
      expect(res.text).toContain(message);
    }
    await t.deps.db.execute(sql`update suppliers set is_active = false`);
    const inactive = await owner.postForm('/purchasing', good);
    expect(inactive.status).toBe(422);
    expect(await count('purchase_orders')).toBe(0);
    expect(await count('number_series')).toBe(0);
  });

  test('lines: bad input, unknown products, non-inventory kinds; edits only while draft', async () => {
    await product('STR-10', 'stock');
    await product('SETUP', 'service');
    const id = await createPo([], false);
    await owner.get(`/purchasing/${id}`);
    const good = { product: 'STR-10', quantity: '2', unit_cost: '4.50', note: '' };
    const cases: [Record<string, string>, string][] = [
      [{ product: '' }, 'Enter the SKU or UPC of the product.'],
      [{ product: 'NOPE-1' }, 'No product has the SKU or UPC'],
      [{ product: 'SETUP' }, 'only stock and serialized products'],
      [{ quantity: '0' }, 'Quantity must be at least 1.'],
      [{ quantity: 'two' }, 'Quantity must be a whole number.'],
      [{ quantity: '' }, 'Quantity must be a whole number.'],
      [{ unit_cost: '4.555' }, 'Unit cost must be an amount in cents.'],
      [{ unit_cost: '-1' }, 'Unit cost cannot be negative.'],
      [{ note: 'x'.repeat(201) }, 'at most 200 characters'],
    ];
    for (const [override, message] of cases) {
      const res = await owner.postForm(`/purchasing/${id}/lines`, { ...good, ...override });
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
    }
    expect(await count('purchase_order_lines')).toBe(0);
    // Marking an empty PO as ordered is refused.
    expect((await owner.postForm(`/purchasing/${id}/order`, {})).status).toBe(409);

    expect((await owner.postForm(`/purchasing/${id}/lines`, good)).status).toBe(303);
    const [lineId] = await lineIds(id);
    const badEdit = await owner.postForm(`/purchasing/${id}/lines/update`, { line_id: lineId, quantity: '-2', unit_cost: '4.50', note: '' });
    expect(badEdit.status).toBe(422);
    expect(badEdit.text).toContain('Quantity must be at least 1.');
    expect((await owner.postForm(`/purchasing/${id}/lines/update`, { line_id: 'nope', quantity: '2', unit_cost: '1' })).status).toBe(404);
    expect((await owner.postForm(`/purchasing/${id}/lines/remove`, { line_id: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    const ok = await owner.postForm(`/purchasing/${id}/lines/update`, { line_id: lineId, quantity: '3', unit_cost: '$4.75', note: 'blue box' });
    expect(ok.status).toBe(303);
    const [line] = await rows<any>(sql`select quantity_ordered, unit_cost_cents, note from purchase_order_lines`);
    expect([line.quantity_ordered, Number(line.unit_cost_cents), line.note]).toEqual([3, 475, 'blue box']);

    expect((await owner.postForm(`/purchasing/${id}/order`, {})).status).toBe(303);
    const locked = await owner.postForm(`/purchasing/${id}/lines`, good);
    expect(locked.status).toBe(409);
    expect(locked.text).toContain('lines can only change while it is a draft');
    expect((await owner.postForm(`/purchasing/${id}/lines/remove`, { line_id: lineId })).status).toBe(409);
    expect(await count('purchase_order_lines')).toBe(1);
    const audit = await rows<any>(sql`select action, before, after from audit_log where action = 'purchase_order.line_update'`);
    expect(audit[0]).toMatchObject({ before: { quantityOrdered: 2 }, after: { quantityOrdered: 3, note: 'blue box' } });
  });

  test('cancel only without receipts; unknown ids are 404; a cashier can look but not change', async () => {
    await product('STR-10', 'stock');
    const id = await createPo([{ sku: 'STR-10', quantity: '2', unit_cost: '1.00' }]);
    expect((await owner.postForm(`/purchasing/${id}/cancel`, {})).status).toBe(303);
    expect((await rows<any>(sql`select status from purchase_orders`))[0].status).toBe('cancelled');
    expect((await owner.postForm(`/purchasing/${id}/cancel`, {})).status).toBe(409);
    const [lineId] = await lineIds(id);
    expect((await owner.postForm(`/purchasing/${id}/receive`, { 'lines.0.line_id': lineId, 'lines.0.quantity': '1' })).status).toBe(409);
    expect((await rows<any>(sql`select count(*)::int as n from audit_log where action = 'purchase_order.cancel'`))[0].n).toBe(1);
    for (const path of ['/purchasing/00000000-0000-4000-8000-000000000000', '/purchasing/not-a-uuid', '/purchasing/00000000-0000-4000-8000-000000000000/receive']) expect((await owner.get(path)).status).toBe(404);
    expect((await owner.postForm('/purchasing/00000000-0000-4000-8000-000000000000/receive', {})).status).toBe(404);

    await addStaff(t, 'casey', ['cashier']);
    const cashier = await signIn(t, 'casey', 'staff password 123');
    expect((await cashier.get(`/purchasing/${id}`)).status).toBe(200);
    expect((await cashier.get('/purchasing')).text).toContain('PO-000001');
    expect((await cashier.postForm('/purchasing', { supplier_id: supplierId })).status).toBe(403);
    expect(await count('purchase_orders')).toBe(1);
  });
});

describe('purchase order list', () => {
  test('search, status filter, sort and pagination are server-side; htmx gets the list fragment', async () => {
    await product('STR-10', 'stock');
    const [{ id: other }] = await t.deps.db.insert(suppliers).values({ name: 'Yamaha Band' }).returning({ id: suppliers.id });
    const a = await createPo([{ sku: 'STR-10', quantity: '1', unit_cost: '1.00' }]);
    await createPo([{ sku: 'STR-10', quantity: '100', unit_cost: '1.00' }], false);
    await owner.postForm('/purchasing', { supplier_id: other, notes: '' });
    const search = await owner.get('/purchasing?q=yamaha');
    expect(search.text).toContain('PO-000003');
    expect(search.text).not.toContain('PO-000001');
    const ordered = await owner.get('/purchasing?status=ordered');
    expect(ordered.text).toContain(`/purchasing/${a}`);
    expect(ordered.text).not.toContain('PO-000002');
    const byTotal = await owner.get('/purchasing?sort=total&order=desc');
    expect(byTotal.text.indexOf('PO-000002')).toBeLessThan(byTotal.text.indexOf('PO-000001'));
    const paged = await owner.get('/purchasing?limit=1&page=2&sort=number&order=asc');
    expect(paged.text).toContain('PO-000002');
    expect(paged.text).not.toContain('>PO-000001<');
    const fragment = await owner.get('/purchasing?q=PO-000001', { 'hx-request': 'true' });
    expect(fragment.text.trim().startsWith('<div id="list"')).toBe(true);
  });
});

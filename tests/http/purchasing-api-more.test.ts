import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { apiRequest, makeTestApp, ownerToken, resetDb, setupStore, type TestContext } from '../helpers';
import { categories, products, suppliers } from '../../src/db/schema';
import { createUnit } from '../../src/features/inventory/unit-lifecycle';
import { recordStockMovement } from '../../src/features/inventory/stock-ledger';
import { cliActor } from '../../src/features/audit/service';

let t: TestContext;
let token: string;
let brasswind: string;
let stringCo: string;
let trumpetId: string;
let stringsId: string;
let lessonId: string;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  await setupStore(t);
  token = await ownerToken(t);
  [{ id: brasswind }, { id: stringCo }] = await t.deps.db.insert(suppliers).values([{ name: 'Brasswind Wholesale' }, { name: 'String Co' }]).returning({ id: suppliers.id });
  [{ id: trumpetId }, { id: stringsId }, { id: lessonId }] = await t.deps.db
    .insert(products)
    .values([
      { sku: 'TR-200', name: 'Bach TR200 Trumpet', kind: 'serialized' },
      { sku: 'STR-10', name: 'Violin strings', kind: 'stock' },
      { sku: 'LESSON', name: 'Lesson', kind: 'service' },
    ])
    .returning({ id: products.id });
});

const rowCount = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const api = (method: string, path: string, json?: unknown, tok = token) => apiRequest(t.app, method, path, { token: tok, ...(json === undefined ? {} : { json }) });
const auditActions = async () => (await t.deps.db.execute<{ action: string }>(sql`select action from audit_log where action like 'purchase_order.%' or action like 'cycle_count.%' order by id`)).map((r) => r.action);

async function draft(lines: { product_id: string; quantity: number; unit_cost_cents: number }[] = [{ product_id: trumpetId, quantity: 2, unit_cost_cents: 45000 }]) {
  const res = await api('POST', '/api/v1/purchase-orders', { supplier_id: brasswind, lines });
  expect(res.status).toBe(201);
  return res.json();
}

describe('purchase orders API: change, order, cancel', () => {
  test('PATCH a draft: supplier, expected date, notes, and a new set of lines; null clears the date', async () => {
    const po = await draft();
    const res = await api('PATCH', `/api/v1/purchase-orders/${po.id}`, {
      supplier_id: stringCo,
      expected_on: '2026-12-15',
      notes: 'Call before delivery',
      lines: [
        { product_id: stringsId, quantity: 24, unit_cost_cents: 650, note: 'Medium gauge' },
        { product_id: trumpetId, quantity: 1, unit_cost_cents: 44000 },
      ],
    });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ number: po.number, status: 'draft', supplier_id: stringCo, supplier_name: 'String Co', expected_on: '2026-12-15', notes: 'Call before delivery', total_cents: 24 * 650 + 44000 });
    expect(body.lines.map((l: any) => [l.sku, l.quantity_ordered, l.unit_cost_cents, l.note])).toEqual([
      ['STR-10', 24, 650, 'Medium gauge'],
      ['TR-200', 1, 44000, ''],
    ]);
    const cleared = await api('PATCH', `/api/v1/purchase-orders/${po.id}`, { expected_on: null });
    expect(cleared.status).toBe(200);
    expect(cleared.json()).toMatchObject({ expected_on: null, notes: 'Call before delivery', supplier_id: stringCo });
    expect(cleared.json().lines).toHaveLength(2);
    expect(await auditActions()).toEqual(['purchase_order.create', 'purchase_order.update', 'purchase_order.update']);
    const [audit] = await t.deps.db.execute<any>(sql`select summary, before, after from audit_log where action = 'purchase_order.update' order by id limit 1`);
    expect(audit.summary).toBe(`${po.number}: changed supplier_id, expected_on, notes, lines`);
    expect(audit.before.supplierName).toBe('Brasswind Wholesale');
    expect(audit.after.supplierName).toBe('String Co');
  });

  test('draft lines one at a time: add (201), change part of a line (the rest stays), remove', async () => {
    const po = await draft();
    const added = await api('POST', `/api/v1/purchase-orders/${po.id}/lines`, { product_id: stringsId, quantity: 10, unit_cost_cents: 500, note: 'Rush' });
    expect(added.status).toBe(201);
    const line = added.json().lines.find((l: any) => l.sku === 'STR-10');
    const changed = await api('PATCH', `/api/v1/purchase-orders/${po.id}/lines/${line.id}`, { quantity: 12 });
    expect(changed.status).toBe(200);
    expect(changed.json().lines.find((l: any) => l.id === line.id)).toMatchObject({ quantity_ordered: 12, unit_cost_cents: 500, note: 'Rush' });
    const removed = await api('DELETE', `/api/v1/purchase-orders/${po.id}/lines/${line.id}`);
    expect(removed.status).toBe(200);
    expect(removed.json().lines.map((l: any) => l.sku)).toEqual(['TR-200']);
    expect(await auditActions()).toEqual(['purchase_order.create', 'purchase_order.line_add', 'purchase_order.line_update', 'purchase_order.line_remove']);
  });

  test('order: needs a line, only from draft; then only dates and notes can change', async () => {
    const empty = await api('POST', '/api/v1/purchase-orders', { supplier_id: brasswind });
    const refused = await api('POST', `/api/v1/purchase-orders/${empty.json().id}/order`);
    expect(refused.status).toBe(409);
    expect(refused.json().error.message).toContain('Add at least one line');

    const po = await draft();
    const ordered = await api('POST', `/api/v1/purchase-orders/${po.id}/order`);
    expect(ordered.status).toBe(200);
    expect(ordered.json().status).toBe('ordered');
    expect(ordered.json().ordered_at).toBe('2026-11-24T15:00:00.000Z');
    const again = await api('POST', `/api/v1/purchase-orders/${po.id}/order`, {});
    expect(again.status).toBe(409);
    expect(again.json().error.message).toBe(`${po.number} is already ordered.`);

    const moved = await api('PATCH', `/api/v1/purchase-orders/${po.id}`, { expected_on: '2027-01-10', notes: 'Backordered until January' });
    expect(moved.status).toBe(200);
    expect(moved.json()).toMatchObject({ status: 'ordered', expected_on: '2027-01-10', notes: 'Backordered until January' });
    const before = (await api('GET', `/api/v1/purchase-orders/${po.id}`)).json();
    for (const body of [{ supplier_id: stringCo }, { lines: [] }, { notes: 'x', lines: [{ product_id: stringsId, quantity: 1, unit_cost_cents: 1 }] }]) {
      const res = await api('PATCH', `/api/v1/purchase-orders/${po.id}`, body);
      expect(res.status).toBe(409);
      expect(res.json().error.message).toBe(`${po.number} is ordered; the supplier and lines can only change while it is a draft.`);
    }
    const lineId = before.lines[0].id;
    expect((await api('POST', `/api/v1/purchase-orders/${po.id}/lines`, { product_id: stringsId, quantity: 1, unit_cost_cents: 1 })).status).toBe(409);
    expect((await api('PATCH', `/api/v1/purchase-orders/${po.id}/lines/${lineId}`, { quantity: 5 })).status).toBe(409);
    expect((await api('DELETE', `/api/v1/purchase-orders/${po.id}/lines/${lineId}`)).status).toBe(409);
    expect((await api('GET', `/api/v1/purchase-orders/${po.id}`)).json()).toEqual(before);
  });

  test('cancel: a draft or ordered PO; not twice, not once something was received (409, nothing changed)', async () => {
    const po = await draft();
    expect((await api('POST', `/api/v1/purchase-orders/${po.id}/order`)).status).toBe(200);
    const cancelled = await api('POST', `/api/v1/purchase-orders/${po.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    const twice = await api('POST', `/api/v1/purchase-orders/${po.id}/cancel`);
    expect(twice.status).toBe(409);
    expect(twice.json().error.code).toBe('conflict');
    const closed = await api('PATCH', `/api/v1/purchase-orders/${po.id}`, { notes: 'late note' });
    expect(closed.status).toBe(409);
    expect(closed.json().error.message).toBe(`${po.number} is cancelled; it can't be changed any more.`);

    const received = await draft([{ product_id: trumpetId, quantity: 1, unit_cost_cents: 45000 }]);
    const receipt = await api('POST', `/api/v1/purchase-orders/${received.id}/receipts`, { lines: [{ line_id: received.lines[0].id, quantity: 1, serials: ['T-1'] }] });
    expect(receipt.status).toBe(201);
    expect(receipt.json().status).toBe('received');
    const refused = await api('POST', `/api/v1/purchase-orders/${received.id}/cancel`);
    expect(refused.status).toBe(409);
    expect(refused.json().error.message).toBe(`${received.number} already has receipts and can't be cancelled.`);
    expect((await api('PATCH', `/api/v1/purchase-orders/${received.id}`, { notes: 'x' })).status).toBe(409);
    expect((await api('POST', `/api/v1/purchase-orders/${received.id}/order`)).status).toBe(409);
    expect((await api('GET', `/api/v1/purchase-orders/${received.id}`)).json().status).toBe('received');
  });

  test('bad input: clear 4xx with fields, nothing written', async () => {
    const po = await draft();
    const before = (await api('GET', `/api/v1/purchase-orders/${po.id}`)).json();
    const cases: [unknown, number, string][] = [
      [{}, 422, '_'],
      [{ colour: 'blue' }, 422, '_'],
      [{ supplier_id: 'x' }, 422, 'supplier_id'],
      [{ supplier_id: UNKNOWN }, 422, 'supplier_id'],
      [{ expected_on: '12/01/2026' }, 422, 'expected_on'],
      [{ expected_on: '2026-02-30' }, 422, 'expected_on'],
      [{ expected_on: 20261201 }, 422, 'expected_on'],
      [{ notes: 5 }, 422, 'notes'],
      [{ notes: 'x'.repeat(2001) }, 422, 'notes'],
      [{ lines: 'many' }, 422, 'lines'],
      [{ lines: [{ product_id: stringsId, quantity: 0, unit_cost_cents: 1 }] }, 422, 'lines.0.quantity'],
      [{ lines: [{ product_id: stringsId, quantity: '2', unit_cost_cents: 1 }] }, 422, 'lines.0.quantity'],
      [{ lines: [{ product_id: stringsId, quantity: 1, unit_cost_cents: -1 }] }, 422, 'lines.0.unit_cost_cents'],
      [{ lines: [{ product_id: stringsId, quantity: 1, unit_cost_cents: 1, note: 'x'.repeat(201) }] }, 422, 'lines.0.note'],
      [{ lines: [{ product_id: stringsId, quantity: 1, unit_cost_cents: 1 }, { product_id: UNKNOWN, quantity: 1, unit_cost_cents: 1 }] }, 422, 'lines.1.product_id'],
      [{ lines: [{ product_id: lessonId, quantity: 1, unit_cost_cents: 1 }] }, 422, 'lines.0.product_id'],
      [{ notes: 'ok', lines: Array.from({ length: 501 }, () => ({ product_id: stringsId, quantity: 1, unit_cost_cents: 1 })) }, 422, 'lines'],
    ];
    for (const [body, status, field] of cases) {
      const res = await api('PATCH', `/api/v1/purchase-orders/${po.id}`, body);
      expect(res.status).toBe(status);
      expect(res.json().error.code).toBe('validation_failed');
      expect(Object.keys(res.json().error.fields ?? {})).toContain(field);
    }
    const lineId = po.lines[0].id;
    const lineCases: [string, string, unknown, number, string | null][] = [
      ['POST', `/api/v1/purchase-orders/${po.id}/lines`, { product_id: stringsId }, 422, 'quantity'],
      ['POST', `/api/v1/purchase-orders/${po.id}/lines`, { product_id: 'nope', quantity: 1, unit_cost_cents: 1 }, 422, 'product_id'],
      ['POST', `/api/v1/purchase-orders/${po.id}/lines`, { product_id: UNKNOWN, quantity: 1, unit_cost_cents: 1 }, 422, 'product_id'],
      ['PATCH', `/api/v1/purchase-orders/${po.id}/lines/${lineId}`, {}, 422, '_'],
      ['PATCH', `/api/v1/purchase-orders/${po.id}/lines/${lineId}`, { quantity: 1.5 }, 422, 'quantity'],
      ['PATCH', `/api/v1/purchase-orders/${po.id}/lines/${lineId}`, { unit_cost_cents: 'ten' }, 422, 'unit_cost_cents'],
      ['PATCH', `/api/v1/purchase-orders/${po.id}/lines/${UNKNOWN}`, { quantity: 3 }, 404, null],
      ['PATCH', `/api/v1/purchase-orders/${po.id}/lines/nope`, { quantity: 3 }, 404, null],
      ['DELETE', `/api/v1/purchase-orders/${po.id}/lines/${UNKNOWN}`, undefined, 404, null],
    ];
    for (const [method, path, body, status, field] of lineCases) {
      const res = await api(method, path, body);
      expect(res.status).toBe(status);
      if (field) expect(Object.keys(res.json().error.fields ?? {})).toContain(field);
    }
    // A line of another PO is not found on this one.
    const other = await draft([{ product_id: stringsId, quantity: 1, unit_cost_cents: 1 }]);
    expect((await api('DELETE', `/api/v1/purchase-orders/${po.id}/lines/${other.lines[0].id}`)).status).toBe(404);
    for (const [method, path] of [['PATCH', `/api/v1/purchase-orders/${UNKNOWN}`], ['PATCH', '/api/v1/purchase-orders/nope'], ['POST', `/api/v1/purchase-orders/${UNKNOWN}/order`], ['POST', '/api/v1/purchase-orders/nope/cancel'], ['POST', `/api/v1/purchase-orders/${UNKNOWN}/lines`]]) {
      const res = await api(method, path, { notes: 'x' });
      expect(res.status).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    const notJson = await apiRequest(t.app, 'PATCH', `/api/v1/purchase-orders/${po.id}`, { token, headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(400);
    expect((await api('GET', `/api/v1/purchase-orders/${po.id}`)).json()).toEqual(before);
    expect(await auditActions()).toEqual(['purchase_order.create', 'purchase_order.create']);
  });

  test('a token without inventory.manage can read but not change, order or cancel', async () => {
    const po = await draft();
    const readOnly = await ownerToken(t, ['inventory.view']);
    expect((await api('GET', `/api/v1/purchase-orders/${po.id}`, undefined, readOnly)).status).toBe(200);
    expect((await api('PATCH', `/api/v1/purchase-orders/${po.id}`, { notes: 'x' }, readOnly)).status).toBe(403);
    expect((await api('POST', `/api/v1/purchase-orders/${po.id}/order`, {}, readOnly)).status).toBe(403);
    expect((await api('POST', `/api/v1/purchase-orders/${po.id}/cancel`, {}, readOnly)).status).toBe(403);
    expect((await api('DELETE', `/api/v1/purchase-orders/${po.id}/lines/${po.lines[0].id}`, undefined, readOnly)).status).toBe(403);
    expect((await api('GET', `/api/v1/purchase-orders/${po.id}`)).json().status).toBe('draft');
  });
});

describe('cycle counts API', () => {
  let stringsCat: string;
  let rosinId: string;
  beforeEach(async () => {
    [{ id: stringsCat }] = await t.deps.db.insert(categories).values({ name: 'Strings' }).returning({ id: categories.id });
    await t.deps.db.update(products).set({ categoryId: stringsCat, upc: '0123456789012' }).where(sql`id = ${stringsId}`);
    [{ id: rosinId }] = await t.deps.db.insert(products).values({ sku: 'ROS-1', name: 'Rosin', kind: 'stock', categoryId: stringsCat }).returning({ id: products.id });
    const [{ id: violinId }] = await t.deps.db.insert(products).values({ sku: 'VN-44', name: 'Violin 4/4', kind: 'serialized', categoryId: stringsCat }).returning({ id: products.id });
    await t.deps.db.transaction(async (tx) => {
      const actor = cliActor('test');
      await recordStockMovement(tx, actor, { productId: stringsId, quantityDelta: 10, reason: 'receipt', unitCostCents: 400 });
      await recordStockMovement(tx, actor, { productId: rosinId, quantityDelta: 2, reason: 'receipt', unitCostCents: 300 });
      for (const serial of ['V-1', 'V-2']) await createUnit(tx, actor, { productId: violinId, serialNumber: serial, costCents: 30000, acquiredVia: 'purchase', acquisitionSummary: 'Test', location: 'Wall A' });
    });
  });

  async function start(body: unknown = { name: 'Strings wall', category_id: stringsCat }) {
    const res = await api('POST', '/api/v1/cycle-counts', body);
    expect(res.status).toBe(201);
    return res.json();
  }

  test('start, list, read; scans and corrections in one batch; post the variance to the stock ledger', async () => {
    const count = await start();
    expect(count).toMatchObject({ number: 'CC-000001', name: 'Strings wall', category_id: stringsCat, category_name: 'Strings', status: 'open', posted_at: null });
    expect(count.stock_lines.map((l: any) => [l.sku, l.expected_quantity, l.counted_quantity])).toEqual([['ROS-1', 2, null], ['STR-10', 10, null]]);
    expect(count.unit_lines.map((l: any) => l.serial_number)).toEqual(['V-1', 'V-2']);
    const list = await api('GET', '/api/v1/cycle-counts?q=strings&status=open');
    expect(list.status).toBe(200);
    expect(list.json().data).toEqual([expect.objectContaining({ id: count.id, number: 'CC-000001', line_count: 4, status: 'open' })]);
    expect(list.json().pagination).toEqual({ page: 1, limit: 25, total: 1, total_pages: 1 });

    const rosinLine = count.stock_lines.find((l: any) => l.sku === 'ROS-1').id;
    const recorded = await api('POST', `/api/v1/cycle-counts/${count.id}/counts`, {
      scans: [{ code: 'str-10' }, { code: '0123456789012', quantity: 6 }, { code: 'V-1' }, { code: 'v-1' }],
      lines: [{ line_id: rosinLine, counted_quantity: 1 }],
    });
    expect(recorded.status).toBe(200);
    const body = recorded.json();
    expect(body.messages).toEqual(['STR-10: 1 counted.', 'STR-10: 7 counted.', 'Found VN-44 serial V-1.', 'VN-44 serial V-1 was already found.', `Line ${rosinLine} set to 1.`]);
    expect(body.stock_lines.map((l: any) => [l.sku, l.counted_quantity, l.variance, l.variance_value_cents])).toEqual([['ROS-1', 1, -1, -300], ['STR-10', 7, -3, -1200]]);
    expect(body.total_variance_value_cents).toBe(-1500);

    const posted = await api('POST', `/api/v1/cycle-counts/${count.id}/post`);
    expect(posted.status).toBe(200);
    expect(posted.json()).toMatchObject({ status: 'posted', posted_at: '2026-11-24T15:00:00.000Z' });
    const movements = await t.deps.db.execute<any>(sql`select p.sku, m.quantity_delta from stock_movements m join products p on p.id = m.product_id where m.reason = 'count' order by p.sku`);
    expect(movements.map((m: any) => [m.sku, m.quantity_delta])).toEqual([['ROS-1', -1], ['STR-10', -3]]);
    const [unit] = await t.deps.db.execute<any>(sql`select status from inventory_units where serial_number = 'V-2'`);
    expect(unit.status).toBe('available');
    expect((await api('GET', `/api/v1/cycle-counts/${count.id}`)).json().status).toBe('posted');

    // Posted counts are read-only.
    for (const [path, body] of [[`/api/v1/cycle-counts/${count.id}/counts`, { scans: [{ code: 'STR-10' }] }], [`/api/v1/cycle-counts/${count.id}/post`, {}], [`/api/v1/cycle-counts/${count.id}/cancel`, {}]] as const) {
      const res = await api('POST', path, body);
      expect(res.status).toBe(409);
      expect(res.json().error.message).toBe('CC-000001 is posted; it can\'t be changed any more.');
    }
  });

  test('a batch with a bad entry records nothing and names every bad entry', async () => {
    const count = await start();
    const unitLine = count.unit_lines[0].id;
    const res = await api('POST', `/api/v1/cycle-counts/${count.id}/counts`, {
      scans: [{ code: 'STR-10', quantity: 3 }, { code: 'NOPE-99' }, { code: 'VN-44' }],
      lines: [{ line_id: unitLine, counted_quantity: 2 }, { line_id: UNKNOWN, counted_quantity: 1 }],
    });
    expect(res.status).toBe(422);
    expect(res.json().error.message).toBe('Nothing was recorded: some entries are invalid.');
    expect(res.json().error.fields).toEqual({
      'scans.1.code': 'Nothing matches “NOPE-99”: no SKU, UPC or serial number in this count.',
      'scans.2.code': "VN-44 is serialized: scan each unit's serial number instead.",
      'lines.0.counted_quantity': 'A serialized unit is either found (1) or not (0).',
      'lines.1.line_id': 'That line is not part of this count.',
    });
    const after = (await api('GET', `/api/v1/cycle-counts/${count.id}`)).json();
    expect(after.stock_lines.every((l: any) => l.counted_quantity === null)).toBe(true);
    expect(await auditActions()).toEqual(['cycle_count.start']);
  });

  test('cancel an open count: nothing adjusted', async () => {
    const count = await start({ name: 'Wall A units', location: 'wall a' });
    expect(count.stock_lines).toEqual([]);
    expect(count.unit_lines).toHaveLength(2);
    const cancelled = await api('POST', `/api/v1/cycle-counts/${count.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expect(await rowCount('stock_movements')).toBe(2);
  });

  test('bad input: clear 4xx with fields, nothing written', async () => {
    const startCases: [unknown, string][] = [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 5, category_id: stringsCat }, 'name'],
      [{ name: 'x'.repeat(101), category_id: stringsCat }, 'name'],
      [{ name: 'Count' }, 'category_id'],
      [{ name: 'Count', category_id: 'nope' }, 'category_id'],
      [{ name: 'Count', category_id: UNKNOWN }, 'category_id'],
      [{ name: 'Count', location: 'x'.repeat(101) }, 'location'],
    ];
    for (const [body, field] of startCases) {
      const res = await api('POST', '/api/v1/cycle-counts', body);
      expect(res.status).toBe(422);
      expect(Object.keys(res.json().error.fields ?? {})).toContain(field);
    }
    expect(await rowCount('cycle_counts')).toBe(0);

    const count = await start();
    const entryCases: [unknown, string][] = [
      [{}, '_'],
      [{ scans: [], lines: [] }, '_'],
      [{ scans: 'STR-10' }, 'scans'],
      [{ scans: [{ code: '' }] }, 'scans.0.code'],
      [{ scans: [{ code: 'x'.repeat(101) }] }, 'scans.0.code'],
      [{ scans: [{ code: 'STR-10', quantity: 0 }] }, 'scans.0.quantity'],
      [{ scans: [{ code: 'STR-10', quantity: '2' }] }, 'scans.0.quantity'],
      [{ lines: [{ line_id: 'nope', counted_quantity: 1 }] }, 'lines.0.line_id'],
      [{ lines: [{ line_id: count.stock_lines[0].id, counted_quantity: -1 }] }, 'lines.0.counted_quantity'],
      [{ lines: [{ line_id: count.stock_lines[0].id }] }, 'lines.0.counted_quantity'],
      [{ scans: Array.from({ length: 1001 }, () => ({ code: 'STR-10' })) }, 'scans'],
    ];
    for (const [body, field] of entryCases) {
      const res = await api('POST', `/api/v1/cycle-counts/${count.id}/counts`, body);
      expect(res.status).toBe(422);
      expect(Object.keys(res.json().error.fields ?? {})).toContain(field);
    }
    for (const path of [`/api/v1/cycle-counts/${UNKNOWN}`, '/api/v1/cycle-counts/nope']) expect((await api('GET', path)).status).toBe(404);
    for (const path of [`/api/v1/cycle-counts/${UNKNOWN}/counts`, '/api/v1/cycle-counts/nope/post', `/api/v1/cycle-counts/${UNKNOWN}/cancel`]) {
      const res = await api('POST', path, { scans: [{ code: 'STR-10' }] });
      expect(res.status).toBe(404);
    }
    for (const q of ['status=done', 'sort=size', 'limit=0', 'order=sideways']) expect((await api('GET', `/api/v1/cycle-counts?${q}`)).status).toBe(400);
    const notJson = await apiRequest(t.app, 'POST', `/api/v1/cycle-counts/${count.id}/counts`, { token, headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(400);
    expect((await api('GET', `/api/v1/cycle-counts/${count.id}`)).json().stock_lines.every((l: any) => l.counted_quantity === null)).toBe(true);
    expect(await auditActions()).toEqual(['cycle_count.start']);
  });

  test('a token with inventory.view counts; posting and cancelling need inventory.manage', async () => {
    const clerk = await ownerToken(t, ['inventory.view']);
    const started = await api('POST', '/api/v1/cycle-counts', { name: 'Clerk count', category_id: stringsCat }, clerk);
    expect(started.status).toBe(201);
    const id = started.json().id;
    expect((await api('POST', `/api/v1/cycle-counts/${id}/counts`, { scans: [{ code: 'STR-10' }] }, clerk)).status).toBe(200);
    expect((await api('POST', `/api/v1/cycle-counts/${id}/post`, {}, clerk)).status).toBe(403);
    expect((await api('POST', `/api/v1/cycle-counts/${id}/cancel`, {}, clerk)).status).toBe(403);
    expect((await api('GET', `/api/v1/cycle-counts/${id}`)).json().status).toBe('open');
  });
});


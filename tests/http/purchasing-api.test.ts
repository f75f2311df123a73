import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { apiRequest, makeTestApp, ownerToken, resetDb, setupStore, type TestContext } from '../helpers';
import { products, suppliers } from '../../src/db/schema';

let t: TestContext;
let token: string;
let supplierId: string;
let trumpetId: string;
let stringsId: string;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  await setupStore(t);
  token = await ownerToken(t);
  [{ id: supplierId }] = await t.deps.db.insert(suppliers).values({ name: 'Brasswind Wholesale' }).returning({ id: suppliers.id });
  [{ id: trumpetId }] = await t.deps.db.insert(products).values({ sku: 'TR-200', name: 'Bach TR200 Trumpet', kind: 'serialized' }).returning({ id: products.id });
  [{ id: stringsId }] = await t.deps.db.insert(products).values({ sku: 'STR-10', name: 'Violin strings', kind: 'stock' }).returning({ id: products.id });
});

const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const api = (method: string, path: string, json?: unknown, tok = token) => apiRequest(t.app, method, path, { token: tok, ...(json === undefined ? {} : { json }) });

describe('purchase orders API', () => {
  test('create with lines, receive partially then fully with serials and freight, read back', async () => {
    const created = await api('POST', '/api/v1/purchase-orders', {
      supplier_id: supplierId,
      expected_on: '2026-12-01',
      lines: [
        { product_id: trumpetId, quantity: 3, unit_cost_cents: 45000 },
        { product_id: stringsId, quantity: 20, unit_cost_cents: 500 },
      ],
    });
    expect(created.status).toBe(201);
    const po = created.json();
    expect(po).toMatchObject({ number: 'PO-000001', status: 'draft', supplier_name: 'Brasswind Wholesale', total_cents: 145000 });
    const tr = po.lines.find((l: any) => l.sku === 'TR-200');
    const st = po.lines.find((l: any) => l.sku === 'STR-10');

    const first = await api('POST', `/api/v1/purchase-orders/${po.id}/receipts`, { lines: [{ line_id: tr.id, quantity: 2, serials: ['T1', 'T2'] }, { line_id: st.id, quantity: 10 }], freight_cents: 1000 });
    expect(first.status).toBe(201);
    expect(first.json().status).toBe('partially_received');
    // $900 + $50 share $10 by value: 947 and 53 cents.
    expect(first.json().receipts[0].lines.map((l: any) => [l.sku, l.landed_unit_cost_cents])).toEqual([
      ['TR-200', 45474],
      ['STR-10', 505],
    ]);
    const units = await t.deps.db.execute<any>(sql`select serial_number, cost_cents from inventory_units order by serial_number`);
    expect(units.map((u: any) => Number(u.cost_cents))).toEqual([45474, 45473]);

    const second = await api('POST', `/api/v1/purchase-orders/${po.id}/receipts`, { lines: [{ line_id: tr.id, quantity: 1, serials: ['T3'] }, { line_id: st.id, quantity: 10 }] });
    expect(second.status).toBe(201);
    expect(second.json().status).toBe('received');
    const got = await api('GET', `/api/v1/purchase-orders/${po.id}`);
    expect(got.status).toBe(200);
    expect(got.json().lines.map((l: any) => l.quantity_received).sort()).toEqual([10 + 10, 3].sort());
    expect(got.json().receipts).toHaveLength(2);
    const audit = await t.deps.db.execute<any>(sql`select actor_label from audit_log where action = 'purchase_order.receive'`);
    expect(audit.map((a: any) => a.actor_label)).toEqual(['api:test', 'api:test']);
  });

  test('list: search, status filter, sort, pagination; bad list parameters are 400', async () => {
    for (let i = 0; i < 3; i++) await api('POST', '/api/v1/purchase-orders', { supplier_id: supplierId, notes: `batch ${i}` });
    const list = await api('GET', '/api/v1/purchase-orders?limit=2&sort=number&order=asc');
    expect(list.status).toBe(200);
    expect(list.json().data.map((p: any) => p.number)).toEqual(['PO-000001', 'PO-000002']);
    expect(list.json().pagination).toEqual({ page: 1, limit: 2, total: 3, total_pages: 2 });
    expect((await api('GET', '/api/v1/purchase-orders?q=batch%202')).json().data.map((p: any) => p.number)).toEqual(['PO-000003']);
    expect((await api('GET', '/api/v1/purchase-orders?status=received')).json().data).toEqual([]);
    for (const q of ['status=shipped', 'sort=price', 'limit=500', 'page=0', 'order=up']) {
      const res = await api('GET', `/api/v1/purchase-orders?${q}`);
      expect(res.status).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
  });

  test('bad input: clear 4xx errors with fields, nothing written', async () => {
    const cases: [unknown, number, string][] = [
      [{}, 422, 'supplier_id'],
      [{ supplier_id: 'x' }, 422, 'supplier_id'],
      [{ supplier_id: '00000000-0000-4000-8000-000000000000' }, 422, 'supplier_id'],
      [{ supplier_id: supplierId, notes: 5 }, 422, 'notes'],
      [{ supplier_id: supplierId, notes: 'x'.repeat(2001) }, 422, 'notes'],
      [{ supplier_id: supplierId, expected_on: '12/01/2026' }, 422, 'expected_on'],
      [{ supplier_id: supplierId, lines: 'many' }, 422, 'lines'],
      [{ supplier_id: supplierId, lines: [{ product_id: trumpetId, quantity: 1.5, unit_cost_cents: 1 }] }, 422, 'lines.0.quantity'],
      [{ supplier_id: supplierId, lines: [{ product_id: trumpetId, quantity: 1, unit_cost_cents: '10' }] }, 422, 'lines.0.unit_cost_cents'],
      [{ supplier_id: supplierId, lines: [{ product_id: trumpetId, quantity: 1, unit_cost_cents: 1 }, { product_id: '00000000-0000-4000-8000-000000000000', quantity: 1, unit_cost_cents: 1 }] }, 422, 'lines.1.product_id'],
    ];
    for (const [body, status, field] of cases) {
      const res = await api('POST', '/api/v1/purchase-orders', body);
      expect(res.status).toBe(status);
      expect(Object.keys(res.json().error.fields ?? {})).toContain(field);
    }
    const notJson = await apiRequest(t.app, 'POST', '/api/v1/purchase-orders', { token, headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(400);
    expect(await count('purchase_orders')).toBe(0);
    expect((await api('GET', '/api/v1/purchase-orders/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await api('GET', '/api/v1/purchase-orders/nope')).status).toBe(404);
    expect((await api('POST', '/api/v1/purchase-orders/00000000-0000-4000-8000-000000000000/receipts', { lines: [] })).status).toBe(404);
  });

  test('receipts: over-receiving, duplicate serials, wrong serial count, foreign lines are refused with nothing written', async () => {
    const po = (await api('POST', '/api/v1/purchase-orders', { supplier_id: supplierId, lines: [{ product_id: trumpetId, quantity: 2, unit_cost_cents: 100 }, { product_id: stringsId, quantity: 5, unit_cost_cents: 100 }] })).json();
    const tr = po.lines.find((l: any) => l.sku === 'TR-200').id;
    const st = po.lines.find((l: any) => l.sku === 'STR-10').id;
    const cases: [unknown, number, string][] = [
      [{ lines: [] }, 422, 'lines'],
      [{ lines: [{ line_id: st, quantity: 6 }] }, 422, 'lines.0.quantity'],
      [{ lines: [{ line_id: st, quantity: 1 }, { line_id: tr, quantity: 2, serials: ['S1', 's1'] }] }, 422, 'lines.1.serials.1'],
      [{ lines: [{ line_id: tr, quantity: 2, serials: ['S1'] }] }, 422, 'lines.0.serials'],
      [{ lines: [{ line_id: st, quantity: 1, serials: ['X'] }] }, 422, 'lines.0.serials'],
      [{ lines: [{ line_id: '00000000-0000-4000-8000-000000000000', quantity: 1 }] }, 422, 'lines.0.line_id'],
      [{ lines: [{ line_id: st, quantity: 1 }, { line_id: st, quantity: 1 }] }, 422, 'lines.1.line_id'],
      [{ lines: [{ line_id: st, quantity: -1 }] }, 422, 'lines.0.quantity'],
      [{ lines: [{ line_id: st, quantity: 1 }], freight_cents: -5 }, 422, 'freight_cents'],
      [{ lines: [{ line_id: st, quantity: 1 }], freight_cents: 'lots' }, 422, 'freight_cents'],
      [{ lines: [{ line_id: tr, quantity: 1, serials: [''] }] }, 422, 'lines.0.serials.0'],
    ];
    for (const [body, status, field] of cases) {
      const res = await api('POST', `/api/v1/purchase-orders/${po.id}/receipts`, body);
      expect(res.status).toBe(status);
      expect(Object.keys(res.json().error.fields ?? {})).toContain(field);
    }
    expect(await count('receipts')).toBe(0);
    expect(await count('inventory_units')).toBe(0);
    expect(await count('stock_movements')).toBe(0);
  });

  test('a token without inventory.manage can read but not create or receive', async () => {
    const readOnly = await ownerToken(t, ['inventory.view']);
    expect((await api('GET', '/api/v1/purchase-orders', undefined, readOnly)).status).toBe(200);
    expect((await api('POST', '/api/v1/purchase-orders', { supplier_id: supplierId }, readOnly)).status).toBe(403);
    expect(await count('purchase_orders')).toBe(0);
  });
});

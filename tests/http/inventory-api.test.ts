import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { apiRequest, makeTestApp, ownerToken, setupStoreWithOwner, resetDb, type TestContext } from '../helpers';
import { cliActor } from '../../src/features/audit/service';

let t: TestContext;
let token: string;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  await setupStoreWithOwner(t);
  token = await ownerToken(t);
});

const api = (method: string, path: string, json?: unknown, tok = token) => apiRequest(t.app, method, path, { token: tok, ...(json === undefined ? {} : { json }) });
const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const audits = async (action: string) => t.deps.db.execute<any>(sql`select actor_label, entity_id, before, after from audit_log where action = ${action} order by id`);
const product = async (body: Record<string, unknown>) => {
  const res = await api('POST', '/api/v1/products', { name: 'Thing', kind: 'stock', ...body });
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  return res.json();
};

describe('inventory API: catalog, units and passport', () => {
  test('create category, supplier, serialized product with supplier link, unit; passport shows the acquisition', async () => {
    const taxes = (await api('GET', '/api/v1/tax-classes')).json().data;
    expect(taxes).toHaveLength(1);
    expect(taxes[0]).toMatchObject({ name: 'Standard', is_default: true, components: [{ name: 'Sales tax', rate_millipercent: expect.any(Number) }] });

    const brass = (await api('POST', '/api/v1/categories', { name: 'Brass' })).json();
    const trumpets = await api('POST', '/api/v1/categories', { name: 'Trumpets', parent_id: brass.id });
    expect(trumpets.status).toBe(201);
    expect(trumpets.json()).toMatchObject({ name: 'Trumpets', parent_id: brass.id, depth: 1, path: 'Brass › Trumpets' });
    const supplier = await api('POST', '/api/v1/suppliers', { name: 'Conn-Selmer', email: 'orders@example.com' });
    expect(supplier.status).toBe(201);

    const created = await api('POST', '/api/v1/products', {
      sku: 'TR-200', upc: '0123456789012', name: 'Student Trumpet', brand: 'Bach', model: 'TR200', kind: 'serialized', price_cents: 89900, cost_cents: 52000, min_price_cents: 80000,
      category_id: trumpets.json().id, rentable: true, monthly_rental_cents: 2900, rto_purchase_price_cents: 99900, size: '', suppliers: [{ supplier_id: supplier.json().id, supplier_sku: 'CS-TR200', cost_cents: 51000, is_primary: true }],
    });
    expect(created.status).toBe(201);
    const p = created.json();
    expect(p).toMatchObject({ sku: 'TR-200', kind: 'serialized', price_cents: 89900, tax_class: 'Standard', tax_class_id: taxes[0].id, category_name: 'Trumpets', rentable: true, is_active: true });
    expect(p.suppliers).toEqual([{ supplier_id: supplier.json().id, supplier_name: 'Conn-Selmer', supplier_sku: 'CS-TR200', cost_cents: 51000, is_primary: true }]);

    const unit = await api('POST', '/api/v1/units', { product_id: p.id, serial_number: 'SMI-2231', condition: 'new', cost_cents: 51000, acquired_on: '2026-11-20', acquired_via: 'purchase', location: 'Bin 4' });
    expect(unit.status).toBe(201);
    expect(unit.json()).toMatchObject({ serial_number: 'SMI-2231', status: 'available', sku: 'TR-200', cost_cents: 51000, acquired_on: '2026-11-20' });
    expect(unit.json().events).toHaveLength(1);
    expect(unit.json().events[0]).toMatchObject({ event_type: 'acquired', to_status: 'available', actor: 'api:test' });
    expect(unit.json().events[0].summary).toContain('Purchased on 2026-11-20');

    const got = (await api('GET', `/api/v1/units/${unit.json().id}`)).json();
    expect(got.events.map((e: any) => e.event_type)).toEqual(['acquired']);
    const list = (await api('GET', `/api/v1/units?q=smi&product_id=${p.id}&status=available`)).json();
    expect(list.pagination.total).toBe(1);
    expect((await api('GET', '/api/v1/products/' + p.id)).json().unit_count).toBe(1);
    expect((await audits('product.create'))[0].actor_label).toBe('api:test');
    expect(await audits('unit.create')).toHaveLength(1);
  });

  test('product list: search, filters, sort, pagination; bad list params are 400', async () => {
    const cat = (await api('POST', '/api/v1/categories', { name: 'Strings' })).json();
    const sub = (await api('POST', '/api/v1/categories', { name: 'Violin strings', parent_id: cat.id })).json();
    await product({ sku: 'STR-A', name: 'A string', brand: "D'Addario", category_id: sub.id, price_cents: 900 });
    await product({ sku: 'STR-E', name: 'E string', brand: 'Pirastro', price_cents: 1200 });
    await product({ sku: 'REP-1', name: 'Bow rehair', kind: 'service', price_cents: 6500 });
    await product({ sku: 'OLD-1', name: 'Old stock', is_active: false });
    const q = async (qs: string) => (await api('GET', `/api/v1/products?${qs}`)).json();
    expect((await q('q=addario')).data.map((p: any) => p.sku)).toEqual(['STR-A']);
    expect((await q('kind=service')).data.map((p: any) => p.sku)).toEqual(['REP-1']);
    expect((await q(`category_id=${cat.id}`)).data.map((p: any) => p.sku)).toEqual(['STR-A']);
    expect((await q(`category_id=${UNKNOWN}`)).pagination.total).toBe(0);
    expect((await q('status=inactive')).data.map((p: any) => p.sku)).toEqual(['OLD-1']);
    expect((await q('sort=price_cents&order=desc')).data.map((p: any) => p.sku)).toEqual(['REP-1', 'STR-E', 'STR-A']);
    const paged = await q('limit=2&page=2&sort=sku');
    expect(paged.pagination).toEqual({ page: 2, limit: 2, total: 3, total_pages: 2 });
    for (const bad of ['kind=tuba', 'category_id=nope', 'status=gone', 'sort=cost', 'limit=500']) expect((await api('GET', `/api/v1/products?${bad}`)).status).toBe(400);
    for (const bad of ['status=broken', 'product_id=x']) expect((await api('GET', `/api/v1/units?${bad}`)).status).toBe(400);
  });

  test('bad product input: 4xx with fields, nothing written', async () => {
    await product({ sku: 'DUP-1', upc: '111111111111' });
    const before = await count('products');
    const cases: [unknown, number, string][] = [
      [{}, 422, 'sku'],
      [{ sku: 'A1', kind: 'stock' }, 422, 'name'],
      [{ sku: 'A1', name: 'X', kind: 'tuba' }, 422, 'kind'],
      [{ sku: 'A1', name: 'X', kind: 'stock', price_cents: '12.50' }, 422, 'price_cents'],
      [{ sku: 'A1', name: 'X', kind: 'stock', price_cents: 12.5 }, 422, 'price_cents'],
      [{ sku: 'A1', name: 'X', kind: 'stock', cost_cents: -1 }, 422, 'cost_cents'],
      [{ sku: 'A1', name: 'X', kind: 'stock', price_cents: 100, min_price_cents: 200 }, 422, 'min_price_cents'],
      [{ sku: 'x'.repeat(41), name: 'X', kind: 'stock' }, 422, 'sku'],
      [{ sku: 'A1', name: 'x'.repeat(201), kind: 'stock' }, 422, 'name'],
      [{ sku: 'A1', name: 'X', kind: 'stock', upc: 'abc' }, 422, 'upc'],
      [{ sku: 'A1', name: 'X', kind: 'stock', rentable: 'yes' }, 422, 'rentable'],
      [{ sku: 'A1', name: 'X', kind: 'stock', category_id: UNKNOWN }, 422, 'category_id'],
      [{ sku: 'A1', name: 'X', kind: 'stock', tax_class_id: UNKNOWN }, 422, 'tax_class_id'],
      [{ sku: 'A1', name: 'X', kind: 'stock', suppliers: [{ supplier_id: UNKNOWN }] }, 422, 'suppliers'],
      [{ sku: 'A1', name: 'X', kind: 'stock', bogus: 1 }, 422, '_'],
      [{ sku: 'dup-1', name: 'X', kind: 'stock' }, 409, 'sku'],
      [{ sku: 'A1', name: 'X', kind: 'stock', upc: '111111111111' }, 409, 'upc'],
    ];
    for (const [json, status, field] of cases) {
      const res = await api('POST', '/api/v1/products', json);
      expect({ json, status: res.status }).toEqual({ json, status });
      expect(res.json().error.fields).toHaveProperty(field);
    }
    const notJson = await t.app.handle(new Request('http://forte.test/api/v1/products', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'sku=x' }));
    expect(notJson.status).toBe(400);
    expect(await count('products')).toBe(before);
    expect((await api('GET', `/api/v1/products/${UNKNOWN}`)).status).toBe(404);
    expect((await api('GET', '/api/v1/products/nope')).json().error.code).toBe('not_found');
    expect((await api('PATCH', `/api/v1/products/${UNKNOWN}`, { name: 'x' })).status).toBe(404);
    expect((await api('GET', `/api/v1/products/${UNKNOWN}/stock`)).status).toBe(404);
  });

  test('PATCH keeps unsent fields; the kind changes only under the stock rules', async () => {
    const stock = await product({ sku: 'RSN-1', name: 'Rosin', price_cents: 800, brand: 'Hill' });
    const patched = await api('PATCH', `/api/v1/products/${stock.id}`, { price_cents: 950 });
    expect(patched.json()).toMatchObject({ price_cents: 950, brand: 'Hill', name: 'Rosin' });
    expect((await api('PATCH', `/api/v1/products/${stock.id}`, { min_price_cents: 1000 })).status).toBe(422);

    await api('POST', '/api/v1/stock/adjustments', { product_id: stock.id, quantity: 3, reason: 'found', unit_cost_cents: 300 });
    const refused = await api('PATCH', `/api/v1/products/${stock.id}`, { kind: 'non_inventory' });
    expect(refused.status).toBe(409);
    expect(refused.json().error.message).toContain('3 on hand');
    expect(refused.json().error.fields.kind).toBeString();
    await api('POST', '/api/v1/stock/adjustments', { product_id: stock.id, quantity: -3, reason: 'written off' });
    expect((await api('PATCH', `/api/v1/products/${stock.id}`, { kind: 'non_inventory' })).json().kind).toBe('non_inventory');
    expect(await audits('product.change_kind')).toHaveLength(1);

    const serial = await product({ sku: 'GTR-1', name: 'Guitar', kind: 'serialized' });
    await api('POST', '/api/v1/units', { product_id: serial.id, serial_number: 'G1' });
    const refused2 = await api('PATCH', `/api/v1/products/${serial.id}`, { kind: 'stock' });
    expect(refused2.status).toBe(409);
    expect(refused2.json().error.message).toContain('serialized unit');
    expect((await api('GET', `/api/v1/products/${serial.id}`)).json().kind).toBe('serialized');
  });

  test('bad unit input: only available on create, serials unique per product case-insensitively', async () => {
    const tr = await product({ sku: 'TR-1', kind: 'serialized' });
    const cl = await product({ sku: 'CL-1', kind: 'serialized' });
    const stock = await product({ sku: 'REED-1' });
    expect((await api('POST', '/api/v1/units', { product_id: tr.id, serial_number: 'abc-1' })).status).toBe(201);
    const cases: [unknown, number, string][] = [
      [{ product_id: tr.id }, 422, 'serial_number'],
      [{ product_id: tr.id, serial_number: 'X2', status: 'sold' }, 422, 'status'],
      [{ product_id: tr.id, serial_number: 'X2', condition: 'mint' }, 422, 'condition'],
      [{ product_id: tr.id, serial_number: 'X2', acquired_on: '2026-13-40' }, 422, 'acquired_on'],
      [{ product_id: tr.id, serial_number: 'X2', cost_cents: -5 }, 422, 'cost_cents'],
      [{ product_id: tr.id, serial_number: 'x'.repeat(101) }, 422, 'serial_number'],
      [{ product_id: UNKNOWN, serial_number: 'X2' }, 422, 'product_id'],
      [{ product_id: 'nope', serial_number: 'X2' }, 422, 'product_id'],
      [{ product_id: stock.id, serial_number: 'X2' }, 422, 'product_id'],
      [{ product_id: tr.id, serial_number: 'ABC-1' }, 409, 'serial_number'],
    ];
    for (const [json, status, field] of cases) {
      const res = await api('POST', '/api/v1/units', json);
      expect({ json, status: res.status }).toEqual({ json, status });
      expect(res.json().error.fields).toHaveProperty(field);
    }
    expect(await count('inventory_units')).toBe(1);
    expect((await api('POST', '/api/v1/units', { product_id: cl.id, serial_number: 'ABC-1' })).status).toBe(201);
    expect((await api('GET', `/api/v1/units/${UNKNOWN}`)).status).toBe(404);
  });

  test('manual unit status change needs inventory.override and a reason; it lands on the passport and in the audit log', async () => {
    const tr = await product({ sku: 'TR-1', kind: 'serialized' });
    const unit = (await api('POST', '/api/v1/units', { product_id: tr.id, serial_number: 'T1' })).json();
    const [owner] = await t.deps.db.execute<{ id: string }>(sql`select id from staff_users where username = 'owner1'`);
    const { createApiToken } = await import('../../src/features/api-tokens/service');
    const narrow = (await t.deps.db.transaction((tx) => createApiToken(tx, cliActor('test'), { name: 'clerk', ownerUserId: owner.id, permissions: ['inventory.view', 'inventory.manage'] }))).token;
    expect((await api('POST', `/api/v1/units/${unit.id}/status`, { status: 'lost', reason: 'not found in count' }, narrow)).status).toBe(403);
    expect((await api('POST', `/api/v1/units/${unit.id}/status`, { status: 'lost', reason: 'x' })).json().error.fields).toHaveProperty('reason');
    expect((await api('POST', `/api/v1/units/${unit.id}/status`, { status: 'melted', reason: 'not found' })).json().error.fields).toHaveProperty('status');
    expect((await api('POST', `/api/v1/units/${unit.id}/status`, { status: 'available', reason: 'no change' })).status).toBe(422);
    const ok = await api('POST', `/api/v1/units/${unit.id}/status`, { status: 'lost', reason: 'not found in count' });
    expect(ok.status).toBe(200);
    expect(ok.json().status).toBe('lost');
    expect(ok.json().events.at(-1)).toMatchObject({ event_type: 'status_override', from_status: 'available', to_status: 'lost' });
    const [audit] = await audits('unit.status_override');
    expect(audit.before.status).toBe('available');
    expect(audit.after.status).toBe('lost');
  });
});

describe('inventory API: stock', () => {
  test('adjustments update on hand and the moving average; negative refused without override, allowed and recorded with it', async () => {
    const reeds = await product({ sku: 'REED-3', name: 'Clarinet reeds #3' });
    const first = await api('POST', '/api/v1/stock/adjustments', { product_id: reeds.id, quantity: 10, reason: 'opening count', unit_cost_cents: 500 });
    expect(first.status).toBe(201);
    expect(first.json()).toMatchObject({ quantity_on_hand: 10, average_cost_cents: 500, movement: { quantity: 10, reason: 'adjustment', note: 'opening count', quantity_after: 10 } });
    await api('POST', '/api/v1/stock/adjustments', { product_id: reeds.id, quantity: 10, reason: 'found box', unit_cost_cents: 700 });
    await api('POST', '/api/v1/stock/adjustments', { product_id: reeds.id, quantity: -5, reason: 'damaged' });
    const stock = (await api('GET', `/api/v1/products/${reeds.id}/stock`)).json();
    expect(stock).toMatchObject({ quantity_on_hand: 15, average_cost_cents: 600, inventory_value_cents: 9000 });
    expect(stock.recent_movements.map((m: any) => [m.quantity, m.quantity_after, m.average_cost_after_cents])).toEqual([[-5, 15, 600], [10, 20, 600], [10, 10, 500]]);

    const refused = await api('POST', '/api/v1/stock/adjustments', { product_id: reeds.id, quantity: -20, reason: 'miscount' });
    expect(refused.status).toBe(409);
    expect(refused.json().error.message).toContain('Only 15');
    const [owner] = await t.deps.db.execute<{ id: string }>(sql`select id from staff_users where username = 'owner1'`);
    const { createApiToken } = await import('../../src/features/api-tokens/service');
    const clerk = (await t.deps.db.transaction((tx) => createApiToken(tx, cliActor('test'), { name: 'clerk', ownerUserId: owner.id, permissions: ['inventory.view', 'inventory.manage'] }))).token;
    expect((await api('POST', '/api/v1/stock/adjustments', { product_id: reeds.id, quantity: -20, reason: 'miscount', allow_negative: true }, clerk)).status).toBe(403);
    expect(await count('stock_movements')).toBe(3);

    const allowed = await api('POST', '/api/v1/stock/adjustments', { product_id: reeds.id, quantity: -20, reason: 'miscount', allow_negative: true });
    expect(allowed.status).toBe(201);
    expect(allowed.json().quantity_on_hand).toBe(-5);
    expect(allowed.json().movement.override_by_user_id).toBe(owner.id);
    const [audit] = await audits('stock.adjust_negative_override');
    expect(audit).toMatchObject({ actor_label: 'api:test', before: { quantityOnHand: 15 }, after: { quantityOnHand: -5, overridden: true } });
    expect(await audits('stock.adjust')).toHaveLength(3);
  });

  test('bad adjustment input: 4xx with fields, nothing moved', async () => {
    const reeds = await product({ sku: 'REED-2' });
    const guitar = await product({ sku: 'GTR-2', kind: 'serialized' });
    const cases: [unknown, number, string][] = [
      [{}, 422, 'product_id'],
      [{ product_id: reeds.id, quantity: 0, reason: 'x' }, 422, 'quantity'],
      [{ product_id: reeds.id, quantity: 1.5, reason: 'x' }, 422, 'quantity'],
      [{ product_id: reeds.id, quantity: '3', reason: 'x' }, 422, 'quantity'],
      [{ product_id: reeds.id, quantity: 3 }, 422, 'reason'],
      [{ product_id: reeds.id, quantity: 3, reason: 'x'.repeat(201) }, 422, 'reason'],
      [{ product_id: reeds.id, quantity: 3, reason: 'x', unit_cost_cents: -1 }, 422, 'unit_cost_cents'],
      [{ product_id: guitar.id, quantity: 3, reason: 'x' }, 422, 'product_id'],
      [{ product_id: reeds.id, quantity: -1, reason: 'x' }, 409, 'quantity'],
    ];
    for (const [json, status, field] of cases) {
      const res = await api('POST', '/api/v1/stock/adjustments', json);
      expect({ json, status: res.status }).toEqual({ json, status });
      expect(res.json().error.fields).toHaveProperty(field);
    }
    expect((await api('POST', '/api/v1/stock/adjustments', { product_id: UNKNOWN, quantity: 1, reason: 'x' })).status).toBe(404);
    expect(await count('stock_movements')).toBe(0);
    expect((await api('GET', `/api/v1/products/${reeds.id}`)).json().quantity_on_hand).toBe(0);
  });
});

describe('inventory API: categories and suppliers', () => {
  test('categories: tree order, rename, move without cycles, duplicates refused', async () => {
    const brass = (await api('POST', '/api/v1/categories', { name: 'Brass' })).json();
    const tr = (await api('POST', '/api/v1/categories', { name: 'Trumpets', parent_id: brass.id })).json();
    const pic = (await api('POST', '/api/v1/categories', { name: 'Piccolo', parent_id: tr.id })).json();
    const ww = (await api('POST', '/api/v1/categories', { name: 'Woodwinds' })).json();
    expect((await api('GET', '/api/v1/categories')).json().data.map((c: any) => `${c.depth}:${c.name}`)).toEqual(['0:Brass', '1:Trumpets', '2:Piccolo', '0:Woodwinds']);
    expect((await api('GET', '/api/v1/categories?q=trump')).json().data.map((c: any) => c.name)).toEqual(['Trumpets', 'Piccolo']);
    const cycle = await api('PATCH', `/api/v1/categories/${brass.id}`, { parent_id: pic.id });
    expect(cycle.status).toBe(422);
    expect(cycle.json().error.fields.parent_id).toContain('under itself');
    expect((await api('PATCH', `/api/v1/categories/${brass.id}`, { parent_id: brass.id })).status).toBe(422);
    expect((await api('POST', '/api/v1/categories', { name: 'trumpets', parent_id: brass.id })).status).toBe(409);
    expect((await api('POST', '/api/v1/categories', { name: 'Trumpets' })).status).toBe(201);
    expect((await api('POST', '/api/v1/categories', { name: '' })).json().error.fields).toHaveProperty('name');
    expect((await api('POST', '/api/v1/categories', { name: 'x'.repeat(81) })).status).toBe(422);
    expect((await api('POST', '/api/v1/categories', { name: 'X', parent_id: UNKNOWN })).json().error.fields).toHaveProperty('parent_id');
    expect((await api('PATCH', `/api/v1/categories/${UNKNOWN}`, { name: 'X' })).status).toBe(404);
    const moved = await api('PATCH', `/api/v1/categories/${tr.id}`, { parent_id: ww.id, name: 'Trumpets (misfiled)' });
    expect(moved.json()).toMatchObject({ parent_id: ww.id, path: 'Woodwinds › Trumpets (misfiled)' });
    expect((await audits('category.move'))).toHaveLength(1);
  });

  test('suppliers: create, list, deactivate, duplicates and bad input refused', async () => {
    const s = (await api('POST', '/api/v1/suppliers', { name: 'KMC', contact_name: 'Kim' })).json();
    await api('POST', '/api/v1/suppliers', { name: 'Ludwig' });
    expect((await api('POST', '/api/v1/suppliers', { name: 'kmc' })).status).toBe(409);
    expect((await api('POST', '/api/v1/suppliers', { name: '' })).json().error.fields).toHaveProperty('name');
    expect((await api('POST', '/api/v1/suppliers', { name: 'X', email: 'nope' })).json().error.fields).toHaveProperty('email');
    expect((await api('POST', '/api/v1/suppliers', { name: 'x'.repeat(121) })).status).toBe(422);
    expect(await count('suppliers')).toBe(2);
    const off = await api('PATCH', `/api/v1/suppliers/${s.id}`, { is_active: false });
    expect(off.json().is_active).toBe(false);
    expect((await api('GET', '/api/v1/suppliers')).json().data.map((x: any) => x.name)).toEqual(['Ludwig']);
    expect((await api('GET', '/api/v1/suppliers?status=all&q=km')).json().data.map((x: any) => x.name)).toEqual(['KMC']);
    expect((await api('GET', `/api/v1/suppliers/${UNKNOWN}`)).status).toBe(404);
    expect(await audits('supplier.deactivate')).toHaveLength(1);
  });
});

import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { addStaff, apiRequest, makeTestApp, ownerToken, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';
import { productSuppliers, products, suppliers } from '../../src/db/schema';

let t: TestContext;
let owner: TestClient;
let brasswind: string;
let stringCo: string;
let reeds: string;
let oil: string;
let strings: string;
let orphan: string;
let plenty: string;

async function product(sku: string, extra: Partial<typeof products.$inferInsert>, supplier?: { id: string; costCents: number; supplierSku?: string }) {
  const [p] = await t.deps.db.insert(products).values({ sku, name: `${sku} name`, kind: 'stock', priceCents: 999, ...extra }).returning();
  if (supplier) await t.deps.db.insert(productSuppliers).values({ productId: p.id, supplierId: supplier.id, supplierSku: supplier.supplierSku ?? '', costCents: supplier.costCents, isPrimary: true });
  return p.id;
}

beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  [{ id: brasswind }, { id: stringCo }] = await t.deps.db.insert(suppliers).values([{ name: 'Brasswind Wholesale' }, { name: 'String Co' }]).returning({ id: suppliers.id });
  reeds = await product('REEDS', { quantityOnHand: 1, reorderPoint: 4, reorderQuantity: 10 }, { id: brasswind, costCents: 1250, supplierSku: 'VD-CL3' });
  oil = await product('OIL', { quantityOnHand: 0, reorderPoint: 2 }, { id: brasswind, costCents: 399 });
  strings = await product('STR-10', { quantityOnHand: 0, reorderPoint: 5, reorderQuantity: 12 }, { id: stringCo, costCents: 700 });
  orphan = await product('NOSUP', { quantityOnHand: 0, reorderPoint: 1 });
  plenty = await product('PLENTY', { quantityOnHand: 50, reorderPoint: 5 }, { id: brasswind, costCents: 100 });
});

const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const poLines = async () =>
  (await t.deps.db.execute<any>(sql`select po.number, po.status, s.name as supplier, p.sku, l.quantity_ordered, l.unit_cost_cents, l.note from purchase_order_lines l
    join purchase_orders po on po.id = l.purchase_order_id join suppliers s on s.id = po.supplier_id join products p on p.id = l.product_id order by po.number, p.sku`)).map((r: any) => [r.number, r.status, r.supplier, r.sku, r.quantity_ordered, Number(r.unit_cost_cents), r.note]);
const formKeyOf = (html: string) => /name="form_key" value="([^"]+)"/.exec(html)![1];

async function submit(productIds: string[], key?: string, client = owner) {
  const page = await client.get('/inventory/low-stock');
  return client.postForm('/inventory/low-stock/purchase-orders', { product_id: productIds, form_key: key ?? formKeyOf(page.text) });
}

describe('low-stock report → purchase orders (page)', () => {
  test('ticked suggestions become one draft per primary supplier at the suggested quantity and supplier cost; no supplier is skipped', async () => {
    const page = await owner.get('/inventory/low-stock');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Create purchase orders');
    expect(page.text).toContain(`name="product_id" value="${reeds}" form="reorder-form" data-select-item="reorder" checked`);
    expect(page.text).toContain('data-disable-on-submit');
    expect(page.text).toContain('data-select-all="reorder"');

    const res = await owner.postForm('/inventory/low-stock/purchase-orders', { product_id: [reeds, oil, strings, orphan], form_key: formKeyOf(page.text) });
    expect(res.status).toBe(303);
    const ids = (await t.deps.db.execute<{ id: string }>(sql`select id from purchase_orders order by number`)).map((r) => r.id);
    expect(ids).toHaveLength(2);
    expect(res.headers.get('location')).toBe(`/purchasing?ids=${ids.join(',')}`);
    expect(await poLines()).toEqual([
      ['PO-000001', 'draft', 'Brasswind Wholesale', 'OIL', 3, 399, ''],
      ['PO-000001', 'draft', 'Brasswind Wholesale', 'REEDS', 10, 1250, 'Supplier SKU VD-CL3'],
      ['PO-000002', 'draft', 'String Co', 'STR-10', 12, 700, ''],
    ]);
    const notes = await t.deps.db.execute<{ notes: string }>(sql`select notes from purchase_orders order by number`);
    expect(notes[0].notes).toBe("Created from the low-stock report's reorder suggestions on 2026-11-24.");
    const audit = await t.deps.db.execute<{ action: string; actor_label: string }>(sql`select action, actor_label from audit_log where entity_type = 'purchase_order' order by id`);
    expect(audit.map((a) => [a.action, a.actor_label])).toEqual([['purchase_order.create', 'olivia'], ['purchase_order.create', 'olivia']]);

    const list = await owner.get(res.headers.get('location')!);
    expect(list.status).toBe(200);
    expect(list.text).toContain('Created 2 draft purchase orders: PO-000001, PO-000002.');
    expect(list.text).toContain('Skipped 1: NOSUP (No primary supplier: choose one on the product page)');
    expect(list.text).toContain('Showing only the 2 purchase orders just created');

    // The drafts don't count as on order, but the report shows them so nobody orders twice by accident.
    const after = await owner.get('/inventory/low-stock');
    expect(after.text).toContain('+10 in draft');
    const report = (await apiRequest(t.app, 'GET', '/api/v1/reports/low-stock', { token: await ownerToken(t) })).json();
    expect(report.data.find((r: any) => r.sku === 'REEDS')).toMatchObject({ on_order: 0, in_draft: 10, suggested_quantity: 10 });
  });

  test('one supplier → straight to the new purchase order', async () => {
    const res = await submit([strings]);
    expect(res.status).toBe(303);
    const [{ id }] = await t.deps.db.execute<{ id: string }>(sql`select id from purchase_orders`);
    expect(res.headers.get('location')).toBe(`/purchasing/${id}`);
    const po = await owner.get(`/purchasing/${id}`);
    expect(po.text).toContain('Created draft PO-000001 for String Co (1 line).');
  });

  test('a double submit of the same page creates the drafts once; a changed selection on a used page is refused', async () => {
    const page = await owner.get('/inventory/low-stock');
    const key = formKeyOf(page.text);
    const first = await owner.postForm('/inventory/low-stock/purchase-orders', { product_id: [reeds, strings], form_key: key });
    const second = await owner.postForm('/inventory/low-stock/purchase-orders', { product_id: [strings, reeds], form_key: key });
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect((await owner.get(second.headers.get('location')!)).text).toContain('Already done: Created 2 draft purchase orders');
    expect(await count('purchase_orders')).toBe(2);
    const changed = await owner.postForm('/inventory/low-stock/purchase-orders', { product_id: [oil], form_key: key });
    expect(changed.status).toBe(409);
    expect(changed.text).toContain('This page already created purchase orders with a different selection.');
    expect(await count('purchase_orders')).toBe(2);
    // A fresh page has a fresh key: creating again is possible (and makes new drafts, as the report warns).
    expect(formKeyOf(changed.text)).not.toBe(key);
  });

  test('bad input: nothing ticked, malformed or unknown ids, only unorderable products — a clear message and nothing written', async () => {
    const cases: [string[], number, string][] = [
      [[], 422, 'Tick at least one product to order.'],
      [['nope'], 422, 'Unknown product.'],
      [['00000000-0000-4000-8000-000000000000'], 422, 'That product does not exist.'],
      [[orphan], 422, 'No purchase order was created. Skipped 1: NOSUP (No primary supplier: choose one on the product page).'],
      [[plenty], 422, 'PLENTY (Not at or below its reorder point any more'],
    ];
    for (const [ids, status, message] of cases) {
      const res = await submit(ids);
      expect(res.status).toBe(status);
      expect(res.text).toContain(message);
      expect(res.text).toContain('id="reorder-error"');
    }
    expect(await count('purchase_orders')).toBe(0);
    expect(await count('idempotency_keys')).toBe(0);
    // The refusal re-renders the list the form was on (its filter travels with the form).
    const page = await owner.get(`/inventory/low-stock?supplier_id=${stringCo}`);
    expect(page.text).toContain(`name="supplier_id" value="${stringCo}"`);
    const refused = await owner.postForm('/inventory/low-stock/purchase-orders', { product_id: [], form_key: formKeyOf(page.text), supplier_id: stringCo });
    expect(refused.text).toContain('STR-10');
    expect(refused.text).not.toContain('>REEDS<');
  });

  test('a clerk who can view stock sees the report without the ordering form and is refused the post', async () => {
    await addStaff(t, 'clerk', ['cashier']);
    const clerk = await signIn(t, 'clerk', 'staff password 123');
    const page = await clerk.get('/inventory/low-stock');
    expect(page.status).toBe(200);
    expect(page.text).toContain('REEDS');
    expect(page.text).not.toContain('Create purchase orders');
    expect(page.text).not.toContain('name="product_id"');
    const res = await clerk.postForm('/inventory/low-stock/purchase-orders', { product_id: [reeds], form_key: crypto.randomUUID() });
    expect(res.status).toBe(403);
    expect(await count('purchase_orders')).toBe(0);
  });
});

describe('POST /api/v1/purchase-orders/from-suggestions', () => {
  let token: string;
  beforeEach(async () => {
    token = await ownerToken(t);
  });
  const post = (json: unknown, headers: Record<string, string> = {}, tok = token) => apiRequest(t.app, 'POST', '/api/v1/purchase-orders/from-suggestions', { token: tok, json, headers });

  test('no product_ids = every current suggestion; returns the drafts and the skipped products', async () => {
    const res = await post({});
    expect(res.status).toBe(201);
    const body = res.json();
    expect(body.purchase_orders.map((p: any) => [p.number, p.supplier_name, p.status, p.total_cents])).toEqual([
      ['PO-000001', 'Brasswind Wholesale', 'draft', 3 * 399 + 10 * 1250],
      ['PO-000002', 'String Co', 'draft', 12 * 700],
    ]);
    expect(body.purchase_orders[0].lines.map((l: any) => [l.sku, l.quantity_ordered, l.unit_cost_cents])).toEqual([
      ['OIL', 3, 399],
      ['REEDS', 10, 1250],
    ]);
    expect(body.skipped).toEqual([{ product_id: orphan, sku: 'NOSUP', name: 'NOSUP name', reason: 'No primary supplier: choose one on the product page.' }]);
    const audit = await t.deps.db.execute<{ actor_label: string }>(sql`select actor_label from audit_log where action = 'purchase_order.create'`);
    expect(audit.map((a) => a.actor_label)).toEqual(['api:test', 'api:test']);
  });

  test('a selection orders only those; a product that is no longer low and an inactive supplier are skipped with the reason', async () => {
    await t.deps.db.update(suppliers).set({ isActive: false }).where(sql`id = ${stringCo}`);
    const res = await post({ product_ids: [reeds, strings, plenty, reeds] });
    expect(res.status).toBe(201);
    const body = res.json();
    expect(body.purchase_orders).toHaveLength(1);
    expect(body.purchase_orders[0].lines.map((l: any) => l.sku)).toEqual(['REEDS']);
    expect(body.skipped.map((s: any) => [s.sku, s.reason])).toEqual([
      ['PLENTY', 'Not at or below its reorder point any more (or inactive, or without a reorder point).'],
      ['STR-10', 'Its primary supplier, String Co, is inactive.'],
    ]);
  });

  test('nothing orderable: 200 with no purchase orders and the reasons, nothing written', async () => {
    const res = await post({ product_ids: [orphan] });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ purchase_orders: [], skipped: [{ product_id: orphan, sku: 'NOSUP', name: 'NOSUP name', reason: 'No primary supplier: choose one on the product page.' }] });
    expect(await count('purchase_orders')).toBe(0);
  });

  test('Idempotency-Key: a retry returns the first response and creates nothing more; another body with the key is 409', async () => {
    const first = await post({ product_ids: [reeds] }, { 'idempotency-key': 'reorder-2026-11-24' });
    const retry = await post({ product_ids: [reeds] }, { 'idempotency-key': 'reorder-2026-11-24' });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await count('purchase_orders')).toBe(1);
    const other = await post({ product_ids: [strings] }, { 'idempotency-key': 'reorder-2026-11-24' });
    expect(other.status).toBe(409);
    expect(other.json().error.code).toBe('idempotency_mismatch');
    // Without a key, creating twice creates twice (documented).
    await post({ product_ids: [reeds] });
    await post({ product_ids: [reeds] });
    expect(await count('purchase_orders')).toBe(3);
  });

  test('bad input: clear 4xx with fields, nothing written', async () => {
    const cases: [unknown, number, string][] = [
      [{ product_ids: 'all' }, 422, 'product_ids'],
      [{ product_ids: [] }, 422, 'product_ids'],
      [{ product_ids: ['nope'] }, 422, 'product_ids.0'],
      [{ product_ids: [reeds, 42] }, 422, 'product_ids.1'],
      [{ product_ids: [reeds, '00000000-0000-4000-8000-000000000000'] }, 422, 'product_ids.1'],
      [{ product_ids: Array.from({ length: 1001 }, () => reeds) }, 422, 'product_ids'],
    ];
    for (const [body, status, field] of cases) {
      const res = await post(body);
      expect(res.status).toBe(status);
      expect(res.json().error.code).toBe('validation_failed');
      expect(Object.keys(res.json().error.fields ?? {})).toContain(field);
    }
    expect((await apiRequest(t.app, 'POST', '/api/v1/purchase-orders/from-suggestions', { token, headers: { 'content-type': 'text/plain' } })).status).toBe(400);
    const badKey = await post({}, { 'idempotency-key': 'x'.repeat(201) });
    expect(badKey.status).toBe(400);
    expect(await count('purchase_orders')).toBe(0);
    expect(await count('idempotency_keys')).toBe(0);
    const readOnly = await ownerToken(t, ['inventory.view']);
    expect((await post({}, {}, readOnly)).status).toBe(403);
    expect(await count('purchase_orders')).toBe(0);
  });
});

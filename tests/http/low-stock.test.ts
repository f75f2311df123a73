import { beforeEach, describe, expect, test } from 'bun:test';
import { addStaff, apiRequest, makeTestApp, ownerToken, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';
import { categories, inventoryUnits, productSuppliers, products, purchaseOrderLines, purchaseOrders, suppliers } from '../../src/db/schema';

let t: TestContext;
let owner: TestClient;
let brasswind: string;
let strings: string;
let accessories: string;

beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  [{ id: brasswind }, { id: strings }] = await t.deps.db.insert(suppliers).values([{ name: 'Brasswind Wholesale' }, { name: 'String Co' }]).returning({ id: suppliers.id });
  [{ id: accessories }] = await t.deps.db.insert(categories).values({ name: 'Accessories' }).returning({ id: categories.id });
});

async function product(sku: string, extra: Partial<typeof products.$inferInsert> = {}, supplier?: { id: string; costCents: number }) {
  const [p] = await t.deps.db.insert(products).values({ sku, name: `${sku} name`, kind: 'stock', priceCents: 999, ...extra }).returning();
  if (supplier) await t.deps.db.insert(productSuppliers).values({ productId: p.id, supplierId: supplier.id, supplierSku: `S-${sku}`, costCents: supplier.costCents, isPrimary: true });
  return p;
}

let poSeq = 0;
async function purchaseOrder(status: string, lines: { productId: string; ordered: number; received?: number }[]) {
  const [po] = await t.deps.db.insert(purchaseOrders).values({ number: `PO-T${++poSeq}`, supplierId: brasswind, status }).returning();
  await t.deps.db.insert(purchaseOrderLines).values(lines.map((l) => ({ purchaseOrderId: po.id, productId: l.productId, quantityOrdered: l.ordered, quantityReceived: l.received ?? 0, unitCostCents: 100 })));
}

const api = async (path: string) => apiRequest(t.app, 'GET', path, { token: await ownerToken(t) });
const skus = (data: { sku: string }[]) => data.map((r) => r.sku);

describe('low-stock report', () => {
  test('stock items at and below the reorder point are listed, above is not; sorted by shortfall with suggestions', async () => {
    await product('REEDS-AT', { quantityOnHand: 5, reorderPoint: 5, reorderQuantity: 10 }, { id: brasswind, costCents: 1250 });
    await product('OIL-BELOW', { quantityOnHand: 0, reorderPoint: 12, reorderQuantity: 6 }, { id: brasswind, costCents: 399 });
    await product('ROSIN-ABOVE', { quantityOnHand: 6, reorderPoint: 5, reorderQuantity: 10 });
    const res = await api('/api/v1/reports/low-stock');
    expect(res.status).toBe(200);
    const body = res.json();
    expect(skus(body.data)).toEqual(['OIL-BELOW', 'REEDS-AT']);
    expect(body.data[0]).toMatchObject({ on_hand: 0, on_order: 0, reorder_point: 12, shortfall: 13, suggested_quantity: 13, primary_supplier_id: brasswind, primary_supplier_name: 'Brasswind Wholesale', supplier_sku: 'S-OIL-BELOW', supplier_cost_cents: 399 });
    expect(body.data[1]).toMatchObject({ on_hand: 5, shortfall: 1, suggested_quantity: 10 });
    expect(body.pagination).toEqual({ page: 1, limit: 50, total: 2, total_pages: 1 });

    const page = await owner.get('/inventory/low-stock');
    expect(page.status).toBe(200);
    expect(page.text).toContain('OIL-BELOW');
    expect(page.text).toContain('REEDS-AT');
    expect(page.text).not.toContain('ROSIN-ABOVE');
    expect(page.text).toContain('$3.99');
    expect(page.text).toContain('href="/inventory/low-stock"');
  });

  test('serialized products count only available units', async () => {
    const trumpet = await product('TR-200', { kind: 'serialized', rentable: true, reorderPoint: 2, reorderQuantity: 3 });
    await t.deps.db.insert(inventoryUnits).values([
      { productId: trumpet.id, serialNumber: 'T1', status: 'available' },
      { productId: trumpet.id, serialNumber: 'T2', status: 'rented' },
      { productId: trumpet.id, serialNumber: 'T3', status: 'rented' },
      { productId: trumpet.id, serialNumber: 'T4', status: 'in_repair' },
    ]);
    const flute = await product('FL-100', { kind: 'serialized', reorderPoint: 1, reorderQuantity: 1 });
    await t.deps.db.insert(inventoryUnits).values([{ productId: flute.id, serialNumber: 'F1' }, { productId: flute.id, serialNumber: 'F2' }]);
    const body = (await api('/api/v1/reports/low-stock')).json();
    expect(skus(body.data)).toEqual(['TR-200']);
    expect(body.data[0]).toMatchObject({ kind: 'serialized', on_hand: 1, shortfall: 2, suggested_quantity: 3 });
  });

  test('quantity on order (ordered / partially received) lowers the suggestion; drafts, received and cancelled POs do not count', async () => {
    const strings10 = await product('STR-10', { quantityOnHand: 2, reorderPoint: 10, reorderQuantity: null });
    await purchaseOrder('ordered', [{ productId: strings10.id, ordered: 4 }]);
    await purchaseOrder('partially_received', [{ productId: strings10.id, ordered: 5, received: 3 }]);
    await purchaseOrder('draft', [{ productId: strings10.id, ordered: 50 }]);
    await purchaseOrder('cancelled', [{ productId: strings10.id, ordered: 50 }]);
    await purchaseOrder('received', [{ productId: strings10.id, ordered: 7, received: 7 }]);
    const covered = await product('STR-COVERED', { quantityOnHand: 0, reorderPoint: 3, reorderQuantity: 5 });
    await purchaseOrder('ordered', [{ productId: covered.id, ordered: 4 }]);
    const body = (await api('/api/v1/reports/low-stock')).json();
    expect(skus(body.data)).toEqual(['STR-10']);
    // 2 on hand + 4 + (5 − 3) on order = 8 ≤ 10: order 3 to get to 11.
    expect(body.data[0]).toMatchObject({ on_hand: 2, on_order: 6, shortfall: 3, suggested_quantity: 3 });
  });

  test('products without a reorder point, inactive products and services are excluded', async () => {
    await product('NO-POINT', { quantityOnHand: 0 });
    await product('INACTIVE', { quantityOnHand: 0, reorderPoint: 5, isActive: false });
    await product('LESSON', { kind: 'service', reorderPoint: 5 });
    await product('LOW', { quantityOnHand: 0, reorderPoint: 0, reorderQuantity: 4 });
    expect(skus((await api('/api/v1/reports/low-stock')).json().data)).toEqual(['LOW']);
    const page = await owner.get('/inventory/low-stock');
    expect(page.text).not.toContain('NO-POINT');
    expect(page.text).not.toContain('INACTIVE');
  });

  test('supplier and category filters (page, CSV, API) and sorting by supplier groups rows', async () => {
    await product('BRASS-1', { quantityOnHand: 0, reorderPoint: 1, categoryId: accessories }, { id: brasswind, costCents: 100 });
    await product('BRASS-2', { quantityOnHand: 0, reorderPoint: 5 }, { id: brasswind, costCents: 100 });
    await product('STRING-1', { quantityOnHand: 0, reorderPoint: 3, categoryId: accessories }, { id: strings, costCents: 100 });
    await product('NOBODY', { quantityOnHand: 0, reorderPoint: 2 });

    expect(skus((await api(`/api/v1/reports/low-stock?supplier_id=${brasswind}`)).json().data)).toEqual(['BRASS-2', 'BRASS-1']);
    expect(skus((await api(`/api/v1/reports/low-stock?category_id=${accessories}&sort=sku&order=asc`)).json().data)).toEqual(['BRASS-1', 'STRING-1']);
    expect(skus((await api('/api/v1/reports/low-stock?sort=supplier&order=asc')).json().data)).toEqual(['BRASS-2', 'BRASS-1', 'STRING-1', 'NOBODY']);

    const page = await owner.get(`/inventory/low-stock?supplier_id=${strings}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('STRING-1');
    expect(page.text).not.toContain('BRASS-1');
    expect(page.text).toContain(`/inventory/low-stock/export.csv?supplier_id=${strings}`);
    // A bad filter value on the page is ignored (lenient like sort/page), never a 500.
    expect((await owner.get('/inventory/low-stock?supplier_id=nope&category_id=00000000-0000-4000-8000-000000000000')).status).toBe(200);
  });

  test('CSV export has the filtered rows with decimal money', async () => {
    await product('REEDS', { quantityOnHand: 1, reorderPoint: 4, reorderQuantity: 10 }, { id: brasswind, costCents: 1250 });
    await product('PICKS', { quantityOnHand: 0, reorderPoint: 4 }, { id: strings, costCents: 5 });
    const res = await owner.get(`/inventory/low-stock/export.csv?supplier_id=${brasswind}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="low-stock-\d{4}-\d{2}-\d{2}\.csv"/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('sku,name,kind,category,on_hand,on_order,reorder_point,reorder_quantity,shortfall,suggested_quantity,primary_supplier,supplier_sku,supplier_cost_amount');
    expect(lines.slice(1)).toEqual(['REEDS,REEDS name,stock,,1,0,4,10,4,10,Brasswind Wholesale,S-REEDS,12.50']);
  });

  test('API rejects bad list parameters with field errors', async () => {
    const res = await api('/api/v1/reports/low-stock?supplier_id=nope&sort=price');
    expect(res.status).toBe(400);
    expect(res.json().error.fields).toMatchObject({ sort: expect.stringContaining('shortfall') });
    const bad = await api('/api/v1/reports/low-stock?supplier_id=nope');
    expect(bad.status).toBe(400);
    expect(bad.json().error.fields).toEqual({ supplier_id: 'supplier_id must be a UUID.' });
    expect((await api('/api/v1/reports/low-stock?page=0')).status).toBe(400);
  });

  test('a cashier (inventory.view) sees the report; an instructor (no inventory.view) gets 403', async () => {
    await product('REEDS', { quantityOnHand: 0, reorderPoint: 4 });
    await addStaff(t, 'casey', ['cashier']);
    await addStaff(t, 'ivan', ['instructor']);
    const cashier = await signIn(t, 'casey', 'staff password 123');
    const page = await cashier.get('/inventory/low-stock');
    expect(page.status).toBe(200);
    expect(page.text).toContain('REEDS');
    expect((await cashier.get('/inventory/low-stock/export.csv')).status).toBe(200);
    const instructor = await signIn(t, 'ivan', 'staff password 123');
    expect((await instructor.get('/inventory/low-stock')).status).toBe(403);
    expect((await instructor.get('/inventory/low-stock/export.csv')).status).toBe(403);
    // An API token without inventory.view is refused too.
    const noInventory = await ownerToken(t, ['customers.view']);
    expect((await apiRequest(t.app, 'GET', '/api/v1/reports/low-stock', { token: noInventory })).status).toBe(403);
  });

  test('an htmx partial request gets only the list region', async () => {
    await product('REEDS', { quantityOnHand: 0, reorderPoint: 4 });
    const res = await owner.get('/inventory/low-stock?sort=sku', { 'HX-Request': 'true', 'HX-Request-Type': 'partial' });
    expect(res.status).toBe(200);
    expect(res.text.trimStart().startsWith('<div id="list"')).toBe(true);
    expect(res.text).toContain('REEDS');
    expect(res.text).not.toContain('<h1>');
  });
});

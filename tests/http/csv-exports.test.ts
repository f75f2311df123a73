import { beforeEach, describe, expect, test } from 'bun:test';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { addStaff, makeTestApp, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';
import { cliActor } from '../../src/features/audit/service';
import { createAccount } from '../../src/features/customers/account-service';
import { createAccountSchema } from '../../src/features/customers/schemas';
import { createProduct } from '../../src/features/inventory/products';
import { addUnit } from '../../src/features/inventory/units';
import { adjustStock } from '../../src/features/inventory/stock';
import { createSupplier } from '../../src/features/inventory/suppliers';
import { createProductSchema, createSupplierSchema, createUnitSchema, stockAdjustmentSchema } from '../../src/features/inventory/schemas';
import { addPoLine, createPurchaseOrder } from '../../src/features/purchasing/service';
import { startCount } from '../../src/features/purchasing/counts-service';
import { createPoSchema, poLineSchema, startCountSchema } from '../../src/features/purchasing/schemas';

let t: TestContext;
let owner: TestClient;
const actor = cliActor('test');
const ids: Record<string, string> = {};

beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  await t.deps.db.transaction(async (tx) => {
    await createAccount(tx, actor, createAccountSchema.parse({ name: 'Smith family', type: 'family', email: 'smith@example.com', credit_limit_cents: 50000, tags: ['band'] }));
    await createAccount(tx, actor, createAccountSchema.parse({ name: '=HYPERLINK("http://evil")', type: 'individual' }));
    await createAccount(tx, actor, createAccountSchema.parse({ name: 'Lincoln Middle School', type: 'school' }));
    const supplier = await createSupplier(tx, actor, createSupplierSchema.parse({ name: 'Brasswind Wholesale', contact_name: 'Pat' }));
    await createSupplier(tx, actor, createSupplierSchema.parse({ name: 'Old Supplier', is_active: false }));
    const trumpet = await createProduct(tx, actor, createProductSchema.parse({ sku: 'TR-200', name: 'Bach Trumpet', kind: 'serialized', cost_cents: 45000, price_cents: 89999 }));
    const reeds = await createProduct(tx, actor, createProductSchema.parse({ sku: 'RD-25', name: 'Clarinet reeds', kind: 'stock', cost_cents: 1250, price_cents: 2499 }));
    await createProduct(tx, actor, createProductSchema.parse({ sku: 'OLD-1', name: 'Retired item', kind: 'stock', is_active: false }));
    ids.trumpet = trumpet.id;
    ids.reeds = reeds.id;
    await addUnit(tx, actor, createUnitSchema.parse({ product_id: trumpet.id, serial_number: 'TR-1001', cost_cents: 45000 }));
    await addUnit(tx, actor, createUnitSchema.parse({ product_id: trumpet.id, serial_number: 'TR-1002', cost_cents: 44000 }));
    await adjustStock(tx, actor, stockAdjustmentSchema.parse({ product_id: reeds.id, quantity: 10, reason: 'Opening count', unit_cost_cents: 1250 }), null);
    await adjustStock(tx, actor, stockAdjustmentSchema.parse({ product_id: reeds.id, quantity: -2, reason: 'Damaged' }), null);
    const po = await createPurchaseOrder(tx, actor, createPoSchema.parse({ supplier_id: supplier.id, notes: 'Fall restock' }));
    await addPoLine(tx, actor, po.id, poLineSchema.parse({ product_id: reeds.id, quantity: 4, unit_cost_cents: 1250 }));
    ids.po = po.id;
    await startCount(tx, actor, startCountSchema.parse({ name: 'Back room', location: 'Back room' }));
  });
});

/** Fetches an export, checks it is a CSV download and returns its records (header row first). */
async function exportOf(client: TestClient, path: string, baseName: string): Promise<string[][]> {
  const res = await client.get(path);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  expect(res.headers.get('content-disposition')).toMatch(new RegExp(`attachment; filename="${baseName}-\\d{4}-\\d{2}-\\d{2}\\.csv"`));
  return parse(res.text, { relax_column_count: false });
}
const column = (records: string[][], name: string) => records.slice(1).map((r) => r[records[0].indexOf(name)]);

describe('CSV exports of the customers, inventory and purchasing lists', () => {
  test('customers: link carries the filters; export has the same rows, money as *_amount, formulas neutralized', async () => {
    const page = await owner.get('/customers?q=smith&type=family');
    expect(page.text).toContain('/customers/export.csv?type=family&amp;q=smith&amp;sort=name&amp;order=asc');
    const filtered = await exportOf(owner, '/customers/export.csv?q=smith&type=family', 'customers');
    expect(filtered.length).toBe(2);
    expect(column(filtered, 'name')).toEqual(['Smith family']);
    expect(column(filtered, 'credit_limit_amount')).toEqual(['500.00']);
    expect(column(filtered, 'tags')).toEqual(['band']);
    expect(column(filtered, 'number')[0]).toMatch(/^\d{6}$/);
    const all = await exportOf(owner, '/customers/export.csv?sort=name&order=desc', 'customers');
    expect(column(all, 'name')).toEqual(['Smith family', 'Lincoln Middle School', `'=HYPERLINK("http://evil")`]);
    // A filter that matches nothing still gives the header row, so a spreadsheet opens cleanly.
    expect(await exportOf(owner, '/customers/export.csv?q=nobody-here', 'customers')).toEqual([filtered[0]]);
  });

  test('products: filters, status and sort apply; prices are decimal amounts', async () => {
    const page = await owner.get('/inventory/products?kind=stock');
    expect(page.text).toContain('/inventory/products/export.csv?');
    const records = await exportOf(owner, '/inventory/products/export.csv?kind=stock', 'products');
    expect(column(records, 'sku')).toEqual(['RD-25']);
    expect(column(records, 'price_amount')).toEqual(['24.99']);
    expect(column(records, 'cost_amount')).toEqual(['12.50']);
    expect(column(records, 'quantity_on_hand')).toEqual(['8']);
    const all = await exportOf(owner, '/inventory/products/export.csv?status=all&sort=price_cents&order=desc', 'products');
    expect(column(all, 'sku')).toEqual(['TR-200', 'RD-25', 'OLD-1']);
    expect(records[0].some((h) => h.endsWith('_cents'))).toBe(false);
  });

  test('units, suppliers, stock ledger, purchase orders and cycle counts', async () => {
    const units = await exportOf(owner, '/inventory/units/export.csv?q=tr-100&sort=serial_number&order=desc', 'units');
    expect(column(units, 'serial_number')).toEqual(['TR-1002', 'TR-1001']);
    expect(column(units, 'cost_amount')).toEqual(['440.00', '450.00']);
    expect((await owner.get('/inventory/units')).text).toContain('/inventory/units/export.csv?');

    const suppliers = await exportOf(owner, '/inventory/suppliers/export.csv', 'suppliers');
    expect(column(suppliers, 'name')).toEqual(['Brasswind Wholesale']);
    expect(column(await exportOf(owner, '/inventory/suppliers/export.csv?status=inactive', 'suppliers'), 'name')).toEqual(['Old Supplier']);
    expect((await owner.get('/inventory/suppliers?status=all')).text).toContain('/inventory/suppliers/export.csv?');

    const ledgerPage = await owner.get(`/inventory/products/${ids.reeds}/stock`);
    expect(ledgerPage.text).toContain(`/inventory/products/${ids.reeds}/stock/export.csv?`);
    const ledger = await exportOf(owner, `/inventory/products/${ids.reeds}/stock/export.csv`, 'stock-RD-25');
    expect(column(ledger, 'quantity_delta')).toEqual(['-2', '10']);
    expect(column(ledger, 'quantity_after')).toEqual(['8', '10']);
    expect(column(ledger, 'unit_cost_amount')[1]).toBe('12.50');
    expect(column(await exportOf(owner, `/inventory/products/${ids.reeds}/stock/export.csv?q=damaged`, 'stock-RD-25'), 'note')).toEqual(['Damaged']);

    const pos = await exportOf(owner, '/purchasing/export.csv?status=draft', 'purchase-orders');
    expect(column(pos, 'number')).toEqual(['PO-000001']);
    expect(column(pos, 'total_amount')).toEqual(['50.00']);
    expect(column(pos, 'supplier')).toEqual(['Brasswind Wholesale']);
    expect(column(await exportOf(owner, '/purchasing/export.csv?status=received', 'purchase-orders'), 'number')).toEqual([]);
    expect((await owner.get('/purchasing')).text).toContain('/purchasing/export.csv?');

    const counts = await exportOf(owner, '/inventory/counts/export.csv', 'cycle-counts');
    expect(column(counts, 'name')).toEqual(['Back room']);
    expect(column(counts, 'status')).toEqual(['open']);
    expect((await owner.get('/inventory/counts')).text).toContain('/inventory/counts/export.csv?');
  });

  test('export paths are not taken for an :id, and an unknown product ledger is a 404', async () => {
    // "export.csv" must reach the export, not the detail page looking up an id "export.csv".
    for (const path of ['/customers/export.csv', '/inventory/products/export.csv', '/inventory/units/export.csv', '/inventory/suppliers/export.csv', '/purchasing/export.csv', '/inventory/counts/export.csv']) {
      const res = await owner.get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toContain('text/csv');
    }
    expect((await owner.get('/inventory/products/00000000-0000-4000-8000-000000000000/stock/export.csv')).status).toBe(404);
    expect((await owner.get('/inventory/products/not-an-id/stock/export.csv')).status).toBe(404);
  });

  test('an export needs the same permission as its list', async () => {
    await addStaff(t, 'carl', ['cashier']);
    await addStaff(t, 'tess', ['technician']);
    const cashier = await signIn(t, 'carl', 'staff password 123');
    const tech = await signIn(t, 'tess', 'staff password 123');
    for (const client of [cashier, tech]) {
      const perms = new Set(
        (await t.deps.db.execute<{ p: string }>(
          sql`select unnest(r.permissions) as p from roles r join staff_user_roles ur on ur.role_id = r.id join staff_users su on su.id = ur.user_id where su.username = ${client === cashier ? 'carl' : 'tess'}`,
        )).map((r) => r.p),
      );
      const expectations: [string, string][] = [
        ['/customers/export.csv', 'customers.view'],
        ['/inventory/products/export.csv', 'inventory.view'],
        ['/purchasing/export.csv', 'inventory.view'],
        [`/inventory/products/${ids.reeds}/stock/export.csv`, 'inventory.view'],
      ];
      for (const [path, permission] of expectations) {
        const list = await client.get(path.replace('/export.csv', ''));
        const res = await client.get(path);
        expect(res.status, path).toBe(perms.has(permission) ? 200 : 403);
        expect(list.status === 403, path).toBe(res.status === 403);
      }
    }
  });
});

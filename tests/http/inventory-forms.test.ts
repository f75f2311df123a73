import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { addStaff, makeTestApp, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';
import { createRole } from '../../src/features/staff/service';
import { cliActor } from '../../src/features/audit/service';

let t: TestContext;
let owner: TestClient;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
});

const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const one = async <T = any>(q: ReturnType<typeof sql>) => (await t.deps.db.execute<any>(q))[0] as T;
const PRODUCT = { sku: 'TR-200', upc: '', name: 'Student Trumpet', brand: 'Bach', model: 'TR200', kind: 'serialized', category_id: '', tax_class_id: '', price: '899.00', min_price: '', cost: '520', description: '', size: '', monthly_rental: '29.00', rto_purchase_price: '', reorder_point: '', reorder_quantity: '', legacy_id: '', supplier_id: '', supplier_sku: '', supplier_cost: '', sellable: 'on', is_active: 'on' };

async function createProduct(fields: Record<string, string> = {}) {
  await owner.get('/inventory/products/new');
  const res = await owner.postForm('/inventory/products', { ...PRODUCT, ...fields });
  if (res.status !== 303) throw new Error(`${res.status} ${res.text.slice(0, 2000)}`);
  return res.headers.get('location')!.split('/').pop()!;
}

/** A clerk who may manage the catalog but holds no manager override. */
async function clerk() {
  await t.deps.db.transaction((tx) => createRole(tx, cliActor('test'), { name: 'Stock clerk', description: '', permissions: ['dashboard.view', 'inventory.view', 'inventory.manage'] }));
  const [role] = await t.deps.db.execute<{ key: string }>(sql`select key from roles where name = 'Stock clerk'`);
  await addStaff(t, 'clerk1', [role.key]);
  return signIn(t, 'clerk1', 'staff password 123');
}

describe('inventory pages: full flows', () => {
  test('product form -> unit form -> unit page shows the passport; passport by serial redirects, chooses or says not found', async () => {
    const id = await createProduct();
    const p = await one(sql`select sku, kind, price_cents::int, cost_cents::int, monthly_rental_cents::int, tax_class_id is not null as taxed, sellable, rentable from products where id = ${id}`);
    expect(p).toEqual({ sku: 'TR-200', kind: 'serialized', price_cents: 89900, cost_cents: 52000, monthly_rental_cents: 2900, taxed: true, sellable: true, rentable: false });
    const page = await owner.get(`/inventory/products/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('$899.00');
    expect(page.text).toContain('Add unit');

    await owner.get(`/inventory/products/${id}/units/new`);
    const added = await owner.postForm(`/inventory/products/${id}/units`, { serial_number: 'SMI-2231', condition: 'excellent', cost: '510.00', acquired_on: '2026-11-20', acquired_via: 'trade_in', location: 'Bin 4', notes: '', legacy_id: '' });
    expect(added.status).toBe(303);
    const unitUrl = added.headers.get('location')!;
    const unitPage = await owner.get(unitUrl);
    expect(unitPage.text).toContain('Instrument passport');
    expect(unitPage.text).toContain('Taken in trade on 2026-11-20 at cost $510.00');

    const viaSerial = await owner.get('/inventory/passport?serial=smi-2231');
    expect(viaSerial.status).toBe(302);
    expect(viaSerial.headers.get('location')).toBe(unitUrl);

    const other = await createProduct({ sku: 'TR-300', name: 'Pro Trumpet' });
    await owner.postForm(`/inventory/products/${other}/units`, { serial_number: 'SMI-2231', condition: 'new', cost: '', acquired_on: '', acquired_via: 'purchase' });
    const choice = await owner.get('/inventory/passport?serial=SMI-2231');
    expect(choice.status).toBe(200);
    expect(choice.text).toContain('2 units have serial');
    expect(choice.text).toContain('TR-300');
    const none = await owner.get('/inventory/passport?serial=NOPE-1');
    expect(none.status).toBe(404);
    expect(none.text).toContain('No unit with serial “NOPE-1”');
    expect(none.text).toContain('/inventory/units?q=NOPE-1');
    expect((await owner.get('/inventory/passport')).status).toBe(200);

    const units = await owner.get('/inventory/units?q=smi&status=available');
    expect(units.text).toContain('2 units');
    const fragment = await owner.get('/inventory/products?q=pro', { 'hx-request': 'true' });
    expect(fragment.text.trimStart().startsWith('<div id="list"')).toBe(true);
    expect(fragment.text).toContain('TR-300');
    expect(fragment.text).not.toContain('TR-200');
    expect(await count('audit_log where action = \'unit.create\'')).toBe(2);
  });

  test('stock adjustment updates on hand and the moving average; negative refused without override, allowed and recorded with it', async () => {
    const id = await createProduct({ sku: 'REED-3', name: 'Reeds', kind: 'stock' });
    await owner.get(`/inventory/products/${id}/stock`);
    expect((await owner.postForm(`/inventory/products/${id}/stock`, { quantity: '10', reason: 'opening count', unit_cost: '5.00' })).status).toBe(303);
    expect((await owner.postForm(`/inventory/products/${id}/stock`, { quantity: '+10', reason: 'found box', unit_cost: '7' })).status).toBe(303);
    const ledger = await owner.get(`/inventory/products/${id}/stock`);
    expect(ledger.text).toMatch(/id="on-hand">20</);
    expect(ledger.text).toMatch(/id="average-cost">\$6\.00</);
    expect(ledger.text).toContain('found box');

    const c = await clerk();
    await c.get(`/inventory/products/${id}/stock`);
    const refused = await c.postForm(`/inventory/products/${id}/stock`, { quantity: '-25', reason: 'miscount', unit_cost: '' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Only 20 of REED-3 on hand');
    const notAllowed = await c.postForm(`/inventory/products/${id}/stock`, { quantity: '-25', reason: 'miscount', unit_cost: '', allow_negative: 'on' });
    expect(notAllowed.status).toBe(422);
    expect(notAllowed.text).toContain('Only a manager');
    expect(await count('stock_movements')).toBe(2);

    const ownerRefused = await owner.postForm(`/inventory/products/${id}/stock`, { quantity: '-25', reason: 'miscount', unit_cost: '' });
    expect(ownerRefused.status).toBe(409);
    const allowed = await owner.postForm(`/inventory/products/${id}/stock`, { quantity: '-25', reason: 'miscount', unit_cost: '', allow_negative: 'on' });
    expect(allowed.status).toBe(303);
    const [olivia] = await t.deps.db.execute<{ id: string }>(sql`select id from staff_users where username = 'olivia'`);
    expect(await one(sql`select quantity_on_hand from products where id = ${id}`)).toEqual({ quantity_on_hand: -5 });
    expect(await one(sql`select override_by_user_id, note, actor_label from stock_movements order by id desc limit 1`)).toEqual({ override_by_user_id: olivia.id, note: 'miscount', actor_label: 'olivia' });
    expect((await owner.get(`/inventory/products/${id}/stock`)).text).toContain('Manager override');
    expect(await count(`audit_log where action = 'stock.adjust_negative_override'`)).toBe(1);
  });

  test('manual status change needs the override permission and a reason', async () => {
    const id = await createProduct();
    await owner.postForm(`/inventory/products/${id}/units`, { serial_number: 'S1', condition: 'good', cost: '1', acquired_on: '', acquired_via: 'purchase' });
    const [{ id: unitId }] = await t.deps.db.execute<{ id: string }>(sql`select id from inventory_units`);
    await owner.get(`/inventory/units/${unitId}`);
    const noReason = await owner.postForm(`/inventory/units/${unitId}/status`, { status: 'lost', reason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.text).toContain('Reason is required.');
    const badStatus = await owner.postForm(`/inventory/units/${unitId}/status`, { status: 'melted', reason: 'because' });
    expect(badStatus.status).toBe(422);
    expect(badStatus.text).toContain('Pick a status.');
    const c = await clerk();
    await c.get(`/inventory/units/${unitId}`);
    expect((await c.postForm(`/inventory/units/${unitId}/status`, { status: 'lost', reason: 'gone' })).status).toBe(403);
    expect(await one(sql`select status from inventory_units`)).toEqual({ status: 'available' });
    const ok = await owner.postForm(`/inventory/units/${unitId}/status`, { status: 'retired', reason: 'cracked bell' });
    expect(ok.status).toBe(303);
    const page = await owner.get(`/inventory/units/${unitId}`);
    expect(page.text).toContain('cracked bell');
    expect(page.text).toContain('available → retired');
    expect(await count(`audit_log where action = 'unit.status_override'`)).toBe(1);
  });

  test('kind correction follows the stock rules on the edit form', async () => {
    const id = await createProduct({ sku: 'STR-1', name: 'Strings', kind: 'stock' });
    await owner.postForm(`/inventory/products/${id}/stock`, { quantity: '4', reason: 'count', unit_cost: '2' });
    await owner.get(`/inventory/products/${id}/edit`);
    const refused = await owner.postForm(`/inventory/products/${id}`, { ...PRODUCT, sku: 'STR-1', name: 'Strings', kind: 'service' });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Bring on-hand to 0 first (now 4).');
    expect(await one(sql`select kind from products where id = ${id}`)).toEqual({ kind: 'stock' });
    await owner.postForm(`/inventory/products/${id}/stock`, { quantity: '-4', reason: 'returned to vendor', unit_cost: '' });
    expect((await owner.postForm(`/inventory/products/${id}`, { ...PRODUCT, sku: 'STR-1', name: 'Strings', kind: 'service' })).status).toBe(303);
    expect(await one(sql`select kind from products where id = ${id}`)).toEqual({ kind: 'service' });
    const audit = await one(sql`select before->>'kind' as b, after->>'kind' as a from audit_log where action = 'product.change_kind'`);
    expect(audit).toEqual({ b: 'stock', a: 'service' });
  });
});

describe('inventory forms: bad input shows messages and writes nothing', () => {
  test('product form', async () => {
    await createProduct({ sku: 'DUP-1', upc: '123456789012' });
    const cases: [Record<string, string>, number, string][] = [
      [{ sku: '' }, 422, 'SKU is required.'],
      [{ sku: 'x'.repeat(41) }, 422, 'at most 40 characters'],
      [{ sku: 'has space' }, 422, 'cannot contain spaces'],
      [{ name: '' }, 422, 'Name is required.'],
      [{ kind: 'tuba' }, 422, 'Kind must be'],
      [{ price: 'abc' }, 422, 'Price must be an amount like 12.50.'],
      [{ price: '-3' }, 422, 'Price can&#39;t be negative.'],
      [{ price: '10', min_price: '20' }, 422, 'Minimum price cannot be above the price.'],
      [{ reorder_point: '2.5' }, 422, 'Reorder point must be a whole number.'],
      [{ upc: '12ab' }, 422, 'UPC/EAN must be 6 to 20 digits.'],
      [{ category_id: UNKNOWN }, 422, 'That category does not exist.'],
      [{ category_id: 'nope' }, 422, 'Unknown category.'],
      [{ supplier_id: UNKNOWN }, 422, 'One of the suppliers does not exist.'],
      [{ sku: 'dup-1' }, 409, 'This SKU is already used by another product.'],
      [{ upc: '123456789012' }, 409, 'This UPC/EAN is already used by another product.'],
    ];
    for (const [override, status, message] of cases) {
      const res = await owner.postForm('/inventory/products', { ...PRODUCT, sku: 'NEW-1', ...override });
      expect({ override, status: res.status }).toEqual({ override, status });
      expect(res.text).toContain(message);
      expect(res.text).toContain('class="field-error"');
    }
    const kept = await owner.postForm('/inventory/products', { ...PRODUCT, sku: 'NEW-1', price: 'abc' });
    expect(kept.text).toContain('value="NEW-1"');
    expect(await count('products')).toBe(1);
    expect((await owner.get(`/inventory/products/${UNKNOWN}`)).status).toBe(404);
    expect((await owner.get('/inventory/products/nope/edit')).status).toBe(404);
    expect((await owner.postForm(`/inventory/products/${UNKNOWN}`, PRODUCT)).status).toBe(404);
  });

  test('unit form', async () => {
    const id = await createProduct();
    const stock = await createProduct({ sku: 'REED-1', kind: 'stock' });
    await owner.postForm(`/inventory/products/${id}/units`, { serial_number: 'AB-1', condition: 'new', cost: '', acquired_on: '', acquired_via: 'purchase' });
    const good = { serial_number: 'AB-2', condition: 'new', cost: '100', acquired_on: '', acquired_via: 'purchase', location: '', notes: '', legacy_id: '' };
    const cases: [string, Record<string, string>, number, string][] = [
      [id, { serial_number: '' }, 422, 'Serial number is required.'],
      [id, { serial_number: 'x'.repeat(101) }, 422, 'at most 100 characters'],
      [id, { condition: 'mint' }, 422, 'Condition must be'],
      [id, { cost: '1.234' }, 422, 'Cost must be an amount like 12.50.'],
      [id, { acquired_on: '2026-02-30' }, 422, 'Acquired on must be a date'],
      [id, { acquired_via: 'stolen' }, 422, 'Acquired via must be'],
      [id, { serial_number: 'ab-1' }, 409, 'This serial number already exists for this product.'],
      [stock, {}, 422, 'is not a serialized product'],
    ];
    for (const [productId, override, status, message] of cases) {
      const res = await owner.postForm(`/inventory/products/${productId}/units`, { ...good, ...override });
      expect({ override, status: res.status }).toEqual({ override, status });
      expect(res.text).toContain(message);
    }
    expect(await count('inventory_units')).toBe(1);
    expect((await owner.postForm(`/inventory/products/${UNKNOWN}/units`, good)).status).toBe(404);
    expect((await owner.get(`/inventory/units/${UNKNOWN}`)).status).toBe(404);
    expect((await owner.postForm(`/inventory/units/${UNKNOWN}/status`, { status: 'lost', reason: 'gone' })).status).toBe(404);
  });

  test('stock adjustment form', async () => {
    const id = await createProduct({ sku: 'REED-1', kind: 'stock' });
    const serialized = await createProduct({ sku: 'GTR-1' });
    const cases: [string, Record<string, string>, number, string][] = [
      [id, { quantity: '', reason: 'x' }, 422, 'Quantity must be a whole number.'],
      [id, { quantity: '0', reason: 'x' }, 422, 'Quantity must not be 0.'],
      [id, { quantity: '1.5', reason: 'x' }, 422, 'Quantity must be a whole number.'],
      [id, { quantity: '3', reason: '' }, 422, 'Reason is required.'],
      [id, { quantity: '3', reason: 'x'.repeat(201) }, 422, 'at most 200 characters'],
      [id, { quantity: '3', reason: 'x', unit_cost: 'free' }, 422, 'Unit cost must be an amount like 12.50.'],
      [id, { quantity: '-1', reason: 'x' }, 409, 'A manager override is needed.'],
      [serialized, { quantity: '1', reason: 'x' }, 422, 'is not a quantity (stock) item'],
    ];
    for (const [productId, fields, status, message] of cases) {
      const res = await owner.postForm(`/inventory/products/${productId}/stock`, { unit_cost: '', ...fields });
      expect({ fields, status: res.status }).toEqual({ fields, status });
      expect(res.text).toContain(message);
    }
    expect(await count('stock_movements')).toBe(0);
    expect((await owner.postForm(`/inventory/products/${UNKNOWN}/stock`, { quantity: '1', reason: 'x' })).status).toBe(404);
    expect((await owner.get(`/inventory/products/${UNKNOWN}/stock`)).status).toBe(404);
  });

  test('categories: create, rename, move without cycles; bad input', async () => {
    await owner.get('/inventory/categories');
    expect((await owner.postForm('/inventory/categories', { name: 'Brass', parent_id: '' })).status).toBe(303);
    const brass = await one<{ id: string }>(sql`select id from categories where name = 'Brass'`);
    expect((await owner.postForm('/inventory/categories', { name: 'Trumpets', parent_id: brass.id })).status).toBe(303);
    const tr = await one<{ id: string }>(sql`select id from categories where name = 'Trumpets'`);
    const tree = await owner.get('/inventory/categories');
    expect(tree.text).toContain('↳ <a class="row-link" href="/inventory/categories/' + tr.id);
    const cases: [string, Record<string, string>, number, string][] = [
      ['/inventory/categories', { name: '', parent_id: '' }, 422, 'Name is required.'],
      ['/inventory/categories', { name: 'x'.repeat(81), parent_id: '' }, 422, 'at most 80 characters'],
      ['/inventory/categories', { name: 'brass', parent_id: '' }, 409, 'already exists'],
      ['/inventory/categories', { name: 'X', parent_id: UNKNOWN }, 422, 'That parent category does not exist.'],
      [`/inventory/categories/${brass.id}`, { name: 'Brass', parent_id: tr.id }, 422, 'cannot be moved under itself'],
      [`/inventory/categories/${brass.id}`, { name: '', parent_id: '' }, 422, 'Name is required.'],
    ];
    for (const [path, fields, status, message] of cases) {
      const res = await owner.postForm(path, fields);
      expect({ path, fields, status: res.status }).toEqual({ path, fields, status });
      expect(res.text).toContain(message);
    }
    expect(await count('categories')).toBe(2);
    expect((await owner.postForm(`/inventory/categories/${tr.id}`, { name: 'Cornets', parent_id: '' })).status).toBe(303);
    expect(await one(sql`select name, parent_id from categories where id = ${tr.id}`)).toEqual({ name: 'Cornets', parent_id: null });
    expect((await owner.get(`/inventory/categories/${UNKNOWN}`)).status).toBe(404);
    expect(await count(`audit_log where entity_type = 'category'`)).toBe(3);
  });

  test('suppliers: create, edit, deactivate; bad input', async () => {
    await owner.get('/inventory/suppliers/new');
    const created = await owner.postForm('/inventory/suppliers', { name: 'KMC', contact_name: 'Kim', email: 'kim@example.com', phone: '', account_number: 'A-1', notes: '', legacy_id: '' });
    expect(created.status).toBe(303);
    const url = created.headers.get('location')!;
    const cases: [Record<string, string>, number, string][] = [
      [{ name: '' }, 422, 'Name is required.'],
      [{ name: 'x'.repeat(121) }, 422, 'at most 120 characters'],
      [{ name: 'Other', email: 'nope' }, 422, 'Enter a valid email address.'],
      [{ name: 'kmc' }, 409, 'A supplier with that name already exists.'],
    ];
    for (const [fields, status, message] of cases) {
      const res = await owner.postForm('/inventory/suppliers', fields);
      expect({ fields, status: res.status }).toEqual({ fields, status });
      expect(res.text).toContain(message);
    }
    expect(await count('suppliers')).toBe(1);
    expect((await owner.postForm(url, { name: 'KMC Music', contact_name: 'Kim', email: '' })).status).toBe(303);
    expect((await owner.postForm(url + '/active', { active: 'false' })).status).toBe(303);
    expect(await one(sql`select name, email, is_active from suppliers`)).toEqual({ name: 'KMC Music', email: null, is_active: false });
    expect((await owner.get('/inventory/suppliers')).text).toContain('No suppliers here yet.');
    expect((await owner.get('/inventory/suppliers?status=all')).text).toContain('KMC Music');
    expect((await owner.get(`/inventory/suppliers/${UNKNOWN}`)).status).toBe(404);
    expect(await count(`audit_log where action = 'supplier.deactivate'`)).toBe(1);
  });
});

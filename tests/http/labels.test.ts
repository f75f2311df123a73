import { beforeEach, describe, expect, test } from 'bun:test';
import { makeTestApp, resetDb, setupStore, type TestClient, type TestContext } from '../helpers';
import { products } from '../../src/db/schema';
import { createUnit } from '../../src/features/inventory/unit-lifecycle';
import { cliActor } from '../../src/features/audit/service';
import { code128 } from '../../src/features/purchasing/labels';

let t: TestContext;
let owner: TestClient;
let productId: string;
let unitId: string;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  [{ id: productId }] = await t.deps.db.insert(products).values({ sku: 'TR-200', name: 'Bach <TR200> Trumpet', kind: 'serialized', priceCents: 129900 }).returning({ id: products.id });
  unitId = (await t.deps.db.transaction((tx) => createUnit(tx, cliActor('test'), { productId, serialNumber: 'SMI-2231', costCents: 1, acquiredVia: 'purchase', acquisitionSummary: 'Test' }))).id;
});

const labelCount = (html: string) => (html.match(/<svg class="label"/g) ?? []).length;

describe('labels', () => {
  test('product labels: Code 128 barcode as inline SVG with SKU, escaped name and price; copies', async () => {
    const res = await owner.get(`/inventory/labels?product_id=${productId}&copies=3`);
    expect(res.status).toBe(200);
    expect(labelCount(res.text)).toBe(3);
    expect(res.text).toMatch(/<svg x="10" y="23"[^>]*viewBox="0 0 \d+ \d+"[^>]*>\s*<path /);
    expect(res.text).toContain('$1,299.00');
    expect(res.text).toContain('Bach &lt;TR200&gt; Trumpet');
    expect(res.text).not.toContain('<TR200>');
    expect(res.text).not.toContain('<script>');
  });

  test('unit labels show the serial and product name', async () => {
    const res = await owner.get(`/inventory/labels?unit_id=${unitId}`);
    expect(res.status).toBe(200);
    expect(labelCount(res.text)).toBe(1);
    expect(res.text).toContain('S/N SMI-2231');
    expect(res.text).toContain('<path ');
  });

  test('the barcode encodes its text (different codes, different bars) and non-ASCII gets no barcode', () => {
    expect(code128('A-1')!.paths).not.toBe(code128('A-2')!.paths);
    expect(code128('Größe')).toBeNull();
    expect(code128('')).toBeNull();
  });

  test('bad input: missing/both ids, bad copies are 422; unknown ids are 404', async () => {
    const cases: [string, number, string][] = [
      ['', 422, 'product_id or unit_id is missing'],
      [`?product_id=${productId}&unit_id=${unitId}`, 422, 'not both'],
      [`?product_id=${productId}&copies=0`, 422, 'Copies must be a whole number from 1 to 300.'],
      [`?product_id=${productId}&copies=301`, 422, 'from 1 to 300'],
      [`?product_id=${productId}&copies=two`, 422, 'from 1 to 300'],
      ['?product_id=00000000-0000-4000-8000-000000000000', 404, ''],
      ['?product_id=nope', 404, ''],
      ['?unit_id=00000000-0000-4000-8000-000000000000', 404, ''],
    ];
    for (const [query, status, message] of cases) {
      const res = await owner.get(`/inventory/labels${query}`);
      expect(res.status).toBe(status);
      expect(res.text).toContain(message);
      expect(labelCount(res.text)).toBe(0);
    }
  });
});

import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { apiRequest, makeTestApp, ownerToken, setupStoreWithOwner, resetDb, type TestContext } from '../helpers';

let t: TestContext;
let token: string;

beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  await setupStoreWithOwner(t);
  token = await ownerToken(t);
});

const api = (method: string, path: string, json?: unknown, tok = token) => apiRequest(t.app, method, path, { token: tok, ...(json === undefined ? {} : { json }) });
const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const audits = async (action: string) => t.deps.db.execute<any>(sql`select actor_label, entity_id, after from audit_log where action = ${action} order by id`);
const rows = async () => ({ classes: await count('tax_classes'), components: await count('tax_class_components'), audits: (await audits('tax_class.create')).length });
const list = async () => (await api('GET', '/api/v1/tax-classes')).json().data as any[];

describe('tax classes API: create', () => {
  test('a single rate becomes one component named after the class; GET lists it; audited', async () => {
    const res = await api('POST', '/api/v1/tax-classes', { name: '  Sales tax ', rate_millipercent: 8875 });
    expect(res.status).toBe(201);
    const created = res.json();
    expect(created).toEqual({ id: expect.any(String), name: 'Sales tax', is_default: false, components: [{ name: 'Sales tax', rate_millipercent: 8875 }] });
    const all = await list();
    expect(all.map((c) => c.name)).toEqual(['Standard', 'Sales tax']);
    expect(all.find((c) => c.id === created.id)).toEqual(created);
    const [audit] = await audits('tax_class.create');
    expect(audit).toMatchObject({ actor_label: 'api:test', entity_id: created.id });
    expect(audit.after.components).toEqual([{ name: 'Sales tax', rateMillipercent: 8875 }]);
  });

  test('components keep their order and add up (6250 + 1750 + 875 = 8875)', async () => {
    const res = await api('POST', '/api/v1/tax-classes', { name: 'Taxable NYC', components: [{ name: 'State', rate_millipercent: 6250 }, { name: 'County', rate_millipercent: 1750 }, { name: 'City', rate_millipercent: 875 }] });
    expect(res.status).toBe(201);
    const c = res.json();
    expect(c.components).toEqual([{ name: 'State', rate_millipercent: 6250 }, { name: 'County', rate_millipercent: 1750 }, { name: 'City', rate_millipercent: 875 }]);
    const listed = (await list()).find((x) => x.id === c.id);
    expect(listed.components.reduce((s: number, x: any) => s + x.rate_millipercent, 0)).toBe(8875);
    expect(listed.components.map((x: any) => x.name)).toEqual(['State', 'County', 'City']);
    // A zero-rate class (e.g. exempt) is allowed.
    expect((await api('POST', '/api/v1/tax-classes', { name: 'Exempt', rate_millipercent: 0 })).status).toBe(201);
  });

  test('is_default moves the default; new products then get the new default class', async () => {
    const before = await list();
    expect(before.filter((c) => c.is_default).map((c) => c.name)).toEqual(['Standard']);
    const food = (await api('POST', '/api/v1/tax-classes', { name: 'Food', rate_millipercent: 2000, is_default: true })).json();
    expect(food.is_default).toBe(true);
    let now = await list();
    expect(now.filter((c) => c.is_default).map((c) => c.name)).toEqual(['Food']);
    expect(now[0].name).toBe('Food');
    const product = await api('POST', '/api/v1/products', { sku: 'SNACK-1', name: 'Snack', kind: 'stock' });
    expect(product.json().tax_class_id).toBe(food.id);
    // A non-default create leaves the default alone.
    expect((await api('POST', '/api/v1/tax-classes', { name: 'Other', rate_millipercent: 1000, is_default: false })).status).toBe(201);
    now = await list();
    expect(now.filter((c) => c.is_default).map((c) => c.name)).toEqual(['Food']);
    const back = (await api('POST', '/api/v1/tax-classes', { name: 'Back', rate_millipercent: 1000, is_default: true })).json();
    expect((await list()).filter((c) => c.is_default).map((c) => c.id)).toEqual([back.id]);
  });

  test('bad input: clear field errors, nothing written', async () => {
    const start = await rows();
    const cases: [unknown, string, number][] = [
      [{ rate_millipercent: 8875 }, 'name', 422],
      [{ name: '   ', rate_millipercent: 8875 }, 'name', 422],
      [{ name: 'x'.repeat(61), rate_millipercent: 8875 }, 'name', 422],
      [{ name: 42, rate_millipercent: 8875 }, 'name', 422],
      [{ name: 'Both', rate_millipercent: 8875, components: [{ name: 'State', rate_millipercent: 8875 }] }, 'rate_millipercent', 422],
      [{ name: 'Neither' }, 'rate_millipercent', 422],
      [{ name: 'Str', rate_millipercent: '8875' }, 'rate_millipercent', 422],
      [{ name: 'Float', rate_millipercent: 8.875 }, 'rate_millipercent', 422],
      [{ name: 'Neg', rate_millipercent: -1 }, 'rate_millipercent', 422],
      [{ name: 'Over', rate_millipercent: 100001 }, 'rate_millipercent', 422],
      [{ name: 'Null', rate_millipercent: null }, 'rate_millipercent', 422],
      [{ name: 'Empty', components: [] }, 'components', 422],
      [{ name: 'Many', components: Array.from({ length: 11 }, (_, i) => ({ name: `C${i}`, rate_millipercent: 100 })) }, 'components', 422],
      [{ name: 'Dup', components: [{ name: 'State', rate_millipercent: 100 }, { name: 'state', rate_millipercent: 200 }] }, 'components', 422],
      [{ name: 'Total', components: [{ name: 'A', rate_millipercent: 60000 }, { name: 'B', rate_millipercent: 40001 }] }, 'components', 422],
      [{ name: 'CompName', components: [{ name: '', rate_millipercent: 100 }] }, 'components', 422],
      [{ name: 'CompLong', components: [{ name: 'y'.repeat(61), rate_millipercent: 100 }] }, 'components', 422],
      [{ name: 'CompRate', components: [{ name: 'A', rate_millipercent: 'ten' }] }, 'components', 422],
      [{ name: 'NotList', components: 'State' }, 'components', 422],
      [{ name: 'Flag', rate_millipercent: 100, is_default: 'yes' }, 'is_default', 422],
      [{ name: 'Extra', rate_millipercent: 100, colour: 'red' }, '_', 422],
      [{ name: 'standard', rate_millipercent: 100 }, 'name', 409],
      [{ name: ' STANDARD ', components: [{ name: 'A', rate_millipercent: 100 }], is_default: true }, 'name', 409],
    ];
    for (const [body, field, status] of cases) {
      const res = await api('POST', '/api/v1/tax-classes', body);
      expect({ body, status: res.status }).toEqual({ body, status });
      const fields = res.json().error.fields;
      expect(Object.keys(fields).length).toBeGreaterThan(0);
      // Nested errors come back as "components.name" (zodFieldErrors drops the list index).
      if (field !== '_') expect({ body, onField: Object.keys(fields).some((k) => k === field || k.startsWith(`${field}.`)) }).toEqual({ body, onField: true });
      expect(res.text).not.toContain('Internal');
    }
    expect(await rows()).toEqual(start);
    // The default did not move with the rejected is_default create.
    expect((await list()).filter((c) => c.is_default).map((c) => c.name)).toEqual(['Standard']);
    const notJson = await t.app.handle(new Request('http://forte.test/api/v1/tax-classes', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: 'name=x' }));
    expect(notJson.status).toBeGreaterThanOrEqual(400);
    expect(notJson.status).toBeLessThan(500);
    expect(await rows()).toEqual(start);
  });

  test('a duplicate of a created class (any case) is a 409 on name; a case-distinct race still hits the unique index as 409', async () => {
    expect((await api('POST', '/api/v1/tax-classes', { name: 'Clothing', rate_millipercent: 4000 })).status).toBe(201);
    const start = await rows();
    const dup = await api('POST', '/api/v1/tax-classes', { name: 'clothing', rate_millipercent: 4500 });
    expect(dup.status).toBe(409);
    expect(dup.json().error.fields.name).toContain('already exists');
    const parallel = await Promise.all(['Rentals', 'Rentals', 'RENTALS'].map((name) => api('POST', '/api/v1/tax-classes', { name, rate_millipercent: 500 })));
    expect(parallel.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await rows()).toEqual({ classes: start.classes + 1, components: start.components + 1, audits: start.audits + 1 });
  });

  test('a token without settings.manage gets 403 and writes nothing', async () => {
    const start = await rows();
    const narrow = await ownerToken(t, ['inventory.view', 'inventory.manage']);
    const res = await api('POST', '/api/v1/tax-classes', { name: 'Sneaky', rate_millipercent: 100 }, narrow);
    expect(res.status).toBe(403);
    expect((await api('GET', '/api/v1/tax-classes', undefined, narrow)).status).toBe(200);
    expect(await rows()).toEqual(start);
  });
});

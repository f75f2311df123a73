import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { addStaff, apiRequest, makeTestApp, ownerToken, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';
import { getNamedDiscount, listNamedDiscounts } from '../../src/features/discounts/service';

let t: TestContext;
let owner: TestClient;
let token: string;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  token = await ownerToken(t);
  await owner.get('/settings/discounts');
});

const api = (method: string, path: string, json?: unknown, tok = token) => apiRequest(t.app, method, path, { token: tok, ...(json === undefined ? {} : { json }) });
const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;

describe('named discounts API', () => {
  test('create percent and amount discounts, list (active first, by name), rename, deactivate, filter active', async () => {
    const teacher = await api('POST', '/api/v1/discounts', { name: ' Teacher ', kind: 'percent', percent_millipercent: 10000 });
    expect(teacher.status).toBe(201);
    expect(teacher.json()).toMatchObject({ name: 'Teacher', kind: 'percent', percent_millipercent: 10000, amount_cents: null, active: true });
    const band = await api('POST', '/api/v1/discounts', { name: 'Band night', kind: 'amount', amount_cents: 500 });
    expect(band.json()).toMatchObject({ name: 'Band night', kind: 'amount', percent_millipercent: null, amount_cents: 500, active: true });
    expect((await api('POST', '/api/v1/discounts', { name: 'Old promo', kind: 'percent', percent_millipercent: 12500, active: false })).json().active).toBe(false);

    expect((await api('GET', '/api/v1/discounts')).json().data.map((d: any) => d.name)).toEqual(['Band night', 'Teacher', 'Old promo']);
    expect((await api('GET', '/api/v1/discounts?active=true')).json().data.map((d: any) => d.name)).toEqual(['Band night', 'Teacher']);
    expect((await api('GET', '/api/v1/discounts?active=false')).json().data.map((d: any) => d.name)).toEqual(['Old promo']);
    expect((await api('GET', '/api/v1/discounts?active=maybe')).status).toBe(400);

    const renamed = await api('PATCH', `/api/v1/discounts/${teacher.json().id}`, { name: 'Music teacher' });
    expect(renamed.status).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Music teacher', percent_millipercent: 10000, active: true });
    const off = await api('PATCH', `/api/v1/discounts/${band.json().id}`, { active: false });
    expect(off.json().active).toBe(false);
    expect((await listNamedDiscounts(t.deps.db, { activeOnly: true })).map((d) => d.name)).toEqual(['Music teacher']);
    expect((await getNamedDiscount(t.deps.db, band.json().id)).amountCents).toBe(500);
    const audits = await t.deps.db.execute<{ action: string; summary: string }>(sql`select action, summary from audit_log where entity_type = 'named_discount' order by id`);
    expect(audits.map((a) => a.action)).toEqual(['discount.create', 'discount.create', 'discount.create', 'discount.update', 'discount.update']);
    expect(audits[0].summary).toBe('Discount "Teacher" (10%) added');
    expect(audits[3].summary).toBe('Discount "Teacher" renamed to "Music teacher"');
    expect(audits[4].summary).toBe('Discount "Band night" deactivated');
  });

  test('duplicate names are refused case-insensitively (create and rename) with 409 on the name', async () => {
    const a = (await api('POST', '/api/v1/discounts', { name: 'Teacher', kind: 'percent', percent_millipercent: 10000 })).json();
    const dup = await api('POST', '/api/v1/discounts', { name: 'TEACHER', kind: 'amount', amount_cents: 100 });
    expect(dup.status).toBe(409);
    expect(dup.json().error.fields.name).toBe('Another discount already has this name.');
    const b = (await api('POST', '/api/v1/discounts', { name: 'Student', kind: 'percent', percent_millipercent: 5000 })).json();
    const clash = await api('PATCH', `/api/v1/discounts/${b.id}`, { name: ' teacher ' });
    expect(clash.status).toBe(409);
    expect(clash.json().error.fields.name).toContain('already has this name');
    // Renaming to itself in another case is fine.
    expect((await api('PATCH', `/api/v1/discounts/${a.id}`, { name: 'TEACHER' })).json().name).toBe('TEACHER');
    expect(await count('named_discounts')).toBe(2);
  });

  test('bad input: 422 with the field, 404 for unknown ids, nothing written', async () => {
    const cases: [unknown, string][] = [
      [{}, 'name'],
      [{ name: '', kind: 'percent', percent_millipercent: 1000 }, 'name'],
      [{ name: 'x'.repeat(61), kind: 'percent', percent_millipercent: 1000 }, 'name'],
      [{ name: 'A', kind: 'bogus', percent_millipercent: 1000 }, 'kind'],
      [{ name: 'A', kind: 'percent' }, 'percent_millipercent'],
      [{ name: 'A', kind: 'percent', percent_millipercent: 0 }, 'percent_millipercent'],
      [{ name: 'A', kind: 'percent', percent_millipercent: 100_001 }, 'percent_millipercent'],
      [{ name: 'A', kind: 'percent', percent_millipercent: 12.5 }, 'percent_millipercent'],
      [{ name: 'A', kind: 'percent', percent_millipercent: 1000, amount_cents: 100 }, 'amount_cents'],
      [{ name: 'A', kind: 'amount' }, 'amount_cents'],
      [{ name: 'A', kind: 'amount', amount_cents: -5 }, 'amount_cents'],
      [{ name: 'A', kind: 'amount', amount_cents: '5' }, 'amount_cents'],
      [{ name: 'A', kind: 'amount', amount_cents: 10_000_001 }, 'amount_cents'],
      [{ name: 'A', kind: 'amount', amount_cents: 500, percent_millipercent: 1000 }, 'percent_millipercent'],
      [{ name: 'A', kind: 'amount', amount_cents: 500, active: 'yes' }, 'active'],
      [{ name: 'A', kind: 'amount', amount_cents: 500, colour: 'red' }, '_'],
    ];
    for (const [body, field] of cases) {
      const res = await api('POST', '/api/v1/discounts', body);
      expect([res.status, body]).toEqual([422, body]);
      expect([Object.keys(res.json().error.fields ?? {}), body]).toEqual([expect.arrayContaining([field]), body]);
    }
    const d = (await api('POST', '/api/v1/discounts', { name: 'Teacher', kind: 'percent', percent_millipercent: 10000 })).json();
    for (const [body, field] of [[{}, '_'], [{ name: '' }, 'name'], [{ active: 'no' }, 'active'], [{ percent_millipercent: 5000 }, '_']] as [unknown, string][]) {
      const res = await api('PATCH', `/api/v1/discounts/${d.id}`, body);
      expect([res.status, body]).toEqual([422, body]);
      expect(Object.keys(res.json().error.fields)).toContain(field);
    }
    expect((await api('PATCH', '/api/v1/discounts/nope', { name: 'X' })).status).toBe(404);
    expect((await api('PATCH', '/api/v1/discounts/11111111-1111-4111-8111-111111111111', { name: 'X' })).status).toBe(404);
    expect(await count('named_discounts')).toBe(1);
    expect((await getNamedDiscount(t.deps.db, d.id)).percentMillipercent).toBe(10000);
  });

  test('permissions: a cashier token may list (pos.sell) but not create or change', async () => {
    const d = (await api('POST', '/api/v1/discounts', { name: 'Teacher', kind: 'percent', percent_millipercent: 10000 })).json();
    const seller = await ownerToken(t, ['pos.sell']);
    expect((await api('GET', '/api/v1/discounts', undefined, seller)).status).toBe(200);
    expect((await api('POST', '/api/v1/discounts', { name: 'Mine', kind: 'amount', amount_cents: 100 }, seller)).status).toBe(403);
    expect((await api('PATCH', `/api/v1/discounts/${d.id}`, { active: false }, seller)).status).toBe(403);
    const tech = await ownerToken(t, ['repairs.view']);
    expect((await api('GET', '/api/v1/discounts', undefined, tech)).status).toBe(403);
  });
});

describe('discount settings page', () => {
  test('add percent ("12.5") and amount ("$5") discounts, rename and deactivate from the list', async () => {
    expect((await owner.get('/settings')).text).toContain('href="/settings/discounts"');
    const page = await owner.get('/settings/discounts');
    expect(page.status).toBe(200);
    expect(page.text).toContain('No named discounts yet.');
    expect((await owner.postForm('/settings/discounts', { name: 'Teacher', kind: 'percent', value: '12.5' })).status).toBe(303);
    expect((await owner.postForm('/settings/discounts', { name: 'Band night', kind: 'amount', value: '$5' })).status).toBe(303);
    expect((await owner.postForm('/settings/discounts', { name: 'Ten', kind: 'percent', value: '10%' })).status).toBe(303);
    const rows = await listNamedDiscounts(t.deps.db);
    expect(rows.map((d) => [d.name, d.kind, d.percentMillipercent, d.amountCents, d.active])).toEqual([
      ['Band night', 'amount', null, 500, true],
      ['Teacher', 'percent', 12500, null, true],
      ['Ten', 'percent', 10000, null, true],
    ]);
    const listed = await owner.get('/settings/discounts');
    expect(listed.text).toContain('Added discount Ten (10%).');
    expect(listed.text).toContain('12.5% off');
    expect(listed.text).toContain('$5.00 off');

    const teacher = rows[1];
    const saved = await owner.postForm(`/settings/discounts/${teacher.id}`, { name: 'Music teacher', active: 'on' });
    expect(saved.status).toBe(303);
    expect((await owner.postForm(`/settings/discounts/${rows[0].id}`, { name: 'Band night' })).status).toBe(303);
    const after = await listNamedDiscounts(t.deps.db);
    expect(after.map((d) => [d.name, d.active])).toEqual([['Music teacher', true], ['Ten', true], ['Band night', false]]);
    expect((await owner.get('/settings/discounts')).text).toContain('Inactive');
  });

  test('bad input and duplicate names: messages next to the fields, nothing written', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ name: '', kind: 'percent', value: '10' }, 'name', 'Enter a name.'],
      [{ name: 'x'.repeat(61), kind: 'percent', value: '10' }, 'name', 'The name must be at most 60 characters.'],
      [{ name: 'A', kind: 'percent', value: '' }, 'value', 'Enter the percentage, e.g. 10 or 12.5.'],
      [{ name: 'A', kind: 'percent', value: 'ten' }, 'value', 'Enter a percentage between 0 and 100 with up to 3 decimals, e.g. 12.5.'],
      [{ name: 'A', kind: 'percent', value: '150' }, 'value', 'Enter a percentage between 0 and 100'],
      [{ name: 'A', kind: 'percent', value: '-10' }, 'value', 'Enter a percentage between 0 and 100'],
      [{ name: 'A', kind: 'percent', value: '0' }, 'value', 'The percentage must be more than 0%.'],
      [{ name: 'A', kind: 'amount', value: '' }, 'value', 'Enter the amount, e.g. 5.00.'],
      [{ name: 'A', kind: 'amount', value: 'five' }, 'value', 'Enter an amount like 5.00.'],
      [{ name: 'A', kind: 'amount', value: '5.001' }, 'value', 'Enter an amount like 5.00.'],
      [{ name: 'A', kind: 'amount', value: '-5' }, 'value', 'The amount must be more than $0.00.'],
      [{ name: 'A', kind: 'amount', value: '0.00' }, 'value', 'The amount must be more than $0.00.'],
      [{ name: 'A', kind: 'amount', value: '100000.01' }, 'value', 'The amount must be at most 10000000 cents'],
      [{ name: 'A', kind: 'bogus', value: '5' }, 'kind', 'Choose percent or amount.'],
    ];
    for (const [fields, field, message] of cases) {
      const res = await owner.postForm('/settings/discounts', fields);
      expect([res.status, fields]).toEqual([422, fields]);
      expect([res.text.includes(message), message]).toEqual([true, message]);
      expect(res.text).toMatch(new RegExp(`name="${field}"[^>]*aria-invalid="true"`));
    }
    expect(await count('named_discounts')).toBe(0);

    expect((await owner.postForm('/settings/discounts', { name: 'Teacher', kind: 'percent', value: '10' })).status).toBe(303);
    const dup = await owner.postForm('/settings/discounts', { name: 'tEACHER', kind: 'amount', value: '1' });
    expect(dup.status).toBe(409);
    expect(dup.text).toContain('Another discount already has this name.');
    expect(dup.text).toContain('value="tEACHER"');
    expect(await count('named_discounts')).toBe(1);

    const [d] = await listNamedDiscounts(t.deps.db);
    expect((await owner.postForm('/settings/discounts', { name: 'Student', kind: 'percent', value: '5' })).status).toBe(303);
    const student = (await listNamedDiscounts(t.deps.db)).find((x) => x.name === 'Student')!;
    const clash = await owner.postForm(`/settings/discounts/${student.id}`, { name: 'TEACHER', active: 'on' });
    expect(clash.status).toBe(409);
    expect(clash.text).toContain('Another discount already has this name.');
    expect(clash.text).toContain('<details open>');
    const empty = await owner.postForm(`/settings/discounts/${d.id}`, { name: ' ', active: 'on' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Enter a name.');
    expect((await owner.postForm('/settings/discounts/11111111-1111-4111-8111-111111111111', { name: 'X' })).status).toBe(404);
    expect((await listNamedDiscounts(t.deps.db)).map((x) => x.name)).toEqual(['Student', 'Teacher']);
  });

  test('a cashier may not manage discounts', async () => {
    await addStaff(t, 'casey', ['cashier']);
    const cashier = await signIn(t, 'casey', 'staff password 123');
    await cashier.get('/');
    expect((await cashier.get('/settings/discounts')).status).toBe(403);
    expect((await cashier.postForm('/settings/discounts', { name: 'Mine', kind: 'percent', value: '50' })).status).toBe(403);
    expect(await count('named_discounts')).toBe(0);
  });
});

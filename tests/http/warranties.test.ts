import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { addStaff, apiRequest, OWNER, makeTestApp, ownerToken, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';

let t: TestContext;
let owner: TestClient;
let token: string;
let unitId: string;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
// The test clock is 2026-11-24 15:00 UTC = 09:00 in America/Chicago: the store's business date is 2026-11-24.

beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  token = await ownerToken(t);
  const product = await apiRequest(t.app, 'POST', '/api/v1/products', { token, json: { sku: 'SAX-1', name: 'Alto Sax', kind: 'serialized' } });
  const unit = await apiRequest(t.app, 'POST', '/api/v1/units', { token, json: { product_id: product.json().id, serial_number: 'YAS-001', cost_cents: 100000 } });
  unitId = unit.json().id;
});

const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
const WARRANTY = { kind: 'manufacturer', provider: 'Yamaha', starts_on: '2026-01-01', ends_on: '2027-12-31', terms: 'Parts and labour', price: '' };

async function addWarrantyViaForm(fields: Record<string, string> = {}) {
  await owner.get(`/inventory/units/${unitId}`);
  return owner.postForm(`/inventory/units/${unitId}/warranties`, { ...WARRANTY, ...fields });
}
const warrantyIds = async () => (await t.deps.db.execute<{ id: string }>(sql`select id from unit_warranties order by starts_on`)).map((r) => r.id);

describe('warranties: HTML forms', () => {
  test('add warranties, active/expired on the store date, claims (inside and outside coverage), status change; passport and audit', async () => {
    const added = await addWarrantyViaForm();
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe(`/inventory/units/${unitId}#warranties`);
    expect((await addWarrantyViaForm({ kind: 'store', provider: 'Our shop', starts_on: '2025-01-01', ends_on: '2026-11-23', price: '49.99' })).status).toBe(303);
    // Ends today: still active (the end day is covered).
    expect((await addWarrantyViaForm({ kind: 'extended', provider: 'Care+', starts_on: '2026-11-24', ends_on: '2026-11-24' })).status).toBe(303);
    const rows = await t.deps.db.execute<any>(sql`select kind, price_cents::int as price from unit_warranties order by starts_on`);
    expect([...rows]).toEqual([{ kind: 'store', price: 4999 }, { kind: 'manufacturer', price: 0 }, { kind: 'extended', price: 0 }]);

    const page = await owner.get(`/inventory/units/${unitId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Warranty');
    expect(page.text.match(/data-coverage="active"/g)?.length).toBe(2);
    expect(page.text.match(/data-coverage="expired"/g)?.length).toBe(1);
    expect(page.text).toContain('$49.99');

    const [storeW, makerW] = await warrantyIds();
    const claim = await owner.postForm(`/inventory/warranties/${makerW}/claims`, { claimed_on: '', description: 'Sticky G# key', reference: 'RMA-77' });
    expect(claim.status).toBe(303);
    const late = await owner.postForm(`/inventory/warranties/${storeW}/claims`, { claimed_on: '', description: 'Cracked neck', reference: '' });
    expect(late.status).toBe(303);
    const claims = await t.deps.db.execute<any>(sql`select claimed_on::text, status, reference from warranty_claims order by description desc`);
    expect([...claims]).toEqual([{ claimed_on: '2026-11-24', status: 'open', reference: 'RMA-77' }, { claimed_on: '2026-11-24', status: 'open', reference: '' }]);
    const withClaims = await owner.get(`/inventory/units/${unitId}`);
    expect(withClaims.text).toContain('Sticky G# key');
    expect(withClaims.text.match(/outside coverage/g)?.length).toBeGreaterThanOrEqual(1);
    expect(withClaims.text).toContain('Claim filed under the store warranty (outside coverage): Cracked neck');

    const [{ id: claimId }] = await t.deps.db.execute<{ id: string }>(sql`select id from warranty_claims where reference = 'RMA-77'`);
    const decided = await owner.postForm(`/inventory/claims/${claimId}/status`, { status: 'approved', resolution: 'Yamaha replaced the key' });
    expect(decided.status).toBe(303);
    const [after] = await t.deps.db.execute<any>(sql`select status, resolution from warranty_claims where id = ${claimId}`);
    expect(after).toEqual({ status: 'approved', resolution: 'Yamaha replaced the key' });

    const events = await t.deps.db.execute<any>(sql`select event_type, summary from unit_events where unit_id = ${unitId} and event_type like 'warranty%' order by at, id`);
    expect(events.map((e: any) => e.event_type)).toEqual(['warranty', 'warranty', 'warranty', 'warranty_claim', 'warranty_claim']);
    expect(events[0].summary).toBe('Manufacturer warranty by Yamaha, 2026-01-01 to 2027-12-31');
    expect(await count(`audit_log where action = 'unit_warranty.create'`)).toBe(3);
    expect(await count(`audit_log where action = 'warranty_claim.create'`)).toBe(2);
    const [audit] = await t.deps.db.execute<any>(sql`select before->>'status' as b, after->>'status' as a from audit_log where action = 'warranty_claim.status'`);
    expect(audit).toEqual({ b: 'open', a: 'approved' });
  });

  test('coverage moves with the store date: tomorrow the warranty ending today is expired', async () => {
    await addWarrantyViaForm({ starts_on: '2026-11-01', ends_on: '2026-11-24' });
    expect((await owner.get(`/inventory/units/${unitId}`)).text).toContain('data-coverage="active"');
    t.clock.set('2026-11-25T15:00:00Z');
    // A day later the session has expired: sign in again.
    const page = await (await signIn(t, OWNER.username, OWNER.password)).get(`/inventory/units/${unitId}`);
    expect(page.text).toContain('data-coverage="expired"');
    expect(page.text).not.toContain('data-coverage="active"');
  });

  test('bad warranty input re-renders the unit page at 422 with field errors and writes nothing', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ kind: 'lifetime' }, 'kind', 'Kind must be manufacturer, store or extended.'],
      [{ kind: '' }, 'kind', 'Kind must be manufacturer, store or extended.'],
      [{ provider: 'x'.repeat(101) }, 'provider', 'Provider must be at most 100 characters.'],
      [{ starts_on: '' }, 'starts_on', 'Start date must be a real date written YYYY-MM-DD.'],
      [{ starts_on: '2026-02-30' }, 'starts_on', 'Start date must be a real date written YYYY-MM-DD.'],
      [{ ends_on: 'tomorrow' }, 'ends_on', 'End date must be a real date written YYYY-MM-DD.'],
      [{ starts_on: '2026-05-01', ends_on: '2026-04-30' }, 'ends_on', 'End date must be on or after the start date.'],
      [{ price: 'abc' }, 'price', 'Price must be an amount like 12.50.'],
      [{ price: '-5' }, 'price', 'Price'],
      [{ terms: 'x'.repeat(2001) }, 'terms', 'Terms must be at most 2000 characters.'],
    ];
    for (const [fields, name, message] of cases) {
      const res = await addWarrantyViaForm(fields);
      expect(res.status, JSON.stringify(fields)).toBe(422);
      expect(res.text).toContain(`id="f-warranty-${name.replace('_', '-')}-error"`);
      expect(res.text).toContain(message);
      expect(res.text).toContain('Instrument passport');
    }
    expect(await count('unit_warranties')).toBe(0);
    expect(await count(`unit_events where event_type = 'warranty'`)).toBe(0);
    expect(await count(`audit_log where action like 'unit_warranty%'`)).toBe(0);
  });

  test('bad claim and status input: 422 with errors, nothing written', async () => {
    await addWarrantyViaForm();
    const [w] = await warrantyIds();
    for (const [fields, message] of [
      [{ description: '' }, 'Description is required.'],
      [{ description: 'x'.repeat(2001) }, 'Description must be at most 2000 characters.'],
      [{ description: 'ok', claimed_on: '2026-13-01' }, 'Claim date must be a real date written YYYY-MM-DD.'],
      [{ description: 'ok', reference: 'r'.repeat(101) }, 'Reference must be at most 100 characters.'],
    ] as [Record<string, string>, string][]) {
      const res = await owner.postForm(`/inventory/warranties/${w}/claims`, fields);
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
      expect(res.text).toContain(`<details class="disclosure disclosure-form" open>`);
    }
    expect(await count('warranty_claims')).toBe(0);
    expect(await count(`unit_events where event_type = 'warranty_claim'`)).toBe(0);

    expect((await owner.postForm(`/inventory/warranties/${w}/claims`, { description: 'Loose brace' })).status).toBe(303);
    const [{ id: claimId }] = await t.deps.db.execute<{ id: string }>(sql`select id from warranty_claims`);
    for (const [fields, message] of [
      [{ status: 'lost', resolution: 'x' }, 'Status must be open, approved, denied or closed.'],
      [{ status: 'denied', resolution: '' }, 'Say how the claim was resolved.'],
      [{ status: 'closed', resolution: 'x'.repeat(2001) }, 'Resolution must be at most 2000 characters.'],
    ] as [Record<string, string>, string][]) {
      const res = await owner.postForm(`/inventory/claims/${claimId}/status`, fields);
      expect(res.status).toBe(422);
      expect(res.text).toContain(message);
    }
    const [row] = await t.deps.db.execute<any>(sql`select status, resolution from warranty_claims`);
    expect(row).toEqual({ status: 'open', resolution: '' });
    expect(await count(`audit_log where action = 'warranty_claim.status'`)).toBe(0);
  });

  test('unknown ids are 404; a cashier (no inventory.manage) is refused 403 and writes nothing', async () => {
    await owner.get(`/inventory/units/${unitId}`);
    expect((await owner.postForm(`/inventory/units/${UNKNOWN}/warranties`, WARRANTY)).status).toBe(404);
    expect((await owner.postForm(`/inventory/units/not-a-uuid/warranties`, WARRANTY)).status).toBe(404);
    expect((await owner.postForm(`/inventory/warranties/${UNKNOWN}/claims`, { description: 'x' })).status).toBe(404);
    expect((await owner.postForm(`/inventory/claims/${UNKNOWN}/status`, { status: 'closed', resolution: 'x' })).status).toBe(404);

    await addWarrantyViaForm();
    const [w] = await warrantyIds();
    await addStaff(t, 'cash1', ['cashier']);
    const cashier = await signIn(t, 'cash1', 'staff password 123');
    const page = await cashier.get(`/inventory/units/${unitId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-coverage="active"');
    expect(page.text).not.toContain('Add warranty');
    expect((await cashier.postForm(`/inventory/units/${unitId}/warranties`, WARRANTY)).status).toBe(403);
    expect((await cashier.postForm(`/inventory/warranties/${w}/claims`, { description: 'x' })).status).toBe(403);
    expect(await count('unit_warranties')).toBe(1);
    expect(await count('warranty_claims')).toBe(0);
  });
});

describe('warranties: API', () => {
  test('POST and GET /api/v1/units/:id/warranties, POST /api/v1/warranties/:id/claims', async () => {
    const created = await apiRequest(t.app, 'POST', `/api/v1/units/${unitId}/warranties`, { token, json: { kind: 'extended', provider: 'Care+', starts_on: '2024-01-01', ends_on: '2025-12-31', price_cents: 12900 } });
    expect(created.status).toBe(201);
    const w = created.json();
    expect(w).toMatchObject({ unit_id: unitId, kind: 'extended', provider: 'Care+', price_cents: 12900, coverage: 'expired', active: false, expired: true, claims: [] });
    const current = await apiRequest(t.app, 'POST', `/api/v1/units/${unitId}/warranties`, { token, json: { kind: 'manufacturer', starts_on: '2026-06-01', ends_on: '2028-05-31' } });
    expect(current.json()).toMatchObject({ coverage: 'active', active: true, expired: false, provider: '', price_cents: 0, terms: '' });

    const claim = await apiRequest(t.app, 'POST', `/api/v1/warranties/${w.id}/claims`, { token, json: { description: 'Pad leak' } });
    expect(claim.status).toBe(201);
    expect(claim.json()).toMatchObject({ warranty_id: w.id, claimed_on: '2026-11-24', status: 'open', outside_coverage: true });
    const inside = await apiRequest(t.app, 'POST', `/api/v1/warranties/${w.id}/claims`, { token, json: { description: 'Earlier fault', claimed_on: '2025-06-01' } });
    expect(inside.json().outside_coverage).toBe(false);

    const list = await apiRequest(t.app, 'GET', `/api/v1/units/${unitId}/warranties?sort=ends_on&order=desc`, { token });
    expect(list.status).toBe(200);
    const body = list.json();
    expect(body.pagination).toEqual({ page: 1, limit: 25, total: 2, total_pages: 1 });
    expect(body.data.map((x: any) => x.kind)).toEqual(['manufacturer', 'extended']);
    expect(body.data[1].claims.map((c: any) => c.description)).toEqual(['Earlier fault', 'Pad leak']);
    expect((await apiRequest(t.app, 'GET', `/api/v1/units/${unitId}/warranties?sort=bogus`, { token })).status).toBe(400);
    expect(await count(`audit_log where action = 'unit_warranty.create'`)).toBe(2);
    expect(await count(`unit_events where event_type = 'warranty_claim'`)).toBe(2);
  });

  test('API bad input is 4xx with fields and writes nothing; unknown ids 404; a token without inventory.manage 403', async () => {
    const post = (json: unknown) => apiRequest(t.app, 'POST', `/api/v1/units/${unitId}/warranties`, { token, json });
    const bad: [unknown, string][] = [
      [{ starts_on: '2026-01-01', ends_on: '2026-12-31' }, 'kind'],
      [{ kind: 'store', starts_on: '2026-01-01', ends_on: '2025-12-31' }, 'ends_on'],
      [{ kind: 'store', starts_on: '2026-02-29', ends_on: '2026-12-31' }, 'starts_on'],
      [{ kind: 'store', starts_on: '2026-01-01', ends_on: '2026-12-31', price_cents: -1 }, 'price_cents'],
      [{ kind: 'store', starts_on: '2026-01-01', ends_on: '2026-12-31', price_cents: 1.5 }, 'price_cents'],
      [{ kind: 'store', starts_on: '2026-01-01', ends_on: '2026-12-31', price_cents: '100' }, 'price_cents'],
      [{ kind: 'store', starts_on: '2026-01-01', ends_on: '2026-12-31', provider: 'p'.repeat(101) }, 'provider'],
    ];
    for (const [json, field] of bad) {
      const res = await post(json);
      expect(res.status, JSON.stringify(json)).toBe(422);
      expect(res.json().error.fields[field]).toBeTruthy();
    }
    expect((await apiRequest(t.app, 'POST', `/api/v1/units/${UNKNOWN}/warranties`, { token, json: { kind: 'store', starts_on: '2026-01-01', ends_on: '2026-12-31' } })).status).toBe(404);
    expect((await apiRequest(t.app, 'GET', `/api/v1/units/nope/warranties`, { token })).status).toBe(404);
    expect((await apiRequest(t.app, 'POST', `/api/v1/warranties/${UNKNOWN}/claims`, { token, json: { description: 'x' } })).status).toBe(404);
    expect(await count('unit_warranties')).toBe(0);

    const w = (await post({ kind: 'store', starts_on: '2026-01-01', ends_on: '2026-12-31' })).json();
    const claimBad = await apiRequest(t.app, 'POST', `/api/v1/warranties/${w.id}/claims`, { token, json: { description: '   ' } });
    expect(claimBad.status).toBe(422);
    expect(claimBad.json().error.fields.description).toBe('Description is required.');
    expect((await apiRequest(t.app, 'POST', `/api/v1/warranties/${w.id}/claims`, { token, json: { description: 'd'.repeat(2001) } })).status).toBe(422);
    expect(await count('warranty_claims')).toBe(0);

    const viewer = await ownerToken(t, ['inventory.view']);
    expect((await apiRequest(t.app, 'GET', `/api/v1/units/${unitId}/warranties`, { token: viewer })).status).toBe(200);
    expect((await apiRequest(t.app, 'POST', `/api/v1/units/${unitId}/warranties`, { token: viewer, json: { kind: 'store', starts_on: '2026-01-01', ends_on: '2026-12-31' } })).status).toBe(403);
    expect((await apiRequest(t.app, 'POST', `/api/v1/warranties/${w.id}/claims`, { token: viewer, json: { description: 'x' } })).status).toBe(403);
    expect(await count('unit_warranties')).toBe(1);
  });
});

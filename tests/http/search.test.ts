import { beforeEach, describe, expect, test } from 'bun:test';
import { addStaff, apiRequest, makeTestApp, ownerToken, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';
import { createRole, createStaff } from '../../src/features/staff/service';
import { cliActor } from '../../src/features/audit/service';
import { globalSearch } from '../../src/features/search/service';
import { parseSearchTerms, escapeLike, SearchInputError } from '../../src/features/search/terms';
import { seedSearchRows } from './search-fixtures';

let t: TestContext;
let owner: TestClient;
let rows: Awaited<ReturnType<typeof seedSearchRows>>;

beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  rows = await seedSearchRows(t);
});

const labels = (res: Awaited<ReturnType<typeof globalSearch>>, kind: string) => res.groups.find((g) => g.kind === kind)?.hits.map((h) => h.label) ?? [];
const partial = { 'hx-request': 'true', 'hx-request-type': 'partial', 'hx-target': 'div#global-search-results' };

describe('search rules (service)', () => {
  test('acceptance: "smi" finds Smith accounts, the member Smithson and the unit SMI-2231', async () => {
    const res = await globalSearch(t.deps.db, 'smi');
    expect(res.mode).toBe('substring');
    expect(labels(res, 'accounts')).toEqual(expect.arrayContaining(['John Smith', 'Smith Family']));
    expect(labels(res, 'members')).toContain('Peter Smithson');
    expect(labels(res, 'units')).toContain('SMI-2231');
    const unit = res.groups.find((g) => g.kind === 'units')!.hits.find((h) => h.label === 'SMI-2231')!;
    expect(unit.secondary).toContain('Student Trumpet');
    expect(unit.url).toBe(`/inventory/units/${rows.smiUnit.id}`);
    const member = res.groups.find((g) => g.kind === 'members')!.hits.find((h) => h.label === 'Peter Smithson')!;
    expect(member.url).toBe(`/customers/${rows.osmond.id}`);
    expect(member.secondary).toContain('Olga Osmond (123456)');
  });

  test('1–2 characters match the start of names only; 3+ match anywhere', async () => {
    expect(parseSearchTerms('sm')!.mode).toBe('prefix');
    expect(labels(await globalSearch(t.deps.db, 'SM'), 'accounts')).toEqual(['Smith Family']); // "John Smith" starts with J
    expect(labels(await globalSearch(t.deps.db, 'jo'), 'accounts')).toEqual(['John Smith']);
    expect(labels(await globalSearch(t.deps.db, 'sm'), 'members')).toEqual(['Ann Smith', 'Peter Smithson']); // last-name prefix
    expect(labels(await globalSearch(t.deps.db, 'pe'), 'members')).toEqual(['Peter Smithson']); // first-name prefix
    expect(labels(await globalSearch(t.deps.db, 'mi'), 'accounts')).toEqual([]); // not a substring search yet
    expect(labels(await globalSearch(t.deps.db, 'mit'), 'accounts')).toEqual(expect.arrayContaining(['John Smith', 'Smith Family']));
    expect(labels(await globalSearch(t.deps.db, 'tr'), 'products')).toEqual(['Pro Trumpet 100% brass', 'Student Trumpet']); // SKU prefix
    expect(labels(await globalSearch(t.deps.db, 'sm'), 'units')).toEqual(['SMI-2231', 'SMI-22310']);
    expect(labels(await globalSearch(t.deps.db, 'bach'), 'products')).toHaveLength(2); // brand, in the name+brand+model text
  });

  test('inactive accounts are left out by default', async () => {
    expect(labels(await globalSearch(t.deps.db, 'smithers'), 'accounts')).toEqual([]);
    expect(labels(await globalSearch(t.deps.db, 'smithers', { includeInactive: true }), 'accounts')).toEqual(['Smithers Old Account']);
  });

  test('digits match phone digits and account/member numbers, whatever the punctuation', async () => {
    expect(labels(await globalSearch(t.deps.db, '(555) 010'), 'accounts')).toEqual(['John Smith']);
    expect(labels(await globalSearch(t.deps.db, '5550102000'), 'accounts')).toEqual(['John Smith']);
    expect(labels(await globalSearch(t.deps.db, '0102'), 'accounts')).toEqual(['John Smith']); // inside the number
    expect(labels(await globalSearch(t.deps.db, '55'), 'accounts')).toEqual(['John Smith', 'Smith Family']); // 1–2 digits: prefix
    expect(labels(await globalSearch(t.deps.db, '48'), 'accounts')).toEqual(['John Smith']); // account number prefix
    expect(labels(await globalSearch(t.deps.db, '7000'), 'members').sort()).toEqual(['Ann Smith', 'Peter Smithson', 'Zed Quinn']); // member number prefix
    expect(labels(await globalSearch(t.deps.db, '70'), 'members').sort()).toEqual(['Ann Smith', 'Peter Smithson', 'Zed Quinn']);
    expect(labels(await globalSearch(t.deps.db, '773-555-12'), 'members')).toEqual(['Peter Smithson']);
    expect(labels(await globalSearch(t.deps.db, '0123456'), 'products')).toEqual(['Student Trumpet']); // UPC prefix
  });

  test('exact number, serial, SKU and UPC matches rank first', async () => {
    const byNumber = await globalSearch(t.deps.db, '123456');
    expect(byNumber.groups.find((g) => g.kind === 'accounts')!.hits[0]).toMatchObject({ label: 'Olga Osmond', exact: true });
    expect(byNumber.exactUrl).toBe(`/customers/${rows.osmond.id}`);
    const bySku = await globalSearch(t.deps.db, 'tr-100');
    expect(labels(bySku, 'products')).toEqual(['Student Trumpet', 'Pro Trumpet 100% brass']);
    expect(bySku.groups.find((g) => g.kind === 'products')!.hits.map((h) => h.exact)).toEqual([true, false]);
    const bySerial = await globalSearch(t.deps.db, 'smi-2231');
    expect(labels(bySerial, 'units')).toEqual(['SMI-2231', 'SMI-22310']);
    expect(bySerial.exactUrl).toBe('/inventory/passport?serial=SMI-2231');
    const byUpc = await globalSearch(t.deps.db, '012345678905');
    expect(byUpc.groups.find((g) => g.kind === 'products')!.hits[0]).toMatchObject({ label: 'Student Trumpet', exact: true });
  });

  test('%, _ and \\ typed by a user match themselves, not anything', async () => {
    expect(escapeLike('100%_a\\b')).toBe('100\\%\\_a\\\\b');
    const percent = await globalSearch(t.deps.db, '%');
    expect(percent.total).toBe(0);
    expect((await globalSearch(t.deps.db, '_')).total).toBe(0);
    expect(labels(await globalSearch(t.deps.db, '100%'), 'products')).toEqual(['Pro Trumpet 100% brass']);
    expect(labels(await globalSearch(t.deps.db, 'strings a_c'), 'products')).toEqual(['Violin strings a_c set']);
    expect(labels(await globalSearch(t.deps.db, 'strings_a'), 'products')).toEqual([]); // an unescaped _ would match the space
    expect(labels(await globalSearch(t.deps.db, 'str-a_'), 'products')).toEqual(['Violin strings a_c set']); // SKU STR-A_C
    expect(labels(await globalSearch(t.deps.db, 'tr-1%'), 'products')).toEqual([]);
  });

  test('3+ characters: names that start with the text come first (alphabetically), then names that contain it', async () => {
    // "Smith Family" starts with "smi"; "John Smith" only contains it.
    expect(labels(await globalSearch(t.deps.db, 'smi'), 'accounts').slice(0, 2)).toEqual(['Smith Family', 'John Smith']);
    // A limit the starters fill (prefix phase only) gives the same first rows as the full ranking.
    expect(labels(await globalSearch(t.deps.db, 'smi', { limit: 1 }), 'accounts')).toEqual(['Smith Family']);
    // Members: Ann Smith and Peter Smithson start with "smi" (last name) — both before anyone who merely contains it.
    expect(labels(await globalSearch(t.deps.db, 'smi', { limit: 2 }), 'members')).toEqual(['Ann Smith', 'Peter Smithson']);
    // Digits: a number/phone that starts with them is a starter too.
    expect(labels(await globalSearch(t.deps.db, '555', { limit: 1 }), 'accounts')).toEqual(['John Smith']);
  });

  test('the search connections (generic plans) give exactly what the main pool gives', async () => {
    for (const q of ['s', 'sm', 'smi', 'smith', 'pe', '55', '555', '0102', '481516', 'tr-100', 'smi-2231', '012345678905', '100%', 'str-a_', 'strings a_c', 'x%_', 'Smith Family']) {
      for (const limit of [1, 2, 8]) {
        const viaPool = await globalSearch(t.deps.db, q, { limit });
        const viaSearch = await globalSearch(t.deps.db, q, { limit, searchDb: t.deps.searchDb });
        expect(viaSearch).toEqual(viaPool);
      }
    }
  });

  test('each group is limited, and the limit is capped', async () => {
    expect((await globalSearch(t.deps.db, 'smi', { limit: 1 })).groups.find((g) => g.kind === 'accounts')!.hits).toHaveLength(1);
    expect((await globalSearch(t.deps.db, 'smi', { limit: 10_000 })).total).toBeLessThan(100);
  });

  test('bad input: empty, control characters, too long', async () => {
    expect((await globalSearch(t.deps.db, '   ')).mode).toBe('empty');
    expect((await globalSearch(t.deps.db, undefined)).mode).toBe('empty');
    expect(labels(await globalSearch(t.deps.db, 'smi\u0000th\tfam'), 'accounts')).toEqual([]); // NUL would make PostgreSQL fail
    expect(labels(await globalSearch(t.deps.db, '\u0000smith'), 'accounts')).toEqual(expect.arrayContaining(['John Smith']));
    await expect(globalSearch(t.deps.db, 'x'.repeat(101))).rejects.toBeInstanceOf(SearchInputError);
    await expect(globalSearch(t.deps.db, { q: 'x' })).rejects.toBeInstanceOf(SearchInputError);
  });
});

describe('GET /search (HTML)', () => {
  test('results page lists the groups with links to the records', async () => {
    const res = await owner.get('/search?q=smi');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Search</h1>');
    for (const text of ['John Smith', 'Peter Smithson', 'SMI-2231', `href="/customers/${rows.smith.id}"`, `href="/inventory/units/${rows.smiUnit.id}"`]) expect(res.text).toContain(text);
    // The header search box is on every signed-in page.
    expect(res.text).toContain('hx-get="/search"');
    expect(res.text).toContain('hx-trigger="input changed delay:200ms"');
  });

  test('empty query: a friendly empty state, not an error', async () => {
    for (const path of ['/search', '/search?q=', '/search?q=%20%20']) {
      const res = await owner.get(path);
      expect(res.status).toBe(200);
      expect(res.text).toContain('What are you looking for?');
    }
    expect((await owner.get('/search?q=zzzzqqq')).text).toContain('No matches for “zzzzqqq”');
  });

  test('the htmx typeahead gets only the dropdown fragment', async () => {
    const res = await owner.get('/search?q=smi', partial);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<html');
    expect(res.text).toContain('role="option"');
    expect(res.text).toContain('Peter Smithson');
    expect(res.text).toContain('href="/search?q=smi&amp;all=1"');
    // An exact scan typed into the box still lists (the redirect is for Enter/submit only).
    const exact = await owner.get('/search?q=SMI-2231', partial);
    expect(exact.status).toBe(200);
    expect(exact.text).toContain('/inventory/passport?serial=SMI-2231');
    expect((await owner.get('/search?q=', partial)).text.trim()).toBe('');
  });

  test('Enter on an exact scan goes straight to the record', async () => {
    const go = async (q: string) => (await owner.get(`/search?q=${encodeURIComponent(q)}`)).headers.get('location');
    expect(await go('SMI-2231')).toBe('/inventory/passport?serial=SMI-2231');
    expect(await go(' smi-2231 ')).toBe('/inventory/passport?serial=SMI-2231');
    expect(await go('481516')).toBe(`/customers/${rows.smith.id}`);
    expect(await go('700001')).toBe(`/customers/${rows.osmond.id}`); // member number -> their account
    expect(await go('TR-100')).toBe(`/inventory/products/${rows.trumpet.id}`);
    expect(await go('099999000017')).toBe(`/inventory/products/${rows.strings.id}`); // UPC
    const res = await owner.get('/search?q=SMI-2231');
    expect(res.status).toBe(303);
    // all=1 asks for the list instead; a partial match lists too.
    expect((await owner.get('/search?q=SMI-2231&all=1')).status).toBe(200);
    expect((await owner.get('/search?q=SMI-22')).status).toBe(200);
    // htmx requests get HX-Redirect instead of a 303.
    const hx = await owner.get('/search?q=SMI-2231', { 'hx-request': 'true', 'hx-request-type': 'full' });
    expect(hx.headers.get('hx-redirect')).toBe('/inventory/passport?serial=SMI-2231');
  });

  test('an ambiguous exact match (a serial equal to an account number) lists instead of guessing', async () => {
    const { inventoryUnits } = await import('../../src/db/schema');
    await t.deps.db.insert(inventoryUnits).values({ productId: rows.trumpet.id, serialNumber: '481516' });
    const res = await owner.get('/search?q=481516');
    expect(res.status).toBe(200);
    expect(res.text).toContain('John Smith');
    expect(res.text).toContain('Exact match');
  });

  test('too-long search text gets a clear message (422), not a 500', async () => {
    const res = await owner.get(`/search?q=${'a'.repeat(150)}`);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Search text must be at most 100 characters.');
    const fragment = await owner.get(`/search?q=${'a'.repeat(150)}`, partial);
    expect(fragment.status).toBe(422);
    expect(fragment.text).toContain('at most 100 characters');
    // Odd but harmless input.
    expect((await owner.get('/search?q=%00%00')).status).toBe(200);
    expect((await owner.get('/search?q=a&q=b')).status).toBe(200);
    expect((await owner.get('/search?q=%25%25%25')).status).toBe(200);
  });

  test('groups follow permissions: no customers.view -> no accounts or members; no inventory.view -> no products or units', async () => {
    const role = await t.deps.db.transaction((tx) => createRole(tx, cliActor('test'), { name: 'Bench tech', description: '', permissions: ['dashboard.view', 'inventory.view', 'repairs.view'] }));
    await t.deps.db.transaction((tx) => createStaff(tx, cliActor('test'), { username: 'benchtech', name: 'Bench Tech', email: null, password: 'staff password 123', pin: null, role_ids: [role.id] }));
    const tech = await signIn(t, 'benchtech', 'staff password 123');
    const res = await tech.get('/search?q=smi');
    expect(res.status).toBe(200);
    expect(res.text).toContain('SMI-2231');
    expect(res.text).not.toContain('John Smith');
    expect(res.text).not.toContain('Smithson');
    expect(res.text).toContain('Not searched: accounts, members');
    // An exact account number is not a redirect for someone who can't see accounts.
    expect((await tech.get('/search?q=481516')).status).toBe(200);

    await addStaff(t, 'inst', ['instructor']);
    const instructor = await signIn(t, 'inst', 'staff password 123');
    const inst = await instructor.get('/search?q=smi');
    expect(inst.text).toContain('John Smith');
    expect(inst.text).not.toContain('SMI-2231');
  });
});

describe('GET /api/v1/search', () => {
  test('grouped results for a token, with exact_url', async () => {
    const token = await ownerToken(t);
    const res = await apiRequest(t.app, 'GET', '/api/v1/search?q=smi', { token });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ query: 'smi', mode: 'substring', searched: ['accounts', 'members', 'products', 'units'], exact_url: null });
    expect(body.results.accounts.map((h: any) => h.label)).toEqual(expect.arrayContaining(['John Smith', 'Smith Family']));
    expect(body.results.members.map((h: any) => h.label)).toContain('Peter Smithson');
    expect(body.results.units[0]).toMatchObject({ id: rows.smiUnit.id, code: 'SMI-2231', label: 'SMI-2231', exact_match: false, url: `/inventory/units/${rows.smiUnit.id}` });
    const exact = (await apiRequest(t.app, 'GET', '/api/v1/search?q=TR-100&kinds=products&limit=1', { token })).json();
    expect(exact.searched).toEqual(['products']);
    expect(exact.results.products).toHaveLength(1);
    expect(exact.exact_url).toBe(`/inventory/products/${rows.trumpet.id}`);
    expect((await apiRequest(t.app, 'GET', '/api/v1/search', { token })).json()).toMatchObject({ mode: 'empty', results: { accounts: [] } });
  });

  test("a token only sees the groups its permissions allow", async () => {
    const inventoryOnly = await ownerToken(t, ['inventory.view']);
    const body = (await apiRequest(t.app, 'GET', '/api/v1/search?q=smi', { token: inventoryOnly })).json();
    expect(body.searched).toEqual(['products', 'units']);
    expect(body.results.accounts).toEqual([]);
    expect(body.results.members).toEqual([]);
    expect(body.results.units.map((h: any) => h.label)).toContain('SMI-2231');
    const nothing = await ownerToken(t, ['staff.view']);
    const none = await apiRequest(t.app, 'GET', '/api/v1/search?q=smi', { token: nothing });
    expect(none.status).toBe(200);
    expect(none.json().searched).toEqual([]);
  });

  test('bad parameters are 400 validation errors with fields', async () => {
    const token = await ownerToken(t);
    const cases: [string, string][] = [
      [`q=${'x'.repeat(101)}`, 'q'],
      ['q=smi&limit=0', 'limit'],
      ['q=smi&limit=abc', 'limit'],
      ['q=smi&limit=26', 'limit'],
      ['q=smi&kinds=accounts,staff', 'kinds'],
    ];
    for (const [query, field] of cases) {
      const res = await apiRequest(t.app, 'GET', `/api/v1/search?${query}`, { token });
      expect(res.status).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
      expect(Object.keys(res.json().error.fields)).toEqual([field]);
    }
    expect((await apiRequest(t.app, 'GET', '/api/v1/search?q=smi')).status).toBe(401);
  });

  test('the OpenAPI document describes the search endpoint', async () => {
    const doc = (await apiRequest(t.app, 'GET', '/api/v1/openapi.json')).json();
    const op = doc.paths['/api/v1/search'].get;
    expect(op.parameters.map((p: any) => p.name)).toEqual(['q', 'limit', 'kinds']);
    expect(op.responses['200']).toBeDefined();
  });
});

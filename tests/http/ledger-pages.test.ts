import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { addStaff, apiRequest, makeTestApp, ownerToken, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';
import { cliActor } from '../../src/features/audit/service';
import { postEntry } from '../../src/features/ledger/journal';

let t: TestContext;
let owner: TestClient;
let token: string;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const rows = (q: ReturnType<typeof sql>) => t.deps.db.execute<any>(q) as unknown as Promise<any[]>;
const api = (method: string, path: string, json?: unknown, tok = token) => apiRequest(t.app, method, path, { token: tok, ...(json === undefined ? {} : { json }) });

/** Three entries on known dates: an adjustment in (Nov 2), one out (Nov 10) and a receipt-like entry with a supplier (Nov 20). */
async function seedJournal() {
  const product = await api('POST', '/api/v1/products', { sku: 'STR-1', name: 'Violin strings', kind: 'stock' });
  expect(product.status).toBe(201);
  const productId = product.json().id;
  const [{ id: supplierId }] = await rows(sql`insert into suppliers (name) values ('Conn-Selmer') returning id`);
  await t.deps.db.transaction(async (tx) => {
    const actor = cliActor('test');
    const { recordStockMovement } = await import('../../src/features/inventory/stock-ledger');
    await recordStockMovement(tx, actor, { productId, quantityDelta: 10, reason: 'adjustment', unitCostCents: 400, note: 'found in back', entryDate: '2026-11-02' });
    await recordStockMovement(tx, actor, { productId, quantityDelta: -1, reason: 'adjustment', note: 'broken', entryDate: '2026-11-10' });
    await postEntry(tx, actor, { eventType: 'inventory_receipt', date: '2026-11-20', sourceType: 'test', memo: 'PO-000009: received', lines: [{ accountKey: 'inventory', debitCents: 12_345 }, { accountKey: 'accounts_payable', creditCents: 12_345, party: { type: 'supplier', id: supplierId } }] });
  });
  return { productId, supplierId };
}

beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  token = await ownerToken(t);
  // Generous: setup hashes a password, and a busy machine (parallel test runs) can take a while.
}, 30_000);

describe('journal pages', () => {
  test('the journal lists entries newest first, filters by date range, and opens an entry with its lines', async () => {
    await seedJournal();
    expect((await owner.get('/accounting')).headers.get('location')).toBe('/accounting/journal');
    const all = await owner.get('/accounting/journal');
    expect(all.status).toBe(200);
    expect(all.text).toContain('>Accounting<');
    const order = ['JE-000003', 'JE-000002', 'JE-000001'].map((n) => all.text.indexOf(`>${n}<`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(all.text).toContain('Stock adjustment +10 × STR-1: found in back');
    expect(all.text).toContain('$123.45');

    const november = await owner.get('/accounting/journal?from=2026-11-05&to=2026-11-15');
    expect(november.text).toContain('>JE-000002<');
    expect(november.text).not.toContain('>JE-000001<');
    expect(november.text).not.toContain('>JE-000003<');
    const search = await owner.get('/accounting/journal?q=po-000009');
    expect(search.text).toContain('>JE-000003<');
    expect(search.text).not.toContain('>JE-000002<');
    // htmx filter changes get only the list region.
    const fragment = await owner.get('/accounting/journal?from=2026-11-15', { 'hx-request': 'true', 'hx-request-type': 'partial' });
    expect(fragment.text).toContain('id="list"');
    expect(fragment.text).not.toContain('<h1>Journal</h1>');

    const [{ id }] = await rows(sql`select id from journal_entries where number = 'JE-000003'`);
    const detail = await owner.get(`/accounting/journal/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('1200 Inventory');
    expect(detail.text).toContain('2000 Accounts payable');
    expect(detail.text).toContain('Conn-Selmer');
    expect((await owner.get('/accounting/journal/JE-000003')).status).toBe(200);
  }, 30_000);

  test('bad dates and a reversed range are shown next to the filters; unknown entries are 404', async () => {
    await seedJournal();
    const bad = await owner.get('/accounting/journal?from=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('From must be a date as YYYY-MM-DD.');
    expect(bad.text).not.toContain('>JE-000001<');
    const reversed = await owner.get('/accounting/journal?from=2026-11-20&to=2026-11-01');
    expect(reversed.status).toBe(400);
    expect(reversed.text).toContain('To must be on or after From.');
    for (const path of [`/accounting/journal/${UNKNOWN}`, '/accounting/journal/nope', '/accounting/journal/JE-999999']) expect((await owner.get(path)).status).toBe(404);
  }, 30_000);

  test('General Journal CSV by date range: date, entry no., account, debit, credit, memo, name', async () => {
    await seedJournal();
    const res = await owner.get('/accounting/journal/export.csv?from=2026-11-10&to=2026-11-30');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('general-journal-2026-11-10-to-2026-11-30');
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('date,entry_no,account_number,account,debit,credit,memo,name,event');
    expect(lines.slice(1)).toEqual([
      '2026-11-10,JE-000002,1200,Inventory,,4.00,Stock adjustment -1 × STR-1: broken,,stock_adjustment',
      '2026-11-10,JE-000002,5200,Inventory shrink,4.00,,Stock adjustment -1 × STR-1: broken,,stock_adjustment',
      '2026-11-20,JE-000003,1200,Inventory,123.45,,PO-000009: received,,inventory_receipt',
      '2026-11-20,JE-000003,2000,Accounts payable,,123.45,PO-000009: received,Conn-Selmer,inventory_receipt',
    ]);
    const bad = await owner.get('/accounting/journal/export.csv?from=2026-11-30&to=2026-11-01');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('To must be on or after From.');
    expect((await owner.get('/accounting/journal/export.csv?to=yesterday')).status).toBe(400);
  }, 30_000);

  test('trial balance as of a date: columns total the same; bad dates are refused', async () => {
    await seedJournal();
    const res = await owner.get('/accounting/trial-balance?as_of=2026-11-15');
    expect(res.status).toBe(200);
    // As of Nov 15: $40.00 found (Dr Inventory / Cr shrink), $4.00 broken (Dr shrink / Cr Inventory): both at $36.00, no AP yet.
    expect(res.text).toContain('$36.00');
    expect(res.text).not.toContain('Accounts payable');
    expect(/id="total-debits"><strong>\$36\.00</.test(res.text)).toBe(true);
    expect(/id="total-credits"><strong>\$36\.00</.test(res.text)).toBe(true);
    const later = await owner.get('/accounting/trial-balance?as_of=2026-11-30');
    expect(later.text).toContain('Accounts payable');
    expect(/id="total-debits"><strong>\$159\.45</.test(later.text)).toBe(true);
    expect(/id="total-credits"><strong>\$159\.45</.test(later.text)).toBe(true);
    const csv = await owner.get('/accounting/trial-balance/export.csv?as_of=2026-11-30');
    expect(csv.text.trim().split('\r\n')).toEqual(['account_number,account,type,debit,credit', '1200,Inventory,asset,159.45,0.00', '2000,Accounts payable,liability,0.00,123.45', '5200,Inventory shrink,expense,0.00,36.00', ',Total,,159.45,159.45']);
    const bad = await owner.get('/accounting/trial-balance?as_of=2026-11-31');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('As of must be a date as YYYY-MM-DD.');
    expect((await owner.get('/accounting/trial-balance/export.csv?as_of=nope')).status).toBe(400);
    expect((await owner.get('/accounting/trial-balance')).status).toBe(200);
  }, 30_000);

  test('chart of accounts: rename and renumber, with errors next to the fields; nothing saved on bad input', async () => {
    await seedJournal();
    const chart = await owner.get('/accounting/accounts');
    expect(chart.status).toBe(200);
    for (const name of ['Cash in drawers', 'Rental fleet', 'Opening balance equity', 'Inventory shrink']) expect(chart.text).toContain(name);
    const [{ id }] = await rows(sql`select id from ledger_accounts where system_key = 'inventory'`);
    const form = await owner.get(`/accounting/accounts/${id}`);
    expect(form.text).toContain('name="code"');
    const saved = await owner.postForm(`/accounting/accounts/${id}`, { code: '1220', name: 'Merchandise inventory' });
    expect(saved.status).toBe(303);
    expect((await rows(sql`select code, name, system_key from ledger_accounts where id = ${id}`))[0]).toEqual({ code: '1220', name: 'Merchandise inventory', system_key: 'inventory' });
    expect((await rows(sql`select count(*)::int as n from audit_log where action = 'ledger_account.update'`))[0].n).toBe(1);

    const blank = await owner.postForm(`/accounting/accounts/${id}`, { code: '', name: '' });
    expect(blank.status).toBe(422);
    expect(blank.text).toContain('Number is required.');
    expect(blank.text).toContain('Name is required.');
    const taken = await owner.postForm(`/accounting/accounts/${id}`, { code: '1000', name: 'cash in DRAWERS' });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('Another account has this number.');
    expect(taken.text).toContain('Another account has this name.');
    const junk = await owner.postForm(`/accounting/accounts/${id}`, { code: '12 00', name: 'x'.repeat(101) });
    expect(junk.status).toBe(422);
    expect(junk.text).toContain('Name must be at most 100 characters.');
    expect((await rows(sql`select code, name from ledger_accounts where id = ${id}`))[0]).toEqual({ code: '1220', name: 'Merchandise inventory' });
    expect((await owner.postForm(`/accounting/accounts/${UNKNOWN}`, { code: '9', name: 'x' })).status).toBe(404);
    expect((await owner.get('/accounting/accounts/nope')).status).toBe(404);
    // The new number shows in the journal and the export.
    expect((await owner.get('/accounting/journal/JE-000001')).text).toContain('1220 Merchandise inventory');
  }, 30_000);

  test('who sees what: cashiers nothing, a bookkeeper reads and exports', async () => {
    await seedJournal();
    await addStaff(t, 'casey', ['cashier']);
    await addStaff(t, 'bea', ['bookkeeper']);
    const cashier = await signIn(t, 'casey', 'staff password 123');
    for (const path of ['/accounting/journal', '/accounting/trial-balance', '/accounting/accounts', '/accounting/journal/export.csv']) expect((await cashier.get(path)).status).toBe(403);
    expect((await cashier.get('/')).text).not.toContain('>Accounting<');
    const bookkeeper = await signIn(t, 'bea', 'staff password 123');
    const journal = await bookkeeper.get('/accounting/journal');
    expect(journal.status).toBe(200);
    expect(journal.text).toContain('href="/accounting/journal/export.csv');
    expect((await bookkeeper.get('/accounting/journal/export.csv')).status).toBe(200);
  }, 30_000);
});

describe('accounting API', () => {
  test('trial balance: totals and accounts as of a date; default today; bad dates are 400', async () => {
    await seedJournal();
    const res = await api('GET', '/api/v1/accounting/trial-balance?as_of=2026-11-30');
    expect(res.status).toBe(200);
    const tb = res.json();
    expect(tb).toMatchObject({ as_of: '2026-11-30', total_debits_cents: 15_945, total_credits_cents: 15_945 });
    expect(tb.accounts.map((a: any) => [a.code, a.system_key, a.debit_balance_cents, a.credit_balance_cents, a.balance_cents])).toEqual([
      ['1200', 'inventory', 15_945, 0, 15_945],
      ['2000', 'accounts_payable', 0, 12_345, 12_345],
      // Shrink is debit-normal; more was found than broken, so it sits on the credit side (a negative normal balance).
      ['5200', 'inventory_shrink', 0, 3_600, -3_600],
    ]);
    expect(tb.accounts[0]).toMatchObject({ name: 'Inventory', type: 'asset', normal_side: 'debit', debit_cents: 16_345, credit_cents: 400 });
    const early = (await api('GET', '/api/v1/accounting/trial-balance?as_of=2026-11-01')).json();
    expect(early).toMatchObject({ total_debits_cents: 0, total_credits_cents: 0, accounts: [] });
    expect((await api('GET', '/api/v1/accounting/trial-balance')).json().as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const bad of ['2026-02-29', '20261130', 'today', '2026-11-30T00:00:00Z']) {
      const r = await api('GET', `/api/v1/accounting/trial-balance?as_of=${bad}`);
      expect(r.status).toBe(400);
      expect(r.json().error).toMatchObject({ code: 'validation_failed', fields: { as_of: 'As of must be a date as YYYY-MM-DD.' } });
    }
  }, 30_000);

  test('journal: entries with lines by date range, paged; by id or number; bad input is 400/404', async () => {
    const { supplierId } = await seedJournal();
    const res = await api('GET', '/api/v1/accounting/journal?from=2026-11-10&to=2026-11-30&sort=number&order=asc');
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.pagination).toEqual({ page: 1, limit: 25, total: 2, total_pages: 1 });
    expect(body.data.map((e: any) => [e.number, e.date, e.event_type, e.total_cents])).toEqual([
      ['JE-000002', '2026-11-10', 'stock_adjustment', 400],
      ['JE-000003', '2026-11-20', 'inventory_receipt', 12_345],
    ]);
    expect(body.data[1].lines[1]).toMatchObject({ line_no: 2, account_code: '2000', system_key: 'accounts_payable', debit_cents: 0, credit_cents: 12_345, party_type: 'supplier', party_id: supplierId, party_name: 'Conn-Selmer' });
    const paged = (await api('GET', '/api/v1/accounting/journal?limit=1&page=2')).json();
    expect(paged.data.map((e: any) => e.number)).toEqual(['JE-000002']);
    const [{ id: payable }] = await rows(sql`select id from ledger_accounts where system_key = 'accounts_payable'`);
    expect((await api('GET', `/api/v1/accounting/journal?account_id=${payable}`)).json().data.map((e: any) => e.number)).toEqual(['JE-000003']);

    const one = await api('GET', `/api/v1/accounting/journal/${body.data[0].id}`);
    expect(one.status).toBe(200);
    expect(one.json()).toMatchObject({ number: 'JE-000002', reverses_entry_id: null, reversed_by_number: null, lines: [{ system_key: 'inventory', credit_cents: 400 }, { system_key: 'inventory_shrink', debit_cents: 400 }] });
    expect((await api('GET', '/api/v1/accounting/journal/je-000002')).json().id).toBe(body.data[0].id);

    const cases: [string, number, Record<string, string>?][] = [
      ['from=2026-11-31', 400, { from: 'From must be a date as YYYY-MM-DD.' }],
      ['to=11/30/2026', 400, { to: 'To must be a date as YYYY-MM-DD.' }],
      ['from=2026-11-30&to=2026-11-01', 400, { to: 'To must be on or after From.' }],
      ['account_id=nope', 400, { account_id: 'account_id must be a UUID.' }],
      ['page=0', 400],
      ['limit=101', 400],
      ['sort=amount', 400],
      [`account_id=${UNKNOWN}`, 404],
    ];
    for (const [query, status, fields] of cases) {
      const r = await api('GET', `/api/v1/accounting/journal?${query}`);
      expect([query, r.status]).toEqual([query, status]);
      if (fields) expect(r.json().error.fields).toEqual(fields);
    }
    for (const id of [UNKNOWN, 'nope', 'JE-999999']) expect((await api('GET', `/api/v1/accounting/journal/${id}`)).status).toBe(404);
  }, 30_000);

  test('accounts: list, rename/renumber, refusals with fields, permissions', async () => {
    const list = await api('GET', '/api/v1/accounting/accounts');
    expect(list.status).toBe(200);
    const accounts = list.json().data;
    expect(accounts.length).toBeGreaterThanOrEqual(32);
    expect(accounts.find((a: any) => a.system_key === 'rental_fleet')).toMatchObject({ code: '1210', name: 'Rental fleet', type: 'asset', normal_side: 'debit' });
    const fleet = accounts.find((a: any) => a.system_key === 'rental_fleet');
    const renamed = await api('PATCH', `/api/v1/accounting/accounts/${fleet.id}`, { name: 'Rental instruments' });
    expect(renamed.status).toBe(200);
    expect(renamed.json()).toMatchObject({ code: '1210', name: 'Rental instruments', system_key: 'rental_fleet' });
    const [audit] = await rows(sql`select actor_label, before, after from audit_log where action = 'ledger_account.update'`);
    expect(audit.actor_label).toBe('api:test');
    expect(audit.after).toEqual({ code: '1210', name: 'Rental instruments' });

    const dup = await api('PATCH', `/api/v1/accounting/accounts/${fleet.id}`, { code: '1200' });
    expect(dup.status).toBe(409);
    expect(dup.json().error.fields).toEqual({ code: 'Another account has this number.' });
    const keyChange = await api('PATCH', `/api/v1/accounting/accounts/${fleet.id}`, { system_key: 'fleet' });
    expect(keyChange.status).toBe(422);
    const junk = await api('PATCH', `/api/v1/accounting/accounts/${fleet.id}`, { code: '', name: 5 });
    expect(junk.status).toBe(422);
    expect(Object.keys(junk.json().error.fields).sort()).toEqual(['code', 'name']);
    expect((await api('PATCH', `/api/v1/accounting/accounts/${UNKNOWN}`, { name: 'x' })).status).toBe(404);
    expect((await api('PATCH', '/api/v1/accounting/accounts/nope', { name: 'x' })).status).toBe(404);
    expect((await apiRequest(t.app, 'PATCH', `/api/v1/accounting/accounts/${fleet.id}`, { token, headers: { 'content-type': 'text/plain' } })).status).toBe(400);
    expect((await rows(sql`select name from ledger_accounts where id = ${fleet.id}`))[0].name).toBe('Rental instruments');

    const viewer = await ownerToken(t, ['accounting.view']);
    expect((await api('GET', '/api/v1/accounting/trial-balance', undefined, viewer)).status).toBe(200);
    expect((await api('PATCH', `/api/v1/accounting/accounts/${fleet.id}`, { name: 'Nope' }, viewer)).status).toBe(403);
    const clerk = await ownerToken(t, ['inventory.view']);
    for (const path of ['/api/v1/accounting/trial-balance', '/api/v1/accounting/journal', '/api/v1/accounting/accounts']) expect((await api('GET', path, undefined, clerk)).status).toBe(403);
    expect((await apiRequest(t.app, 'GET', '/api/v1/accounting/journal')).status).toBe(401);
  }, 30_000);
});

import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { BASE, makeTestApp, resetDb, setupStore, type TestClient, type TestContext } from '../helpers';

let t: TestContext;
let owner: TestClient;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
});

const count = async (table: string) => (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;

async function upload(kind: string, csv: string | Uint8Array, filename = 'data.csv') {
  await owner.get('/import');
  const form = new FormData();
  form.append('_csrf', owner.csrf);
  form.append('kind', kind);
  form.append('file', new File([csv as BlobPart], filename, { type: 'text/csv' }));
  return owner.request('POST', '/import', { body: form as any, headers: { origin: BASE } });
}

const ACCOUNTS = [
  'legacy_id,name,type,email,phone,billing_day,charge_allowed,credit_limit,tags,old_balance',
  'A1,Smith family,family,smiths@example.com,(555) 010-1000,5,yes,250.00,band;rental,12.00',
  'A2,Lincoln Middle School,school,,555-010-2000,,no,,,0',
].join('\n');

describe('CSV import', () => {
  test('dry run reports bad rows by row, column and reason and writes nothing', async () => {
    const bad = [
      'legacy_id,name,type,email,billing_day,charge_allowed,credit_limit',
      'A1,Smith family,family,not-an-email,5,yes,250.00',
      'A2,,family,,31,maybe,abc',
      'A1,Duplicate id,family,,,,',
      ',No id,family,,,,',
    ].join('\n');
    const res = await upload('accounts', bad);
    expect(res.status).toBe(303);
    const page = await owner.get(res.headers.get('location')!);
    expect(page.text).toContain('Nothing was written');
    const [run] = await t.deps.db.execute<any>(sql`select report from import_runs`);
    const errors = run.report.errors.map((e: any) => `${e.row}:${e.column}`);
    expect(errors).toEqual(expect.arrayContaining(['2:email', '3:name', '3:billing_day', '3:charge_allowed', '3:credit_limit', '4:legacy_id', '5:legacy_id']));
    expect(page.text).toContain('Enter a valid email address.');
    expect(page.text).not.toContain('/commit"');
    expect(await count('accounts')).toBe(0);
  });

  test('commit imports the whole file in one go, lists unknown columns, and re-importing updates instead of duplicating', async () => {
    const res = await upload('accounts', ACCOUNTS);
    const runUrl = res.headers.get('location')!;
    const checked = await owner.get(runUrl);
    expect(checked.text).toContain('old_balance');
    expect(checked.text).toContain('<strong>2</strong> new');
    expect(await count('accounts')).toBe(0);
    const commit = await owner.postForm(`${runUrl}/commit`, {});
    expect(commit.status).toBe(303);
    const [smith] = await t.deps.db.execute<any>(sql`select name, type, billing_day, charge_allowed, credit_limit_cents::int as credit_limit_cents, tags, number from accounts where legacy_id = 'A1'`);
    expect(smith).toMatchObject({ name: 'Smith family', type: 'family', billing_day: 5, charge_allowed: true, credit_limit_cents: 25000, tags: ['band', 'rental'] });
    expect(smith.number).toMatch(/^\d{6}$/);
    expect(await count('accounts')).toBe(2);
    // Committing the same run twice is refused.
    await owner.postForm(`${runUrl}/commit`, {});
    expect(await count('accounts')).toBe(2);

    const again = await upload('accounts', ACCOUNTS.replace('Smith family', 'Smith-Jones family'));
    const againUrl = again.headers.get('location')!;
    expect((await owner.get(againUrl)).text).toContain('<strong>2</strong> updates');
    await owner.postForm(`${againUrl}/commit`, {});
    expect(await count('accounts')).toBe(2);
    const [renamed] = await t.deps.db.execute<any>(sql`select name from accounts where legacy_id = 'A1'`);
    expect(renamed.name).toBe('Smith-Jones family');
    const [audit] = await t.deps.db.execute<any>(sql`select summary from audit_log where action = 'import.commit' order by id desc limit 1`);
    expect(audit.summary).toContain('2 updated');
  });

  test('members refer to imported accounts; unknown accounts are row errors; minors are flagged from the birth date', async () => {
    await owner.postForm(`${(await upload('accounts', ACCOUNTS)).headers.get('location')!}/commit`, {});
    const membersCsv = [
      'legacy_id,account_legacy_id,first_name,last_name,date_of_birth',
      'M1,A1,Ann,Smith,1980-04-02',
      'M2,A1,Tommy,Smith,3/15/2014',
      'M3,NOPE,Lost,Person,',
    ].join('\n');
    const bad = await owner.get((await upload('members', membersCsv)).headers.get('location')!);
    expect(bad.text).toContain('No account with legacy id');
    expect(await count('members')).toBe(0);
    const good = await upload('members', membersCsv.split('\n').slice(0, 3).join('\n'));
    await owner.postForm(`${good.headers.get('location')!}/commit`, {});
    const rows = await t.deps.db.execute<any>(sql`select m.first_name, m.date_of_birth, a.primary_member_id = m.id as is_primary from members m join accounts a on a.id = m.account_id order by m.first_name`);
    expect([...rows]).toEqual([
      { first_name: 'Ann', date_of_birth: '1980-04-02', is_primary: true },
      { first_name: 'Tommy', date_of_birth: '2014-03-15', is_primary: false },
    ]);
  });

  test('Windows-1252 files, an empty upload, a missing required column and an unknown kind get clear messages', async () => {
    const latin1 = new Uint8Array([...new TextEncoder().encode('legacy_id,name\nA9,Ren'), 0xe9, ...new TextEncoder().encode(' Music\n')]);
    await owner.postForm(`${(await upload('accounts', latin1)).headers.get('location')!}/commit`, {});
    const [rene] = await t.deps.db.execute<any>(sql`select name from accounts where legacy_id = 'A9'`);
    expect(rene.name).toBe('René Music');
    const empty = await upload('accounts', '');
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Choose a CSV file');
    const missing = await owner.get((await upload('accounts', 'name\nX\n')).headers.get('location')!);
    expect(missing.text).toContain('Required column is missing');
    const unknownKind = await upload('bananas', ACCOUNTS);
    expect(unknownKind.status).toBe(422);
    expect(unknownKind.text).toContain('Choose what the file contains');
    expect((await owner.get('/import/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('catalog imports', () => {
  const PRODUCTS = [
    'legacy_id,sku,name,kind,brand,category,cost,price,rentable,monthly_rental',
    'P1,TR-300,Bach TR300H2 Trumpet,serialized,Bach,Band > Brass,450.00,899.00,yes,35.00',
    'P2,STR-VN-44,Violin strings 4/4,stock,D\'Addario,Orchestra > Strings,12.00,24.99,no,',
  ].join('\n');

  async function importFile(kind: string, csv: string) {
    const run = (await upload(kind, csv)).headers.get('location')!;
    await owner.postForm(`${run}/commit`, {});
    const [row] = await t.deps.db.execute<any>(sql`select status, report from import_runs order by created_at desc limit 1`);
    return row;
  }

  test('products create their category path; units attach to products by SKU and get an import passport entry; stock sets on-hand once', async () => {
    expect((await importFile('products', PRODUCTS)).status).toBe('committed');
    const cats = await t.deps.db.execute<any>(sql`select c.name, p.name as parent from categories c left join categories p on p.id = c.parent_id order by c.name`);
    expect(cats.map((c: any) => `${c.parent ?? ''}/${c.name}`)).toEqual(['/Band', '/Brass', 'Band/Brass', '/Orchestra', 'Orchestra/Strings'].filter((x) => x !== '/Brass'));
    const units = ['legacy_id,sku,serial_number,condition,status,cost', 'U1,TR-300,SMI-2231,good,available,400.00', 'U2,tr-300,SMI-2232,fair,rented,380.00'].join('\n');
    expect((await importFile('units', units)).status).toBe('committed');
    const unitRows = await t.deps.db.execute<any>(sql`select serial_number, status, acquired_via from inventory_units order by serial_number`);
    expect([...unitRows]).toEqual([
      { serial_number: 'SMI-2231', status: 'available', acquired_via: 'import' },
      { serial_number: 'SMI-2232', status: 'rented', acquired_via: 'import' },
    ]);
    const events = await t.deps.db.execute<any>(sql`select e.event_type from unit_events e join inventory_units u on u.id = e.unit_id where u.serial_number = 'SMI-2232' order by e.id`);
    expect(events.map((e: any) => e.event_type)).toEqual(['acquired', 'import']);
    // Re-importing units changes nothing.
    expect((await importFile('units', units)).report.unchanged).toBe(2);
    const stock = 'sku,quantity,unit_cost\nSTR-VN-44,12,11.50\n';
    await importFile('stock', stock);
    await importFile('stock', stock);
    const [product] = await t.deps.db.execute<any>(sql`select quantity_on_hand, average_cost_cents::int as avg from products where sku = 'STR-VN-44'`);
    expect(product).toEqual({ quantity_on_hand: 12, avg: 1150 });
    const moves = await t.deps.db.execute<any>(sql`select quantity_delta, reason from stock_movements`);
    expect([...moves]).toEqual([{ quantity_delta: 12, reason: 'import' }]);
  });

  test('bad catalog rows: unknown SKU, wrong kind, duplicate serial, negative quantity, repeated SKU — nothing written', async () => {
    await importFile('products', PRODUCTS);
    const units = ['legacy_id,sku,serial_number,status', 'U1,NOPE,X1,', 'U2,STR-VN-44,X2,', 'U3,TR-300,DUP,', 'U4,TR-300,dup,', 'U5,TR-300,Z9,broken'].join('\n');
    const report = (await importFile('units', units)).report;
    const cols = report.errors.map((e: any) => `${e.row}:${e.column}`);
    expect(cols).toEqual(['2:sku', '3:sku', '5:serial_number', '6:status']);
    expect(await count('inventory_units')).toBe(0);
    const stock = (await importFile('stock', 'sku,quantity\nSTR-VN-44,-1\nTR-300,2\nSTR-VN-44,3\n')).report;
    expect(stock.errors.map((e: any) => `${e.row}:${e.column}`)).toEqual(['2:quantity', '3:sku']);
    const repeated = (await importFile('stock', 'sku,quantity\nSTR-VN-44,1\nstr-vn-44,3\n')).report;
    expect(repeated.errors).toEqual([{ row: 3, column: 'sku', reason: 'Same SKU as row 2.' }]);
    expect(await count('stock_movements')).toBe(0);
  });
});

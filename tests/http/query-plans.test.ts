/**
 * performance.md: "A query-plan test (not timed) checks that the search and list queries use indexes on the
 * benchmark's dataset shape." The tables get the benchmark's row counts and distributions (scripts/bench-
 * dataset.ts), ANALYZE runs, planner settings stay at their defaults, and every plan of the exact SQL the
 * search service issues must be free of sequential scans on the searched tables.
 */
import { beforeAll, describe, expect, test } from 'bun:test';
import { sql, type SQL } from 'drizzle-orm';
import { resetDb, testDb } from '../helpers';
import { BENCH_SIZE, loadSearchDataset } from '../../scripts/bench-dataset';
import { searchStatements } from '../../src/features/search/queries';
import { parseSearchTerms, SEARCH_KINDS } from '../../src/features/search/terms';

const SEARCHED = new Set(['accounts', 'members', 'products', 'inventory_units']);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

async function plan(statement: SQL): Promise<PlanNode> {
  const { db } = testDb();
  const rows = await db.execute<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(sql`explain (format json) ${statement}`);
  return rows[0]['QUERY PLAN'][0].Plan;
}

const seqScans = (root: PlanNode) => nodes(root).filter((n) => n['Node Type'] === 'Seq Scan' && SEARCHED.has(n['Relation Name'] ?? '')).map((n) => n['Relation Name']);
const indexesUsed = (root: PlanNode) => nodes(root).map((n) => n['Index Name']).filter(Boolean);

beforeAll(async () => {
  await resetDb();
  const { sql: raw } = testDb();
  await loadSearchDataset(raw, BENCH_SIZE);
}, 60_000);

describe('query plans on the benchmark-shaped dataset', () => {
  test('the dataset has the benchmark sizes and realistic values', async () => {
    const { db } = testDb();
    const [counts] = await db.execute<any>(sql`select (select count(*) from accounts)::int as accounts, (select count(*) from members)::int as members,
      (select count(*) from products)::int as products, (select count(*) from inventory_units)::int as units,
      (select count(*) from accounts where lower(name) like 'smith%')::int as smiths`);
    expect(counts).toMatchObject({ accounts: 25_000, members: 40_000, products: 8_000, units: 15_000 });
    // Common surnames really are common: this is what tempts a planner into sequential scans.
    expect(counts.smiths).toBeGreaterThan(100);
  });

  // Typical typing: a letter, two letters, a common surname fragment, a longer one, phone and number digits, a serial.
  const QUERIES = ['s', 'Sm', 'smi', 'smit', 'a', 'jo', 'son', 'will', '5', '55', '555', '5550', '(312) 4', '1234', '123456', 'YAM', 'yam-00', 'trumpet', 'j.smith@', 'x%_'];

  for (const q of QUERIES) {
    test(`search "${q}" uses indexes in every group`, async () => {
      const terms = parseSearchTerms(q)!;
      const statements = searchStatements(terms, SEARCH_KINDS, { limit: 8 });
      const problems: string[] = [];
      for (const kind of SEARCH_KINDS) {
        const root = await plan(statements[kind]!);
        const seq = seqScans(root);
        if (seq.length) problems.push(`${kind} (${terms.mode}): Seq Scan on ${seq.join(', ')}`);
        expect(indexesUsed(root).length).toBeGreaterThan(0);
      }
      expect(problems).toEqual([]);
    });
  }

  test('1–2 characters plan ordered btree index scans that stop at the limit; 3+ use the trigram indexes', async () => {
    const prefix = await plan(searchStatements(parseSearchTerms('sm')!, ['accounts'], { limit: 8 }).accounts!);
    expect(indexesUsed(prefix)).toContain('accounts_name_prefix_idx');
    const substring = await plan(searchStatements(parseSearchTerms('smit')!, ['accounts', 'members', 'products', 'units'], { limit: 8 }).members!);
    expect(indexesUsed(substring)).toContain('members_full_name_trgm_idx');
    const serial = await plan(searchStatements(parseSearchTerms('smi-2231')!, ['units'], { limit: 8 }).units!);
    expect(indexesUsed(serial)).toContain('inventory_units_serial_trgm_idx');
  });

  // The customers and inventory list pages (built alongside this) page through `order by lower(name) limit 25`,
  // with and without a search term; these are the shapes they must keep index-backed.
  const LIST_QUERIES: [string, SQL][] = [
    ['accounts list', sql`select id, number, name from accounts where is_active order by lower(name) using ~<~ limit 25`],
    ['accounts list, page 40', sql`select id, number, name from accounts where is_active order by lower(name) using ~<~ limit 25 offset 975`],
    ['accounts list searched', sql`select id, number, name from accounts where is_active and (lower(name) like ${'%smit%'} or lower(email) like ${'%smit%'}) order by lower(name) limit 25`],
    ['products list', sql`select id, sku, name from products where is_active order by lower(name) using ~<~ limit 25`],
    ['products list searched', sql`select id, sku, name from products where is_active and (lower(name || ' ' || brand || ' ' || model) like ${'%trump%'} or lower(sku) like ${'%trump%'}) order by lower(name) limit 25`],
    ['units of a product', sql`select id, serial_number from inventory_units where product_id = (select id from products where kind = 'serialized' order by lower(sku) using ~<~ limit 1) order by lower(serial_number) limit 25`],
    ['members of an account', sql`select id from members where account_id = (select id from accounts order by number using ~<~ limit 1)`],
  ];
  for (const [name, statement] of LIST_QUERIES) {
    test(`${name} uses indexes`, async () => {
      expect(seqScans(await plan(statement))).toEqual([]);
    });
  }
});

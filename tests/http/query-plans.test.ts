/**
 * performance.md: "A query-plan test (not timed) checks that the search and list queries use indexes on the
 * benchmark's dataset shape." The tables get the benchmark's row counts and distributions (scripts/bench-
 * dataset.ts), ANALYZE runs, planner settings stay at their defaults, and every plan of the exact SQL the
 * search service issues must be free of sequential scans on the searched tables.
 */
import { beforeAll, describe, expect, test } from 'bun:test';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as schema from '../../src/db/schema';
import { listAccounts } from '../../src/features/customers/account-service';
import { listMembers } from '../../src/features/customers/member-service';
import { listProducts } from '../../src/features/inventory/products';
import { listUnits } from '../../src/features/inventory/units';
import { ACCOUNT_SORTS, MEMBER_SORTS } from '../../src/features/customers/schemas';
import { PRODUCT_SORTS, UNIT_SORTS } from '../../src/features/inventory/schemas';
import type { ListQuery } from '../../src/ui/list';
import { resetDb, testDb } from '../helpers';
import { BENCH_SIZE, loadSearchDataset } from '../../scripts/bench-dataset';
import { combinedStatement, searchStatements } from '../../src/features/search/queries';
import { runsAsNamedStatement } from '../../src/db/client';
import { PgDialect } from 'drizzle-orm/pg-core';
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

/**
 * The plan PostgreSQL caches for a named statement when it decides not to re-plan per call: PREPARE it and
 * EXPLAIN it under force_generic_plan (parameters unknown to the planner), on one reserved connection.
 */
async function genericPlan(query: string, params: unknown[]): Promise<PlanNode> {
  const { sql: raw } = testDb();
  const conn = await raw.reserve();
  try {
    await conn.unsafe(`set plan_cache_mode = force_generic_plan`);
    await conn.unsafe(`prepare forte_plan_check as ${query}`);
    const literal = (v: unknown) => (v === null ? 'null' : `'${String(v).replace(/'/g, "''")}'`);
    const [row] = await conn.unsafe(`explain (format json) execute forte_plan_check(${params.map(literal).join(', ')})`);
    return (row as any)['QUERY PLAN'][0].Plan as PlanNode;
  } finally {
    // Only ours: the pool's own named statements live on this connection too (postgres.js keeps using them).
    await conn.unsafe(`deallocate forte_plan_check`).catch(() => {});
    await conn.unsafe(`reset plan_cache_mode`).catch(() => {});
    conn.release();
  }
}
const dialect = new PgDialect();

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
      const problems: string[] = [];
      // Every search runs the prefix phase; 3+ characters may go on to the substring phase.
      for (const phase of terms.mode === 'substring' ? (['prefix', 'substring'] as const) : (['prefix'] as const)) {
        const statements = searchStatements(terms, SEARCH_KINDS, { limit: 8 }, phase);
        for (const kind of SEARCH_KINDS) {
          const root = await plan(statements[kind]!);
          const seq = seqScans(root);
          if (seq.length) problems.push(`${kind} (${phase}): Seq Scan on ${seq.join(', ')}`);
          expect(indexesUsed(root).length).toBeGreaterThan(0);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  // The search runs on DbHandle.searchDb, whose connections always use a statement's generic plan: planned once,
  // without the typed text. Those plans must be the ordered prefix index scans and the trigram bitmap scans.
  test('the prefix phase, as the search connections run it (one named statement, generic plan), uses the prefix indexes', async () => {
    const problems: string[] = [];
    for (const q of QUERIES) {
      const query = dialect.sqlToQuery(combinedStatement(searchStatements(parseSearchTerms(q)!, SEARCH_KINDS, { limit: 8 }, 'prefix')));
      expect(runsAsNamedStatement(query.sql, query.params.length)).toBe(true);
      const root = await genericPlan(query.sql, query.params);
      const seq = seqScans(root);
      if (seq.length) problems.push(`"${q}": Seq Scan on ${seq.join(', ')}`);
      const used = indexesUsed(root);
      for (const index of ['accounts_name_prefix_idx', 'members_last_name_prefix_idx', 'members_first_name_prefix_idx', 'products_sku_prefix_idx', 'products_name_prefix_idx', 'inventory_units_serial_prefix_idx']) {
        if (!used.includes(index)) problems.push(`"${q}": ${index} not used`);
      }
      if (nodes(root).some((n) => n['Node Type'] === 'Bitmap Heap Scan')) problems.push(`"${q}": a bitmap scan (reads every match) instead of an ordered index scan`);
    }
    expect(problems).toEqual([]);
  });

  test('the substring phase, as the search connections run it (generic plan), uses the trigram indexes and no sequential scan', async () => {
    const problems: string[] = [];
    for (const q of QUERIES.filter((x) => parseSearchTerms(x)!.mode === 'substring')) {
      const terms = parseSearchTerms(q)!;
      const query = dialect.sqlToQuery(combinedStatement(searchStatements(terms, SEARCH_KINDS, { limit: 8 }, 'substring')));
      expect(runsAsNamedStatement(query.sql, query.params.length)).toBe(true);
      const root = await genericPlan(query.sql, query.params);
      const seq = seqScans(root);
      if (seq.length) problems.push(`"${q}": Seq Scan on ${seq.join(', ')}`);
      const used = indexesUsed(root);
      for (const index of ['accounts_name_trgm_idx', 'members_full_name_trgm_idx', 'products_text_trgm_idx', 'inventory_units_serial_trgm_idx']) {
        if (!used.includes(index)) problems.push(`"${q}": ${index} not used`);
      }
      if (terms.digits && !used.includes('accounts_number_prefix_idx')) problems.push(`"${q}": account numbers not by their btree range`);
    }
    expect(problems).toEqual([]);
  });

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

  // The real list functions, run against the dataset with a logger that captures every statement they issue
  // (the total and the page), which are then EXPLAINed with their parameters: what is tested is what runs.
  async function listPlans(run: (db: any) => Promise<unknown>): Promise<{ query: string; root: PlanNode }[]> {
    const { sql: raw } = testDb();
    const captured: { query: string; params: unknown[] }[] = [];
    const db = drizzle(raw, { schema, logger: { logQuery: (query, params) => captured.push({ query, params }) } });
    await run(db);
    expect(captured.length).toBeGreaterThan(0);
    const out = [];
    for (const { query, params } of captured) {
      const [row] = await raw.unsafe(`explain (format json) ${query}`, params as any[]);
      out.push({ query, root: (row as any)['QUERY PLAN'][0].Plan as PlanNode });
      // Named statements may settle on their generic plan (src/db/client.ts): that one must use indexes too.
      if (runsAsNamedStatement(query, params.length)) out.push({ query: `[generic] ${query}`, root: await genericPlan(query, params) });
    }
    return out;
  }
  const listQuery = (sort: string, over: Partial<ListQuery> = {}): ListQuery => ({ q: '', page: 1, limit: 25, sort, order: 'asc', ...over });
  const TODAY = '2026-11-24' as any;
  const LISTS: [string, readonly string[], string, string[], (db: any, q: ListQuery) => Promise<unknown>][] = [
    ['listAccounts', ACCOUNT_SORTS, 'name', ['s', 'sm', 'smit', '555', '5550'], (db, q) => listAccounts(db, q)],
    ['listMembers', MEMBER_SORTS, 'last_name', ['j', 'jo', 'john', '555'], (db, q) => listMembers(db, q, TODAY)],
    ['listProducts', PRODUCT_SORTS, 'sku', ['t', 'tr', 'trum', 'yam-0'], (db, q) => listProducts(db, q)],
    ['listUnits', UNIT_SORTS, 'serial_number', ['y', 'ya', 'yam-', 'trum'], (db, q) => listUnits(db, q)],
  ];
  for (const [name, sorts, defaultSort, terms, run] of LISTS) {
    const cases: [string, ListQuery][] = [
      ['default', listQuery(defaultSort)],
      ['page 40', listQuery(defaultSort, { page: 40 })],
      ...terms.map((q): [string, ListQuery] => [`q=${q}`, listQuery(defaultSort, { q })]),
      ...sorts.flatMap((sort) => (['asc', 'desc'] as const).map((order): [string, ListQuery] => [`sort=${sort} ${order}`, listQuery(sort, { order })])),
    ];
    test(`${name}: no Seq Scan on the big tables (default, searches of 1/2/4 characters, every sort both ways)`, async () => {
      const problems: string[] = [];
      for (const [label, q] of cases) {
        for (const { query, root } of await listPlans((db) => run(db, q))) {
          const seq = seqScans(root);
          if (seq.length) problems.push(`${label}: Seq Scan on ${seq.join(', ')} in ${query.slice(0, 80)}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  test('the unfiltered totals are Index Only Scans (exact count without reading the tables)', async () => {
    for (const run of [(db: any) => listAccounts(db, listQuery('name')), (db: any) => listMembers(db, listQuery('last_name'), TODAY), (db: any) => listProducts(db, listQuery('sku'))]) {
      const [count] = await listPlans(run);
      expect(count.query).toContain('count(*)');
      expect(nodes(count.root).map((n) => n['Node Type'])).toContain('Index Only Scan');
    }
  });
});

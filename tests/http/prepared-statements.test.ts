/**
 * src/db/client.ts: drizzle's parameterised queries go to PostgreSQL as named statements (parsed once per
 * connection), except pattern matches, which stay unnamed so each is planned for its actual pattern. The
 * search connections always use a named statement's generic plan.
 */
import { beforeAll, describe, expect, test } from 'bun:test';
import { eq, sql } from 'drizzle-orm';
import { staffUsers } from '../../src/db/schema';
import { GENERIC_PLAN_CHECKED, PatternMatchOnGenericPlanConnection, runsAsNamedStatement } from '../../src/db/client';
import { resetDb, testDb } from '../helpers';

const namedOnThisConnection = async (tx: any): Promise<string[]> =>
  (await tx.execute(sql`select statement from pg_prepared_statements where not from_sql`)).map((r: any) => String(r.statement));

beforeAll(resetDb);

describe('named statements', () => {
  test('a drizzle query with parameters is a named statement; a LIKE query is not; both return the same rows as before', async () => {
    const { db } = testDb();
    const marker = `prepared-check-${Date.now()}`;
    // A transaction holds one connection, so pg_prepared_statements shows what was sent on it.
    const seen = await db.transaction(async (tx) => {
      const byId = await tx.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.username, marker));
      const byPattern = await tx.execute(sql`select ${marker}::text as m where ${marker} like ${'prepared-check-%'}`);
      expect(byId).toEqual([]);
      expect(byPattern.map((r: any) => r.m)).toEqual([marker]);
      // Savepoints hand drizzle another client object; it must be wrapped too.
      await tx.transaction(async (sp) => {
        await sp.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.name, marker));
      });
      return namedOnThisConnection(tx);
    });
    expect(seen.some((s) => s.includes('"staff_users"."username" = $1'))).toBe(true);
    expect(seen.some((s) => s.includes('"staff_users"."name" = $1'))).toBe(true);
    expect(seen.some((s) => s.includes(' like '))).toBe(false);
  });

  test('which statements are named', () => {
    expect(runsAsNamedStatement('select * from accounts where id = $1', 1)).toBe(true);
    expect(runsAsNamedStatement('select 1', 0)).toBe(false); // no parameters: nothing to gain
    expect(runsAsNamedStatement('select * from accounts where lower(name) like $1', 1)).toBe(false);
    expect(runsAsNamedStatement('select * from accounts where name ILIKE $1', 1)).toBe(false);
    expect(runsAsNamedStatement('select similarity(name, $1) from accounts', 1)).toBe(false);
    expect(runsAsNamedStatement('select * from accounts where name ~~ $1', 1)).toBe(false);
    expect(runsAsNamedStatement('select * from likes_table where id = $1', 1)).toBe(true); // a word, not LIKE
    // The search's statements, whose generic plans the query-plan test checks, are named despite their LIKEs.
    expect(runsAsNamedStatement(`${GENERIC_PLAN_CHECKED} select * from accounts where lower(name) like $1`, 1)).toBe(true);
  });

  test('the search connections use generic plans; the main pool lets PostgreSQL choose', async () => {
    const { db, searchDb } = testDb();
    const mode = async (d: any) => (await d.execute(sql`select current_setting('plan_cache_mode') as m`))[0].m;
    expect(await mode(searchDb)).toBe('force_generic_plan');
    expect(await mode(db)).toBe('auto');
  });

  test('the search connections refuse pattern matches not checked for their generic plan', async () => {
    const { searchDb } = testDb();
    // drizzle wraps driver errors (DrizzleQueryError); the refusal is the cause.
    const refusal = async (run: () => Promise<unknown>) => {
      try {
        await run();
        return null;
      } catch (e: any) {
        return e instanceof PatternMatchOnGenericPlanConnection ? e : e?.cause;
      }
    };
    expect(await refusal(() => searchDb.execute(sql`select 1 where ${'abc'} like ${'a%'}`))).toBeInstanceOf(PatternMatchOnGenericPlanConnection);
    expect(await refusal(() => searchDb.transaction((tx) => tx.execute(sql`select similarity(${'a'}, ${'b'})`)))).toBeInstanceOf(PatternMatchOnGenericPlanConnection);
    expect((await searchDb.execute(sql`select ${'abc'}::text ~>=~ ${'ab'} as ok`))[0].ok).toBe(true);
    // …unless marked as checked (the search's own statements).
    expect((await searchDb.execute(sql`${sql.raw(GENERIC_PLAN_CHECKED)} select ${'abc'} like ${'a%'} as ok`))[0].ok).toBe(true);
  });
});

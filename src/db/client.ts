import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
/** A transaction handle; services that change state take one of these and do all their writes on it. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;
export type Sql = postgres.Sql;

export interface DbHandle {
  db: Db;
  sql: Sql;
  /**
   * A few connections whose statements always run on their generic plan (plan_cache_mode =
   * force_generic_plan): for the global search's prefix phase, which runs on every keystroke and whose
   * planning cost more than its execution. Only statements whose generic plan the query-plan test checks
   * belong here (features/search/queries.ts, marked GENERIC_PLAN_CHECKED); other pattern matches are
   * refused; everything else uses `db`, where PostgreSQL chooses.
   */
  searchDb: Db;
  close(): Promise<void>;
}

export function connect(url: string, opts: { max?: number; applicationName?: string } = {}): DbHandle {
  const connection = { application_name: opts.applicationName ?? 'forte', TimeZone: 'UTC' };
  const sql = postgres(url, { max: opts.max ?? 10, onnotice: () => {}, connection, idle_timeout: 60 });
  // postgres.js opens connections on first use, so these cost nothing until someone searches.
  const searchSql = postgres(url, { max: 3, onnotice: () => {}, connection: { ...connection, plan_cache_mode: 'force_generic_plan' }, idle_timeout: 60 });
  const db = drizzle(preparedStatements(sql), { schema });
  const searchDb = drizzle(preparedStatements(searchSql, { genericPlansOnly: true }), { schema });
  return { db, sql, searchDb, close: async () => void (await Promise.all([sql.end({ timeout: 5 }), searchSql.end({ timeout: 5 })])) };
}

/**
 * drizzle sends its queries unnamed, and postgres.js answers an unnamed query that has parameters with two
 * round trips (Parse + Describe first, to learn the parameter types; then Bind + Execute) and PostgreSQL parses
 * and plans it every time. Named statements are parsed and described once per connection, and PostgreSQL may
 * reuse a generic plan once it has seen that custom plans cost no less (plan_cache_mode = auto). This wrapper
 * makes every parameterised query drizzle issues — on the pool, in transactions and savepoints — a named
 * statement (postgres.js caches them per connection by their text)…
 *
 * …except pattern matches: a generic plan for `lower(name) LIKE $1` can't see the pattern, looks cheap, and
 * may read a whole trigram index (seen: 30 ms instead of 0.3). Statements with LIKE/ILIKE or trigram
 * similarity stay unnamed, so they are planned for their actual pattern every time. Index-friendly prefix
 * searches are written as ranges (`expr ~>=~ $1 and expr ~<~ $2`, see features/search/queries.ts) instead.
 */
const PATTERN_MATCH = /\b(i?like|similarity|word_similarity)\b|~~/i;

/**
 * Marks a statement whose generic plan a test checks (tests/http/query-plans.test.ts): the global search's,
 * whose pattern matches are all trigram LIKEs (GIN extracts the trigrams at execution, so the generic plan is
 * the same bitmap scan a custom one would be) and whose prefix conditions are btree ranges. Such a statement
 * is named even though it matches patterns, and may run on the search connections.
 */
export const GENERIC_PLAN_CHECKED = '/* forte:generic-plan-checked */';

/** Whether the wrapper below sends this query as a named statement (whose plan PostgreSQL may cache). */
export function runsAsNamedStatement(query: string, paramCount: number): boolean {
  return paramCount > 0 && (!PATTERN_MATCH.test(query) || query.includes(GENERIC_PLAN_CHECKED));
}

export class PatternMatchOnGenericPlanConnection extends Error {}

/**
 * `genericPlansOnly`: the connections have plan_cache_mode = force_generic_plan, which (in the extended
 * protocol) governs unnamed statements too — so a pattern match sent there would get the blind generic plan.
 * Such a query is refused before it is sent, unless it carries GENERIC_PLAN_CHECKED.
 */
export function preparedStatements(client: Sql, opts: { genericPlansOnly?: boolean } = {}): Sql {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === 'unsafe') {
        return (query: string, params?: unknown[], options?: Record<string, unknown>) => {
          if (opts.genericPlansOnly && PATTERN_MATCH.test(query) && !query.includes(GENERIC_PLAN_CHECKED)) {
            throw new PatternMatchOnGenericPlanConnection(`A pattern match must not run on the generic-plan (search) connections: ${query.slice(0, 120)}`);
          }
          return target.unsafe(query, params as never[], runsAsNamedStatement(query, params?.length ?? 0) ? { ...options, prepare: true } : options);
        };
      }
      if (prop === 'begin' || prop === 'savepoint') {
        return (...args: unknown[]) => {
          const i = args.findIndex((a) => typeof a === 'function');
          if (i >= 0) {
            const fn = args[i] as (c: Sql) => unknown;
            args[i] = (c: Sql) => fn(preparedStatements(c, opts));
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Sql;
}

export { schema };

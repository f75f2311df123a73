import { sql, type SQL } from 'drizzle-orm';
import { GENERIC_PLAN_CHECKED } from '../../db/client';
import type { PrefixRange, SearchKind, SearchTerms } from './terms';

/**
 * The SQL of the global search, one statement per result group. Kept apart from the service so the
 * query-plan test can EXPLAIN exactly what the service runs.
 *
 * Two phases (the service picks):
 * - `prefix`: one subquery per text_pattern_ops btree index, each `WHERE expr ~>=~ 'ab' AND expr ~<~ 'ab\u{10FFFF}'
 *   ORDER BY expr USING ~<~ LIMIT n`. That order is the index's own order, so each is an Index
 *   Scan that stops after n rows however common the first letter is (a plain OR + sort would read every "s…"
 *   row and tempt the planner into a sequential scan). The range makes the index usable by a prepared
 *   statement's generic plan too. Every row this phase finds "starts with" what was typed.
 * - `substring` (3+ letters/digits): LIKE '%abc%' on exactly the expressions of the gin_trgm_ops indexes
 *   (numbers and UPCs: the btree range), OR-ed into one bitmap scan, ranked, limited; the join to the parent
 *   row happens after the limit. No `LIKE 'x%'`: with the pattern unknown (a generic plan) the btree can't
 *   use it, and the search runs on generic plans (see DbHandle.searchDb).
 *
 * Ranking, the same in both phases: exact number/serial/SKU/UPC matches first, then rows that start with
 * the text (name, or for digits a number/phone/UPC), alphabetically; then (substring only) the other
 * matches by trigram similarity, then name. Because starters always outrank the rest, a substring search
 * whose prefix phase already filled the group's limit has its answer: the service then skips the trigram
 * scan, which on a common name ("john": ~1,500 members) is the expensive part.
 * Every rank column is non-null (a NULL would sort first in DESC).
 */
export interface SearchQueryOptions {
  limit: number;
  includeInactive?: boolean;
}

export type SearchPhase = 'prefix' | 'substring';
export type SearchStatements = Record<SearchKind, SQL>;

/**
 * LIMIT as a literal, not a parameter: with `LIMIT $n` the planner can't know how few rows are wanted and prices
 * a generic plan as if a tenth of the matches were read, so a prepared statement would never get its cheap
 * generic plan. The limit is a validated small integer, one statement text per value.
 */
const lim = (o: SearchQueryOptions) => {
  if (!Number.isSafeInteger(o.limit) || o.limit < 1 || o.limit > 1000) throw new Error(`bad search limit ${o.limit}`);
  return sql.raw(String(o.limit));
};
const active = (alias: string, opts: SearchQueryOptions) => (opts.includeInactive ? sql`true` : sql.raw(`${alias}.is_active`));
const union = (parts: SQL[]) => sql.join(parts.map((p) => sql`(${p})`), sql` union `);
const anyOf = (parts: SQL[]) => sql`(${sql.join(parts, sql` or `)})`;

/**
 * `select id … where <expr starts with prefix> order by <expr> limit n` on one text_pattern_ops index. "Starts
 * with" is the bytewise range [prefix, prefix + U+10FFFF) — no LIKE, so the typed text needs no escaping and a
 * prepared statement's generic plan is the same ordered index range scan (with `LIKE $1` a generic plan can't
 * see the prefix and picks a bitmap scan over every row of the trigram index).
 */
function prefixScan(table: string, alias: string, expr: string, range: PrefixRange, o: SearchQueryOptions): SQL {
  const e = sql.raw(expr);
  return sql`select ${sql.raw(alias)}.id from ${sql.raw(table)} ${sql.raw(alias)}
    where ${e} ~>=~ ${range.low} and ${e} ~<~ ${range.high} and ${active(alias, o)}
    order by ${e} using ~<~ limit ${lim(o)}`;
}

/** `expr` starts with the prefix, as a btree range condition (the index can use it whatever the plan). */
const inRange = (expr: string, range: PrefixRange) => sql`(${sql.raw(expr)} ~>=~ ${range.low} and ${sql.raw(expr)} ~<~ ${range.high})`;

/** `expr` starts with the prefix, as a range (no LIKE: see prefixScan); false, not NULL, for a NULL expr. */
const startsWith = (expr: string, range: PrefixRange) => sql`coalesce(${sql.raw(expr)} ~>=~ ${range.low} and ${sql.raw(expr)} ~<~ ${range.high}, false)`;

/** Sorts non-starters by similarity; starters tie (they sort by name next). */
const simRank = (phase: SearchPhase, starts: SQL, sim: SQL) => (phase === 'prefix' ? sql`0::real` : sql`case when ${starts} then 0::real else ${sim} end`);

function accounts(t: SearchTerms, o: SearchQueryOptions, phase: SearchPhase): SQL {
  const startsParts = [startsWith('lower(a.name)', t.prefixRange)];
  if (t.digitsRange) startsParts.push(startsWith('a.number', t.digitsRange), startsWith('a.phone_digits', t.digitsRange));
  const starts = anyOf(startsParts);
  const columns = sql`a.id, a.number, a.name, a.type, a.email, a.phone, a.is_active, (a.number = ${t.text}) as exact, ${starts} as starts`;
  const order = sql`exact desc, starts desc, ${simRank(phase, starts, sql`similarity(lower(a.name), ${t.text})`)} desc, lower(a.name), a.id`;
  if (phase === 'prefix') {
    const parts = [prefixScan('accounts', 'a', 'lower(a.name)', t.prefixRange, o)];
    if (t.digitsRange) {
      parts.push(prefixScan('accounts', 'a', 'a.number', t.digitsRange, o));
      parts.push(prefixScan('accounts', 'a', 'a.phone_digits', t.digitsRange, o));
    }
    return sql`select ${columns} from (${union(parts)}) c join accounts a on a.id = c.id order by ${order} limit ${lim(o)}`;
  }
  const match = [sql`lower(a.name) like ${t.substringPattern}`, sql`lower(a.email) like ${t.substringPattern}`];
  if (t.digitsRange) match.push(sql`a.phone_digits like ${t.digitsPattern}`, inRange('a.number', t.digitsRange));
  return sql`select ${columns} from accounts a where ${active('a', o)} and ${anyOf(match)} order by ${order} limit ${lim(o)}`;
}

function members(t: SearchTerms, o: SearchQueryOptions, phase: SearchPhase): SQL {
  const startsParts = [startsWith('lower(m.last_name)', t.prefixRange), startsWith('lower(m.first_name)', t.prefixRange)];
  if (t.digitsRange) startsParts.push(startsWith('m.number', t.digitsRange), startsWith('m.phone_digits', t.digitsRange));
  const starts = anyOf(startsParts);
  const sim = simRank(phase, starts, sql`similarity(lower(m.first_name || ' ' || m.last_name), ${t.text})`);
  const columns = sql`m.id, m.number, m.first_name, m.last_name, m.account_id, m.is_active, (m.number = ${t.text}) as exact, ${starts} as starts, ${sim} as sim`;
  const order = sql`exact desc, starts desc, sim desc, lower(m.last_name), lower(m.first_name), m.id`;
  let inner: SQL;
  if (phase === 'prefix') {
    const parts = [
      prefixScan('members', 'm', 'lower(m.last_name)', t.prefixRange, o),
      prefixScan('members', 'm', 'lower(m.first_name)', t.prefixRange, o),
    ];
    if (t.digitsRange) {
      parts.push(prefixScan('members', 'm', 'm.number', t.digitsRange, o));
      parts.push(prefixScan('members', 'm', 'm.phone_digits', t.digitsRange, o));
    }
    inner = sql`select ${columns} from (${union(parts)}) c join members m on m.id = c.id order by ${order} limit ${lim(o)}`;
  } else {
    const match = [sql`lower(m.first_name || ' ' || m.last_name) like ${t.substringPattern}`, sql`lower(m.email) like ${t.substringPattern}`];
    if (t.digitsRange) match.push(sql`m.phone_digits like ${t.digitsPattern}`, inRange('m.number', t.digitsRange));
    inner = sql`select ${columns} from members m where ${active('m', o)} and ${anyOf(match)} order by ${order} limit ${lim(o)}`;
  }
  // The household is looked up for the few rows kept, by primary key.
  return sql`select m.*, a.name as account_name, a.number as account_number from (${inner}) m join accounts a on a.id = m.account_id
    order by m.exact desc, m.starts desc, m.sim desc, lower(m.last_name), lower(m.first_name), m.id`;
}

function products(t: SearchTerms, o: SearchQueryOptions, phase: SearchPhase): SQL {
  const startsParts = [startsWith('lower(p.name)', t.prefixRange), startsWith('lower(p.sku)', t.prefixRange)];
  if (t.digitsRange) startsParts.push(startsWith('p.upc', t.digitsRange));
  const starts = anyOf(startsParts);
  const columns = sql`p.id, p.sku, p.upc, p.name, p.brand, p.model, p.kind, p.price_cents, p.is_active, (lower(p.sku) = ${t.text} or coalesce(p.upc = ${t.raw}, false)) as exact, ${starts} as starts`;
  const order = sql`exact desc, starts desc, ${simRank(phase, starts, sql`similarity(lower(p.name || ' ' || p.brand || ' ' || p.model), ${t.text})`)} desc, lower(p.name), p.id`;
  if (phase === 'prefix') {
    const parts = [
      prefixScan('products', 'p', 'lower(p.sku)', t.prefixRange, o),
      prefixScan('products', 'p', 'lower(p.name)', t.prefixRange, o),
    ];
    if (t.digitsRange) parts.push(prefixScan('products', 'p', 'p.upc', t.digitsRange, o));
    return sql`select ${columns} from (${union(parts)}) c join products p on p.id = c.id order by ${order} limit ${lim(o)}`;
  }
  const match = [sql`lower(p.name || ' ' || p.brand || ' ' || p.model) like ${t.substringPattern}`, sql`lower(p.sku) like ${t.substringPattern}`];
  if (t.digitsRange) match.push(inRange('p.upc', t.digitsRange));
  return sql`select ${columns} from products p where ${active('p', o)} and ${anyOf(match)} order by ${order} limit ${lim(o)}`;
}

function units(t: SearchTerms, o: SearchQueryOptions, phase: SearchPhase): SQL {
  // Units have no active flag: sold and retired units stay findable (their passport is history).
  const starts = startsWith('lower(u.serial_number)', t.prefixRange);
  const columns = sql`u.id, u.serial_number, u.status, u.condition, u.product_id, (lower(u.serial_number) = ${t.text}) as exact, ${starts} as starts`;
  const inner =
    phase === 'prefix'
      ? sql`select ${columns} from inventory_units u
          where lower(u.serial_number) ~>=~ ${t.prefixRange.low} and lower(u.serial_number) ~<~ ${t.prefixRange.high}
          order by lower(u.serial_number) using ~<~ limit ${lim(o)}`
      : sql`select ${columns} from inventory_units u where lower(u.serial_number) like ${t.substringPattern}
          order by exact desc, starts desc, length(u.serial_number), lower(u.serial_number), u.id limit ${lim(o)}`;
  return sql`select u.*, p.name as product_name, p.sku as product_sku from (${inner}) u join products p on p.id = u.product_id
    order by u.exact desc, u.starts desc, length(u.serial_number), lower(u.serial_number), u.id`;
}

const BUILDERS: Record<SearchKind, (t: SearchTerms, o: SearchQueryOptions, phase: SearchPhase) => SQL> = { accounts, members, products, units };

/**
 * The statements the service runs for these terms (also used by the query-plan test). `phase` defaults to the
 * terms' mode; a substring search may also be asked for its prefix phase (the service tries that first).
 */
export function searchStatements(terms: SearchTerms, kinds: readonly SearchKind[], opts: SearchQueryOptions, phase: SearchPhase = terms.mode): Partial<SearchStatements> {
  if (phase === 'substring' && terms.mode !== 'substring') throw new Error('A substring phase needs 3+ letters or digits in a row.');
  const out: Partial<SearchStatements> = {};
  for (const kind of kinds) out[kind] = BUILDERS[kind](terms, opts, phase);
  return out;
}

/**
 * The groups' statements as ONE statement returning a JSON array per group (column = kind), so a search is one
 * round trip instead of one per group. Each group's rows keep their order: json_agg reads them from the
 * group's sorted, limited subquery (the documented way to order an aggregate's input).
 */
export function combinedStatement(statements: Partial<SearchStatements>): SQL {
  const columns = (Object.entries(statements) as [SearchKind, SQL][]).map(
    ([kind, statement]) => sql`(select coalesce(json_agg(g), '[]'::json) from (${statement}) g) as ${sql.identifier(kind)}`,
  );
  // Both phases' generic plans are checked by tests/http/query-plans.test.ts, so they may be cached.
  return sql`${sql.raw(GENERIC_PLAN_CHECKED)} select ${sql.join(columns, sql`, `)}`;
}

import { sql, type SQL } from 'drizzle-orm';
import type { SearchKind, SearchTerms } from './terms';

/**
 * The SQL of the global search, one statement per result group. Kept apart from the service so the
 * query-plan test can EXPLAIN exactly what the service runs.
 *
 * Index use (migrations/0003_search_indexes.sql), which the plan test checks on a benchmark-sized dataset:
 * - prefix mode: one subquery per text_pattern_ops btree index, each `ORDER BY <indexed expr> USING ~<~
 *   LIMIT n`. That order is the index's own order, so each is an Index Scan that stops after n rows, however
 *   common the first letter is (a plain OR + sort would read every "s…" row and tempt the planner into a
 *   sequential scan).
 * - substring mode: LIKE '%abc%' on exactly the expressions of the gin_trgm_ops indexes, OR-ed into one
 *   bitmap scan, ranked, limited; the join to the parent row happens after the limit.
 * Exact number/serial/SKU/UPC matches rank first, then matches at the start of the name, then (substring
 * mode) trigram similarity, then the name. Every rank column is non-null (a NULL would sort first in DESC).
 */
export interface SearchQueryOptions {
  limit: number;
  includeInactive?: boolean;
}

export type SearchStatements = Record<SearchKind, SQL>;

const active = (alias: string, opts: SearchQueryOptions) => (opts.includeInactive ? sql`true` : sql.raw(`${alias}.is_active`));
const union = (parts: SQL[]) => sql.join(parts.map((p) => sql`(${p})`), sql` union `);
const anyOf = (parts: SQL[]) => sql`(${sql.join(parts, sql` or `)})`;

function accounts(t: SearchTerms, o: SearchQueryOptions): SQL {
  const columns = sql`a.id, a.number, a.name, a.type, a.email, a.phone, a.is_active, (a.number = ${t.text}) as exact`;
  if (t.mode === 'prefix') {
    const parts = [sql`select id from accounts a where lower(a.name) like ${t.prefixPattern} and ${active('a', o)} order by lower(a.name) using ~<~ limit ${o.limit}`];
    if (t.digits) {
      parts.push(sql`select id from accounts a where a.number like ${t.digitsPrefixPattern} and ${active('a', o)} order by a.number using ~<~ limit ${o.limit}`);
      parts.push(sql`select id from accounts a where a.phone_digits like ${t.digitsPrefixPattern} and ${active('a', o)} order by a.phone_digits using ~<~ limit ${o.limit}`);
    }
    return sql`select ${columns} from (${union(parts)}) c join accounts a on a.id = c.id
      order by exact desc, (lower(a.name) like ${t.prefixPattern}) desc, lower(a.name), a.id limit ${o.limit}`;
  }
  const match = [sql`lower(a.name) like ${t.substringPattern}`, sql`lower(a.email) like ${t.substringPattern}`];
  if (t.digits) match.push(sql`a.phone_digits like ${t.digitsPattern}`, sql`a.number like ${t.digitsPrefixPattern}`);
  return sql`select ${columns} from accounts a where ${active('a', o)} and ${anyOf(match)}
    order by exact desc, (lower(a.name) like ${t.prefixPattern}) desc, similarity(lower(a.name), ${t.text}) desc, lower(a.name), a.id
    limit ${o.limit}`;
}

function members(t: SearchTerms, o: SearchQueryOptions): SQL {
  const columns = sql`m.id, m.number, m.first_name, m.last_name, m.account_id, m.is_active, (m.number = ${t.text}) as exact`;
  const startsWith = sql`(lower(m.last_name) like ${t.prefixPattern} or lower(m.first_name) like ${t.prefixPattern})`;
  let inner: SQL;
  if (t.mode === 'prefix') {
    const parts = [
      sql`select id from members m where lower(m.last_name) like ${t.prefixPattern} and ${active('m', o)} order by lower(m.last_name) using ~<~ limit ${o.limit}`,
      sql`select id from members m where lower(m.first_name) like ${t.prefixPattern} and ${active('m', o)} order by lower(m.first_name) using ~<~ limit ${o.limit}`,
    ];
    if (t.digits) {
      parts.push(sql`select id from members m where m.number like ${t.digitsPrefixPattern} and ${active('m', o)} order by m.number using ~<~ limit ${o.limit}`);
      parts.push(sql`select id from members m where m.phone_digits like ${t.digitsPrefixPattern} and ${active('m', o)} order by m.phone_digits using ~<~ limit ${o.limit}`);
    }
    inner = sql`select ${columns}, ${startsWith} as starts, 0::real as sim from (${union(parts)}) c join members m on m.id = c.id
      order by exact desc, starts desc, lower(m.last_name), lower(m.first_name), m.id limit ${o.limit}`;
  } else {
    const match = [sql`lower(m.first_name || ' ' || m.last_name) like ${t.substringPattern}`, sql`lower(m.email) like ${t.substringPattern}`];
    if (t.digits) match.push(sql`m.phone_digits like ${t.digitsPattern}`, sql`m.number like ${t.digitsPrefixPattern}`);
    inner = sql`select ${columns}, ${startsWith} as starts, similarity(lower(m.first_name || ' ' || m.last_name), ${t.text}) as sim
      from members m where ${active('m', o)} and ${anyOf(match)}
      order by exact desc, starts desc, sim desc, lower(m.last_name), lower(m.first_name), m.id limit ${o.limit}`;
  }
  // The household is looked up for the few rows kept, by primary key.
  return sql`select m.*, a.name as account_name, a.number as account_number from (${inner}) m join accounts a on a.id = m.account_id
    order by m.exact desc, m.starts desc, m.sim desc, lower(m.last_name), lower(m.first_name), m.id`;
}

function products(t: SearchTerms, o: SearchQueryOptions): SQL {
  const columns = sql`p.id, p.sku, p.upc, p.name, p.brand, p.model, p.kind, p.price_cents, p.is_active, (lower(p.sku) = ${t.text} or coalesce(p.upc = ${t.raw}, false)) as exact`;
  if (t.mode === 'prefix') {
    const parts = [
      sql`select id from products p where lower(p.sku) like ${t.prefixPattern} and ${active('p', o)} order by lower(p.sku) using ~<~ limit ${o.limit}`,
      sql`select id from products p where lower(p.name) like ${t.prefixPattern} and ${active('p', o)} order by lower(p.name) using ~<~ limit ${o.limit}`,
    ];
    if (t.digits) parts.push(sql`select id from products p where p.upc like ${t.digitsPrefixPattern} and ${active('p', o)} order by p.upc using ~<~ limit ${o.limit}`);
    return sql`select ${columns} from (${union(parts)}) c join products p on p.id = c.id
      order by exact desc, (lower(p.name) like ${t.prefixPattern}) desc, lower(p.name), p.id limit ${o.limit}`;
  }
  const match = [sql`lower(p.name || ' ' || p.brand || ' ' || p.model) like ${t.substringPattern}`, sql`lower(p.sku) like ${t.substringPattern}`];
  if (t.digits) match.push(sql`p.upc like ${t.digitsPrefixPattern}`);
  return sql`select ${columns} from products p where ${active('p', o)} and ${anyOf(match)}
    order by exact desc, (lower(p.name) like ${t.prefixPattern} or lower(p.sku) like ${t.prefixPattern}) desc,
      similarity(lower(p.name || ' ' || p.brand || ' ' || p.model), ${t.text}) desc, lower(p.name), p.id
    limit ${o.limit}`;
}

function units(t: SearchTerms, o: SearchQueryOptions): SQL {
  // Units have no active flag: sold and retired units stay findable (their passport is history).
  const where = t.mode === 'prefix' ? sql`lower(u.serial_number) like ${t.prefixPattern}` : sql`lower(u.serial_number) like ${t.substringPattern}`;
  const order = t.mode === 'prefix' ? sql`lower(u.serial_number) using ~<~` : sql`exact desc, (lower(u.serial_number) like ${t.prefixPattern}) desc, length(u.serial_number), lower(u.serial_number), u.id`;
  const inner = sql`select u.id, u.serial_number, u.status, u.condition, u.product_id, (lower(u.serial_number) = ${t.text}) as exact
    from inventory_units u where ${where} order by ${order} limit ${o.limit}`;
  return sql`select u.*, p.name as product_name, p.sku as product_sku from (${inner}) u join products p on p.id = u.product_id
    order by u.exact desc, length(u.serial_number), lower(u.serial_number), u.id`;
}

const BUILDERS: Record<SearchKind, (t: SearchTerms, o: SearchQueryOptions) => SQL> = { accounts, members, products, units };

/** The statements the service runs for these terms (also used by the query-plan test). */
export function searchStatements(terms: SearchTerms, kinds: readonly SearchKind[], opts: SearchQueryOptions): Partial<SearchStatements> {
  const out: Partial<SearchStatements> = {};
  for (const kind of kinds) out[kind] = BUILDERS[kind](terms, opts);
  return out;
}

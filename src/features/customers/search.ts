import { or, sql, type SQL } from 'drizzle-orm';
import { escapeLike } from '../../db/sql-helpers';


export interface SearchColumns {
  /** Already-lowercased expressions with a text_pattern_ops btree (prefix matches of 1–2 characters). */
  prefixNames: SQL[];
  /** Already-lowercased expressions with a gin_trgm_ops index (substring matches of 3+ characters). */
  substringNames: SQL[];
  number: SQL;
  email: SQL;
  phoneDigits: SQL;
}

/**
 * The search rule of the spec: 1–2 characters match prefixes (btree on lowercased names, numbers and
 * phone digits); 3 or more match substrings (pg_trgm indexes on names, email and phone digits). Phone
 * digits are only compared when the text looks like a phone number, so "smi" never matches "5551234".
 * Every test is on exactly an indexed expression (migrations/0003_search_indexes.sql), so the OR becomes
 * a BitmapOr of index scans instead of a sequential scan.
 */
export function searchCondition(q: string, cols: SearchColumns): SQL {
  const text = q.trim().toLowerCase();
  const digits = text.replace(/[^0-9]/g, '');
  const phoneLike = digits.length > 0 && /^[0-9+().\-\s]+$/.test(text);
  const short = text.length <= 2;
  const like = short ? `${escapeLike(text)}%` : `%${escapeLike(text)}%`;
  const tests: SQL[] = (short ? cols.prefixNames : cols.substringNames).map((n) => sql`${n} like ${like}`);
  tests.push(sql`${cols.number} like ${`${escapeLike(digits || text)}%`}`);
  if (!short) tests.push(sql`lower(${cols.email}) like ${like}`);
  if (phoneLike) tests.push(sql`${cols.phoneDigits} like ${short || digits.length < 3 ? `${digits}%` : `%${digits}%`}`);
  return or(...tests)!;
}

/**
 * Members' search columns. A 1–2 character prefix of "first last" is a prefix of the first name (the text
 * is trimmed, so it has no space), and a substring of the last name is a substring of "first last": the
 * indexed forms below find exactly what the old `first || ' ' || last` / `last_name` tests found.
 */
export const memberSearchColumns = (alias: string): SearchColumns => {
  const c = (name: string) => sql.raw(`${alias}.${name}`);
  return {
    prefixNames: [sql`lower(${c('first_name')})`, sql`lower(${c('last_name')})`],
    substringNames: [sql`lower(${c('first_name')} || ' ' || ${c('last_name')})`],
    number: c('number'),
    email: c('email'),
    phoneDigits: c('phone_digits'),
  };
};

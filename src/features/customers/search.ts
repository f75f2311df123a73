import { or, sql, type SQL } from 'drizzle-orm';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

export interface SearchColumns {
  /** Text expressions matched case-insensitively (names). */
  names: SQL[];
  number: SQL;
  email: SQL;
  phoneDigits: SQL;
}

/**
 * The search rule of the spec: 1–2 characters match prefixes (btree on lowercased names, numbers and
 * phone digits); 3 or more match substrings (pg_trgm indexes on names, email and phone digits). Phone
 * digits are only compared when the text looks like a phone number, so "smi" never matches "5551234".
 */
export function searchCondition(q: string, cols: SearchColumns): SQL {
  const text = q.trim().toLowerCase();
  const digits = text.replace(/[^0-9]/g, '');
  const phoneLike = digits.length > 0 && /^[0-9+().\-\s]+$/.test(text);
  const short = text.length <= 2;
  const like = short ? `${escapeLike(text)}%` : `%${escapeLike(text)}%`;
  const tests: SQL[] = cols.names.map((n) => sql`lower(${n}) like ${like}`);
  tests.push(sql`${cols.number} like ${`${escapeLike(digits || text)}%`}`);
  if (!short) tests.push(sql`lower(${cols.email}) like ${like}`);
  if (phoneLike) tests.push(sql`${cols.phoneDigits} like ${short || digits.length < 3 ? `${digits}%` : `%${digits}%`}`);
  return or(...tests)!;
}

import { escapeLike } from '../../db/sql-helpers';

/**
 * How typed search text becomes search terms (customers-inventory.md "Search rules"). Pure: no I/O, so the
 * rules are unit-testable and the SQL builder only ever sees already-escaped patterns.
 */
export const SEARCH_KINDS = ['accounts', 'members', 'products', 'units'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** Longer than any name, email, serial or UPC a person types or scans; beyond it we refuse rather than guess. */
export const MAX_SEARCH_LENGTH = 100;

export type SearchMode = 'prefix' | 'substring';

export interface SearchTerms {
  /** Trimmed text as typed (for display and for exact comparisons with case-sensitive columns like UPC). */
  raw: string;
  /** Lowercased text (every indexed text expression is lower(...)). */
  text: string;
  /** Digits of a number- or phone-like query ("555-0102", "(555) 01", "123456"); null for other text. */
  digits: string | null;
  /**
   * prefix: 1–2 characters (or no run of 3 letters/digits, which trigrams can't index) -> btree LIKE 'ab%'.
   * substring: a run of 3+ letters/digits -> pg_trgm LIKE '%abc%' on the GIN indexes.
   */
  mode: SearchMode;
  /** LIKE patterns, user wildcards escaped. */
  prefixPattern: string;
  /**
   * The same prefix as a range on the text_pattern_ops indexes (`expr ~>=~ low and expr ~<~ high`). LIKE
   * keeps the exact rule; the range lets a prepared statement's generic plan use the index, which it can't
   * derive from `LIKE $1` (the pattern is unknown when the plan is made).
   */
  prefixRange: PrefixRange;
  digitsRange: PrefixRange | null;
  substringPattern: string;
  digitsPrefixPattern: string | null;
  /** Substring on phone digits when there are 3+ digits (trigram-indexable), else a prefix. */
  digitsPattern: string | null;
}

export interface PrefixRange {
  low: string;
  high: string;
}

/**
 * Every string starting with `prefix` sorts (bytewise, as text_pattern_ops compares) at or after the prefix and
 * before the prefix followed by the highest code point, U+10FFFF (UTF-8 keeps code point order bytewise).
 */
export function prefixRange(prefix: string): PrefixRange {
  return { low: prefix, high: `${prefix}\u{10FFFF}` };
}

export class SearchInputError extends Error {}

// Backslash is PostgreSQL's default LIKE escape; %, _ and \ typed by a user match themselves.
export { escapeLike };

/**
 * Cleans raw input: control characters (PostgreSQL refuses NUL in text; tabs/newlines come from scanners)
 * become spaces, runs of whitespace collapse, the ends are trimmed. Returns null for an empty search;
 * throws SearchInputError for text too long to be a real search.
 */
export function parseSearchTerms(input: unknown): SearchTerms | null {
  const value = Array.isArray(input) ? input[0] : input;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new SearchInputError('Search text must be text.');
  const raw = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!raw) return null;
  if (raw.length > MAX_SEARCH_LENGTH) throw new SearchInputError(`Search text must be at most ${MAX_SEARCH_LENGTH} characters.`);
  const text = raw.toLowerCase();
  const phoneLike = /^[\d\s().+\-]+$/.test(raw);
  const digits = phoneLike ? raw.replace(/\D/g, '') || null : null;
  const mode: SearchMode = /[\p{L}\p{N}]{3}/u.test(text) ? 'substring' : 'prefix';
  const escaped = escapeLike(text);
  return {
    raw,
    text,
    digits,
    mode,
    prefixPattern: `${escaped}%`,
    prefixRange: prefixRange(text),
    digitsRange: digits ? prefixRange(digits) : null,
    substringPattern: `%${escaped}%`,
    digitsPrefixPattern: digits ? `${digits}%` : null,
    digitsPattern: digits ? (digits.length >= 3 && mode === 'substring' ? `%${digits}%` : `${digits}%`) : null,
  };
}

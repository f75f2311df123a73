/** Small helpers every service's SQL uses: id checks before a query, LIKE escaping, unique-violation detection. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id can't match a row: services answer "not found" without asking PostgreSQL (which would error). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** Makes user text literal inside a LIKE pattern (the default escape character is the backslash). */
export const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** `%text%` for a case-insensitive substring match against a lower(...) expression. */
export const containsPattern = (text: string): string => `%${escapeLike(text.toLowerCase())}%`;

/** PostgreSQL unique violation (23505), optionally on one named constraint; drizzle may wrap the driver error. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as any;
  const code = e?.code ?? e?.cause?.code;
  if (code !== '23505') return false;
  return !constraint || (e?.constraint_name ?? e?.cause?.constraint_name) === constraint;
}

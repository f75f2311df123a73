import { eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from './client';
import { isUuid } from './sql-helpers';
import { NotFoundError } from '../features/service-errors';

/**
 * One row of a table whose records have an id and a human number (S-000123, L-000001, SO-, TI-, T-, BD-): by
 * id, or by the number as typed or scanned (any case, surrounding spaces). Anything else, or no row, is a 404
 * naming `what`. `lock` takes the row FOR UPDATE.
 */
export async function findByIdOrNumber<T extends PgTable & { id: PgColumn; number: PgColumn }>(
  db: DbOrTx,
  table: T,
  prefix: string,
  what: string,
  idOrNumber: string,
  opts: { lock?: boolean } = {},
): Promise<T['$inferSelect']> {
  const text = idOrNumber.trim().toUpperCase();
  const where = isUuid(idOrNumber) ? eq(table.id, idOrNumber) : new RegExp(`^${prefix}-\\d{6,}$`).test(text) ? eq(table.number, text) : null;
  if (!where) throw new NotFoundError(what);
  const q = (db as any).select().from(table).where(where);
  const [row] = opts.lock ? await q.for('update') : await q;
  if (!row) throw new NotFoundError(what);
  return row;
}

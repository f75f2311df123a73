import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { randomInt } from 'node:crypto';

/**
 * Next number of a gap-free series (PO-000001 …). The row lock serializes concurrent callers and is held
 * until their transaction ends, so a rolled-back transaction gives its number back: no gaps, no repeats.
 */
export async function nextInSeries(tx: DbOrTx, series: string, prefix: string, width = 6): Promise<string> {
  const rows = await tx.execute<{ value: string }>(sql`
    insert into number_series (series, next_value) values (${series}, 2)
    on conflict (series) do update set next_value = number_series.next_value + 1
    returning next_value - 1 as value`);
  return `${prefix}${String(rows[0].value).padStart(width, '0')}`;
}

/** Random unique 6-digit number for accounts/members (spec): retried on the rare collision. */
export async function randomUniqueNumber(tx: DbOrTx, table: 'accounts' | 'members'): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = String(randomInt(100000, 1000000));
    const rows = await tx.execute(sql`select 1 from ${sql.identifier(table)} where number = ${candidate}`);
    if (rows.length === 0) return candidate;
  }
  throw new Error(`Could not find a free ${table} number; the 6-digit space is nearly full`);
}

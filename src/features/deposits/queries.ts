import { asc, desc, sql } from 'drizzle-orm';
import { bankDeposits } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { containsPattern } from '../../db/sql-helpers';
import type { ListQuery } from '../../ui/list';
import type { DateRange } from '../ledger/schemas';
import type { BankDeposit } from './service';

/** The deposits list: newest first, searchable by number, note, who and check numbers/payers. */

export const DEPOSIT_SORTS = ['date', 'number', 'total'] as const;

export async function listBankDeposits(db: DbOrTx, range: Partial<DateRange>, query: ListQuery): Promise<{ rows: BankDeposit[]; total: number }> {
  const conds = [sql`true`];
  if (range.from) conds.push(sql`${bankDeposits.depositedOn} >= ${range.from}::date`);
  if (range.to) conds.push(sql`${bankDeposits.depositedOn} <= ${range.to}::date`);
  if (query.q) {
    const p = containsPattern(query.q);
    conds.push(sql`(lower(${bankDeposits.number} || ' ' || ${bankDeposits.note} || ' ' || ${bankDeposits.byLabel} || ' ' || coalesce((select string_agg((c ->> 'number') || ' ' || coalesce(c ->> 'from', ''), ' ') from jsonb_array_elements(${bankDeposits.checks}) c), '')) like ${p})`);
  }
  const where = sql.join(conds, sql` and `);
  const dir = query.order === 'asc' ? asc : desc;
  const order = {
    date: [dir(bankDeposits.depositedOn), dir(bankDeposits.number)],
    number: [dir(bankDeposits.number)],
    total: [dir(sql`${bankDeposits.cashCents} + ${bankDeposits.checksCents}`), desc(bankDeposits.number)],
  }[query.sort as (typeof DEPOSIT_SORTS)[number]] ?? [desc(bankDeposits.depositedOn), desc(bankDeposits.number)];
  const rows = await db
    .select()
    .from(bankDeposits)
    .where(where)
    .orderBy(...order)
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(bankDeposits).where(where);
  return { rows, total: n };
}

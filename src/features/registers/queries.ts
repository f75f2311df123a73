import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { drawerSessions, registers } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { containsPattern } from '../../db/sql-helpers';
import type { ListQuery } from '../../ui/list';

/** Drawer history: sessions of every register, newest first, filtered by register and opening date. */

export const SESSION_SORTS = ['opened', 'number', 'register', 'over_short'] as const;

export interface SessionFilter {
  registerId?: string | null;
  /** Business dates (store time zone), inclusive. */
  from?: string | null;
  to?: string | null;
}

export interface SessionRow {
  id: string;
  number: string;
  registerId: string;
  registerName: string;
  status: string;
  blind: boolean;
  openedByLabel: string;
  openedAt: Date;
  closedByLabel: string | null;
  closedAt: Date | null;
  floatCents: number;
  expectedCashCents: number | null;
  countedCashCents: number | null;
  countedChecksCents: number | null;
  overShortCents: number | null;
}

const openedDate = sql`(${drawerSessions.openedAt} at time zone coalesce((select time_zone from store_settings where id = 1), 'UTC'))::date`;

export async function listSessions(db: DbOrTx, filter: SessionFilter, query: ListQuery, limit = query.limit, offset = (query.page - 1) * query.limit): Promise<{ rows: SessionRow[]; total: number }> {
  const conds: SQL[] = [];
  if (filter.registerId) conds.push(eq(drawerSessions.registerId, filter.registerId));
  if (filter.from) conds.push(sql`${openedDate} >= ${filter.from}::date`);
  if (filter.to) conds.push(sql`${openedDate} <= ${filter.to}::date`);
  if (query.q) {
    const p = containsPattern(query.q);
    conds.push(sql`(lower(${drawerSessions.number}) like ${p} or lower(${registers.name}) like ${p} or lower(${drawerSessions.openedByLabel}) like ${p} or lower(coalesce(${drawerSessions.closedByLabel}, '')) like ${p})`);
  }
  const where = conds.length ? and(...conds) : undefined;
  const dir = query.order === 'asc' ? asc : desc;
  const order = {
    opened: [dir(drawerSessions.openedAt), dir(drawerSessions.number)],
    number: [dir(drawerSessions.number)],
    register: [dir(sql`lower(${registers.name})`), desc(drawerSessions.openedAt)],
    over_short: [sql`${drawerSessions.overShortCents} ${sql.raw(query.order === 'asc' ? 'asc' : 'desc')} nulls last`, desc(drawerSessions.openedAt)],
  }[query.sort as (typeof SESSION_SORTS)[number]] ?? [desc(drawerSessions.openedAt)];
  const rows = await db
    .select({
      id: drawerSessions.id,
      number: drawerSessions.number,
      registerId: drawerSessions.registerId,
      registerName: registers.name,
      status: drawerSessions.status,
      blind: drawerSessions.blind,
      openedByLabel: drawerSessions.openedByLabel,
      openedAt: drawerSessions.openedAt,
      closedByLabel: drawerSessions.closedByLabel,
      closedAt: drawerSessions.closedAt,
      floatCents: drawerSessions.floatCents,
      expectedCashCents: drawerSessions.expectedCashCents,
      countedCashCents: drawerSessions.countedCashCents,
      countedChecksCents: drawerSessions.countedChecksCents,
      overShortCents: drawerSessions.overShortCents,
    })
    .from(drawerSessions)
    .innerJoin(registers, eq(registers.id, drawerSessions.registerId))
    .where(where)
    .orderBy(...order)
    .limit(limit)
    .offset(offset);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(drawerSessions).innerJoin(registers, eq(registers.id, drawerSessions.registerId)).where(where);
  return { rows, total: n };
}

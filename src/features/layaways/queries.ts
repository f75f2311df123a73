import { asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { accounts, layaways } from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { containsPattern } from '../../db/sql-helpers';
import { businessDateInZone, daysBetween, type BusinessDate } from '../../domain/business-date';
import type { ListQuery } from '../../ui/list';
import { LAYAWAY_SORTS } from './schemas';

/** The layaway list (search, filter, sort, pages) and the aging report of open layaways. */

export interface LayawayRow {
  id: string;
  number: string;
  accountId: string;
  accountName: string;
  status: string;
  totalCents: number;
  paidCents: number;
  balanceCents: number;
  dueOn: string | null;
  createdAt: Date;
  closedAt: Date | null;
}

export interface LayawayFilter {
  status?: string | null;
  accountId?: string | null;
}

export async function listLayaways(db: DbOrTx, filter: LayawayFilter, query: ListQuery): Promise<{ rows: LayawayRow[]; total: number }> {
  const conds: SQL[] = [sql`true`];
  if (filter.status) conds.push(eq(layaways.status, filter.status));
  if (filter.accountId) conds.push(eq(layaways.accountId, filter.accountId));
  if (query.q) conds.push(sql`lower(${layaways.number} || ' ' || ${accounts.name} || ' ' || ${accounts.number}) like ${containsPattern(query.q)}`);
  const where = sql.join(conds, sql` and `);
  const dir = query.order === 'asc' ? asc : desc;
  const balance = sql`${layaways.totalCents} - ${layaways.paidCents}`;
  const order = {
    created: [dir(layaways.createdAt), dir(layaways.number)],
    number: [dir(layaways.number)],
    due_on: [query.order === 'asc' ? sql`${layaways.dueOn} asc nulls last` : sql`${layaways.dueOn} desc nulls last`, asc(layaways.number)],
    balance: [dir(balance), asc(layaways.number)],
    account: [dir(sql`lower(${accounts.name})`), asc(layaways.number)],
  }[query.sort as (typeof LAYAWAY_SORTS)[number]] ?? [desc(layaways.createdAt)];
  const rows = await db
    .select({ id: layaways.id, number: layaways.number, accountId: layaways.accountId, accountName: accounts.name, status: layaways.status, totalCents: layaways.totalCents, paidCents: layaways.paidCents, dueOn: layaways.dueOn, createdAt: layaways.createdAt, closedAt: layaways.closedAt })
    .from(layaways)
    .innerJoin(accounts, eq(accounts.id, layaways.accountId))
    .where(where)
    .orderBy(...order)
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(layaways).innerJoin(accounts, eq(accounts.id, layaways.accountId)).where(where);
  return { rows: rows.map((r) => ({ ...r, balanceCents: r.totalCents - r.paidCents })), total: n };
}

export interface AgingRow extends LayawayRow {
  createdOn: BusinessDate;
  ageDays: number;
  /** Whole percent paid, rounded down (99% until the last cent is in). */
  paidPercent: number;
  overdue: boolean;
}

export const AGING_BUCKETS = [
  { key: '0_30', label: '0–30 days', min: 0, max: 30 },
  { key: '31_60', label: '31–60 days', min: 31, max: 60 },
  { key: '61_90', label: '61–90 days', min: 61, max: 90 },
  { key: '91_plus', label: 'Over 90 days', min: 91, max: Number.MAX_SAFE_INTEGER },
] as const;

export interface AgingReport {
  asOf: BusinessDate;
  rows: AgingRow[];
  buckets: { key: string; label: string; count: number; totalCents: number; paidCents: number; balanceCents: number }[];
  totals: { count: number; totalCents: number; paidCents: number; balanceCents: number; overdue: number };
}

/** Every open layaway, oldest first, with its age (days since it was made, store time), paid % and due date. */
export async function layawayAging(db: DbOrTx, today: BusinessDate, timeZone: string): Promise<AgingReport> {
  const { rows } = await listLayaways(db, { status: 'open' }, { q: '', page: 1, limit: 100_000, sort: 'created', order: 'asc' });
  const aged: AgingRow[] = rows.map((r) => {
    const createdOn = businessDateInZone(r.createdAt, timeZone);
    return { ...r, createdOn, ageDays: daysBetween(createdOn, today), paidPercent: Math.floor((r.paidCents * 100) / r.totalCents), overdue: r.dueOn !== null && r.dueOn < today };
  });
  const buckets = AGING_BUCKETS.map((b) => {
    const inside = aged.filter((r) => r.ageDays >= b.min && r.ageDays <= b.max);
    return { key: b.key, label: b.label, count: inside.length, totalCents: inside.reduce((s, r) => s + r.totalCents, 0), paidCents: inside.reduce((s, r) => s + r.paidCents, 0), balanceCents: inside.reduce((s, r) => s + r.balanceCents, 0) };
  });
  return {
    asOf: today,
    rows: aged,
    buckets,
    totals: { count: aged.length, totalCents: aged.reduce((s, r) => s + r.totalCents, 0), paidCents: aged.reduce((s, r) => s + r.paidCents, 0), balanceCents: aged.reduce((s, r) => s + r.balanceCents, 0), overdue: aged.filter((r) => r.overdue).length },
  };
}

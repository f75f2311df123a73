import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { trialBalance, type NormalSide } from '../../domain/journal';
import { containsPattern, isUuid } from '../../db/sql-helpers';
import type { ListQuery } from '../../ui/list';

export interface LedgerAccountView {
  id: string;
  code: string;
  name: string;
  type: string;
  normalSide: NormalSide;
  systemKey: string | null;
  isActive: boolean;
  debitCents: number;
  creditCents: number;
}

/**
 * Every account with its debit and credit totals over entries dated on or before `asOf` (all entries when
 * null), ordered by code. Sums are bigint in SQL and cents fit a JS number (safe up to ~90 trillion dollars).
 */
export async function accountActivity(db: DbOrTx, asOf: string | null): Promise<LedgerAccountView[]> {
  const dated = asOf ? sql`and e.entry_date <= ${asOf}` : sql``;
  const rows = await db.execute<{ id: string; code: string; name: string; type: string; normal_side: NormalSide; system_key: string | null; is_active: boolean; debits: string; credits: string }>(sql`
    select a.id, a.code, a.name, a.type, a.normal_side, a.system_key, a.is_active,
           coalesce(t.debits, 0) as debits, coalesce(t.credits, 0) as credits
    from ledger_accounts a
    left join (
      select l.account_id, sum(l.debit_cents) as debits, sum(l.credit_cents) as credits
      from journal_lines l join journal_entries e on e.id = l.entry_id
      where true ${dated}
      group by l.account_id
    ) t on t.account_id = a.id
    order by a.code`);
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, type: r.type, normalSide: r.normal_side, systemKey: r.system_key, isActive: r.is_active, debitCents: Number(r.debits), creditCents: Number(r.credits) }));
}

/** The trial balance as of a date (inclusive); see domain/journal.ts for the arithmetic. */
export async function trialBalanceAsOf(db: DbOrTx, asOf: string | null) {
  return trialBalance(await accountActivity(db, asOf));
}

/** Balance on the normal side, per system key (for tests and reconciliations). */
export async function balancesByKey(db: DbOrTx, asOf: string | null = null): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const a of await accountActivity(db, asOf)) {
    if (!a.systemKey) continue;
    const net = a.debitCents - a.creditCents;
    out.set(a.systemKey, a.normalSide === 'debit' ? net : -net);
  }
  return out;
}

export interface JournalFilter {
  from?: string | null;
  to?: string | null;
  /** Entries with a line on this account. */
  accountId?: string | null;
}

function journalWhere(filter: JournalFilter, q: string): SQL {
  const parts: SQL[] = [sql`true`];
  if (filter.from) parts.push(sql`e.entry_date >= ${filter.from}`);
  if (filter.to) parts.push(sql`e.entry_date <= ${filter.to}`);
  if (filter.accountId && isUuid(filter.accountId)) parts.push(sql`exists (select 1 from journal_lines fl where fl.entry_id = e.id and fl.account_id = ${filter.accountId})`);
  if (q) parts.push(sql`lower(e.number || ' ' || e.memo || ' ' || e.event_type || ' ' || e.created_by_label) like ${containsPattern(q)}`);
  return sql.join(parts, sql` and `);
}

export const JOURNAL_SORTS = ['number', 'date'] as const;

export interface JournalListRow {
  id: string;
  number: string;
  entryDate: string;
  eventType: string;
  sourceType: string;
  sourceId: string | null;
  memo: string;
  totalCents: number;
  lineCount: number;
  reversesEntryId: string | null;
  reversesNumber: string | null;
  reversedByNumber: string | null;
  createdByLabel: string;
  createdAt: Date;
}

/** Entries in a date range (inclusive), newest first by default, with each entry's total and line count. */
export async function listJournal(db: DbOrTx, filter: JournalFilter, query: Pick<ListQuery, 'q' | 'page' | 'limit' | 'sort' | 'order'>): Promise<{ rows: JournalListRow[]; total: number }> {
  const where = journalWhere(filter, query.q);
  const dir = query.order === 'asc' ? sql`asc` : sql`desc`;
  // JE numbers are gap-free and zero-padded, so ordering by number is posting order.
  const orderBy = query.sort === 'date' ? sql`e.entry_date ${dir}, e.number ${dir}` : sql`e.number ${dir}`;
  const [{ total }] = await db.execute<{ total: number }>(sql`select count(*)::int as total from journal_entries e where ${where}`);
  const rows = await db.execute<Record<string, any>>(sql`
    select e.id, e.number, e.entry_date::text as entry_date, e.event_type, e.source_type, e.source_id, e.memo, e.reverses_entry_id,
           e.created_by_label, e.created_at,
           (select coalesce(sum(l.debit_cents), 0) from journal_lines l where l.entry_id = e.id) as total_cents,
           (select count(*)::int from journal_lines l where l.entry_id = e.id) as line_count,
           (select o.number from journal_entries o where o.id = e.reverses_entry_id) as reverses_number,
           (select r.number from journal_entries r where r.reverses_entry_id = e.id) as reversed_by_number
    from journal_entries e
    where ${where}
    order by ${orderBy}
    limit ${query.limit} offset ${(query.page - 1) * query.limit}`);
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id,
      number: r.number,
      entryDate: r.entry_date,
      eventType: r.event_type,
      sourceType: r.source_type,
      sourceId: r.source_id,
      memo: r.memo,
      totalCents: Number(r.total_cents),
      lineCount: r.line_count,
      reversesEntryId: r.reverses_entry_id,
      reversesNumber: r.reverses_number,
      reversedByNumber: r.reversed_by_number,
      createdByLabel: r.created_by_label,
      createdAt: new Date(r.created_at),
    })),
  };
}

export interface JournalLineView {
  lineNo: number;
  accountId: string;
  accountCode: string;
  accountName: string;
  systemKey: string | null;
  debitCents: number;
  creditCents: number;
  memo: string;
  partyType: string | null;
  partyId: string | null;
  /** Customer account or supplier name: QuickBooks' "Name" column. */
  partyName: string | null;
}

const LINE_COLUMNS = sql`
  l.line_no, l.account_id, a.code as account_code, a.name as account_name, a.system_key, l.debit_cents, l.credit_cents, l.memo,
  l.party_type, l.party_id,
  case l.party_type when 'customer' then (select c.name from accounts c where c.id = l.party_id)
                    when 'supplier' then (select s.name from suppliers s where s.id = l.party_id) end as party_name`;

const toLine = (r: Record<string, any>): JournalLineView => ({
  lineNo: r.line_no,
  accountId: r.account_id,
  accountCode: r.account_code,
  accountName: r.account_name,
  systemKey: r.system_key,
  debitCents: Number(r.debit_cents),
  creditCents: Number(r.credit_cents),
  memo: r.memo,
  partyType: r.party_type,
  partyId: r.party_id,
  partyName: r.party_name ?? null,
});

/** One entry with its lines (account code and name), what it reverses and what reversed it; null when unknown. */
export async function getJournalEntry(db: DbOrTx, idOrNumber: string) {
  const byNumber = /^JE-\d{1,12}$/i.test(idOrNumber);
  if (!byNumber && !isUuid(idOrNumber)) return null;
  const match = byNumber ? sql`e.number = ${idOrNumber.toUpperCase()}` : sql`e.id = ${idOrNumber}`;
  const { rows } = await listJournalWhere(db, match);
  const entry = rows[0];
  if (!entry) return null;
  const lines = await db.execute<Record<string, any>>(sql`
    select ${LINE_COLUMNS}
    from journal_lines l join ledger_accounts a on a.id = l.account_id
    where l.entry_id = ${entry.id} order by l.line_no`);
  const [reversedBy] = await db.execute<{ id: string; number: string }>(sql`select id, number from journal_entries where reverses_entry_id = ${entry.id}`);
  return { ...entry, lines: lines.map(toLine), reversedBy: reversedBy ?? null };
}

async function listJournalWhere(db: DbOrTx, match: SQL) {
  const rows = await db.execute<Record<string, any>>(sql`
    select e.id, e.number, e.entry_date::text as entry_date, e.event_type, e.source_type, e.source_id, e.memo, e.reverses_entry_id,
           e.created_by_label, e.created_at, (select o.number from journal_entries o where o.id = e.reverses_entry_id) as reverses_number
    from journal_entries e where ${match}`);
  return {
    rows: rows.map((r) => ({
      id: r.id as string,
      number: r.number as string,
      entryDate: r.entry_date as string,
      eventType: r.event_type as string,
      sourceType: r.source_type as string,
      sourceId: r.source_id as string | null,
      memo: r.memo as string,
      reversesEntryId: r.reverses_entry_id as string | null,
      reversesNumber: r.reverses_number as string | null,
      createdByLabel: r.created_by_label as string,
      createdAt: new Date(r.created_at),
    })),
  };
}

export interface JournalExportRow extends JournalLineView {
  entryId: string;
  number: string;
  entryDate: string;
  eventType: string;
  entryMemo: string;
}

/** Every line of the entries in a date range, in posting order: the General Journal CSV and the API. */
export async function journalLinesInRange(db: DbOrTx, filter: JournalFilter, limit: number): Promise<JournalExportRow[]> {
  const where = journalWhere(filter, '');
  const rows = await db.execute<Record<string, any>>(sql`
    select e.id as entry_id, e.number, e.entry_date::text as entry_date, e.event_type, e.memo as entry_memo, ${LINE_COLUMNS}
    from journal_entries e
    join journal_lines l on l.entry_id = e.id
    join ledger_accounts a on a.id = l.account_id
    where ${where}
    order by e.entry_date, e.number, l.line_no
    limit ${limit}`);
  return rows.map((r) => ({ ...toLine(r), entryId: r.entry_id, number: r.number, entryDate: r.entry_date, eventType: r.event_type, entryMemo: r.entry_memo }));
}

/** Lines of several entries at once (an API page), grouped by entry id, in line order. */
export async function linesOfEntries(db: DbOrTx, entryIds: string[]): Promise<Map<string, JournalLineView[]>> {
  const out = new Map<string, JournalLineView[]>(entryIds.map((id) => [id, []]));
  if (!entryIds.length) return out;
  const rows = await db.execute<Record<string, any>>(sql`
    select l.entry_id, ${LINE_COLUMNS}
    from journal_lines l join ledger_accounts a on a.id = l.account_id
    where l.entry_id in (${sql.join(entryIds.map((id) => sql`${id}::uuid`), sql`, `)})
    order by l.entry_id, l.line_no`);
  for (const r of rows) out.get(r.entry_id)?.push(toLine(r));
  return out;
}

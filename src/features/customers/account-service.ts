import { and, asc, desc, eq, ne, or, sql, type SQL } from 'drizzle-orm';
import { accounts, members } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { ConflictError, NotFoundError } from '../service-errors';
import { randomUniqueNumber } from '../numbering';
import { phoneDigits } from '../../domain/phone';
import type { ListQuery } from '../../ui/list';
import type { CreateAccountInput, UpdateAccountInput } from './schemas';
import { DuplicateAccountError, type DuplicateMatch } from './errors';
import { memberSearchColumns, searchCondition } from './search';
import { isUniqueViolation, isUuid } from '../../db/sql-helpers';

export type AccountRow = typeof accounts.$inferSelect;
export type AccountListRow = AccountRow & { memberCount: number };


export interface AccountFilter {
  status?: 'active' | 'inactive' | 'all';
  type?: string;
}

/** Sort keys; each has a btree (migrations/0005_list_indexes.sql) ending in id, the tie-breaker. */
const ACCOUNT_SORT_KEYS: Record<string, SQL> = {
  number: sql`accounts.number`,
  name: sql`lower(accounts.name)`,
  type: sql`accounts.type`,
  created_at: sql`accounts.created_at`,
  updated_at: sql`accounts.updated_at`,
};

export async function listAccounts(db: DbOrTx, query: ListQuery, filter: AccountFilter = {}) {
  const conditions: SQL[] = [];
  if (query.q) {
    // A member's name finds their household too ("Smithson" -> the Smith family account). The account ids
    // are the UNION of two index-backed lookups (a BitmapOr on accounts, one on members), so neither side
    // needs a correlated EXISTS per account; `id = any(array(…))` then reads the matches by primary key
    // (an IN-join would hash-join a sequential scan of accounts).
    const accountMatch = searchCondition(query.q, { prefixNames: [sql`lower(accounts.name)`], substringNames: [sql`lower(accounts.name)`], number: sql`accounts.number`, email: sql`accounts.email`, phoneDigits: sql`accounts.phone_digits` });
    const memberMatch = searchCondition(query.q, memberSearchColumns('m'));
    conditions.push(sql`accounts.id = any(array(select accounts.id from ${accounts} where ${accountMatch} union select m.account_id from ${members} m where ${memberMatch}))`);
  }
  if (filter.status === 'active' || !filter.status) conditions.push(eq(accounts.isActive, true));
  if (filter.status === 'inactive') conditions.push(eq(accounts.isActive, false));
  if (filter.type) conditions.push(eq(accounts.type, filter.type));
  const where = conditions.length ? and(...conditions) : undefined;
  const sortKey = ACCOUNT_SORT_KEYS[query.sort] ?? ACCOUNT_SORT_KEYS.name;
  // The tie-breaker follows the direction so a descending page is a backward scan of the same index.
  const dir = query.order === 'desc' ? desc : asc;
  // Exact total: without a search term this is an Index Only Scan of the small is_active index.
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(accounts).where(where);
  const rows = await db
    // `accounts.id` spelled out: drizzle writes a lone table's columns unqualified, and inside the subquery
    // a bare "id" would be the member's id (the count was always 0).
    .select({ account: accounts, memberCount: sql<number>`(select count(*)::int from ${members} m where m.account_id = accounts.id)` })
    .from(accounts)
    .where(where)
    .orderBy(dir(sortKey), dir(accounts.id))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  return { rows: rows.map((r): AccountListRow => ({ ...r.account, memberCount: r.memberCount })), total };
}

export async function getAccount(db: DbOrTx, id: string): Promise<AccountRow> {
  if (!isUuid(id)) throw new NotFoundError('Account');
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id));
  if (!row) throw new NotFoundError('Account');
  return row;
}

export async function getAccountByNumber(db: DbOrTx, number: string): Promise<AccountRow | null> {
  const [row] = await db.select().from(accounts).where(eq(accounts.number, number.trim()));
  return row ?? null;
}

/** Active accounts sharing the email (case-insensitive) or a phone (digits only) with the new one. */
export async function findDuplicateAccounts(db: DbOrTx, input: { email?: string | null; phone?: string | null; phone2?: string | null }, excludeId?: string): Promise<DuplicateMatch[]> {
  const email = input.email?.toLowerCase() ?? null;
  const phones = [phoneDigits(input.phone), phoneDigits(input.phone2)].filter((p): p is string => !!p);
  const tests: SQL[] = [];
  if (email) tests.push(sql`lower(${accounts.email}) = ${email}`);
  for (const p of phones) tests.push(sql`${accounts.phoneDigits} = ${p}`);
  if (tests.length === 0) return [];
  const conditions = [eq(accounts.isActive, true), or(...tests)!];
  if (excludeId) conditions.push(ne(accounts.id, excludeId));
  const rows = await db.select().from(accounts).where(and(...conditions)).orderBy(accounts.name).limit(10);
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    name: r.name,
    email: r.email,
    phone: r.phone,
    matchedOn: [...(email && r.email?.toLowerCase() === email ? (['email'] as const) : []), ...(r.phoneDigits && phones.includes(r.phoneDigits) ? (['phone'] as const) : [])],
  }));
}

/** Input field names -> columns; only fields present in the input are written (PATCH semantics). */
function columnsOf(input: Partial<UpdateAccountInput>): Partial<typeof accounts.$inferInsert> {
  const out: Partial<typeof accounts.$inferInsert> = {};
  if (input.name !== undefined) out.name = input.name;
  if (input.type !== undefined) out.type = input.type;
  if (input.email !== undefined) out.email = input.email;
  if (input.phone !== undefined) out.phone = input.phone;
  if (input.phone2 !== undefined) out.phone2 = input.phone2;
  if (input.address_line1 !== undefined) out.addressLine1 = input.address_line1;
  if (input.address_line2 !== undefined) out.addressLine2 = input.address_line2;
  if (input.city !== undefined) out.city = input.city;
  if (input.region !== undefined) out.region = input.region;
  if (input.postal_code !== undefined) out.postalCode = input.postal_code;
  if (input.country !== undefined) out.country = input.country;
  if (input.billing_mode !== undefined) out.billingMode = input.billing_mode;
  if (input.billing_day !== undefined) out.billingDay = input.billing_day;
  if (input.charge_allowed !== undefined) out.chargeAllowed = input.charge_allowed;
  if (input.credit_limit_cents !== undefined) out.creditLimitCents = input.credit_limit_cents;
  if (input.notes !== undefined) out.notes = input.notes;
  if (input.tags !== undefined) out.tags = input.tags;
  if (input.legacy_id !== undefined) out.legacyId = input.legacy_id;
  if (input.is_active !== undefined) out.isActive = input.is_active;
  return out;
}

const legacyClash = () => new ConflictError('Another account already has that legacy id.', { legacy_id: 'Another account already has that legacy id.' });

/**
 * Record timestamps (created_at/updated_at) come from the database clock so rows keep their insertion order
 * even under a frozen test clock; `_now` is accepted for callers written against the earlier signature.
 */
export async function createAccount(tx: Tx, actor: Actor, input: CreateAccountInput): Promise<AccountRow> {
  if (!input.confirm_duplicate) {
    const matches = await findDuplicateAccounts(tx, input);
    if (matches.length) throw new DuplicateAccountError(matches);
  }
  const values = { ...columnsOf(input), name: input.name };
  let row: AccountRow | undefined;
  // The number is checked free first; a concurrent insert can still take it, so retry on that violation.
  for (let attempt = 0; attempt < 5 && !row; attempt++) {
    const number = await randomUniqueNumber(tx, 'accounts');
    try {
      [row] = await tx.transaction((sp) => sp.insert(accounts).values({ ...values, number }).returning());
    } catch (err) {
      if (isUniqueViolation(err, 'accounts_legacy_id_unique')) throw legacyClash();
      if (!isUniqueViolation(err, 'accounts_number_unique')) throw err;
    }
  }
  if (!row) throw new Error('Could not allocate an account number');
  await recordAudit(tx, actor, { action: 'account.create', entityType: 'account', entityId: row.id, summary: `Created account #${row.number} ${row.name}`, after: row });
  return row;
}

export async function updateAccount(tx: Tx, actor: Actor, id: string, input: UpdateAccountInput): Promise<AccountRow> {
  const before = await getAccount(tx, id);
  await tx.execute(sql`select 1 from ${accounts} where ${accounts.id} = ${id} for update`);
  try {
    await tx.transaction((sp) => sp.update(accounts).set({ ...columnsOf(input), updatedAt: sql`now()` }).where(eq(accounts.id, id)));
  } catch (err) {
    if (isUniqueViolation(err, 'accounts_legacy_id_unique')) throw legacyClash();
    throw err;
  }
  const after = await getAccount(tx, id);
  const action = input.is_active === false && before.isActive ? 'account.deactivate' : input.is_active === true && !before.isActive ? 'account.reactivate' : 'account.update';
  const verb = { 'account.deactivate': 'Deactivated', 'account.reactivate': 'Reactivated', 'account.update': 'Updated' }[action];
  await recordAudit(tx, actor, { action, entityType: 'account', entityId: id, summary: `${verb} account #${after.number} ${after.name}`, before, after });
  return after;
}

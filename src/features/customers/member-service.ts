import { and, asc, desc, eq, ne, sql, type SQL } from 'drizzle-orm';
import { accounts, memberMoves, members } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import { randomUniqueNumber } from '../numbering';
import { isMinor } from '../../domain/minor';
import type { BusinessDate } from '../../domain/business-date';
import type { ListQuery } from '../../ui/list';
import type { CreateMemberInput, MoveMemberInput, UpdateMemberInput } from './schemas';
import { getAccount, type AccountRow } from './account-service';
import { memberSearchColumns, searchCondition } from './search';
import { isUniqueViolation, isUuid } from '../../db/sql-helpers';

export type MemberRow = typeof members.$inferSelect;
/** A member as shown and returned: the stored row plus the minor flag in force today. */
export type MemberView = MemberRow & { isMinor: boolean };
export type MemberListRow = MemberView & { accountNumber: string; accountName: string };

export const memberView = (row: MemberRow, today: BusinessDate): MemberView => ({ ...row, isMinor: isMinor({ minorOverride: row.minorOverride, dateOfBirth: row.dateOfBirth }, today) });

export async function getMember(db: DbOrTx, id: string): Promise<MemberRow> {
  if (!isUuid(id)) throw new NotFoundError('Member');
  const [row] = await db.select().from(members).where(eq(members.id, id));
  if (!row) throw new NotFoundError('Member');
  return row;
}

/** Members of one household, primary first, then in the order they were added. */
export async function membersOfAccount(db: DbOrTx, account: AccountRow, today: BusinessDate): Promise<MemberView[]> {
  const rows = await db.select().from(members).where(eq(members.accountId, account.id)).orderBy(asc(members.createdAt), asc(members.id));
  return rows.map((r) => memberView(r, today)).sort((a, b) => Number(b.id === account.primaryMemberId) - Number(a.id === account.primaryMemberId));
}

/** Sort keys; each has a btree (migrations/0005_list_indexes.sql) ending in first_name, id, the tie-breakers. */
const MEMBER_SORT_KEYS: Record<string, SQL> = {
  last_name: sql`lower(${members.lastName})`,
  first_name: sql`lower(${members.firstName})`,
  number: sql`${members.number}`,
  date_of_birth: sql`${members.dateOfBirth}`,
  created_at: sql`${members.createdAt}`,
};

export async function listMembers(db: DbOrTx, query: ListQuery, today: BusinessDate) {
  const conditions: SQL[] = [eq(members.isActive, true)];
  if (query.q) conditions.push(searchCondition(query.q, memberSearchColumns('members')));
  const where = and(...conditions);
  const sortKey = MEMBER_SORT_KEYS[query.sort] ?? MEMBER_SORT_KEYS.last_name;
  // Tie-breakers follow the direction so a descending page is a backward scan of the same index.
  const dir = query.order === 'desc' ? desc : asc;
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(members).where(where);
  const rows = await db
    .select({ member: members, accountNumber: accounts.number, accountName: accounts.name })
    .from(members)
    .innerJoin(accounts, eq(accounts.id, members.accountId))
    .where(where)
    .orderBy(dir(sortKey), dir(members.firstName), dir(members.id))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  return { rows: rows.map((r): MemberListRow => ({ ...memberView(r.member, today), accountNumber: r.accountNumber, accountName: r.accountName })), total };
}

function assertBornByToday(dateOfBirth: string | null | undefined, today: BusinessDate) {
  if (dateOfBirth && dateOfBirth > today) throw new ValidationError({ date_of_birth: 'Date of birth cannot be in the future.' });
}

function columnsOf(input: UpdateMemberInput): Partial<typeof members.$inferInsert> {
  const out: Partial<typeof members.$inferInsert> = {};
  if (input.first_name !== undefined) out.firstName = input.first_name;
  if (input.last_name !== undefined) out.lastName = input.last_name;
  if (input.date_of_birth !== undefined) out.dateOfBirth = input.date_of_birth;
  if (input.is_minor !== undefined) out.minorOverride = input.is_minor;
  if (input.email !== undefined) out.email = input.email;
  if (input.phone !== undefined) out.phone = input.phone;
  if (input.school !== undefined) out.school = input.school;
  if (input.grade !== undefined) out.grade = input.grade;
  if (input.teacher !== undefined) out.teacher = input.teacher;
  if (input.notes !== undefined) out.notes = input.notes;
  if (input.legacy_id !== undefined) out.legacyId = input.legacy_id;
  return out;
}

const legacyClash = () => new ConflictError('Another member already has that legacy id.', { legacy_id: 'Another member already has that legacy id.' });
const lockAccount = (tx: Tx, id: string) => tx.execute(sql`select 1 from ${accounts} where ${accounts.id} = ${id} for update`);

async function setPrimary(tx: Tx, actor: Actor, account: AccountRow, memberId: string | null) {
  if (account.primaryMemberId === memberId) return;
  await tx.update(accounts).set({ primaryMemberId: memberId, updatedAt: sql`now()` }).where(eq(accounts.id, account.id));
  await recordAudit(tx, actor, {
    action: 'account.primary_member',
    entityType: 'account',
    entityId: account.id,
    summary: memberId ? `Primary member of #${account.number} changed` : `#${account.number} has no members left, so no primary member`,
    before: { primaryMemberId: account.primaryMemberId },
    after: { primaryMemberId: memberId },
  });
}

export async function addMember(tx: Tx, actor: Actor, accountId: string, input: CreateMemberInput, ctx: { today: BusinessDate }): Promise<MemberView> {
  const account = await getAccount(tx, accountId);
  await lockAccount(tx, account.id);
  if (!account.isActive) throw new ConflictError('This account is inactive. Reactivate it before adding members.');
  assertBornByToday(input.date_of_birth, ctx.today);
  const values = { ...columnsOf(input), firstName: input.first_name, lastName: input.last_name, accountId: account.id };
  let row: MemberRow | undefined;
  for (let attempt = 0; attempt < 5 && !row; attempt++) {
    const number = await randomUniqueNumber(tx, 'members');
    try {
      [row] = await tx.transaction((sp) => sp.insert(members).values({ ...values, number }).returning());
    } catch (err) {
      if (isUniqueViolation(err, 'members_legacy_id_unique')) throw legacyClash();
      if (!isUniqueViolation(err, 'members_number_unique')) throw err;
    }
  }
  if (!row) throw new Error('Could not allocate a member number');
  const view = memberView(row, ctx.today);
  await recordAudit(tx, actor, { action: 'member.create', entityType: 'member', entityId: row.id, summary: `Added ${row.firstName} ${row.lastName} (#${row.number}) to account #${account.number}`, after: view });
  // The first member becomes the account's primary member (spec).
  if (!account.primaryMemberId) await setPrimary(tx, actor, account, row.id);
  return view;
}

export async function updateMember(tx: Tx, actor: Actor, id: string, input: UpdateMemberInput, ctx: { today: BusinessDate }): Promise<MemberView> {
  const beforeRow = await getMember(tx, id);
  await tx.execute(sql`select 1 from ${members} where ${members.id} = ${id} for update`);
  assertBornByToday(input.date_of_birth, ctx.today);
  try {
    await tx.transaction((sp) => sp.update(members).set({ ...columnsOf(input), updatedAt: sql`now()` }).where(eq(members.id, id)));
  } catch (err) {
    if (isUniqueViolation(err, 'members_legacy_id_unique')) throw legacyClash();
    throw err;
  }
  const after = memberView(await getMember(tx, id), ctx.today);
  await recordAudit(tx, actor, { action: 'member.update', entityType: 'member', entityId: id, summary: `Updated ${after.firstName} ${after.lastName} (#${after.number})`, before: memberView(beforeRow, ctx.today), after });
  return after;
}

/**
 * Moves a member to another household. The member keeps their id, so their history follows them; the old
 * account's primary member passes to its next-oldest member (or none), and an account with no primary
 * member gets the newcomer. Open contracts are not touched here (spec: they stay with the paying account).
 */
export async function moveMember(tx: Tx, actor: Actor, id: string, input: MoveMemberInput, ctx: { today: BusinessDate }): Promise<MemberView> {
  const member = await getMember(tx, id);
  if (member.accountId === input.to_account_id) throw new ValidationError({ to_account_id: 'The member is already on that account.' });
  const from = await getAccount(tx, member.accountId);
  let to: AccountRow;
  try {
    to = await getAccount(tx, input.to_account_id);
  } catch (err) {
    if (err instanceof NotFoundError) throw new ValidationError({ to_account_id: 'No account has that id or number.' });
    throw err;
  }
  if (!to.isActive) throw new ValidationError({ to_account_id: `Account #${to.number} is inactive. Reactivate it first.` });
  // Lock in a fixed order so two moves between the same accounts can't deadlock.
  for (const accountId of [from.id, to.id].sort()) await lockAccount(tx, accountId);
  const [current] = await tx.select({ accountId: members.accountId }).from(members).where(eq(members.id, id)).for('update');
  if (current.accountId !== from.id) throw new ConflictError('The member was moved by someone else meanwhile. Reload and try again.');

  await tx.insert(memberMoves).values({ memberId: id, fromAccountId: from.id, toAccountId: to.id, reason: input.reason, movedByUserId: actor.userId });
  await tx.update(members).set({ accountId: to.id, updatedAt: sql`now()` }).where(eq(members.id, id));
  await recordAudit(tx, actor, {
    action: 'member.move',
    entityType: 'member',
    entityId: id,
    summary: `Moved ${member.firstName} ${member.lastName} (#${member.number}) from account #${from.number} to #${to.number}: ${input.reason}`,
    before: { accountId: from.id, accountNumber: from.number },
    after: { accountId: to.id, accountNumber: to.number, reason: input.reason },
  });
  if (from.primaryMemberId === id) {
    const [next] = await tx.select({ id: members.id }).from(members).where(and(eq(members.accountId, from.id), ne(members.id, id))).orderBy(desc(members.isActive), asc(members.createdAt), asc(members.id)).limit(1);
    await setPrimary(tx, actor, from, next?.id ?? null);
  }
  if (!to.primaryMemberId) await setPrimary(tx, actor, to, id);
  return memberView(await getMember(tx, id), ctx.today);
}

/** Ids of every member who is or was on the account (for the account's audit trail). */
export async function memberIdsEverOnAccount(db: DbOrTx, accountId: string): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    select id from ${members} where account_id = ${accountId}
    union select member_id from ${memberMoves} where from_account_id = ${accountId} or to_account_id = ${accountId}`);
  return rows.map((r) => r.id);
}

import { and, asc, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { roles, sessions, staffUserRoles, staffUsers } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { hashPassword } from '../auth/crypto';
import { recordAudit, type Actor } from '../audit/service';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import { BUILT_IN_ROLES, type Permission } from '../auth/permissions';
import type { CreateStaffInput, RoleInput, UpdateStaffInput } from './schemas';
import type { ListQuery } from '../../ui/list';
import { containsPattern, isUniqueViolation, isUuid } from '../../db/sql-helpers';
import { PIN_MAX_FAILURES } from '../auth/pin';

export interface StaffView {
  id: string;
  username: string;
  name: string;
  email: string | null;
  active: boolean;
  hasPin: boolean;
  /** Five wrong PIN tries in a row; a new PIN or a password sign-in unlocks it. */
  pinLocked: boolean;
  /** Largest discount without a manager's PIN, thousandths of a percent (pos.discount.override ignores it). */
  discountLimitMillipercent: number;
  roles: { id: string; key: string; name: string }[];
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}


async function rolesFor(db: DbOrTx, userIds: string[]) {
  const map = new Map<string, { id: string; key: string; name: string }[]>();
  if (userIds.length === 0) return map;
  const rows = await db
    .select({ userId: staffUserRoles.userId, id: roles.id, key: roles.key, name: roles.name })
    .from(staffUserRoles)
    .innerJoin(roles, eq(roles.id, staffUserRoles.roleId))
    .where(inArray(staffUserRoles.userId, userIds))
    .orderBy(roles.name);
  for (const r of rows) {
    const list = map.get(r.userId) ?? [];
    list.push({ id: r.id, key: r.key, name: r.name });
    map.set(r.userId, list);
  }
  return map;
}

function toView(row: typeof staffUsers.$inferSelect, roleList: StaffView['roles']): StaffView {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    email: row.email,
    active: row.active,
    hasPin: !!row.pinHash,
    pinLocked: !!row.pinHash && row.pinFailures >= PIN_MAX_FAILURES,
    discountLimitMillipercent: row.discountLimitMillipercent,
    roles: roleList,
    lastLoginAt: row.lastLoginAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export interface StaffFilter {
  status?: 'active' | 'inactive' | 'all';
  roleKey?: string;
}

export async function listStaff(db: DbOrTx, query: ListQuery, filter: StaffFilter = {}) {
  const conditions: SQL[] = [];
  if (query.q) {
    const like = containsPattern(query.q);
    conditions.push(sql`lower(${staffUsers.username} || ' ' || ${staffUsers.name} || ' ' || coalesce(${staffUsers.email}, '')) like ${like}`);
  }
  if (filter.status === 'active' || !filter.status) conditions.push(eq(staffUsers.active, true));
  if (filter.status === 'inactive') conditions.push(eq(staffUsers.active, false));
  if (filter.roleKey) {
    conditions.push(
      sql`exists (select 1 from ${staffUserRoles} sur join ${roles} r on r.id = sur.role_id where sur.user_id = ${staffUsers.id} and r.key = ${filter.roleKey})`,
    );
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const sortColumn = { username: staffUsers.username, name: staffUsers.name, last_login_at: staffUsers.lastLoginAt, created_at: staffUsers.createdAt }[query.sort as 'username'] ?? staffUsers.username;
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(staffUsers).where(where);
  const rows = await db
    .select()
    .from(staffUsers)
    .where(where)
    .orderBy(query.order === 'desc' ? desc(sortColumn) : asc(sortColumn), asc(staffUsers.id))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  const roleMap = await rolesFor(db, rows.map((r) => r.id));
  return { rows: rows.map((r) => toView(r, roleMap.get(r.id) ?? [])), total };
}

export async function getStaff(db: DbOrTx, id: string): Promise<StaffView> {
  if (!isUuid(id)) throw new NotFoundError('Staff user');
  const [row] = await db.select().from(staffUsers).where(eq(staffUsers.id, id));
  if (!row) throw new NotFoundError('Staff user');
  return toView(row, (await rolesFor(db, [id])).get(id) ?? []);
}

async function assertRolesExist(tx: DbOrTx, roleIds: string[]) {
  const found = await tx.select({ id: roles.id }).from(roles).where(inArray(roles.id, roleIds));
  if (found.length !== new Set(roleIds).size) throw new ValidationError({ role_ids: 'One of the chosen roles does not exist.' });
}

export async function createStaff(tx: Tx, actor: Actor, input: CreateStaffInput): Promise<StaffView> {
  await assertRolesExist(tx, input.role_ids);
  const [clash] = await tx.select({ id: staffUsers.id }).from(staffUsers).where(sql`lower(${staffUsers.username}) = ${input.username.toLowerCase()}`);
  if (clash) throw new ConflictError('That username is already taken.', { username: 'That username is already taken.' });
  let row: typeof staffUsers.$inferSelect;
  try {
    [row] = await tx
      .insert(staffUsers)
      .values({
        username: input.username,
        name: input.name,
        email: input.email,
        passwordHash: await hashPassword(input.password),
        pinHash: input.pin ? await hashPassword(input.pin) : null,
        ...(input.discount_limit_millipercent !== undefined ? { discountLimitMillipercent: input.discount_limit_millipercent } : {}),
      })
      .returning();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('That username is already taken.', { username: 'That username is already taken.' });
    throw err;
  }
  await tx.insert(staffUserRoles).values([...new Set(input.role_ids)].map((roleId) => ({ userId: row.id, roleId })));
  const view = await getStaff(tx, row.id);
  await recordAudit(tx, actor, { action: 'staff.create', entityType: 'staff_user', entityId: row.id, summary: `Created staff user ${row.username}`, after: view });
  return view;
}

/** The store must always keep one active owner who can manage everything. */
async function assertNotRemovingLastOwner(tx: DbOrTx, userId: string, willStillBeActiveOwner: boolean) {
  if (willStillBeActiveOwner) return;
  const [ownerRole] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.key, 'owner'));
  if (!ownerRole) return;
  const isOwnerNow = await tx
    .select({ u: staffUserRoles.userId })
    .from(staffUserRoles)
    .innerJoin(staffUsers, eq(staffUsers.id, staffUserRoles.userId))
    .where(and(eq(staffUserRoles.userId, userId), eq(staffUserRoles.roleId, ownerRole.id), eq(staffUsers.active, true)));
  if (isOwnerNow.length === 0) return;
  const others = await tx
    .select({ u: staffUserRoles.userId })
    .from(staffUserRoles)
    .innerJoin(staffUsers, eq(staffUsers.id, staffUserRoles.userId))
    .where(and(eq(staffUserRoles.roleId, ownerRole.id), eq(staffUsers.active, true), ne(staffUserRoles.userId, userId)));
  if (others.length === 0) throw new ConflictError('This is the last active owner. Make someone else an owner first.', { role_ids: 'The last active owner must keep the Owner role.' });
}

export async function updateStaff(tx: Tx, actor: Actor, id: string, input: Partial<UpdateStaffInput>): Promise<StaffView> {
  const before = await getStaff(tx, id);
  await tx.execute(sql`select 1 from ${staffUsers} where ${staffUsers.id} = ${id} for update`);
  if (input.role_ids) await assertRolesExist(tx, input.role_ids);
  const [ownerRole] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.key, 'owner'));
  const keepsOwner = input.role_ids ? input.role_ids.includes(ownerRole?.id ?? '') : before.roles.some((r) => r.key === 'owner');
  const staysActive = input.active ?? before.active;
  await assertNotRemovingLastOwner(tx, id, keepsOwner && staysActive);

  const patch: Partial<typeof staffUsers.$inferInsert> = { updatedAt: new Date() };
  if (input.name !== undefined) patch.name = input.name;
  if (input.email !== undefined) patch.email = input.email;
  if (input.pin) {
    patch.pinHash = await hashPassword(input.pin);
    patch.pinFailures = 0; // a new PIN lifts a lockout
  }
  if (input.discount_limit_millipercent !== undefined) patch.discountLimitMillipercent = input.discount_limit_millipercent;
  if (input.active !== undefined) patch.active = input.active;
  await tx.update(staffUsers).set(patch).where(eq(staffUsers.id, id));
  if (input.role_ids) {
    await tx.delete(staffUserRoles).where(eq(staffUserRoles.userId, id));
    await tx.insert(staffUserRoles).values([...new Set(input.role_ids)].map((roleId) => ({ userId: id, roleId })));
  }
  // A deactivated user is signed out everywhere at once, not at their next idle timeout.
  if (input.active === false) await tx.delete(sessions).where(eq(sessions.userId, id));
  const after = await getStaff(tx, id);
  const action = input.active === false && before.active ? 'staff.deactivate' : input.active === true && !before.active ? 'staff.activate' : 'staff.update';
  await recordAudit(tx, actor, { action, entityType: 'staff_user', entityId: id, summary: `${action.replace('staff.', '')} ${after.username}`, before, after });
  return after;
}

export async function resetPassword(tx: Tx, actor: Actor, id: string, password: string): Promise<void> {
  const user = await getStaff(tx, id);
  await tx.update(staffUsers).set({ passwordHash: await hashPassword(password), updatedAt: new Date() }).where(eq(staffUsers.id, id));
  await tx.delete(sessions).where(eq(sessions.userId, id));
  await recordAudit(tx, actor, { action: 'staff.reset_password', entityType: 'staff_user', entityId: id, summary: `Password reset for ${user.username}; their sessions were ended`, before: { password: 'old' }, after: { password: 'new' } });
}

export async function findStaffByUsername(db: DbOrTx, username: string) {
  const [row] = await db.select().from(staffUsers).where(sql`lower(${staffUsers.username}) = ${username.trim().toLowerCase()}`);
  return row ?? null;
}

// ---------------------------------------------------------------- roles

export interface RoleView {
  id: string;
  key: string;
  name: string;
  description: string;
  permissions: Permission[];
  builtIn: boolean;
  userCount: number;
}

export async function listRoles(db: DbOrTx): Promise<RoleView[]> {
  const rows = await db
    .select({
      id: roles.id,
      key: roles.key,
      name: roles.name,
      description: roles.description,
      permissions: roles.permissions,
      builtIn: roles.builtIn,
      userCount: sql<number>`(select count(*)::int from ${staffUserRoles} sur join ${staffUsers} su on su.id = sur.user_id where sur.role_id = ${roles.id} and su.active)`,
    })
    .from(roles)
    .orderBy(desc(roles.builtIn), roles.name);
  return rows.map((r) => ({ ...r, permissions: r.permissions as Permission[] }));
}

export async function getRole(db: DbOrTx, id: string): Promise<RoleView> {
  if (!isUuid(id)) throw new NotFoundError('Role');
  const role = (await listRoles(db)).find((r) => r.id === id);
  if (!role) throw new NotFoundError('Role');
  return role;
}

function roleKeyFromName(name: string): string {
  return (
    'custom_' +
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '')
      .slice(0, 40)
  );
}

export async function createRole(tx: Tx, actor: Actor, input: RoleInput): Promise<RoleView> {
  const [clash] = await tx.select({ id: roles.id }).from(roles).where(sql`lower(${roles.name}) = ${input.name.toLowerCase()}`);
  if (clash) throw new ConflictError('A role with that name already exists.', { name: 'A role with that name already exists.' });
  let key = roleKeyFromName(input.name);
  const [keyClash] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.key, key));
  if (keyClash) key = `${key}_${Date.now().toString(36)}`;
  const [row] = await tx.insert(roles).values({ key, name: input.name, description: input.description, permissions: [...new Set(input.permissions)] }).returning();
  const view = await getRole(tx, row.id);
  await recordAudit(tx, actor, { action: 'role.create', entityType: 'role', entityId: row.id, summary: `Created role ${row.name}`, after: view });
  return view;
}

export async function updateRole(tx: Tx, actor: Actor, id: string, input: RoleInput): Promise<RoleView> {
  const before = await getRole(tx, id);
  if (before.builtIn) throw new ConflictError('Built-in roles cannot be changed. Create a custom role instead.');
  const [clash] = await tx.select({ id: roles.id }).from(roles).where(and(sql`lower(${roles.name}) = ${input.name.toLowerCase()}`, ne(roles.id, id)));
  if (clash) throw new ConflictError('A role with that name already exists.', { name: 'A role with that name already exists.' });
  await tx.update(roles).set({ name: input.name, description: input.description, permissions: [...new Set(input.permissions)], updatedAt: new Date() }).where(eq(roles.id, id));
  const after = await getRole(tx, id);
  await recordAudit(tx, actor, { action: 'role.update', entityType: 'role', entityId: id, summary: `Updated role ${after.name}`, before, after });
  return after;
}

export async function deleteRole(tx: Tx, actor: Actor, id: string): Promise<void> {
  const before = await getRole(tx, id);
  if (before.builtIn) throw new ConflictError('Built-in roles cannot be deleted.');
  const [assigned] = await tx.select({ n: sql<number>`count(*)::int` }).from(staffUserRoles).where(eq(staffUserRoles.roleId, id));
  if (assigned.n > 0) throw new ConflictError(`This role is still given to ${assigned.n} staff user(s). Remove it from them first.`);
  await tx.delete(roles).where(eq(roles.id, id));
  await recordAudit(tx, actor, { action: 'role.delete', entityType: 'role', entityId: id, summary: `Deleted role ${before.name}`, before });
}

/** Brings built-in roles in line with the code (new permissions in an update reach existing stores). */
export async function syncBuiltInRoles(db: DbOrTx): Promise<void> {
  for (const role of BUILT_IN_ROLES) {
    await db
      .insert(roles)
      .values({ key: role.key, name: role.name, description: role.description, permissions: [...role.permissions], builtIn: true })
      .onConflictDoUpdate({ target: roles.key, set: { name: role.name, description: role.description, permissions: [...role.permissions], builtIn: true } });
  }
}

export async function roleIdsByKey(db: DbOrTx, keys: string[]): Promise<string[]> {
  const rows = await db.select({ id: roles.id, key: roles.key }).from(roles).where(inArray(roles.key, keys));
  if (rows.length !== keys.length) throw new ValidationError({ role: `Unknown role: ${keys.filter((k) => !rows.some((r) => r.key === k)).join(', ')}` });
  return rows.map((r) => r.id);
}

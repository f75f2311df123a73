import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { suppliers } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { ConflictError, NotFoundError } from '../service-errors';
import type { ListQuery } from '../../ui/list';
import type { CreateSupplierInput, UpdateSupplierInput } from './schemas';
import { containsPattern, isUniqueViolation, isUuid } from '../../db/sql-helpers';

export type Supplier = typeof suppliers.$inferSelect;

export async function listSuppliers(db: DbOrTx, query: ListQuery, status: 'active' | 'inactive' | 'all' = 'active') {
  const conditions: SQL[] = [];
  if (query.q) conditions.push(sql`lower(${suppliers.name} || ' ' || ${suppliers.contactName} || ' ' || coalesce(${suppliers.email}, '') || ' ' || ${suppliers.accountNumber}) like ${containsPattern(query.q)}`);
  if (status !== 'all') conditions.push(eq(suppliers.isActive, status === 'active'));
  const where = conditions.length ? and(...conditions) : undefined;
  const col = { name: sql`lower(${suppliers.name})`, contact_name: sql`lower(${suppliers.contactName})`, created_at: suppliers.createdAt }[query.sort as 'name'] ?? sql`lower(${suppliers.name})`;
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(suppliers).where(where);
  const rows = await db
    .select()
    .from(suppliers)
    .where(where)
    .orderBy(query.order === 'desc' ? desc(col) : asc(col), asc(suppliers.id))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  return { rows, total };
}

export async function activeSuppliers(db: DbOrTx) {
  return db.select({ id: suppliers.id, name: suppliers.name }).from(suppliers).where(eq(suppliers.isActive, true)).orderBy(sql`lower(${suppliers.name})`);
}

export async function getSupplier(db: DbOrTx, id: string): Promise<Supplier> {
  if (!isUuid(id)) throw new NotFoundError('Supplier');
  const [row] = await db.select().from(suppliers).where(eq(suppliers.id, id));
  if (!row) throw new NotFoundError('Supplier');
  return row;
}

function uniqueError(err: unknown): never {
  const detail = String((err as any)?.cause?.constraint_name ?? (err as any)?.constraint_name ?? (err as any)?.message ?? '');
  if (detail.includes('legacy')) throw new ConflictError('Another supplier has that legacy id.', { legacy_id: 'Another supplier has that legacy id.' });
  throw new ConflictError('A supplier with that name already exists.', { name: 'A supplier with that name already exists.' });
}

export async function createSupplier(tx: Tx, actor: Actor, input: CreateSupplierInput): Promise<Supplier> {
  try {
    const [row] = await tx
      .insert(suppliers)
      .values({ name: input.name, contactName: input.contact_name, email: input.email, phone: input.phone, accountNumber: input.account_number, notes: input.notes, isActive: input.is_active, legacyId: input.legacy_id })
      .returning();
    await recordAudit(tx, actor, { action: 'supplier.create', entityType: 'supplier', entityId: row.id, summary: `Created supplier ${row.name}`, after: row });
    return row;
  } catch (err) {
    if (isUniqueViolation(err)) uniqueError(err);
    throw err;
  }
}

export async function updateSupplier(tx: Tx, actor: Actor, id: string, input: UpdateSupplierInput): Promise<Supplier> {
  const before = await getSupplier(tx, id);
  const patch: Partial<typeof suppliers.$inferInsert> = { updatedAt: new Date() };
  if (input.name !== undefined) patch.name = input.name;
  if (input.contact_name !== undefined) patch.contactName = input.contact_name;
  if (input.email !== undefined) patch.email = input.email;
  if (input.phone !== undefined) patch.phone = input.phone;
  if (input.account_number !== undefined) patch.accountNumber = input.account_number;
  if (input.notes !== undefined) patch.notes = input.notes;
  if (input.is_active !== undefined) patch.isActive = input.is_active;
  if (input.legacy_id !== undefined) patch.legacyId = input.legacy_id;
  try {
    const [after] = await tx.update(suppliers).set(patch).where(eq(suppliers.id, id)).returning();
    const action = input.is_active === false && before.isActive ? 'supplier.deactivate' : input.is_active === true && !before.isActive ? 'supplier.activate' : 'supplier.update';
    await recordAudit(tx, actor, { action, entityType: 'supplier', entityId: id, summary: `${action.replace('supplier.', '')} supplier ${after.name}`, before, after });
    return after;
  } catch (err) {
    if (isUniqueViolation(err)) uniqueError(err);
    throw err;
  }
}

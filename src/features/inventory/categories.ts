import { eq, sql } from 'drizzle-orm';
import { categories, products } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import type { CategoryInput, UpdateCategoryInput } from './schemas';
import { isUniqueViolation, isUuid } from '../../db/sql-helpers';

export interface CategoryNode {
  id: string;
  parentId: string | null;
  name: string;
  depth: number;
  /** "Brass › Trumpets" — unambiguous label for selects and lists. */
  path: string;
  productCount: number;
}


/** The whole tree, depth-first in name order: small enough (dozens of rows) to build in memory. */
export async function listCategoryTree(db: DbOrTx): Promise<CategoryNode[]> {
  const rows = await db
    .select({ id: categories.id, parentId: categories.parentId, name: categories.name, productCount: sql<number>`(select count(*)::int from ${products} p where p.category_id = ${categories.id})` })
    .from(categories)
    .orderBy(categories.sortOrder, sql`lower(${categories.name})`);
  const children = new Map<string | null, typeof rows>();
  for (const r of rows) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r]);
  const out: CategoryNode[] = [];
  const walk = (parent: string | null, depth: number, prefix: string) => {
    for (const r of children.get(parent) ?? []) {
      const path = prefix ? `${prefix} › ${r.name}` : r.name;
      out.push({ ...r, depth, path });
      walk(r.id, depth + 1, path);
    }
  };
  walk(null, 0, '');
  return out;
}

export async function getCategory(db: DbOrTx, id: string) {
  if (!isUuid(id)) throw new NotFoundError('Category');
  const [row] = await db.select().from(categories).where(eq(categories.id, id));
  if (!row) throw new NotFoundError('Category');
  return row;
}

/** Ids of a category and everything below it (for "in this category" filters). */
export async function categoryAndDescendants(db: DbOrTx, id: string): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(
    sql`with recursive sub as (select id from ${categories} where id = ${id} union all select c.id from ${categories} c join sub on c.parent_id = sub.id) select id from sub`,
  );
  return rows.map((r) => r.id);
}

async function assertParent(tx: DbOrTx, parentId: string | null | undefined, movingId?: string) {
  if (!parentId) return;
  const [parent] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.id, parentId));
  if (!parent) throw new ValidationError({ parent_id: 'That parent category does not exist.' });
  if (movingId && (await categoryAndDescendants(tx, movingId)).includes(parentId)) {
    throw new ValidationError({ parent_id: 'A category cannot be moved under itself or one of its own sub-categories.' });
  }
}

const duplicate = () => new ConflictError('A category with that name already exists here.', { name: 'A category with that name already exists under the same parent.' });

export async function createCategory(tx: Tx, actor: Actor, input: CategoryInput) {
  await assertParent(tx, input.parent_id);
  try {
    const [row] = await tx.insert(categories).values({ name: input.name, parentId: input.parent_id ?? null }).returning();
    await recordAudit(tx, actor, { action: 'category.create', entityType: 'category', entityId: row.id, summary: `Created category ${row.name}`, after: row });
    return row;
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate();
    throw err;
  }
}

/** Rename and/or move under another parent (null = top level); refuses cycles. */
export async function updateCategory(tx: Tx, actor: Actor, id: string, input: UpdateCategoryInput) {
  const before = await getCategory(tx, id);
  if (input.parent_id !== undefined) await assertParent(tx, input.parent_id, id);
  try {
    const [after] = await tx
      .update(categories)
      .set({ ...(input.name !== undefined ? { name: input.name } : {}), ...(input.parent_id !== undefined ? { parentId: input.parent_id } : {}) })
      .where(eq(categories.id, id))
      .returning();
    const action = input.parent_id !== undefined && input.parent_id !== before.parentId ? 'category.move' : 'category.rename';
    await recordAudit(tx, actor, { action, entityType: 'category', entityId: id, summary: `${action === 'category.move' ? 'Moved' : 'Renamed'} category ${after.name}`, before, after });
    return after;
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate();
    throw err;
  }
}

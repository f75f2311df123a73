import { eq, sql } from 'drizzle-orm';
import { categories, products, taxClasses } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import type { Actor } from '../audit/service';
import type { RowErrors } from './cells';
import { createCategory } from '../inventory/categories';

export async function productBySku(db: DbOrTx, sku: string) {
  const [row] = await db.select().from(products).where(sql`lower(${products.sku}) = ${sku.toLowerCase()}`);
  return row ?? null;
}

export async function taxClassByName(db: DbOrTx, name: string) {
  const [row] = await db.select({ id: taxClasses.id }).from(taxClasses).where(sql`lower(${taxClasses.name}) = ${name.toLowerCase()}`);
  return row?.id ?? null;
}

/** "Band > Brass > Trumpets": finds each level under its parent, creating the missing ones (imports only). */
export async function ensureCategoryPath(tx: Tx, actor: Actor, path: string): Promise<string | null> {
  const names = path.split('>').map((s) => s.trim()).filter(Boolean);
  let parentId: string | null = null;
  for (const name of names) {
    const [found]: { id: string }[] = await tx
      .select({ id: categories.id })
      .from(categories)
      .where(parentId ? sql`${categories.parentId} = ${parentId} and lower(${categories.name}) = ${name.toLowerCase()}` : sql`${categories.parentId} is null and lower(${categories.name}) = ${name.toLowerCase()}`);
    parentId = found ? found.id : (await createCategory(tx, actor, { name, parent_id: parentId })).id;
  }
  return parentId;
}

export async function productIdByLegacy(db: DbOrTx, legacyId: string) {
  const [row] = await db.select({ id: products.id }).from(products).where(eq(products.legacyId, legacyId));
  return row?.id ?? null;
}

/**
 * The product a units/stock row names by SKU, which must exist (products are imported first) and be of the
 * kind the file is about; otherwise the reason goes into the row's errors and null comes back.
 */
export async function productOfKind(db: DbOrTx, errors: RowErrors, rawSku: string | undefined, kind: 'serialized' | 'stock') {
  const sku = (rawSku ?? '').trim();
  if (!sku) {
    errors.add('sku', 'SKU is required.');
    return null;
  }
  const product = await productBySku(db, sku);
  if (!product) errors.add('sku', `No product with SKU ${sku}; import products first.`);
  else if (product.kind !== kind) errors.add('sku', kind === 'stock' ? `${sku} is not a quantity (stock) product.` : `${sku} is not a serialized product.`);
  return product && product.kind === kind ? product : null;
}

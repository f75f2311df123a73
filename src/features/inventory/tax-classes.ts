import { asc, desc } from 'drizzle-orm';
import { taxClassComponents, taxClasses } from '../../db/schema';
import type { DbOrTx } from '../../db/client';

/** Tax classes with their components (the POS issue adds creating them and computing tax). */
export async function listTaxClasses(db: DbOrTx) {
  const rows = await db.select().from(taxClasses).orderBy(desc(taxClasses.isDefault), asc(taxClasses.name));
  const comps = await db.select().from(taxClassComponents).orderBy(asc(taxClassComponents.sortOrder), asc(taxClassComponents.name));
  return rows.map((r) => ({ ...r, components: comps.filter((c) => c.taxClassId === r.id) }));
}

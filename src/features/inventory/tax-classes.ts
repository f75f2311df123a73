import { asc, desc, eq, sql } from 'drizzle-orm';
import { taxClassComponents, taxClasses } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { ConflictError } from '../service-errors';
import { isUniqueViolation } from '../../db/sql-helpers';
import { formatMillipercent } from '../../domain/rounding';
import type { CreateTaxClassInput } from './schemas';

/** Tax classes with their components (the POS computes tax with them). */
export async function listTaxClasses(db: DbOrTx) {
  const rows = await db.select().from(taxClasses).orderBy(desc(taxClasses.isDefault), asc(taxClasses.name));
  const comps = await db.select().from(taxClassComponents).orderBy(asc(taxClassComponents.sortOrder), asc(taxClassComponents.name));
  return rows.map((r) => ({ ...r, components: comps.filter((c) => c.taxClassId === r.id) }));
}

export type TaxClassView = Awaited<ReturnType<typeof listTaxClasses>>[number];

const duplicate = () => new ConflictError('A tax class with that name already exists.', { name: 'A tax class with that name already exists.' });

/**
 * A new tax class: one rate becomes one component named after the class; components keep the given order.
 * is_default moves the default here in the same transaction (products created without a class get it).
 */
export async function createTaxClass(tx: Tx, actor: Actor, input: CreateTaxClassInput): Promise<TaxClassView> {
  // The unique index is case-sensitive ("Standard" vs "standard"); serialize creates so the case-insensitive
  // check below can't race, and so two concurrent "is_default" creates can't both end up default.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('forte:tax-class-create'))`);
  const [clash] = await tx.select({ id: taxClasses.id }).from(taxClasses).where(sql`lower(${taxClasses.name}) = ${input.name.toLowerCase()}`);
  if (clash) throw duplicate();
  const components = input.components ?? [{ name: input.name, rate_millipercent: input.rate_millipercent! }];
  try {
    if (input.is_default) await tx.update(taxClasses).set({ isDefault: false }).where(eq(taxClasses.isDefault, true));
    const [row] = await tx.insert(taxClasses).values({ name: input.name, isDefault: input.is_default }).returning();
    const comps = await tx
      .insert(taxClassComponents)
      .values(components.map((c, i) => ({ taxClassId: row.id, name: c.name, rateMillipercent: c.rate_millipercent, sortOrder: i })))
      .returning();
    const view = { ...row, components: comps.sort((a, b) => a.sortOrder - b.sortOrder) };
    const total = comps.reduce((s, c) => s + c.rateMillipercent, 0);
    await recordAudit(tx, actor, {
      action: 'tax_class.create', entityType: 'tax_class', entityId: row.id,
      summary: `Created tax class ${row.name} (${formatMillipercent(total)})${row.isDefault ? ' as the default' : ''}`,
      after: { ...row, components: comps.map((c) => ({ name: c.name, rateMillipercent: c.rateMillipercent })) },
    });
    return view;
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate();
    throw err;
  }
}

import { asc, eq, sql } from 'drizzle-orm';
import { namedDiscounts } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { isUniqueViolation, isUuid } from '../../db/sql-helpers';
import { ConflictError, NotFoundError } from '../service-errors';
import { formatCents } from '../../domain/money';
import { formatMillipercent } from '../../domain/rounding';
import type { CreateDiscountInput, UpdateDiscountInput } from './schemas';

/**
 * Named discounts: the list the sale screen offers (pos.md "Discounts"). Settings managers add, rename and
 * (de)activate them; the value of a discount never changes, so what a sale recorded keeps its meaning. Names are
 * unique case-insensitively (index named_discounts_name_lower_key).
 */

export type NamedDiscount = typeof namedDiscounts.$inferSelect;

const NAME_TAKEN = 'Another discount already has this name.';
const nameTaken = (err: unknown) => {
  if (isUniqueViolation(err, 'named_discounts_name_lower_key')) throw new ConflictError(NAME_TAKEN, { name: NAME_TAKEN });
  throw err;
};

/** "10%", "12.5%" or "$5.00". */
export const describeDiscount = (d: Pick<NamedDiscount, 'kind' | 'percentMillipercent' | 'amountCents'>): string =>
  d.kind === 'percent' ? formatMillipercent(d.percentMillipercent ?? 0) : formatCents(d.amountCents ?? 0);

/** Active first, then by name (case-insensitively); `activeOnly` for the sale screen. */
export async function listNamedDiscounts(db: DbOrTx, opts: { activeOnly?: boolean } = {}): Promise<NamedDiscount[]> {
  return db
    .select()
    .from(namedDiscounts)
    .where(opts.activeOnly ? eq(namedDiscounts.active, true) : undefined)
    .orderBy(sql`${namedDiscounts.active} desc`, asc(sql`lower(${namedDiscounts.name})`));
}

export async function getNamedDiscount(db: DbOrTx, id: string): Promise<NamedDiscount> {
  if (!isUuid(id)) throw new NotFoundError('Discount');
  const [row] = await db.select().from(namedDiscounts).where(eq(namedDiscounts.id, id));
  if (!row) throw new NotFoundError('Discount');
  return row;
}

export async function createNamedDiscount(tx: Tx, actor: Actor, input: CreateDiscountInput): Promise<NamedDiscount> {
  const [row] = await tx
    .insert(namedDiscounts)
    .values({
      name: input.name,
      kind: input.kind,
      percentMillipercent: input.kind === 'percent' ? input.percent_millipercent! : null,
      amountCents: input.kind === 'amount' ? input.amount_cents! : null,
      active: input.active ?? true,
    })
    .returning()
    .catch(nameTaken);
  await recordAudit(tx, actor, { action: 'discount.create', entityType: 'named_discount', entityId: row.id, summary: `Discount "${row.name}" (${describeDiscount(row)}) added${row.active ? '' : ' inactive'}`, after: row });
  return row;
}

export async function updateNamedDiscount(tx: Tx, actor: Actor, id: string, input: UpdateDiscountInput): Promise<NamedDiscount> {
  const before = await getNamedDiscount(tx, id);
  const [after] = await tx
    .update(namedDiscounts)
    .set({ ...(input.name !== undefined ? { name: input.name } : {}), ...(input.active !== undefined ? { active: input.active } : {}), updatedAt: new Date() })
    .where(eq(namedDiscounts.id, before.id))
    .returning()
    .catch(nameTaken);
  const what = [input.name !== undefined && input.name !== before.name ? `renamed to "${after.name}"` : null, input.active !== undefined && input.active !== before.active ? (after.active ? 'activated' : 'deactivated') : null].filter(Boolean).join(', ');
  await recordAudit(tx, actor, { action: 'discount.update', entityType: 'named_discount', entityId: id, summary: `Discount "${before.name}" ${what || 'saved unchanged'}`, before, after });
  return after;
}

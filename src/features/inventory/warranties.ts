import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { inventoryUnits, unitWarranties, warrantyClaims } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { NotFoundError } from '../service-errors';
import { isValidBusinessDate, type BusinessDate } from '../../domain/business-date';
import { formatCents } from '../../domain/money';
import type { ListQuery } from '../../ui/list';
import { recordUnitEvent } from './unit-lifecycle';
import { isUuid } from '../../db/sql-helpers';

/** Warranty records per serialized unit (manufacturer / store / extended) and the claims made under them. */

export const WARRANTY_KINDS = ['manufacturer', 'store', 'extended'] as const;
export const WARRANTY_KIND_LABELS: Record<(typeof WARRANTY_KINDS)[number], string> = { manufacturer: 'Manufacturer', store: 'Store', extended: 'Extended' };
export const CLAIM_STATUSES = ['open', 'approved', 'denied', 'closed'] as const;
export const WARRANTY_SORTS = ['starts_on', 'ends_on', 'kind', 'created_at'] as const;

const text = (max: number, label: string) => z.string({ error: `${label} must be text.` }).trim().max(max, `${label} must be at most ${max} characters.`);
const date = (label: string) => z.string({ error: `${label} is required.` }).trim().refine(isValidBusinessDate, `${label} must be a real date written YYYY-MM-DD.`);

export const warrantySchema = z
  .object({
    kind: z.enum(WARRANTY_KINDS, { error: 'Kind must be manufacturer, store or extended.' }),
    provider: text(100, 'Provider').default(''),
    starts_on: date('Start date'),
    ends_on: date('End date'),
    terms: text(2000, 'Terms').default(''),
    price_cents: z.number({ error: 'Price must be a whole number of cents.' }).int('Price must be a whole number of cents.').min(0, "Price can't be negative.").max(1_000_000_000_00, 'Price is too large.').default(0),
  })
  // Strings in YYYY-MM-DD compare correctly as text.
  .refine((w) => w.ends_on >= w.starts_on, { path: ['ends_on'], message: 'End date must be on or after the start date.' });
export type WarrantyInput = z.infer<typeof warrantySchema>;

export const claimSchema = z.object({
  claimed_on: date('Claim date').optional().describe('Defaults to the store\'s business date'),
  description: z.string({ error: 'Description is required.' }).trim().min(1, 'Description is required.').max(2000, 'Description must be at most 2000 characters.'),
  reference: text(100, 'Reference').default(''),
});
export type ClaimInput = z.infer<typeof claimSchema>;

export const claimStatusSchema = z
  .object({
    status: z.enum(CLAIM_STATUSES, { error: 'Status must be open, approved, denied or closed.' }),
    resolution: text(2000, 'Resolution').default(''),
  })
  // A decided claim says how it was decided; reopening needs no words.
  .refine((c) => c.status === 'open' || c.resolution.length > 0, { path: ['resolution'], message: 'Say how the claim was resolved.' });
export type ClaimStatusInput = z.infer<typeof claimStatusSchema>;

export type Warranty = typeof unitWarranties.$inferSelect;
export type Claim = typeof warrantyClaims.$inferSelect;
export type CoverageState = 'active' | 'expired' | 'upcoming';

/** Coverage on a business date: a warranty covers its start and end days inclusive. */
export function coverageOn(w: Pick<Warranty, 'startsOn' | 'endsOn'>, day: BusinessDate): CoverageState {
  if (day > w.endsOn) return 'expired';
  if (day < w.startsOn) return 'upcoming';
  return 'active';
}

/** A claim made on a day the warranty did not cover is kept (the store may still pursue it) but flagged. */
export const isOutsideCoverage = (w: Pick<Warranty, 'startsOn' | 'endsOn'>, c: Pick<Claim, 'claimedOn'>) => coverageOn(w, c.claimedOn) !== 'active';

export interface ClaimView extends Claim {
  outsideCoverage: boolean;
}
export interface WarrantyView extends Warranty {
  coverage: CoverageState;
  active: boolean;
  expired: boolean;
  claims: ClaimView[];
}

const SORT_COLUMNS = { starts_on: unitWarranties.startsOn, ends_on: unitWarranties.endsOn, kind: unitWarranties.kind, created_at: unitWarranties.createdAt } as const;

/** A unit's warranties with their claims and coverage judged on `today` (the store's business date). */
export async function listUnitWarranties(db: DbOrTx, unitId: string, today: BusinessDate, query?: ListQuery): Promise<{ rows: WarrantyView[]; total: number }> {
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(unitWarranties).where(eq(unitWarranties.unitId, unitId));
  const col = SORT_COLUMNS[(query?.sort ?? 'starts_on') as keyof typeof SORT_COLUMNS] ?? unitWarranties.startsOn;
  const order = query?.order === 'desc' ? sql`desc` : sql`asc`;
  let q = db
    .select()
    .from(unitWarranties)
    .where(eq(unitWarranties.unitId, unitId))
    .orderBy(sql`${col} ${order}`, asc(unitWarranties.createdAt), asc(unitWarranties.id))
    .$dynamic();
  if (query) q = q.limit(query.limit).offset((query.page - 1) * query.limit);
  const warranties = await q;
  const claims = warranties.length
    ? await db.select().from(warrantyClaims).where(inArray(warrantyClaims.warrantyId, warranties.map((w) => w.id))).orderBy(asc(warrantyClaims.claimedOn), asc(warrantyClaims.createdAt))
    : [];
  const rows = warranties.map((w) => {
    const coverage = coverageOn(w, today);
    return { ...w, coverage, active: coverage === 'active', expired: coverage === 'expired', claims: claims.filter((c) => c.warrantyId === w.id).map((c) => ({ ...c, outsideCoverage: isOutsideCoverage(w, c) })) };
  });
  return { rows, total };
}

export async function getWarranty(db: DbOrTx, id: string): Promise<Warranty> {
  if (!isUuid(id)) throw new NotFoundError('Warranty');
  const [row] = await db.select().from(unitWarranties).where(eq(unitWarranties.id, id));
  if (!row) throw new NotFoundError('Warranty');
  return row;
}

export async function getClaim(db: DbOrTx, id: string): Promise<Claim & { unitId: string }> {
  if (!isUuid(id)) throw new NotFoundError('Warranty claim');
  const [row] = await db.select({ claim: warrantyClaims, unitId: unitWarranties.unitId }).from(warrantyClaims).innerJoin(unitWarranties, eq(unitWarranties.id, warrantyClaims.warrantyId)).where(eq(warrantyClaims.id, id));
  if (!row) throw new NotFoundError('Warranty claim');
  return { ...row.claim, unitId: row.unitId };
}

const kindWord = (kind: string) => WARRANTY_KIND_LABELS[kind as keyof typeof WARRANTY_KIND_LABELS] ?? kind;

/** Records a warranty on a unit: the row, a passport entry and an audit row, on one transaction. */
export async function addWarranty(tx: Tx, actor: Actor, unitId: string, input: WarrantyInput): Promise<Warranty> {
  if (!isUuid(unitId)) throw new NotFoundError('Unit');
  const [unit] = await tx.select({ id: inventoryUnits.id, serialNumber: inventoryUnits.serialNumber }).from(inventoryUnits).where(eq(inventoryUnits.id, unitId));
  if (!unit) throw new NotFoundError('Unit');
  const [warranty] = await tx
    .insert(unitWarranties)
    .values({ unitId, kind: input.kind, provider: input.provider, startsOn: input.starts_on, endsOn: input.ends_on, terms: input.terms, priceCents: input.price_cents })
    .returning();
  const by = input.provider ? ` by ${input.provider}` : '';
  const price = input.price_cents ? `, sold for ${formatCents(input.price_cents)}` : '';
  const summary = `${kindWord(input.kind)} warranty${by}, ${input.starts_on} to ${input.ends_on}${price}`;
  await recordUnitEvent(tx, actor, { unitId, eventType: 'warranty', summary, referenceType: 'unit_warranty', referenceId: warranty.id });
  await recordAudit(tx, actor, { action: 'unit_warranty.create', entityType: 'unit_warranty', entityId: warranty.id, summary: `${unit.serialNumber}: ${summary}`, after: warranty });
  return warranty;
}

/** Files a claim under a warranty; a claim dated outside the coverage is accepted and reported as such. */
export async function addClaim(tx: Tx, actor: Actor, warrantyId: string, input: ClaimInput, today: BusinessDate): Promise<ClaimView> {
  if (!isUuid(warrantyId)) throw new NotFoundError('Warranty');
  const [warranty] = await tx.select().from(unitWarranties).where(eq(unitWarranties.id, warrantyId)).for('update');
  if (!warranty) throw new NotFoundError('Warranty');
  const [claim] = await tx
    .insert(warrantyClaims)
    .values({ warrantyId, claimedOn: input.claimed_on ?? today, description: input.description, reference: input.reference, status: 'open' })
    .returning();
  const outsideCoverage = isOutsideCoverage(warranty, claim);
  const summary = `Claim filed under the ${kindWord(warranty.kind).toLowerCase()} warranty${outsideCoverage ? ' (outside coverage)' : ''}: ${input.description.slice(0, 200)}`;
  await recordUnitEvent(tx, actor, { unitId: warranty.unitId, eventType: 'warranty_claim', summary, referenceType: 'warranty_claim', referenceId: claim.id });
  await recordAudit(tx, actor, { action: 'warranty_claim.create', entityType: 'warranty_claim', entityId: claim.id, summary, after: { ...claim, outsideCoverage } });
  return { ...claim, outsideCoverage };
}

/** Moves a claim to a status with a resolution; audited with before/after. */
export async function changeClaimStatus(tx: Tx, actor: Actor, claimId: string, input: ClaimStatusInput): Promise<Claim> {
  if (!isUuid(claimId)) throw new NotFoundError('Warranty claim');
  const [before] = await tx.select().from(warrantyClaims).where(eq(warrantyClaims.id, claimId)).for('update');
  if (!before) throw new NotFoundError('Warranty claim');
  const [after] = await tx
    .update(warrantyClaims)
    .set({ status: input.status, resolution: input.resolution, updatedAt: sql`now()` })
    .where(and(eq(warrantyClaims.id, claimId)))
    .returning();
  await recordAudit(tx, actor, { action: 'warranty_claim.status', entityType: 'warranty_claim', entityId: claimId, summary: `Warranty claim ${before.status} → ${input.status}${input.resolution ? `: ${input.resolution.slice(0, 200)}` : ''}`, before, after });
  return after;
}

/**
 * Which warranty form on the unit page came back with errors, and what was typed: `form` is 'warranty' (add),
 * 'claim' (under warrantyId) or 'status' (of claimId). A plain view-model for the template.
 */
export interface WarrantyFormState {
  form?: 'warranty' | 'claim' | 'status';
  warrantyId?: string;
  claimId?: string;
  values?: Record<string, unknown>;
  errors?: Record<string, string>;
}

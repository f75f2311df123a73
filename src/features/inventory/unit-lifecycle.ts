import { eq, sql } from 'drizzle-orm';
import { inventoryUnits, products, unitEvents, UNIT_STATUSES } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import { postUnitAcquisition, postUnitTransition } from '../ledger/inventory-postings';

export type UnitStatus = (typeof UNIT_STATUSES)[number];

export interface UnitEventInput {
  unitId: string;
  eventType: string;
  summary: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  referenceType?: string | null;
  referenceId?: string | null;
}

/** Appends one entry to a unit's passport. */
export async function recordUnitEvent(tx: DbOrTx, actor: Actor, e: UnitEventInput) {
  await tx.insert(unitEvents).values({
    unitId: e.unitId,
    eventType: e.eventType,
    summary: e.summary,
    fromStatus: e.fromStatus ?? null,
    toStatus: e.toStatus ?? null,
    referenceType: e.referenceType ?? null,
    referenceId: e.referenceId ?? null,
    actorUserId: actor.userId,
    actorLabel: actor.label,
  });
}

export interface NewUnit {
  productId: string;
  serialNumber: string;
  condition?: string;
  costCents: number;
  acquiredOn?: string | null;
  acquiredVia: 'purchase' | 'trade_in' | 'import' | 'other';
  location?: string;
  notes?: string;
  legacyId?: string | null;
  /** Passport wording and link for the acquisition, e.g. "Received on PO-000012". */
  acquisitionSummary: string;
  referenceType?: string;
  referenceId?: string;
  /** Business date of the journal entry (YYYY-MM-DD); default: today in the store's time zone. */
  entryDate?: string | null;
  /** A trade-in at the POS posts the unit's cost in its own entry (against store credit or the sale) and says so. */
  journal?: 'posted_by_caller';
}

/**
 * Creates a serialized unit (status available), its first passport entry and the journal entry putting its
 * cost on the books (see ledger/inventory-postings.ts). Serials are unique per product, case-insensitively.
 */
export async function createUnit(tx: Tx, actor: Actor, input: NewUnit) {
  const serial = input.serialNumber.trim();
  if (!serial) throw new ValidationError({ serial_number: 'Serial number is required.' });
  if (serial.length > 100) throw new ValidationError({ serial_number: 'Serial number must be at most 100 characters.' });
  // Key-share lock: a concurrent change of the product's rentable flag (which moves its units' cost) finishes
  // first, so the account this unit is posted to matches the flag it is created under.
  const [product] = await tx.select({ id: products.id, kind: products.kind, sku: products.sku, rentable: products.rentable }).from(products).where(eq(products.id, input.productId)).for('key share');
  if (!product) throw new NotFoundError('Product');
  if (product.kind !== 'serialized') throw new ValidationError({ product_id: `${product.sku} is not a serialized product.` });
  const [clash] = await tx
    .select({ id: inventoryUnits.id })
    .from(inventoryUnits)
    .where(sql`${inventoryUnits.productId} = ${input.productId} and lower(${inventoryUnits.serialNumber}) = ${serial.toLowerCase()}`);
  if (clash) throw new ConflictError(`Serial ${serial} already exists for ${product.sku}.`, { serial_number: 'This serial number already exists for this product.' });
  const [unit] = await tx
    .insert(inventoryUnits)
    .values({
      productId: input.productId,
      serialNumber: serial,
      condition: input.condition ?? 'new',
      status: 'available',
      costCents: input.costCents,
      acquiredOn: input.acquiredOn ?? null,
      acquiredVia: input.acquiredVia,
      location: input.location ?? '',
      notes: input.notes ?? '',
      legacyId: input.legacyId ?? null,
    })
    .returning();
  await recordUnitEvent(tx, actor, { unitId: unit.id, eventType: 'acquired', summary: input.acquisitionSummary, toStatus: 'available', referenceType: input.referenceType, referenceId: input.referenceId });
  if (input.journal !== 'posted_by_caller') {
    await postUnitAcquisition(tx, actor, {
      unitId: unit.id,
      serialNumber: unit.serialNumber,
      sku: product.sku,
      productRentable: product.rentable,
      costCents: unit.costCents,
      acquiredVia: input.acquiredVia,
      referenceType: input.referenceType,
      referenceId: input.referenceId,
      entryDate: input.entryDate,
    });
  }
  return unit;
}

export interface TransitionOptions {
  expectedFrom?: UnitStatus[];
  eventType: string;
  summary: string;
  referenceType?: string;
  referenceId?: string;
  /** Why, for the journal memo (manager overrides). */
  reason?: string;
  /** Business date of any journal entry (YYYY-MM-DD); default: today in the store's time zone. */
  entryDate?: string | null;
  /**
   * A transition that moves the unit's cost between accounts (a sale takes it off the books, a rental of a
   * for-sale unit moves it to the fleet) is posted by the service doing it, which says so here. Overrides and
   * imports are posted by the lifecycle itself; anything else that moves value without this flag throws.
   */
  journal?: 'posted_by_caller';
}

/**
 * Moves a unit to a new status because of a business action (sale, rental start, repair intake …).
 * `expectedFrom` guards against two actions racing for the same unit (row lock + check).
 */
export async function transitionUnit(tx: Tx, actor: Actor, unitId: string, to: UnitStatus, opts: TransitionOptions) {
  const [unit] = await tx.select().from(inventoryUnits).where(eq(inventoryUnits.id, unitId)).for('update');
  if (!unit) throw new NotFoundError('Unit');
  if (opts.expectedFrom && !opts.expectedFrom.includes(unit.status as UnitStatus)) {
    throw new ConflictError(`Unit ${unit.serialNumber} is ${unit.status.replace('_', ' ')}, not ${opts.expectedFrom.join(' or ')}.`);
  }
  await tx.update(inventoryUnits).set({ status: to, updatedAt: sql`now()` }).where(eq(inventoryUnits.id, unitId));
  await recordUnitEvent(tx, actor, { unitId, eventType: opts.eventType, summary: opts.summary, fromStatus: unit.status, toStatus: to, referenceType: opts.referenceType, referenceId: opts.referenceId });
  if (opts.journal !== 'posted_by_caller') {
    const [product] = await tx.select({ rentable: products.rentable }).from(products).where(eq(products.id, unit.productId));
    await postUnitTransition(tx, actor, { unitId, serialNumber: unit.serialNumber, productRentable: product.rentable, costCents: unit.costCents, fromStatus: unit.status, toStatus: to, eventType: opts.eventType, reason: opts.reason, entryDate: opts.entryDate });
  }
  return { ...unit, status: to };
}

/** A manager's manual status change: needs a reason; audited and on the passport. */
export async function overrideUnitStatus(tx: Tx, actor: Actor, unitId: string, to: string, reason: string) {
  if (!(UNIT_STATUSES as readonly string[]).includes(to)) throw new ValidationError({ status: 'Unknown status.' });
  const why = reason.trim();
  if (why.length < 3) throw new ValidationError({ reason: 'Say why the status is changed (at least 3 characters).' });
  if (why.length > 500) throw new ValidationError({ reason: 'Reason must be at most 500 characters.' });
  const before = await tx.select().from(inventoryUnits).where(eq(inventoryUnits.id, unitId));
  if (!before[0]) throw new NotFoundError('Unit');
  if (before[0].status === to) throw new ValidationError({ status: `The unit is already ${to}.` });
  const after = await transitionUnit(tx, actor, unitId, to as UnitStatus, { eventType: 'status_override', summary: `Status changed by ${actor.label}: ${why}`, reason: why });
  await recordAudit(tx, actor, { action: 'unit.status_override', entityType: 'inventory_unit', entityId: unitId, summary: `${before[0].serialNumber}: ${before[0].status} → ${to} (${why})`, before: before[0], after });
  return after;
}

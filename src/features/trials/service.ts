import { asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { findByIdOrNumber } from '../../db/find-by-number';
import { accounts, inventoryUnits, products, sales, trials } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit } from '../audit/service';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import { nextInSeries } from '../numbering';
import { containsPattern, isUuid } from '../../db/sql-helpers';
import { addDays, daysBetween, type BusinessDate } from '../../domain/business-date';
import type { ListQuery } from '../../ui/list';
import { transitionUnit } from '../inventory/unit-lifecycle';
import type { SaleContext } from '../sales/context';
import { loadAccount } from '../sales/pricing';
import { DEFAULT_TRIAL_DAYS, MAX_TRIAL_DAYS, TRIAL_SORTS, type StartTrialInput } from './schemas';

/**
 * In-home trials, "approval" (pos.md "Layaway, special orders, trade-ins, trials"; docs/layaway-orders-trials.md):
 * a unit goes home with a customer for N days (status on_trial). No money moves and the unit stays Inventory
 * (or Rental fleet), so nothing is posted. It comes back (available again) or the customer buys it: a sale of
 * that unit to the same account (POST /api/v1/sales), which checkout allows for an on_trial unit and which
 * marks the trial converted.
 */

export type Trial = typeof trials.$inferSelect;

export async function findTrial(db: DbOrTx, idOrNumber: string, opts: { lock?: boolean } = {}): Promise<Trial> {
  return findByIdOrNumber(db, trials, 'T', 'Trial', idOrNumber, opts);
}

export async function startTrial(tx: Tx, sc: SaleContext, input: StartTrialInput, now: Date = new Date()): Promise<Trial> {
  const account = (await loadAccount(tx, input.account_id))!;
  if (!account.isActive) throw new ValidationError({ account_id: `${account.name} is inactive.` });
  const [unit] = await tx.select({ id: inventoryUnits.id, serial: inventoryUnits.serialNumber, status: inventoryUnits.status, sku: products.sku, sellable: products.sellable }).from(inventoryUnits).innerJoin(products, eq(products.id, inventoryUnits.productId)).where(eq(inventoryUnits.id, input.unit_id)).for('update', { of: inventoryUnits });
  if (!unit) throw new ValidationError({ unit_id: 'No such unit.' });
  if (!unit.sellable) throw new ValidationError({ unit_id: `${unit.sku} is not for sale; only units for sale go out on trial.` });
  if (unit.status !== 'available') throw new ConflictError(`Unit ${unit.serial} is ${unit.status.replace('_', ' ')}, not available.`, { unit_id: `This unit is ${unit.status.replace('_', ' ')}.` });
  const dueOn = input.due_on ?? addDays(sc.today, input.days ?? DEFAULT_TRIAL_DAYS);
  if (dueOn <= sc.today) throw new ValidationError({ due_on: 'The due date must be after today.' });
  if (daysBetween(sc.today, dueOn) > MAX_TRIAL_DAYS) throw new ValidationError({ due_on: `A trial lasts at most ${MAX_TRIAL_DAYS} days.` });
  const number = await nextInSeries(tx, 'trial', 'T-');
  const [row] = await tx.insert(trials).values({ number, accountId: account.id, unitId: unit.id, outOn: sc.today, dueOn, note: input.note ?? '', createdByLabel: sc.actor.label, createdAt: now }).returning();
  // available → on_trial keeps the unit's cost where it is, so the lifecycle posts nothing (and would refuse if it moved).
  await transitionUnit(tx, sc.actor, unit.id, 'on_trial', { expectedFrom: ['available'], eventType: 'trial_out', summary: `Out on trial ${number} with ${account.name}, due back ${dueOn}`, referenceType: 'trial', referenceId: row.id });
  await recordAudit(tx, sc.actor, { action: 'trial.start', entityType: 'trial', entityId: row.id, summary: `${number}: ${unit.sku} #${unit.serial} out with ${account.name} until ${dueOn}`, after: row });
  return row;
}

export async function returnTrial(tx: Tx, sc: SaleContext, idOrNumber: string, note?: string, now: Date = new Date()): Promise<Trial> {
  const trial = await findTrial(tx, idOrNumber, { lock: true });
  if (trial.status !== 'out') throw new ConflictError(`Trial ${trial.number} is ${trial.status}.`);
  await transitionUnit(tx, sc.actor, trial.unitId, 'available', { expectedFrom: ['on_trial'], eventType: 'trial_returned', summary: `Back from trial ${trial.number}${note ? `: ${note}` : ''}`, referenceType: 'trial', referenceId: trial.id });
  const [after] = await tx.update(trials).set({ status: 'returned', closedAt: now }).where(eq(trials.id, trial.id)).returning();
  await recordAudit(tx, sc.actor, { action: 'trial.return', entityType: 'trial', entityId: trial.id, summary: `${trial.number} returned${note ? `: ${note}` : ''}`, before: { status: 'out' }, after: { status: 'returned' } });
  return after;
}

export interface TrialRow {
  id: string;
  number: string;
  accountId: string;
  accountName: string;
  unitId: string;
  serialNumber: string;
  productSku: string;
  productName: string;
  priceCents: number;
  status: string;
  outOn: string;
  dueOn: string;
  saleId: string | null;
  saleNumber: string | null;
  createdAt: Date;
}

export const isOverdue = (t: Pick<TrialRow, 'status' | 'dueOn'>, today: BusinessDate) => t.status === 'out' && t.dueOn < today;

const rowSelect = (db: DbOrTx) =>
  db
    .select({ id: trials.id, number: trials.number, accountId: trials.accountId, accountName: accounts.name, unitId: trials.unitId, serialNumber: inventoryUnits.serialNumber, productSku: products.sku, productName: products.name, priceCents: products.priceCents, status: trials.status, outOn: trials.outOn, dueOn: trials.dueOn, saleId: trials.saleId, saleNumber: sales.number, createdAt: trials.createdAt })
    .from(trials)
    .innerJoin(accounts, eq(accounts.id, trials.accountId))
    .innerJoin(inventoryUnits, eq(inventoryUnits.id, trials.unitId))
    .innerJoin(products, eq(products.id, inventoryUnits.productId))
    .leftJoin(sales, eq(sales.id, trials.saleId));

export async function trialView(db: DbOrTx, idOrNumber: string): Promise<TrialRow & { note: string; createdBy: string; closedAt: Date | null }> {
  const trial = await findTrial(db, idOrNumber);
  const [row] = await rowSelect(db).where(eq(trials.id, trial.id));
  return { ...row, note: trial.note, createdBy: trial.createdByLabel, closedAt: trial.closedAt };
}

/** Trials by status; `overdue` = out and past the due date (the call list). */
export async function listTrials(db: DbOrTx, filter: { status?: string | null; overdue?: boolean; accountId?: string | null; today: BusinessDate }, query: ListQuery): Promise<{ rows: TrialRow[]; total: number }> {
  const conds: SQL[] = [sql`true`];
  if (filter.status) conds.push(eq(trials.status, filter.status));
  if (filter.overdue) conds.push(sql`${trials.status} = 'out' and ${trials.dueOn} < ${filter.today}::date`);
  if (filter.accountId) conds.push(eq(trials.accountId, filter.accountId));
  if (query.q) conds.push(sql`lower(${trials.number} || ' ' || ${accounts.name} || ' ' || ${products.sku} || ' ' || ${products.name} || ' ' || ${inventoryUnits.serialNumber}) like ${containsPattern(query.q)}`);
  const where = sql.join(conds, sql` and `);
  const dir = query.order === 'asc' ? asc : desc;
  const order = {
    due_on: [dir(trials.dueOn), asc(trials.number)],
    out_on: [dir(trials.outOn), asc(trials.number)],
    number: [dir(trials.number)],
    account: [dir(sql`lower(${accounts.name})`), asc(trials.number)],
  }[query.sort as (typeof TRIAL_SORTS)[number]] ?? [asc(trials.dueOn)];
  const rows = await rowSelect(db).where(where).orderBy(...order).limit(query.limit).offset((query.page - 1) * query.limit);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(trials).innerJoin(accounts, eq(accounts.id, trials.accountId)).innerJoin(inventoryUnits, eq(inventoryUnits.id, trials.unitId)).innerJoin(products, eq(products.id, inventoryUnits.productId)).where(where);
  return { rows, total: n };
}

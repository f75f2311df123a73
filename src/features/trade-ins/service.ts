import { asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { findByIdOrNumber } from '../../db/find-by-number';
import { accounts, inventoryUnits, products, tradeIns } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit } from '../audit/service';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import { nextInSeries } from '../numbering';
import { containsPattern, isUuid } from '../../db/sql-helpers';
import { formatCents } from '../../domain/money';
import type { ListQuery } from '../../ui/list';
import { createUnit } from '../inventory/unit-lifecycle';
import { postEvent } from '../ledger/journal';
import { unitAssetAccount } from '../ledger/posting-rules';
import { approverFor, type ApprovalRequest, type SaleContext } from '../sales/context';
import { loadAccount } from '../sales/pricing';
import { changeStoreCredit, storeCreditBalance } from '../sales/stored-value';
import { TRADE_IN_SORTS, type AppraiseTradeInInput } from './schemas';

/**
 * Trade-ins (pos.md "Layaway, special orders, trade-ins, trials"; docs/layaway-orders-trials.md). An appraisal
 * records the instrument (a serialized product model, serial, condition) and the value offered; accepting it —
 * at once or later — creates the unit at that value as its cost (acquired via trade-in; createUnit posts
 * nothing itself) and gives the customer that much store credit, posted by the trade_in rule as
 * Dr Inventory (or Rental fleet) / Cr Store credit liability. "Applied to the sale" is the customer paying
 * with that store credit: a tender, so the sale's tax stays on its full price.
 * Accepting gives value away, so it needs pos.refund or a manager's PIN.
 */

export type TradeIn = typeof tradeIns.$inferSelect;

export async function findTradeIn(db: DbOrTx, idOrNumber: string, opts: { lock?: boolean } = {}): Promise<TradeIn> {
  return findByIdOrNumber(db, tradeIns, 'TI', 'Trade-in', idOrNumber, opts);
}

async function assertSerialFree(db: DbOrTx, productId: string, serial: string, sku: string) {
  const [clash] = await db.select({ id: inventoryUnits.id }).from(inventoryUnits).where(sql`${inventoryUnits.productId} = ${productId} and lower(${inventoryUnits.serialNumber}) = ${serial.toLowerCase()}`);
  if (clash) throw new ConflictError(`Serial ${serial} already exists for ${sku}.`, { serial_number: 'A unit with this serial number already exists for this product.' });
}

/** Records an appraisal (TI-000001); with `accept` it is accepted in the same transaction. */
export async function appraiseTradeIn(tx: Tx, sc: SaleContext, input: AppraiseTradeInInput, now: Date = new Date()): Promise<TradeIn> {
  const account = (await loadAccount(tx, input.account_id))!;
  if (!account.isActive) throw new ValidationError({ account_id: `${account.name} is inactive.` });
  const [product] = await tx.select({ id: products.id, sku: products.sku, name: products.name, kind: products.kind }).from(products).where(eq(products.id, input.product_id));
  if (!product) throw new ValidationError({ product_id: 'No such product.' });
  if (product.kind !== 'serialized') throw new ValidationError({ product_id: `${product.sku} is not a serialized product; a trade-in becomes a unit with a serial number.` });
  await assertSerialFree(tx, product.id, input.serial_number, product.sku);
  const number = await nextInSeries(tx, 'trade_in', 'TI-');
  const [row] = await tx
    .insert(tradeIns)
    .values({ number, accountId: account.id, productId: product.id, serialNumber: input.serial_number, condition: input.condition, valueCents: input.value_cents, note: input.note ?? '', createdByLabel: sc.actor.label, createdAt: now })
    .returning();
  await recordAudit(tx, sc.actor, { action: 'trade_in.appraise', entityType: 'trade_in', entityId: row.id, summary: `${number}: ${product.sku} #${input.serial_number} (${input.condition}) from ${account.name} appraised at ${formatCents(input.value_cents)}`, after: row });
  return input.accept ? acceptTradeIn(tx, sc, row.id, input.approval) : row;
}

/** Accepts an appraisal: the unit at the trade-in value as cost, store credit of the same amount, one entry. */
export async function acceptTradeIn(tx: Tx, sc: SaleContext, idOrNumber: string, approval?: ApprovalRequest): Promise<TradeIn> {
  const ti = await findTradeIn(tx, idOrNumber, { lock: true });
  if (ti.unitId) throw new ConflictError(`Trade-in ${ti.number} was already accepted.`);
  const approver = await approverFor(sc, 'pos.refund', approval, `Accepting a trade-in for ${formatCents(ti.valueCents)} of store credit`, ['trade_in']);
  const account = (await loadAccount(tx, ti.accountId))!;
  const [product] = await tx.select({ sku: products.sku, rentable: products.rentable }).from(products).where(eq(products.id, ti.productId));
  const memo = `Trade-in ${ti.number}: ${product.sku} #${ti.serialNumber} from ${account.name}`;
  const unit = await createUnit(tx, sc.actor, {
    productId: ti.productId,
    serialNumber: ti.serialNumber,
    condition: ti.condition,
    costCents: ti.valueCents,
    acquiredOn: sc.today,
    acquiredVia: 'trade_in',
    notes: ti.note,
    acquisitionSummary: `Taken in trade on ${ti.number} from ${account.name} at ${formatCents(ti.valueCents)} (condition ${ti.condition})${approver.userId !== sc.actor.userId ? `, approved by ${approver.label}` : ''}`,
    referenceType: 'trade_in',
    referenceId: ti.id,
    // The trade_in rule below posts the unit's cost against the customer's store credit.
    journal: 'posted_by_caller',
  });
  const entry = await postEvent(tx, sc.actor, 'trade_in', { asset: unitAssetAccount('available', product.rentable)!, valueCents: ti.valueCents, party: { type: 'customer', id: ti.accountId }, memo }, { sourceType: 'trade_in', sourceId: ti.id, memo, date: sc.today });
  await changeStoreCredit(tx, sc.actor, ti.accountId, ti.valueCents, 'trade_in', { sourceType: 'trade_in', sourceId: ti.id, memo });
  const [after] = await tx.update(tradeIns).set({ unitId: unit.id, journalEntryId: entry?.id ?? null }).where(eq(tradeIns.id, ti.id)).returning();
  await recordAudit(tx, sc.actor, { action: 'trade_in.accept', entityType: 'trade_in', entityId: ti.id, summary: `${ti.number} accepted: ${formatCents(ti.valueCents)} store credit to ${account.name}, approved by ${approver.label}`, before: { unit_id: null }, after: { unit_id: unit.id, journal_entry_id: entry?.id ?? null, approved_by: approver.label } });
  return after;
}

export interface TradeInView {
  tradeIn: TradeIn;
  accountName: string;
  accountNumber: string;
  product: { id: string; sku: string; name: string };
  unitStatus: string | null;
  storeCreditCents: number;
}

export async function tradeInView(db: DbOrTx, idOrNumber: string): Promise<TradeInView> {
  const tradeIn = await findTradeIn(db, idOrNumber);
  const [acct] = await db.select({ name: accounts.name, number: accounts.number }).from(accounts).where(eq(accounts.id, tradeIn.accountId));
  const [product] = await db.select({ id: products.id, sku: products.sku, name: products.name }).from(products).where(eq(products.id, tradeIn.productId));
  const [unit] = tradeIn.unitId ? await db.select({ status: inventoryUnits.status }).from(inventoryUnits).where(eq(inventoryUnits.id, tradeIn.unitId)) : [];
  return { tradeIn, accountName: acct.name, accountNumber: acct.number, product, unitStatus: unit?.status ?? null, storeCreditCents: await storeCreditBalance(db, tradeIn.accountId) };
}

export interface TradeInRow {
  id: string;
  number: string;
  accountId: string;
  accountName: string;
  productSku: string;
  productName: string;
  serialNumber: string;
  condition: string;
  valueCents: number;
  unitId: string | null;
  createdAt: Date;
}

export async function listTradeIns(db: DbOrTx, filter: { status?: string | null; accountId?: string | null }, query: ListQuery): Promise<{ rows: TradeInRow[]; total: number }> {
  const conds: SQL[] = [sql`true`];
  if (filter.status === 'accepted') conds.push(sql`${tradeIns.unitId} is not null`);
  if (filter.status === 'appraised') conds.push(sql`${tradeIns.unitId} is null`);
  if (filter.accountId) conds.push(eq(tradeIns.accountId, filter.accountId));
  if (query.q) conds.push(sql`lower(${tradeIns.number} || ' ' || ${accounts.name} || ' ' || ${products.sku} || ' ' || ${products.name} || ' ' || ${tradeIns.serialNumber}) like ${containsPattern(query.q)}`);
  const where = sql.join(conds, sql` and `);
  const dir = query.order === 'asc' ? asc : desc;
  const order = {
    created: [dir(tradeIns.createdAt), dir(tradeIns.number)],
    number: [dir(tradeIns.number)],
    value: [dir(tradeIns.valueCents), asc(tradeIns.number)],
    account: [dir(sql`lower(${accounts.name})`), asc(tradeIns.number)],
  }[query.sort as (typeof TRADE_IN_SORTS)[number]] ?? [desc(tradeIns.createdAt)];
  const rows = await db
    .select({ id: tradeIns.id, number: tradeIns.number, accountId: tradeIns.accountId, accountName: accounts.name, productSku: products.sku, productName: products.name, serialNumber: tradeIns.serialNumber, condition: tradeIns.condition, valueCents: tradeIns.valueCents, unitId: tradeIns.unitId, createdAt: tradeIns.createdAt })
    .from(tradeIns)
    .innerJoin(accounts, eq(accounts.id, tradeIns.accountId))
    .innerJoin(products, eq(products.id, tradeIns.productId))
    .where(where)
    .orderBy(...order)
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(tradeIns).innerJoin(accounts, eq(accounts.id, tradeIns.accountId)).innerJoin(products, eq(products.id, tradeIns.productId)).where(where);
  return { rows, total: n };
}

import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { findByIdOrNumber } from '../../db/find-by-number';
import { accounts, journalEntries, productSuppliers, products, purchaseOrderLines, purchaseOrders, saleLines, sales, specialOrders } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { ConflictError, NotFoundError, ServiceError, ValidationError } from '../service-errors';
import { nextInSeries } from '../numbering';
import { containsPattern, isUuid } from '../../db/sql-helpers';
import { formatCents } from '../../domain/money';
import { discountNeedsApproval } from '../../domain/discounts';
import type { ListQuery } from '../../ui/list';
import { approverFor, type ApprovalRequest, type SaleContext } from '../sales/context';
import { completeSale, discountLimitOf } from '../sales/checkout';
import { activeExemption, loadAccount } from '../sales/pricing';
import { listTaxClasses } from '../inventory/tax-classes';
import { computeDocumentTax } from '../../domain/tax';
import type { SaleLineInput, TenderInputApi } from '../sales/schemas';
import { addPoLine, createPurchaseOrder } from '../purchasing/service';
import { refundCustomerDeposit } from '../layaways/deposit-refund';
import type { CancelWithRefundInput, DepositPaymentInput } from '../layaways/schemas';
import { SPECIAL_ORDER_SORTS, type CompleteSpecialOrderInput, type CreateSpecialOrderInput, type OrderSpecialOrderInput } from './schemas';

/**
 * Special orders (pos.md "Layaway, special orders, trade-ins, trials"; docs/layaway-orders-trials.md): an item
 * ordered for a customer, usually with a deposit (a special_order_deposit line: Dr tender / Cr Customer
 * deposits). open → ordered (linked to a PO line: an open one of the product, or a new line on the supplier's
 * draft PO) → received (when that line is received — receiving calls markSpecialOrdersArrived — or marked by
 * hand) → completed at the counter (a sale paid by the deposit held plus other tenders) or cancelled (the
 * deposit back as store credit or cash). The goods themselves follow the normal stock/unit rules.
 */

export type SpecialOrder = typeof specialOrders.$inferSelect;

export async function findSpecialOrder(db: DbOrTx, idOrNumber: string, opts: { lock?: boolean } = {}): Promise<SpecialOrder> {
  return findByIdOrNumber(db, specialOrders, 'SO', 'Special order', idOrNumber, opts);
}

const priceOf = (so: Pick<SpecialOrder, 'unitPriceCents' | 'quantity'>) => so.unitPriceCents * so.quantity;

export interface CreatedSpecialOrder {
  specialOrderId: string;
  depositSaleId: string | null;
}

export async function createSpecialOrder(tx: Tx, sc: SaleContext, input: CreateSpecialOrderInput, now: Date = new Date()): Promise<CreatedSpecialOrder> {
  const account = (await loadAccount(tx, input.account_id))!;
  if (!account.isActive) throw new ValidationError({ account_id: `${account.name} is inactive.` });
  const [product] = await tx.select().from(products).where(eq(products.id, input.product_id));
  if (!product) throw new ValidationError({ product_id: 'No such product.' });
  if (!product.isActive || !product.sellable) throw new ValidationError({ product_id: `${product.sku} is not for sale.` });
  if (product.kind !== 'stock' && product.kind !== 'serialized') throw new ValidationError({ product_id: `${product.sku} is a ${product.kind.replace('_', '-')} item; only stock and serialized products are ordered in.` });
  const quantity = input.quantity ?? 1;
  const unitPrice = input.unit_price_cents ?? product.priceCents;
  let approvedBy: string | null = null;
  if (unitPrice < product.priceCents) {
    const check = discountNeedsApproval({ baseCents: product.priceCents * quantity, discountCents: (product.priceCents - unitPrice) * quantity, userLimitMillipercent: await discountLimitOf(tx, sc), lines: [{ netCents: unitPrice * quantity, quantity, minUnitPriceCents: product.minPriceCents }] });
    if (check.needsApproval) approvedBy = (await approverFor(sc, 'pos.discount.override', input.approval as ApprovalRequest | undefined, check.reasons.includes('below_minimum_price') ? 'A price below the minimum' : 'A discount above your limit', check.reasons)).label;
  }
  if (input.deposit && input.deposit.amount_cents > unitPrice * quantity) throw new ValidationError({ 'deposit.amount_cents': `The deposit can't be more than the order's price, ${formatCents(unitPrice * quantity)}.` });
  const number = await nextInSeries(tx, 'special_order', 'SO-');
  const [row] = await tx.insert(specialOrders).values({ number, accountId: account.id, productId: product.id, quantity, unitPriceCents: unitPrice, note: input.note ?? '', createdByLabel: sc.actor.label, createdAt: now }).returning();
  await recordAudit(tx, sc.actor, {
    action: 'special_order.create',
    entityType: 'special_order',
    entityId: row.id,
    summary: `${number} for ${account.name}: ${quantity} × ${product.sku} at ${formatCents(unitPrice)}${approvedBy ? ` (price approved by ${approvedBy})` : ''}`,
    after: { number, account_id: account.id, product_id: product.id, quantity, unit_price_cents: unitPrice, list_price_cents: product.priceCents, approved_by: approvedBy },
  });
  const depositSaleId = input.deposit ? await paySpecialOrderDeposit(tx, sc, row.id, input.deposit, 'deposit.') : null;
  return { specialOrderId: row.id, depositSaleId };
}

/** A(nother) deposit on an order that is not completed or cancelled; returns the counter document's id. */
export async function paySpecialOrderDeposit(tx: Tx, sc: SaleContext, idOrNumber: string, input: DepositPaymentInput, fieldPrefix = ''): Promise<string> {
  const so = await findSpecialOrder(tx, idOrNumber, { lock: true });
  if (so.status === 'completed' || so.status === 'cancelled') throw new ConflictError(`Special order ${so.number} is ${so.status}; it takes no more deposits.`);
  const left = priceOf(so) - so.depositCents;
  if (input.amount_cents > left) throw new ValidationError({ [`${fieldPrefix}amount_cents`]: left === 0 ? `Special order ${so.number} is paid in full.` : `The deposits can't be more than the order's price: ${formatCents(left)} is left.` });
  try {
    return await completeSale(tx, sc, { account_id: so.accountId, register_session_id: input.register_session_id, lines: [{ kind: 'special_order_deposit', ref_id: so.id, amount_cents: input.amount_cents }], tenders: input.tenders, note: input.note });
  } catch (err) {
    if (fieldPrefix && err instanceof ValidationError) throw new ValidationError(Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k.startsWith('tenders') || k === 'register_session_id' ? `${fieldPrefix}${k}` : k, v])), err.message);
    throw err;
  }
}

/** Units still promised to linked orders of a PO line that haven't arrived. */
async function promisedOnLine(tx: Tx, lineId: string, exceptId: string): Promise<number> {
  const [{ q }] = await tx.select({ q: sql<number>`coalesce(sum(${specialOrders.quantity}), 0)::int` }).from(specialOrders).where(and(eq(specialOrders.purchaseOrderLineId, lineId), eq(specialOrders.status, 'ordered'), sql`${specialOrders.id} <> ${exceptId}`));
  return q;
}

/**
 * Links an open order to the PO line that brings it in: an existing open line of the same product with room
 * for it (outstanding quantity not promised to other special orders), or a new line on the supplier's newest
 * draft PO (a new draft PO when there is none). Status → ordered.
 */
export async function orderSpecialOrder(tx: Tx, sc: SaleContext, idOrNumber: string, input: OrderSpecialOrderInput): Promise<SpecialOrder> {
  const so = await findSpecialOrder(tx, idOrNumber, { lock: true });
  if (so.status !== 'open') throw new ConflictError(`Special order ${so.number} is ${so.status}; only an open order is put on a purchase order.`);
  const [product] = await tx.select({ sku: products.sku, costCents: products.costCents }).from(products).where(eq(products.id, so.productId));
  let lineId: string;
  let poNumber: string;
  if (input.purchase_order_line_id) {
    const [found] = await tx
      .select({ line: purchaseOrderLines, poNumber: purchaseOrders.number, poStatus: purchaseOrders.status })
      .from(purchaseOrderLines)
      .innerJoin(purchaseOrders, eq(purchaseOrders.id, purchaseOrderLines.purchaseOrderId))
      .where(eq(purchaseOrderLines.id, input.purchase_order_line_id))
      .for('update', { of: purchaseOrderLines });
    if (!found) throw new ValidationError({ purchase_order_line_id: 'No such purchase order line.' });
    if (found.line.productId !== so.productId) throw new ValidationError({ purchase_order_line_id: `That line is not for ${product.sku}.` });
    if (!['draft', 'ordered', 'partially_received'].includes(found.poStatus)) throw new ConflictError(`${found.poNumber} is ${found.poStatus.replace('_', ' ')}; choose an open purchase order.`, { purchase_order_line_id: 'That purchase order is closed.' });
    const outstanding = found.line.quantityOrdered - found.line.quantityReceived;
    const promised = await promisedOnLine(tx, found.line.id, so.id);
    if (promised + so.quantity > outstanding) throw new ConflictError(`${found.poNumber} has ${outstanding} of ${product.sku} still to come, ${promised} already promised to other special orders; ${so.quantity} more don't fit.`, { purchase_order_line_id: 'Not enough still to come on that line.' });
    lineId = found.line.id;
    poNumber = found.poNumber;
  } else {
    const account = (await loadAccount(tx, so.accountId))!;
    const [link] = await tx.select({ cost: productSuppliers.costCents }).from(productSuppliers).where(and(eq(productSuppliers.productId, so.productId), eq(productSuppliers.supplierId, input.supplier_id!)));
    const line = { product_id: so.productId, quantity: so.quantity, unit_cost_cents: input.unit_cost_cents ?? link?.cost ?? product.costCents, note: `Special order ${so.number} — ${account.name}`.slice(0, 200) };
    const [draft] = await tx.select({ id: purchaseOrders.id }).from(purchaseOrders).where(and(eq(purchaseOrders.supplierId, input.supplier_id!), eq(purchaseOrders.status, 'draft'))).orderBy(desc(purchaseOrders.createdAt)).limit(1);
    if (draft) {
      const before = new Set((await tx.select({ id: purchaseOrderLines.id }).from(purchaseOrderLines).where(eq(purchaseOrderLines.purchaseOrderId, draft.id))).map((r) => r.id));
      const po = await addPoLine(tx, sc.actor, draft.id, line);
      lineId = po.lines.find((l) => !before.has(l.id))!.id;
      poNumber = po.number;
    } else {
      const po = await createPurchaseOrder(tx, sc.actor, { supplier_id: input.supplier_id!, expected_on: null, notes: 'Special orders', lines: [line] });
      lineId = po.lines[0].id;
      poNumber = po.number;
    }
  }
  const [after] = await tx.update(specialOrders).set({ status: 'ordered', purchaseOrderLineId: lineId }).where(eq(specialOrders.id, so.id)).returning();
  await recordAudit(tx, sc.actor, { action: 'special_order.order', entityType: 'special_order', entityId: so.id, summary: `${so.number} put on ${poNumber}`, before: { status: so.status }, after: { status: 'ordered', purchase_order_line_id: lineId } });
  return after;
}

/**
 * Called by receiving (purchasing/receiving.ts) for every PO line it receives, after the line's received
 * quantity is updated: the line's linked orders (oldest first) take the received quantity in turn, and each
 * one that is covered becomes `received` — the "arrived, call the customer" list.
 */
export async function markSpecialOrdersArrived(tx: Tx, actor: Actor, purchaseOrderLineId: string): Promise<string[]> {
  const linked = await tx
    .select()
    .from(specialOrders)
    .where(and(eq(specialOrders.purchaseOrderLineId, purchaseOrderLineId), inArray(specialOrders.status, ['ordered', 'received', 'completed'])))
    .orderBy(asc(specialOrders.createdAt), asc(specialOrders.number))
    .for('update');
  if (!linked.some((s) => s.status === 'ordered')) return [];
  const [line] = await tx.select({ received: purchaseOrderLines.quantityReceived }).from(purchaseOrderLines).where(eq(purchaseOrderLines.id, purchaseOrderLineId));
  const arrived: string[] = [];
  let covered = 0;
  for (const so of linked) {
    covered += so.quantity;
    if (so.status !== 'ordered' || covered > line.received) continue;
    await tx.update(specialOrders).set({ status: 'received', receivedAt: new Date() }).where(eq(specialOrders.id, so.id));
    await recordAudit(tx, actor, { action: 'special_order.arrived', entityType: 'special_order', entityId: so.id, summary: `${so.number} arrived (received on its purchase order): call the customer`, before: { status: 'ordered' }, after: { status: 'received' } });
    arrived.push(so.id);
  }
  return arrived;
}

/** Marks an order arrived by hand (bought outside a Forte PO, or taken from stock). */
export async function markArrived(tx: Tx, sc: SaleContext, idOrNumber: string, note?: string, now: Date = new Date()): Promise<SpecialOrder> {
  const so = await findSpecialOrder(tx, idOrNumber, { lock: true });
  if (so.status !== 'open' && so.status !== 'ordered') throw new ConflictError(`Special order ${so.number} is ${so.status}.`);
  const [after] = await tx.update(specialOrders).set({ status: 'received', receivedAt: now }).where(eq(specialOrders.id, so.id)).returning();
  await recordAudit(tx, sc.actor, { action: 'special_order.arrived', entityType: 'special_order', entityId: so.id, summary: `${so.number} marked arrived by hand${note ? `: ${note}` : ''}`, before: { status: so.status }, after: { status: 'received' } });
  return after;
}

/** Field errors of the counter document point at the caller's tenders (the deposit is tender 0 when held). */
function shiftTenderFields(err: unknown, shift: number): never {
  if (shift && err instanceof ServiceError && Object.keys(err.fields).some((k) => k.startsWith('tenders.'))) {
    const fields = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => {
      const m = /^tenders\.(\d+)(.*)$/.exec(k);
      return [m ? (Number(m[1]) >= shift ? `tenders.${Number(m[1]) - shift}${m[2]}` : 'tenders') : k, v];
    }));
    throw err instanceof ValidationError ? new ValidationError(fields, err.message) : new ConflictError(err.message, fields);
  }
  throw err;
}

/** Completes an arrived order at the counter: a sale of the item(s) at the agreed price, paid by the deposit held plus `tenders`. */
export async function completeSpecialOrder(tx: Tx, sc: SaleContext, idOrNumber: string, input: CompleteSpecialOrderInput): Promise<string> {
  const so = await findSpecialOrder(tx, idOrNumber, { lock: true });
  if (so.status !== 'received') throw new ConflictError(so.status === 'open' || so.status === 'ordered' ? `Special order ${so.number} hasn't arrived yet; receive its purchase order (or mark it arrived) first.` : `Special order ${so.number} is ${so.status}.`);
  const [product] = await tx.select({ kind: products.kind, sku: products.sku }).from(products).where(eq(products.id, so.productId));
  let lines: SaleLineInput[];
  const unitIds = input.unit_ids ?? [];
  if (product.kind === 'serialized') {
    if (unitIds.length !== so.quantity) throw new ValidationError({ unit_ids: `${product.sku} is serialized: choose ${so.quantity === 1 ? 'the unit' : `${so.quantity} units`} handed over.` });
    if (new Set(unitIds).size !== unitIds.length) throw new ValidationError({ unit_ids: 'The same unit is listed twice.' });
    lines = unitIds.map((unit_id) => ({ product_id: so.productId, unit_id, unit_price_cents: so.unitPriceCents }));
  } else {
    if (unitIds.length) throw new ValidationError({ unit_ids: `${product.sku} is a stock item; it takes no units.` });
    lines = [{ product_id: so.productId, quantity: so.quantity, unit_price_cents: so.unitPriceCents }];
  }
  const held: TenderInputApi[] = so.depositCents > 0 ? [{ method: 'deposit', amount_cents: so.depositCents }] : [];
  let saleId: string;
  try {
    saleId = await completeSale(tx, sc, { account_id: so.accountId, register_session_id: input.register_session_id, lines, tenders: [...held, ...input.tenders], approval: input.approval, note: input.note?.trim() || `Special order ${so.number}` }, { allowDepositTender: true });
  } catch (err) {
    shiftTenderFields(err, held.length);
  }
  await tx.update(specialOrders).set({ status: 'completed', completedSaleId: saleId }).where(eq(specialOrders.id, so.id));
  await recordAudit(tx, sc.actor, { action: 'special_order.complete', entityType: 'special_order', entityId: so.id, summary: `${so.number} completed (deposit ${formatCents(so.depositCents)} applied)`, before: { status: 'received' }, after: { status: 'completed', sale_id: saleId } });
  return saleId;
}

/** Cancels an order that is not completed: its deposits back as store credit (default) or cash. The PO line stays (the goods come in as stock). */
export async function cancelSpecialOrder(tx: Tx, sc: SaleContext, idOrNumber: string, input: CancelWithRefundInput): Promise<SpecialOrder> {
  const so = await findSpecialOrder(tx, idOrNumber, { lock: true });
  if (so.status === 'completed' || so.status === 'cancelled') throw new ConflictError(`Special order ${so.number} is ${so.status}; it can't be cancelled.`);
  const account = (await loadAccount(tx, so.accountId))!;
  const method = input.refund ?? 'store_credit';
  if (method === 'cash' && so.depositCents > 0 && !input.register_session_id) throw new ValidationError({ register_session_id: 'A cash refund comes out of a drawer: choose the open drawer session.' });
  const refund = await refundCustomerDeposit(tx, sc, { method, amountCents: so.depositCents, accountId: so.accountId, sourceType: 'special_order', sourceId: so.id, storeCreditKind: 'refund', memo: `Special order ${so.number} — ${account.name}`, registerSessionId: input.register_session_id, approval: input.approval });
  const [after] = await tx.update(specialOrders).set({ status: 'cancelled' }).where(eq(specialOrders.id, so.id)).returning();
  await recordAudit(tx, sc.actor, {
    action: 'special_order.cancel',
    entityType: 'special_order',
    entityId: so.id,
    summary: `${so.number} cancelled (${input.reason}); ${so.depositCents ? `${formatCents(so.depositCents)} back as ${method === 'cash' ? 'cash' : 'store credit'}` : 'no deposit'}${refund.approver ? `, approved by ${refund.approver.label}` : ''}`,
    before: { status: so.status, deposit_cents: so.depositCents },
    after: { status: 'cancelled', refund: method, journal_entry_id: refund.entry?.id ?? null },
  });
  return after;
}

/**
 * What completing the order will cost today: the agreed price plus tax as checkout will compute it (the
 * product's class or the store default; none for an exempt account), less the deposit held. For the page.
 */
export async function specialOrderDue(db: DbOrTx, so: SpecialOrder, today: string): Promise<{ netCents: number; taxCents: number; totalCents: number; dueCents: number }> {
  const [product] = await db.select({ taxClassId: products.taxClassId }).from(products).where(eq(products.id, so.productId));
  const classes = await listTaxClasses(db);
  const cls = classes.find((c) => c.id === product.taxClassId) ?? classes.find((c) => c.isDefault) ?? null;
  const netCents = priceOf(so);
  const exempt = (await activeExemption(db, so.accountId, today)) !== null;
  const taxCents = cls ? computeDocumentTax({ lines: [{ netCents, taxClassId: cls.id }], classes: [{ id: cls.id, components: cls.components.map((k) => ({ code: k.id, rateMillipercent: k.rateMillipercent })) }], exempt }).lines[0].taxCents : 0;
  return { netCents, taxCents, totalCents: netCents + taxCents, dueCents: netCents + taxCents - so.depositCents };
}

/** Open PO lines of the order's product with room for it: what the "put on a PO" form offers. */
export async function openPoLinesFor(db: DbOrTx, productId: string) {
  return db
    .select({ id: purchaseOrderLines.id, poId: purchaseOrders.id, poNumber: purchaseOrders.number, poStatus: purchaseOrders.status, supplierName: sql<string>`(select name from suppliers where id = ${purchaseOrders.supplierId})`, ordered: purchaseOrderLines.quantityOrdered, received: purchaseOrderLines.quantityReceived })
    .from(purchaseOrderLines)
    .innerJoin(purchaseOrders, eq(purchaseOrders.id, purchaseOrderLines.purchaseOrderId))
    .where(and(eq(purchaseOrderLines.productId, productId), inArray(purchaseOrders.status, ['draft', 'ordered', 'partially_received']), sql`${purchaseOrderLines.quantityReceived} < ${purchaseOrderLines.quantityOrdered}`))
    .orderBy(asc(purchaseOrders.number))
    .limit(50);
}

export interface SpecialOrderView {
  order: SpecialOrder;
  accountName: string;
  accountNumber: string;
  product: { id: string; sku: string; name: string; kind: string; priceCents: number };
  purchaseOrder: { id: string; number: string; status: string; lineOrdered: number; lineReceived: number } | null;
  deposits: { saleId: string; number: string; businessDate: string; amountCents: number; status: string }[];
  completedSaleNumber: string | null;
  refundEntry: { id: string; memo: string } | null;
}

export async function specialOrderView(db: DbOrTx, idOrNumber: string): Promise<SpecialOrderView> {
  const order = await findSpecialOrder(db, idOrNumber);
  const [acct] = await db.select({ name: accounts.name, number: accounts.number }).from(accounts).where(eq(accounts.id, order.accountId));
  const [product] = await db.select({ id: products.id, sku: products.sku, name: products.name, kind: products.kind, priceCents: products.priceCents }).from(products).where(eq(products.id, order.productId));
  const [po] = order.purchaseOrderLineId
    ? await db
        .select({ id: purchaseOrders.id, number: purchaseOrders.number, status: purchaseOrders.status, lineOrdered: purchaseOrderLines.quantityOrdered, lineReceived: purchaseOrderLines.quantityReceived })
        .from(purchaseOrderLines)
        .innerJoin(purchaseOrders, eq(purchaseOrders.id, purchaseOrderLines.purchaseOrderId))
        .where(eq(purchaseOrderLines.id, order.purchaseOrderLineId))
    : [];
  const deposits = await db
    .select({ saleId: sales.id, number: sales.number, businessDate: sales.businessDate, amountCents: saleLines.netCents, status: sales.status })
    .from(saleLines)
    .innerJoin(sales, eq(sales.id, saleLines.saleId))
    .where(and(eq(saleLines.kind, 'special_order_deposit'), eq(saleLines.refId, order.id)))
    .orderBy(asc(sales.createdAt));
  const [done] = order.completedSaleId ? await db.select({ number: sales.number }).from(sales).where(eq(sales.id, order.completedSaleId)) : [];
  const [refund] = await db.select({ id: journalEntries.id, memo: journalEntries.memo }).from(journalEntries).where(and(eq(journalEntries.sourceType, 'special_order'), eq(journalEntries.sourceId, order.id), eq(journalEntries.eventType, 'special_order_cancel')));
  return { order, accountName: acct.name, accountNumber: acct.number, product, purchaseOrder: po ?? null, deposits, completedSaleNumber: done?.number ?? null, refundEntry: refund ?? null };
}

export interface SpecialOrderRow {
  id: string;
  number: string;
  accountId: string;
  accountName: string;
  productSku: string;
  productName: string;
  quantity: number;
  unitPriceCents: number;
  depositCents: number;
  status: string;
  receivedAt: Date | null;
  createdAt: Date;
}

export async function listSpecialOrders(db: DbOrTx, filter: { status?: string | null; accountId?: string | null }, query: ListQuery): Promise<{ rows: SpecialOrderRow[]; total: number }> {
  const conds: SQL[] = [sql`true`];
  if (filter.status) conds.push(eq(specialOrders.status, filter.status));
  if (filter.accountId) conds.push(eq(specialOrders.accountId, filter.accountId));
  if (query.q) conds.push(sql`lower(${specialOrders.number} || ' ' || ${accounts.name} || ' ' || ${products.sku} || ' ' || ${products.name}) like ${containsPattern(query.q)}`);
  const where = sql.join(conds, sql` and `);
  const dir = query.order === 'asc' ? asc : desc;
  const order = {
    created: [dir(specialOrders.createdAt), dir(specialOrders.number)],
    number: [dir(specialOrders.number)],
    status: [dir(specialOrders.status), asc(specialOrders.number)],
    account: [dir(sql`lower(${accounts.name})`), asc(specialOrders.number)],
    received: [query.order === 'asc' ? sql`${specialOrders.receivedAt} asc nulls last` : sql`${specialOrders.receivedAt} desc nulls last`, asc(specialOrders.number)],
  }[query.sort as (typeof SPECIAL_ORDER_SORTS)[number]] ?? [desc(specialOrders.createdAt)];
  const from = () => db.select({ id: specialOrders.id, number: specialOrders.number, accountId: specialOrders.accountId, accountName: accounts.name, productSku: products.sku, productName: products.name, quantity: specialOrders.quantity, unitPriceCents: specialOrders.unitPriceCents, depositCents: specialOrders.depositCents, status: specialOrders.status, receivedAt: specialOrders.receivedAt, createdAt: specialOrders.createdAt }).from(specialOrders).innerJoin(accounts, eq(accounts.id, specialOrders.accountId)).innerJoin(products, eq(products.id, specialOrders.productId));
  const rows = await from().where(where).orderBy(...order).limit(query.limit).offset((query.page - 1) * query.limit);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(specialOrders).innerJoin(accounts, eq(accounts.id, specialOrders.accountId)).innerJoin(products, eq(products.id, specialOrders.productId)).where(where);
  return { rows, total: n };
}

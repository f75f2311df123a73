import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { products, purchaseOrderLines, purchaseOrders, receiptLines, receipts, specialOrders, suppliers } from '../../db/schema';
import type { DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { nextInSeries } from '../numbering';
import { ConflictError, NotFoundError, ValidationError } from '../service-errors';
import type { ListQuery } from '../../ui/list';
import type { CreatePoInput, PatchPoLineInput, PoLineInput, UpdatePoInput } from './schemas';
import { containsPattern, isUuid } from '../../db/sql-helpers';

export type PoStatus = 'draft' | 'ordered' | 'partially_received' | 'received' | 'cancelled';

export interface PoLineView {
  id: string;
  productId: string;
  sku: string;
  productName: string;
  kind: string;
  quantityOrdered: number;
  quantityReceived: number;
  outstanding: number;
  unitCostCents: number;
  lineTotalCents: number;
  note: string;
}

export interface ReceiptView {
  id: string;
  receivedAt: Date;
  freightCents: number;
  notes: string;
  receivedBy: string | null;
  lines: { purchaseOrderLineId: string; sku: string; productName: string; quantity: number; landedUnitCostCents: number }[];
}

export interface PoView {
  id: string;
  number: string;
  supplierId: string;
  supplierName: string;
  status: PoStatus;
  orderedAt: Date | null;
  expectedOn: string | null;
  notes: string;
  createdAt: Date;
  updatedAt: Date;
  lines: PoLineView[];
  totalCents: number;
  receipts: ReceiptView[];
}


export const STATUS_LABELS: Record<PoStatus, string> = { draft: 'Draft', ordered: 'Ordered', partially_received: 'Partially received', received: 'Received', cancelled: 'Cancelled' };

/** Purchase orders only need the lines' line total; the sum is computed in SQL so lists can sort by it. */
const totalSql = sql<number>`coalesce((select sum(l.quantity_ordered * l.unit_cost_cents) from ${purchaseOrderLines} l where l.purchase_order_id = ${purchaseOrders.id}), 0)::bigint`;

export interface PoListFilter {
  status?: PoStatus;
  supplierId?: string;
  /** Just these orders (the ones "Create purchase orders" on the low-stock report made). */
  ids?: string[];
}

export async function listPurchaseOrders(db: DbOrTx, query: ListQuery, filter: PoListFilter = {}) {
  const conditions: SQL[] = [];
  if (query.q) conditions.push(sql`lower(${purchaseOrders.number} || ' ' || ${suppliers.name} || ' ' || ${purchaseOrders.notes}) like ${containsPattern(query.q)}`);
  if (filter.status) conditions.push(eq(purchaseOrders.status, filter.status));
  if (filter.supplierId) conditions.push(eq(purchaseOrders.supplierId, filter.supplierId));
  if (filter.ids) conditions.push(filter.ids.length ? inArray(purchaseOrders.id, filter.ids) : sql`false`);
  const where = conditions.length ? and(...conditions) : undefined;
  const sortColumn = { number: purchaseOrders.number, supplier: suppliers.name, status: purchaseOrders.status, created_at: purchaseOrders.createdAt, expected_on: purchaseOrders.expectedOn, total: totalSql }[query.sort as 'number'] ?? purchaseOrders.number;
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(purchaseOrders).innerJoin(suppliers, eq(suppliers.id, purchaseOrders.supplierId)).where(where);
  const rows = await db
    .select({
      id: purchaseOrders.id,
      number: purchaseOrders.number,
      supplierId: purchaseOrders.supplierId,
      supplierName: suppliers.name,
      status: purchaseOrders.status,
      expectedOn: purchaseOrders.expectedOn,
      orderedAt: purchaseOrders.orderedAt,
      createdAt: purchaseOrders.createdAt,
      totalCents: sql<string>`${totalSql}`,
      lineCount: sql<number>`(select count(*)::int from ${purchaseOrderLines} l where l.purchase_order_id = ${purchaseOrders.id})`,
    })
    .from(purchaseOrders)
    .innerJoin(suppliers, eq(suppliers.id, purchaseOrders.supplierId))
    .where(where)
    .orderBy(query.order === 'desc' ? sql`${sortColumn} desc nulls last` : sql`${sortColumn} asc nulls last`, asc(purchaseOrders.id))
    .limit(query.limit)
    .offset((query.page - 1) * query.limit);
  return { rows: rows.map((r) => ({ ...r, status: r.status as PoStatus, totalCents: Number(r.totalCents) })), total };
}

export async function getPurchaseOrder(db: DbOrTx, id: string): Promise<PoView> {
  if (!isUuid(id)) throw new NotFoundError('Purchase order');
  const [po] = await db
    .select({ po: purchaseOrders, supplierName: suppliers.name })
    .from(purchaseOrders)
    .innerJoin(suppliers, eq(suppliers.id, purchaseOrders.supplierId))
    .where(eq(purchaseOrders.id, id));
  if (!po) throw new NotFoundError('Purchase order');
  const lineRows = await db
    .select({ line: purchaseOrderLines, sku: products.sku, productName: products.name, kind: products.kind })
    .from(purchaseOrderLines)
    .innerJoin(products, eq(products.id, purchaseOrderLines.productId))
    .where(eq(purchaseOrderLines.purchaseOrderId, id))
    .orderBy(asc(sql`lower(${products.sku})`), asc(purchaseOrderLines.id));
  const lines: PoLineView[] = lineRows.map(({ line, sku, productName, kind }) => ({
    id: line.id,
    productId: line.productId,
    sku,
    productName,
    kind,
    quantityOrdered: line.quantityOrdered,
    quantityReceived: line.quantityReceived,
    outstanding: line.quantityOrdered - line.quantityReceived,
    unitCostCents: line.unitCostCents,
    lineTotalCents: line.quantityOrdered * line.unitCostCents,
    note: line.note,
  }));
  const receiptRows = await db
    .select({ receipt: receipts, receivedBy: sql<string | null>`(select username from staff_users where id = ${receipts.receivedByUserId})` })
    .from(receipts)
    .where(eq(receipts.purchaseOrderId, id))
    .orderBy(asc(receipts.receivedAt));
  const rlines = receiptRows.length
    ? await db
        .select({ rl: receiptLines, sku: products.sku, productName: products.name })
        .from(receiptLines)
        .innerJoin(receipts, eq(receipts.id, receiptLines.receiptId))
        .innerJoin(purchaseOrderLines, eq(purchaseOrderLines.id, receiptLines.purchaseOrderLineId))
        .innerJoin(products, eq(products.id, purchaseOrderLines.productId))
        .where(eq(receipts.purchaseOrderId, id))
    : [];
  return {
    id: po.po.id,
    number: po.po.number,
    supplierId: po.po.supplierId,
    supplierName: po.supplierName,
    status: po.po.status as PoStatus,
    orderedAt: po.po.orderedAt,
    expectedOn: po.po.expectedOn,
    notes: po.po.notes,
    createdAt: po.po.createdAt,
    updatedAt: po.po.updatedAt,
    lines,
    totalCents: lines.reduce((s, l) => s + l.lineTotalCents, 0),
    receipts: receiptRows.map(({ receipt, receivedBy }) => ({
      id: receipt.id,
      receivedAt: receipt.receivedAt,
      freightCents: receipt.freightCents,
      notes: receipt.notes,
      receivedBy,
      lines: rlines
        .filter((r) => r.rl.receiptId === receipt.id)
        .map((r) => ({ purchaseOrderLineId: r.rl.purchaseOrderLineId, sku: r.sku, productName: r.productName, quantity: r.rl.quantity, landedUnitCostCents: r.rl.landedUnitCostCents })),
    })),
  };
}

/** Locks the PO row so concurrent edits/receipts of one order run one after the other. */
export async function lockPurchaseOrder(tx: Tx, id: string) {
  if (!isUuid(id)) throw new NotFoundError('Purchase order');
  const [row] = await tx.select().from(purchaseOrders).where(eq(purchaseOrders.id, id)).for('update');
  if (!row) throw new NotFoundError('Purchase order');
  return row;
}

export async function activeSuppliers(db: DbOrTx) {
  return db.select({ id: suppliers.id, name: suppliers.name }).from(suppliers).where(eq(suppliers.isActive, true)).orderBy(asc(sql`lower(${suppliers.name})`)).limit(500);
}

/** Finds a stock or serialized product by SKU (any case) or UPC, for the HTML line form and count scans. */
export async function findProductByCode(db: DbOrTx, code: string) {
  const c = code.trim();
  if (!c) return null;
  const [row] = await db
    .select({ id: products.id, sku: products.sku, name: products.name, kind: products.kind })
    .from(products)
    .where(sql`lower(${products.sku}) = ${c.toLowerCase()} or ${products.upc} = ${c}`)
    .orderBy(sql`lower(${products.sku}) = ${c.toLowerCase()} desc`)
    .limit(1);
  return row ?? null;
}

async function assertOrderableProduct(db: DbOrTx, productId: string, field = 'product_id') {
  const [p] = await db.select({ id: products.id, sku: products.sku, kind: products.kind, isActive: products.isActive }).from(products).where(eq(products.id, productId));
  if (!p) throw new ValidationError({ [field]: 'That product does not exist.' });
  if (p.kind !== 'stock' && p.kind !== 'serialized') throw new ValidationError({ [field]: `${p.sku} is a ${p.kind.replace('_', '-')} item; only stock and serialized products are ordered and received.` });
  if (!p.isActive) throw new ValidationError({ [field]: `${p.sku} is inactive.` });
  return p;
}

function assertDraft(po: { status: string; number: string }) {
  if (po.status !== 'draft') throw new ConflictError(`${po.number} is ${STATUS_LABELS[po.status as PoStatus].toLowerCase()}; lines can only change while it is a draft.`);
}

export async function createPurchaseOrder(tx: Tx, actor: Actor, input: CreatePoInput): Promise<PoView> {
  const [supplier] = await tx.select({ id: suppliers.id, isActive: suppliers.isActive }).from(suppliers).where(eq(suppliers.id, input.supplier_id));
  if (!supplier) throw new ValidationError({ supplier_id: 'That supplier does not exist.' });
  if (!supplier.isActive) throw new ValidationError({ supplier_id: 'That supplier is inactive.' });
  for (const [i, line] of input.lines.entries()) await assertOrderableProduct(tx, line.product_id, `lines.${i}.product_id`);
  const number = await nextInSeries(tx, 'purchase_order', 'PO-');
  const [row] = await tx
    .insert(purchaseOrders)
    .values({ number, supplierId: input.supplier_id, expectedOn: input.expected_on, notes: input.notes, createdByUserId: actor.userId })
    .returning();
  if (input.lines.length) {
    await tx.insert(purchaseOrderLines).values(input.lines.map((l) => ({ purchaseOrderId: row.id, productId: l.product_id, quantityOrdered: l.quantity, unitCostCents: l.unit_cost_cents, note: l.note })));
  }
  const view = await getPurchaseOrder(tx, row.id);
  await recordAudit(tx, actor, { action: 'purchase_order.create', entityType: 'purchase_order', entityId: row.id, summary: `Created ${number} for ${view.supplierName}`, after: view });
  return view;
}

export async function addPoLine(tx: Tx, actor: Actor, poId: string, input: PoLineInput): Promise<PoView> {
  const po = await lockPurchaseOrder(tx, poId);
  assertDraft(po);
  const product = await assertOrderableProduct(tx, input.product_id);
  const [line] = await tx.insert(purchaseOrderLines).values({ purchaseOrderId: po.id, productId: product.id, quantityOrdered: input.quantity, unitCostCents: input.unit_cost_cents, note: input.note }).returning();
  await tx.update(purchaseOrders).set({ updatedAt: sql`now()` }).where(eq(purchaseOrders.id, po.id));
  await recordAudit(tx, actor, { action: 'purchase_order.line_add', entityType: 'purchase_order', entityId: po.id, summary: `${po.number}: added ${input.quantity} × ${product.sku}`, after: line });
  return getPurchaseOrder(tx, po.id);
}

async function lockedLine(tx: Tx, poId: string, lineId: string) {
  if (!isUuid(lineId)) throw new NotFoundError('Purchase order line');
  const [line] = await tx.select().from(purchaseOrderLines).where(and(eq(purchaseOrderLines.id, lineId), eq(purchaseOrderLines.purchaseOrderId, poId)));
  if (!line) throw new NotFoundError('Purchase order line');
  return line;
}

/** Changes a draft line; a field left out (API PATCH) keeps its value. */
export async function updatePoLine(tx: Tx, actor: Actor, poId: string, lineId: string, input: PatchPoLineInput): Promise<PoView> {
  const po = await lockPurchaseOrder(tx, poId);
  assertDraft(po);
  const before = await lockedLine(tx, po.id, lineId);
  const [after] = await tx
    .update(purchaseOrderLines)
    .set({ quantityOrdered: input.quantity ?? before.quantityOrdered, unitCostCents: input.unit_cost_cents ?? before.unitCostCents, note: input.note ?? before.note })
    .where(eq(purchaseOrderLines.id, before.id))
    .returning();
  await tx.update(purchaseOrders).set({ updatedAt: sql`now()` }).where(eq(purchaseOrders.id, po.id));
  await recordAudit(tx, actor, { action: 'purchase_order.line_update', entityType: 'purchase_order', entityId: po.id, summary: `${po.number}: changed a line`, before, after });
  return getPurchaseOrder(tx, po.id);
}

/** A PO line a customer's special order waits on can't be removed or replaced (unlink or cancel the order first). */
async function refuseLinesOfSpecialOrders(tx: Tx, poNumber: string, lineIds: string[]) {
  if (lineIds.length === 0) return;
  const [linked] = await tx.select({ number: specialOrders.number }).from(specialOrders).where(inArray(specialOrders.purchaseOrderLineId, lineIds)).limit(1);
  if (linked) throw new ConflictError(`Special order ${linked.number} waits on a line of ${poNumber}; cancel the special order or change the line's quantity instead.`, { lines: `Linked to special order ${linked.number}.` });
}

export async function removePoLine(tx: Tx, actor: Actor, poId: string, lineId: string): Promise<PoView> {
  const po = await lockPurchaseOrder(tx, poId);
  assertDraft(po);
  const before = await lockedLine(tx, po.id, lineId);
  await refuseLinesOfSpecialOrders(tx, po.number, [before.id]);
  await tx.delete(purchaseOrderLines).where(eq(purchaseOrderLines.id, before.id));
  await tx.update(purchaseOrders).set({ updatedAt: sql`now()` }).where(eq(purchaseOrders.id, po.id));
  await recordAudit(tx, actor, { action: 'purchase_order.line_remove', entityType: 'purchase_order', entityId: po.id, summary: `${po.number}: removed a line`, before });
  return getPurchaseOrder(tx, po.id);
}

/**
 * API PATCH of a PO. Supplier and lines (replaced as a whole) change only while it is a draft: once ordered,
 * the supplier has the order. The expected date and notes stay editable until it is received or cancelled
 * (suppliers move delivery dates). Every check runs before the first write.
 */
export async function updatePurchaseOrder(tx: Tx, actor: Actor, poId: string, input: UpdatePoInput): Promise<PoView> {
  const po = await lockPurchaseOrder(tx, poId);
  const label = STATUS_LABELS[po.status as PoStatus].toLowerCase();
  if (po.status === 'received' || po.status === 'cancelled') throw new ConflictError(`${po.number} is ${label}; it can't be changed any more.`);
  if ((input.supplier_id !== undefined || input.lines !== undefined) && po.status !== 'draft') {
    throw new ConflictError(`${po.number} is ${label}; the supplier and lines can only change while it is a draft.`);
  }
  if (input.supplier_id !== undefined && input.supplier_id !== po.supplierId) {
    const [supplier] = await tx.select({ id: suppliers.id, isActive: suppliers.isActive }).from(suppliers).where(eq(suppliers.id, input.supplier_id));
    if (!supplier) throw new ValidationError({ supplier_id: 'That supplier does not exist.' });
    if (!supplier.isActive) throw new ValidationError({ supplier_id: 'That supplier is inactive.' });
  }
  for (const [i, line] of (input.lines ?? []).entries()) await assertOrderableProduct(tx, line.product_id, `lines.${i}.product_id`);
  const before = await getPurchaseOrder(tx, po.id);
  if (input.lines !== undefined) await refuseLinesOfSpecialOrders(tx, po.number, before.lines.map((l: any) => l.id));
  await tx
    .update(purchaseOrders)
    .set({
      ...(input.supplier_id !== undefined ? { supplierId: input.supplier_id } : {}),
      ...(input.expected_on !== undefined ? { expectedOn: input.expected_on } : {}),
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(purchaseOrders.id, po.id));
  if (input.lines !== undefined) {
    await tx.delete(purchaseOrderLines).where(eq(purchaseOrderLines.purchaseOrderId, po.id));
    if (input.lines.length) {
      await tx.insert(purchaseOrderLines).values(input.lines.map((l) => ({ purchaseOrderId: po.id, productId: l.product_id, quantityOrdered: l.quantity, unitCostCents: l.unit_cost_cents, note: l.note })));
    }
  }
  const after = await getPurchaseOrder(tx, po.id);
  const changed = (['supplier_id', 'expected_on', 'notes', 'lines'] as const).filter((k) => input[k] !== undefined);
  await recordAudit(tx, actor, { action: 'purchase_order.update', entityType: 'purchase_order', entityId: po.id, summary: `${po.number}: changed ${changed.join(', ')}`, before, after });
  return after;
}

export async function markOrdered(tx: Tx, actor: Actor, poId: string, now: Date): Promise<PoView> {
  const po = await lockPurchaseOrder(tx, poId);
  if (po.status !== 'draft') throw new ConflictError(`${po.number} is already ${STATUS_LABELS[po.status as PoStatus].toLowerCase()}.`);
  const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(purchaseOrderLines).where(eq(purchaseOrderLines.purchaseOrderId, po.id));
  if (n === 0) throw new ConflictError(`Add at least one line before marking ${po.number} as ordered.`);
  await tx.update(purchaseOrders).set({ status: 'ordered', orderedAt: now, updatedAt: sql`now()` }).where(eq(purchaseOrders.id, po.id));
  await recordAudit(tx, actor, { action: 'purchase_order.order', entityType: 'purchase_order', entityId: po.id, summary: `${po.number} marked as ordered`, before: { status: po.status }, after: { status: 'ordered' } });
  return getPurchaseOrder(tx, po.id);
}

/** A PO can be cancelled only before anything was received: receipts already moved stock and created units. */
export async function cancelPurchaseOrder(tx: Tx, actor: Actor, poId: string): Promise<PoView> {
  const po = await lockPurchaseOrder(tx, poId);
  if (po.status === 'cancelled') throw new ConflictError(`${po.number} is already cancelled.`);
  const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(receipts).where(eq(receipts.purchaseOrderId, po.id));
  if (n > 0 || po.status === 'partially_received' || po.status === 'received') throw new ConflictError(`${po.number} already has receipts and can't be cancelled.`);
  await tx.update(purchaseOrders).set({ status: 'cancelled', updatedAt: sql`now()` }).where(eq(purchaseOrders.id, po.id));
  await recordAudit(tx, actor, { action: 'purchase_order.cancel', entityType: 'purchase_order', entityId: po.id, summary: `${po.number} cancelled`, before: { status: po.status }, after: { status: 'cancelled' } });
  return getPurchaseOrder(tx, po.id);
}


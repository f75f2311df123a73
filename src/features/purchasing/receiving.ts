import { eq, inArray, sql } from 'drizzle-orm';
import { inventoryUnits, products, purchaseOrderLines, purchaseOrders, receiptLines, receipts } from '../../db/schema';
import type { Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { recordStockMovement } from '../inventory/stock-ledger';
import { createUnit } from '../inventory/unit-lifecycle';
import { allocateFreight, unitLandedCosts } from '../../domain/landed-cost';
import { ConflictError, ValidationError } from '../service-errors';
import { getPurchaseOrder, lockPurchaseOrder, STATUS_LABELS, type PoStatus, type PoView } from './service';
import type { ReceiptInput } from './schemas';
import { markSpecialOrdersArrived } from '../special-orders/service';

const RECEIVABLE: PoStatus[] = ['draft', 'ordered', 'partially_received'];

/**
 * Receives goods against a PO in one transaction: a receipts row and its lines, stock movements at landed
 * cost for stock items (moving average), one unit per serial for serialized items (passport: "Received on
 * PO-…"), the lines' received quantities and the PO status, and the audit row. Every check runs before the
 * first write, and any later failure (a serial taken meanwhile) rolls the whole receipt back.
 * Journal: each stock line and each unit posts Dr Inventory/Rental fleet / Cr Accounts payable at its exact
 * landed value, dated `today` (the store's business date), so the AP credits add up to lines + freight.
 * Field errors are keyed `lines.<i>.quantity` / `lines.<i>.serials.<j>` by position in the request.
 */
export async function receivePurchaseOrder(tx: Tx, actor: Actor, poId: string, input: ReceiptInput, today: string): Promise<{ po: PoView; receiptId: string }> {
  const po = await lockPurchaseOrder(tx, poId);
  if (!RECEIVABLE.includes(po.status as PoStatus)) throw new ConflictError(`${po.number} is ${STATUS_LABELS[po.status as PoStatus].toLowerCase()}; nothing more can be received on it.`);
  const poLines = await tx
    .select({ line: purchaseOrderLines, sku: products.sku, kind: products.kind })
    .from(purchaseOrderLines)
    .innerJoin(products, eq(products.id, purchaseOrderLines.productId))
    .where(eq(purchaseOrderLines.purchaseOrderId, po.id))
    .for('update', { of: purchaseOrderLines });
  const byId = new Map(poLines.map((l) => [l.line.id, l]));

  const errors: Record<string, string> = {};
  const seenLines = new Set<string>();
  const seenSerials = new Map<string, string>();
  const toReceive: { index: number; line: (typeof poLines)[number]; quantity: number; serials: string[] }[] = [];
  input.lines.forEach((req, i) => {
    const found = byId.get(req.line_id);
    if (!found) return void (errors[`lines.${i}.line_id`] = 'That line is not on this purchase order.');
    if (seenLines.has(req.line_id)) return void (errors[`lines.${i}.line_id`] = 'This line is listed twice.');
    seenLines.add(req.line_id);
    const outstanding = found.line.quantityOrdered - found.line.quantityReceived;
    if (req.quantity > outstanding) return void (errors[`lines.${i}.quantity`] = `Only ${outstanding} of ${found.sku} still to receive.`);
    if (found.kind === 'serialized') {
      if (req.serials.length !== req.quantity) return void (errors[`lines.${i}.serials`] = `Enter one serial number per unit received (${req.quantity}).`);
      req.serials.forEach((serial, j) => {
        const key = `${found.line.productId}:${serial.toLowerCase()}`;
        if (seenSerials.has(key)) errors[`lines.${i}.serials.${j}`] = `Serial ${serial} is entered twice.`;
        else seenSerials.set(key, `lines.${i}.serials.${j}`);
      });
    } else if (req.serials.length) {
      return void (errors[`lines.${i}.serials`] = `${found.sku} is a stock item; it takes a quantity, not serial numbers.`);
    }
    if (req.quantity > 0) toReceive.push({ index: i, line: found, quantity: req.quantity, serials: req.serials });
  });
  // Serials already on file for the same product are refused here, so the form can point at the field.
  const serializedProducts = [...new Set(toReceive.filter((r) => r.line.kind === 'serialized').map((r) => r.line.line.productId))];
  if (serializedProducts.length && seenSerials.size) {
    const existing = await tx
      .select({ productId: inventoryUnits.productId, serial: inventoryUnits.serialNumber })
      .from(inventoryUnits)
      .where(inArray(inventoryUnits.productId, serializedProducts));
    for (const u of existing) {
      const key = seenSerials.get(`${u.productId}:${u.serial.toLowerCase()}`);
      if (key && !errors[key]) errors[key] = `Serial ${u.serial} already exists for this product.`;
    }
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  if (toReceive.length === 0) throw new ValidationError({ lines: 'Enter a quantity for at least one line.' });

  const before = await getPurchaseOrder(tx, po.id);
  const landed = allocateFreight(input.freight_cents, toReceive.map((r) => ({ quantity: r.quantity, unitCostCents: r.line.line.unitCostCents })));
  const [receipt] = await tx.insert(receipts).values({ purchaseOrderId: po.id, freightCents: input.freight_cents, receivedByUserId: actor.userId, notes: input.notes }).returning();
  const summary = `Received on ${po.number}`;
  for (const [k, r] of toReceive.entries()) {
    const cost = landed[k];
    await tx.insert(receiptLines).values({ receiptId: receipt.id, purchaseOrderLineId: r.line.line.id, quantity: r.quantity, landedUnitCostCents: cost.landedUnitCostCents });
    if (r.line.kind === 'stock') {
      // The exact line value (quantity × unit cost + freight share), not quantity × the rounded landed unit
      // cost: the stock value and the AP credit then add up to the receipt to the cent.
      const totalCostCents = r.quantity * r.line.line.unitCostCents + cost.freightShareCents;
      await recordStockMovement(tx, actor, { productId: r.line.line.productId, quantityDelta: r.quantity, reason: 'receipt', unitCostCents: cost.landedUnitCostCents, totalCostCents, note: summary, referenceType: 'purchase_order', referenceId: po.id, entryDate: today });
    } else {
      const unitCosts = unitLandedCosts(r.line.line.unitCostCents, r.quantity, cost.freightShareCents);
      for (const [j, serial] of r.serials.entries()) {
        await createUnit(tx, actor, { productId: r.line.line.productId, serialNumber: serial, costCents: unitCosts[j], acquiredOn: today, acquiredVia: 'purchase', acquisitionSummary: summary, referenceType: 'purchase_order', referenceId: po.id, entryDate: today });
      }
    }
    await tx.update(purchaseOrderLines).set({ quantityReceived: sql`${purchaseOrderLines.quantityReceived} + ${r.quantity}` }).where(eq(purchaseOrderLines.id, r.line.line.id));
    await markSpecialOrdersArrived(tx, actor, r.line.line.id);
  }
  const [{ open }] = await tx.select({ open: sql<number>`count(*)::int` }).from(purchaseOrderLines).where(sql`${purchaseOrderLines.purchaseOrderId} = ${po.id} and ${purchaseOrderLines.quantityReceived} < ${purchaseOrderLines.quantityOrdered}`);
  const status: PoStatus = open === 0 ? 'received' : 'partially_received';
  await tx.update(purchaseOrders).set({ status, orderedAt: po.orderedAt ?? sql`now()`, updatedAt: sql`now()` }).where(eq(purchaseOrders.id, po.id));
  const after = await getPurchaseOrder(tx, po.id);
  const units = toReceive.reduce((s, r) => s + r.quantity, 0);
  await recordAudit(tx, actor, {
    action: 'purchase_order.receive',
    entityType: 'purchase_order',
    entityId: po.id,
    summary: `${po.number}: received ${units} item(s)${input.freight_cents ? ` with ${input.freight_cents} cents freight` : ''}`,
    before: { status: before.status, lines: before.lines.map((l) => ({ id: l.id, received: l.quantityReceived })) },
    after: { status: after.status, receipt_id: receipt.id, freight_cents: input.freight_cents, lines: after.lines.map((l) => ({ id: l.id, received: l.quantityReceived })) },
  });
  return { po: after, receiptId: receipt.id };
}

import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import { giftCards, inventoryUnits, products, drawerMovements, drawerSessions, invoiceAllocations, invoices, layaways, saleLines, sales, saleTenders, specialOrders } from '../../db/schema';
import type { Tx } from '../../db/client';
import { recordAudit } from '../audit/service';
import { ConflictError } from '../service-errors';
import { recordStockMovement } from '../inventory/stock-ledger';
import { transitionUnit } from '../inventory/unit-lifecycle';
import { postEvent, reverseEntry } from '../ledger/journal';
import { formatCents } from '../../domain/money';
import { approverFor, type SaleContext } from './context';
import { findSale } from './queries';
import { lockStockProducts } from './checkout';
import type { VoidInput } from './schemas';
import { changeStoreCredit, creditGiftCard, debitGiftCard, lockGiftCards } from './stored-value';

/**
 * Void (pos.md "After the sale"): a manager cancels a completed sale of a drawer session that is still open.
 * Everything it did is undone — its journal entry is reversed, goods go back at the recorded cost, cash and
 * checks leave the drawer again, gift cards / store credit / the house-account invoice are restored — and the
 * sale is marked voided (the only change a sale row ever takes). A sale with returns is returned, not voided.
 */
export async function voidSale(tx: Tx, ctx: SaleContext, saleIdOrNumber: string, input: VoidInput): Promise<string> {
  const { actor } = ctx;
  const sale = await findSale(tx, saleIdOrNumber, { lock: true });
  if (sale.kind !== 'sale') throw new ConflictError(`${sale.number} is a ${sale.kind}; only sales can be voided.`);
  if (sale.status === 'voided') throw new ConflictError(`${sale.number} is already voided.`);
  const approver = await approverFor(ctx, 'pos.void', input.approval, 'Voiding a sale', ['void']);
  if (sale.registerSessionId) {
    const [session] = await tx.select().from(drawerSessions).where(eq(drawerSessions.id, sale.registerSessionId)).for('share');
    if (session.status !== 'open') throw new ConflictError(`${sale.number}'s drawer session ${session.number} is closed; return the items instead of voiding.`);
  } else if (sale.businessDate !== ctx.today) {
    throw new ConflictError(`${sale.number} is from ${sale.businessDate}; only today's sales can be voided — return the items instead.`);
  }
  const [ret] = await tx.select({ number: sales.number }).from(sales).where(and(eq(sales.originalSaleId, sale.id), ne(sales.status, 'voided')));
  if (ret) throw new ConflictError(`${sale.number} has a return (${ret.number}); it can't be voided.`);

  const lines = await tx.select().from(saleLines).where(eq(saleLines.saleId, sale.id)).orderBy(asc(saleLines.lineNo));
  if (lines.some((l) => l.kind === 'account_payment')) throw new ConflictError(`${sale.number} took a payment on account; refund it instead of voiding.`);
  const tenders = await tx.select().from(saleTenders).where(eq(saleTenders.saleId, sale.id)).orderBy(asc(saleTenders.seq));
  // A layaway pickup or special-order completion is paid by the deposits held: voiding it would put the deposit
  // back into Customer deposits while the layaway stays picked up (or the order completed). Return it instead
  // (the return refunds the deposit part to store credit).
  if (tenders.some((t) => t.method === 'deposit')) throw new ConflictError(`${sale.number} was paid with a deposit (layaway pickup or special order); return the items instead of voiding.`);
  const memo = `Void of ${sale.number}: ${input.reason}`;

  // A unit that has already come back (a return without the receipt) can't be un-sold a second time.
  const unitIds = lines.filter((l) => l.kind === 'item' && l.unitId).map((l) => l.unitId!);
  if (unitIds.length) {
    const back = await tx.select({ serial: inventoryUnits.serialNumber, status: inventoryUnits.status }).from(inventoryUnits).where(and(inArray(inventoryUnits.id, unitIds), ne(inventoryUnits.status, 'sold')));
    if (back.length) throw new ConflictError(`${sale.number} can't be voided: unit ${back[0].serial} is no longer sold (it is ${back[0].status.replace('_', ' ')}).`);
  }

  // Goods back at the recorded cost (the reversed entry takes COGS back by the same amounts). Stock that went
  // below zero meanwhile (a manager's override) takes them in at its average instead: the difference is posted
  // below, so Inventory stays equal to the stock value.
  let stockVarianceCents = 0;
  await lockStockProducts(tx, lines.filter((l) => l.kind === 'item').map((l) => l.productId));
  await lockGiftCards(tx, { ids: [...lines.filter((l) => l.kind === 'gift_card').map((l) => l.refId), ...tenders.map((t) => t.giftCardId)] });
  for (const l of lines) {
    if (l.kind === 'item' && l.unitId) {
      await transitionUnit(tx, actor, l.unitId, 'available', { expectedFrom: ['sold'], eventType: 'sale_voided', summary: `Sale ${sale.number} voided`, referenceType: 'sale', referenceId: sale.id, journal: 'posted_by_caller' });
    } else if (l.kind === 'item' && l.productId && l.costCents !== null && (await isStockProduct(tx, l.productId))) {
      const moved = await recordStockMovement(tx, actor, { productId: l.productId, quantityDelta: l.quantity, reason: 'return', totalCostCents: l.costCents, referenceType: 'sale', referenceId: sale.id, note: `Void of ${sale.number}` });
      stockVarianceCents += moved.valueDeltaCents - l.costCents;
    } else if (l.kind === 'gift_card' && l.refId) {
      const [card] = await tx.select({ number: giftCards.number }).from(giftCards).where(eq(giftCards.id, l.refId));
      await debitGiftCard(tx, actor, card.number, l.netCents, 'void', ctx.today, { saleId: sale.id, memo }).catch((err) => {
        if (err instanceof ConflictError) throw new ConflictError(`Gift card ${card.number} sold on ${sale.number} has already been spent; it can't be voided.`);
        throw err;
      });
    } else if (l.kind === 'layaway_payment' && l.refId) {
      const [lay] = await tx.select().from(layaways).where(eq(layaways.id, l.refId)).for('update');
      if (lay.status !== 'open') throw new ConflictError(`Layaway ${lay.number} is ${lay.status.replace('_', ' ')}; its payment can't be voided.`);
      await tx.update(layaways).set({ paidCents: lay.paidCents - l.netCents }).where(eq(layaways.id, lay.id));
    } else if (l.kind === 'special_order_deposit' && l.refId) {
      const [so] = await tx.select().from(specialOrders).where(eq(specialOrders.id, l.refId)).for('update');
      if (so.status === 'completed') throw new ConflictError(`Special order ${so.number} is completed; its deposit can't be voided.`);
      await tx.update(specialOrders).set({ depositCents: so.depositCents - l.netCents }).where(eq(specialOrders.id, so.id));
    }
  }

  // Tenders back.
  const movements: (typeof drawerMovements.$inferInsert)[] = [];
  for (const t of tenders) {
    if (t.method === 'cash') movements.push({ sessionId: sale.registerSessionId!, kind: 'refund_cash', amountCents: t.tenderedCents - t.changeCents, reason: `Void of ${sale.number}`, sourceType: 'sale_void', sourceId: sale.id, byUserId: actor.userId, byLabel: actor.label, at: new Date(Date.now() + movements.length) });
    else if (t.method === 'check') movements.push({ sessionId: sale.registerSessionId!, kind: 'check_refund', amountCents: t.amountCents, reason: `Void of ${sale.number}`, sourceType: 'sale_void', sourceId: sale.id, byUserId: actor.userId, byLabel: actor.label, at: new Date(Date.now() + movements.length) });
    else if (t.method === 'gift_card' && t.giftCardId) await creditGiftCard(tx, actor, t.giftCardId, t.amountCents, { saleId: sale.id, memo });
    else if (t.method === 'store_credit' && sale.accountId) await changeStoreCredit(tx, actor, sale.accountId, t.amountCents, 'void', { saleId: sale.id, sourceType: 'sale_void', sourceId: sale.id, memo });
    else if (t.method === 'account' && t.invoiceId) {
      const [inv] = await tx.select().from(invoices).where(eq(invoices.id, t.invoiceId)).for('update');
      if (inv.balanceCents !== inv.totalCents) throw new ConflictError(`Invoice ${inv.number} of ${sale.number} has payments applied; return the items instead of voiding.`);
      await tx.insert(invoiceAllocations).values({ invoiceId: inv.id, saleId: sale.id, amountCents: inv.balanceCents });
      await tx.update(invoices).set({ balanceCents: 0 }).where(eq(invoices.id, inv.id));
    }
  }

  // A memo is at most 500 characters (a 500-character reason plus the prefix would be refused as a bad memo).
  const reversal = sale.journalEntryId ? await reverseEntry(tx, actor, sale.journalEntryId, memo.slice(0, 500), ctx.today) : null;
  if (stockVarianceCents !== 0) {
    await postEvent(tx, actor, 'counter_document', { memo: `${memo}: stock value variance (stock was below zero)`.slice(0, 500), party: null, revenue: [], discountCents: 0, tax: [], liabilities: [], tenders: [], roundingCents: 0, cogs: [{ asset: 'inventory', cents: -stockVarianceCents }] }, { sourceType: 'sale', sourceId: sale.id, memo: memo.slice(0, 500), date: ctx.today });
  }
  if (movements.length) await tx.insert(drawerMovements).values(movements.map((m) => ({ ...m, journalEntryId: reversal?.id ?? null })));
  await tx
    .update(sales)
    .set({ status: 'voided', voidedAt: new Date(), voidedByUserId: approver.userId, voidedByLabel: approver.label, voidReason: input.reason, voidEntryId: reversal?.id ?? null })
    .where(eq(sales.id, sale.id));
  await recordAudit(tx, actor, { action: 'sale.void', entityType: 'sale', entityId: sale.id, summary: `Voided ${sale.number} (${formatCents(sale.totalCents)}), approved by ${approver.label}: ${input.reason}` });
  return sale.id;
}

async function isStockProduct(tx: Tx, productId: string) {
  const [p] = await tx.select({ kind: products.kind }).from(products).where(eq(products.id, productId));
  return p?.kind === 'stock';
}

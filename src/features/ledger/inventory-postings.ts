import { and, eq, inArray, sql } from 'drizzle-orm';
import { inventoryUnits, purchaseOrders, suppliers } from '../../db/schema';
import type { Tx } from '../../db/client';
import type { Actor } from '../audit/service';
import type { JournalParty } from '../../domain/journal';
import { formatCents } from '../../domain/money';
import { postEntry, postEvent, type JournalEntry } from './journal';
import { unitAssetAccount, unitTransitionPosting, type AssetAccount } from './posting-rules';

/**
 * The journal side of stock and unit changes, called by recordStockMovement (stock-ledger.ts) and the unit
 * lifecycle (unit-lifecycle.ts) on the same transaction. Which rule applies follows from the movement's reason
 * or the unit's acquisition; events the POS and others own (sale, return, trade-in …) are posted by them.
 */

/** The supplier (party + PO number) behind a purchase-order reference, for AP lines and memos. */
async function purchaseOrderParty(tx: Tx, referenceType: string | null | undefined, referenceId: string | null | undefined): Promise<{ party: JournalParty | null; number: string | null }> {
  if (referenceType !== 'purchase_order' || !referenceId) return { party: null, number: null };
  const [po] = await tx.select({ supplierId: purchaseOrders.supplierId, number: purchaseOrders.number, supplierName: suppliers.name }).from(purchaseOrders).innerJoin(suppliers, eq(suppliers.id, purchaseOrders.supplierId)).where(eq(purchaseOrders.id, referenceId));
  return po ? { party: { type: 'supplier', id: po.supplierId }, number: po.number } : { party: null, number: null };
}

/** Stock reasons this module posts; the others are part of a bigger event whose service posts them. */
export const SELF_POSTING_STOCK_REASONS = ['receipt', 'adjustment', 'count', 'import'] as const;
export type SelfPostingStockReason = (typeof SELF_POSTING_STOCK_REASONS)[number];

export interface StockValuePosting {
  reason: SelfPostingStockReason;
  movementId: number;
  sku: string;
  quantityDelta: number;
  valueDeltaCents: number;
  /** What incoming stock cost (owed to the supplier for a receipt). */
  costCents: number;
  note: string;
  referenceType?: string | null;
  referenceId?: string | null;
  entryDate?: string | null;
}

/** Posts a stock movement's value change by its reason (receipt, adjustment, count, import). */
export async function postStockMovement(tx: Tx, actor: Actor, m: StockValuePosting): Promise<JournalEntry | null> {
  const qty = `${m.quantityDelta > 0 ? '+' : ''}${m.quantityDelta} × ${m.sku}`;
  const where = { date: m.entryDate, sourceType: 'stock_movement', sourceId: String(m.movementId) };
  switch (m.reason) {
    case 'receipt': {
      const po = await purchaseOrderParty(tx, m.referenceType, m.referenceId);
      const memo = `${po.number ? `${po.number}: ` : ''}received ${qty}`;
      return postEvent(tx, actor, 'inventory_receipt', { asset: 'inventory', valueCents: m.valueDeltaCents, costCents: m.costCents, supplier: po.party, memo }, { ...where, memo });
    }
    case 'adjustment': {
      const memo = `Stock adjustment ${qty}${m.note ? `: ${m.note}` : ''}`;
      return postEvent(tx, actor, 'stock_adjustment', { valueDeltaCents: m.valueDeltaCents, memo }, { ...where, memo });
    }
    case 'count': {
      const memo = `${m.note || 'Cycle count'}: ${qty}`;
      return postEvent(tx, actor, 'cycle_count', { valueDeltaCents: m.valueDeltaCents, memo }, { ...where, memo });
    }
    case 'import': {
      const memo = `Opening stock ${qty} (import)`;
      return postEvent(tx, actor, 'opening_inventory', { changes: [{ asset: 'inventory', deltaCents: m.valueDeltaCents }], memo }, { ...where, memo });
    }
  }
}

export interface UnitAcquisitionPosting {
  unitId: string;
  serialNumber: string;
  sku: string;
  productRentable: boolean;
  costCents: number;
  acquiredVia: 'purchase' | 'trade_in' | 'import' | 'other';
  referenceType?: string | null;
  referenceId?: string | null;
  entryDate?: string | null;
}

/**
 * A new unit's cost goes onto the books: received on a PO → inventory_receipt (AP, supplier); imported →
 * opening_inventory; added by hand → unit_acquired (AP when bought, Inventory shrink otherwise).
 */
export async function postUnitAcquisition(tx: Tx, actor: Actor, u: UnitAcquisitionPosting): Promise<JournalEntry | null> {
  const asset = unitAssetAccount('available', u.productRentable)!;
  const where = { date: u.entryDate, sourceType: 'inventory_unit', sourceId: u.unitId };
  const what = `${u.sku} serial ${u.serialNumber}`;
  if (u.acquiredVia === 'import') {
    const memo = `Opening unit ${what} (import)`;
    return postEvent(tx, actor, 'opening_inventory', { changes: [{ asset, deltaCents: u.costCents }], memo }, { ...where, memo });
  }
  const po = await purchaseOrderParty(tx, u.referenceType, u.referenceId);
  if (u.acquiredVia === 'purchase' && po.number) {
    const memo = `${po.number}: received ${what}`;
    return postEvent(tx, actor, 'inventory_receipt', { asset, valueCents: u.costCents, costCents: u.costCents, supplier: po.party, memo }, { ...where, memo });
  }
  const memo = `Unit ${what} added (${u.acquiredVia.replace('_', '-')}) at ${formatCents(u.costCents)}`;
  return postEvent(tx, actor, 'unit_acquired', { asset, costCents: u.costCents, via: u.acquiredVia, memo }, { ...where, memo });
}

export interface UnitTransitionPosting {
  unitId: string;
  serialNumber: string;
  productRentable: boolean;
  costCents: number;
  fromStatus: string;
  toStatus: string;
  /** The passport event type of the transition ('status_override', 'import', 'sale' …). */
  eventType: string;
  reason?: string;
  entryDate?: string | null;
}

export class UnpostedUnitTransitionError extends Error {}

/**
 * Posts a status change that moves a unit's cost between accounts (onto/off the books, Inventory ↔ Rental
 * fleet). Manager overrides and imports have rules here; any other business transition that moves value must
 * be posted by its own service (which passes journal: 'posted_by_caller' to transitionUnit), so this throws
 * rather than let value move silently.
 */
export async function postUnitTransition(tx: Tx, actor: Actor, t: UnitTransitionPosting): Promise<JournalEntry | null> {
  const from = unitAssetAccount(t.fromStatus, t.productRentable);
  const to = unitAssetAccount(t.toStatus, t.productRentable);
  if (from === to) return null;
  const memo = `Unit ${t.serialNumber}: ${t.fromStatus.replace('_', ' ')} → ${t.toStatus.replace('_', ' ')}${t.reason ? ` (${t.reason})` : ''}`;
  const posting = unitTransitionPosting(t.eventType, from, to, t.costCents, memo);
  if (!posting) {
    throw new UnpostedUnitTransitionError(`Moving unit ${t.serialNumber} from ${t.fromStatus} to ${t.toStatus} (${t.eventType}) moves its cost from ${from ?? 'off the books'} to ${to ?? 'off the books'}; the service doing it must post that and pass journal: 'posted_by_caller'.`);
  }
  if (posting.lines.length === 0) return null;
  return postEntry(tx, actor, { eventType: posting.eventType, date: t.entryDate, sourceType: 'inventory_unit', sourceId: t.unitId, memo, lines: posting.lines });
}

/**
 * Reclassifies a serialized product's units held on the books when its `rentable` flag changes (units of a
 * rentable product are Rental fleet, the others Inventory). For the product service to call on that change.
 */
export async function postRentableChange(tx: Tx, actor: Actor, productId: string, sku: string, rentableBefore: boolean, rentableAfter: boolean): Promise<JournalEntry | null> {
  if (rentableBefore === rentableAfter) return null;
  const held = ['available', 'on_trial', 'in_repair', 'loaned', 'layaway', 'reserved'];
  const [{ total }] = await tx
    .select({ total: sql<string>`coalesce(sum(${inventoryUnits.costCents}), 0)` })
    .from(inventoryUnits)
    .where(and(eq(inventoryUnits.productId, productId), inArray(inventoryUnits.status, held)));
  const cents = Number(total);
  if (cents === 0) return null;
  const from: AssetAccount = rentableBefore ? 'rental_fleet' : 'inventory';
  const to: AssetAccount = rentableAfter ? 'rental_fleet' : 'inventory';
  const memo = `${sku} ${rentableAfter ? 'became rentable' : 'is no longer rentable'}: its units move to ${to === 'rental_fleet' ? 'the rental fleet' : 'inventory'}`;
  return postEvent(tx, actor, 'unit_reclassified', { from, to, costCents: cents, memo }, { sourceType: 'product', sourceId: productId, memo });
}

import { inArray } from 'drizzle-orm';
import { products, suppliers } from '../../db/schema';
import type { Tx } from '../../db/client';
import type { Actor } from '../audit/service';
import { lowStockRows, type LowStockRow } from '../inventory/low-stock';
import { ValidationError } from '../service-errors';
import { createPurchaseOrder, type PoView } from './service';

export interface SkippedSuggestion {
  productId: string;
  sku: string;
  name: string;
  reason: string;
}

export interface FromSuggestionsResult {
  purchaseOrders: PoView[];
  skipped: SkippedSuggestion[];
}

/** createPoSchema's limit, kept here too: a supplier with more suggested lines gets several drafts. */
const MAX_LINES_PER_PO = 500;

const bySku = (a: { sku: string }, b: { sku: string }) => a.sku.localeCompare(b.sku, 'en', { sensitivity: 'base' });

/**
 * Turns the low-stock report's reorder suggestions into draft purchase orders: one per primary supplier,
 * a line per product with the suggested quantity at the supplier's cost. The suggestions are computed
 * again here (not taken from the request), so quantities are today's. No `productIds` = every current
 * suggestion. Products that can't be ordered this way are returned as `skipped` with the reason (no
 * primary supplier, an inactive one, no longer low); unknown ids are a validation error. Each PO goes
 * through createPurchaseOrder (gap-free number, audit row); all of it happens on the caller's transaction.
 *
 * Drafts don't count as "on order" in the report (see low-stock.ts), so running this twice makes two sets
 * of drafts; the page guards with a one-time form key and the API with Idempotency-Key.
 */
export async function createPurchaseOrdersFromSuggestions(tx: Tx, actor: Actor, input: { productIds?: string[] }, today: string): Promise<FromSuggestionsResult> {
  const wanted = input.productIds ? [...new Set(input.productIds)] : undefined;
  if (wanted) {
    const found = await tx.select({ id: products.id }).from(products).where(inArray(products.id, wanted));
    const known = new Set(found.map((p) => p.id));
    const unknown: Record<string, string> = {};
    input.productIds!.forEach((id, i) => {
      if (!known.has(id)) unknown[`product_ids.${i}`] = 'That product does not exist.';
    });
    if (Object.keys(unknown).length) throw new ValidationError(unknown);
  }
  const rows = await lowStockRows(tx, '', { productIds: wanted });
  const skipped: SkippedSuggestion[] = [];
  if (wanted) {
    const low = new Set(rows.map((r) => r.id));
    const gone = wanted.filter((id) => !low.has(id));
    if (gone.length) {
      const details = await tx.select({ id: products.id, sku: products.sku, name: products.name }).from(products).where(inArray(products.id, gone));
      for (const p of details) skipped.push({ productId: p.id, sku: p.sku, name: p.name, reason: 'Not at or below its reorder point any more (or inactive, or without a reorder point).' });
    }
  }

  const supplierIds = [...new Set(rows.map((r) => r.supplierId).filter((id): id is string => id !== null))];
  const supplierRows = supplierIds.length ? await tx.select({ id: suppliers.id, name: suppliers.name, isActive: suppliers.isActive }).from(suppliers).where(inArray(suppliers.id, supplierIds)) : [];
  const supplierById = new Map(supplierRows.map((s) => [s.id, s]));

  const groups = new Map<string, LowStockRow[]>();
  for (const row of rows) {
    const supplier = row.supplierId ? supplierById.get(row.supplierId) : undefined;
    if (!supplier) skipped.push({ productId: row.id, sku: row.sku, name: row.name, reason: 'No primary supplier: choose one on the product page.' });
    else if (!supplier.isActive) skipped.push({ productId: row.id, sku: row.sku, name: row.name, reason: `Its primary supplier, ${supplier.name}, is inactive.` });
    else groups.set(supplier.id, [...(groups.get(supplier.id) ?? []), row]);
  }

  const purchaseOrders: PoView[] = [];
  const ordered = [...groups.entries()].sort(([a], [b]) => supplierById.get(a)!.name.localeCompare(supplierById.get(b)!.name, 'en', { sensitivity: 'base' }));
  for (const [supplierId, lines] of ordered) {
    lines.sort(bySku);
    for (let start = 0; start < lines.length; start += MAX_LINES_PER_PO) {
      const chunk = lines.slice(start, start + MAX_LINES_PER_PO);
      purchaseOrders.push(
        await createPurchaseOrder(tx, actor, {
          supplier_id: supplierId,
          expected_on: null,
          notes: `Created from the low-stock report's reorder suggestions on ${today}.`,
          lines: chunk.map((r) => ({ product_id: r.id, quantity: r.suggestedQuantity, unit_cost_cents: r.supplierCostCents ?? 0, note: r.supplierSku ? `Supplier SKU ${r.supplierSku}`.slice(0, 200) : '' })),
        }),
      );
    }
  }
  return { purchaseOrders, skipped: skipped.sort(bySku) };
}

/** One sentence for a flash message: "Skipped 2: REEDS (No primary supplier…), OIL (…)." */
export function describeSkipped(skipped: SkippedSuggestion[], max = 5): string {
  if (!skipped.length) return '';
  const shown = skipped.slice(0, max).map((s) => `${s.sku} (${s.reason.replace(/\.$/, '')})`);
  const more = skipped.length > max ? `, and ${skipped.length - max} more` : '';
  return `Skipped ${skipped.length}: ${shown.join('; ')}${more}.`;
}

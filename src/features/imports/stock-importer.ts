import type { Importer } from '../csv/import-runner';
import { recordStockMovement } from '../inventory/stock-ledger';
import { intCell, moneyCell, optionalTextCell, RowErrors } from './cells';
import { productBySku, productOfKind } from './catalog-lookups';
import { recordAudit } from '../audit/service';

type StockImport = { productId: string; sku: string; quantity: number; unitCostCents: number | undefined };

/**
 * On-hand quantities of stock items. Each row states the quantity the store has now; the import records
 * the difference as an `import` movement, so re-running the same file changes nothing.
 */
export const stockImporter: Importer<StockImport> = {
  kind: 'stock',
  label: 'Stock quantities',
  columns: [
    { name: 'sku', required: true, description: 'SKU of a stock (quantity) product.' },
    { name: 'quantity', required: true, description: 'Quantity on hand now (0 or more).' },
    { name: 'unit_cost', description: 'Cost per unit of the stock on hand (sets the average cost).' },
  ],
  async validate(db, row) {
    const errors = new RowErrors();
    const sku = optionalTextCell(row.sku);
    const product = await productOfKind(db, errors, row.sku, 'stock');
    const quantity = errors.take('quantity', intCell(row.quantity));
    if (quantity === undefined && !errors.list.some((e) => e.column === 'quantity')) errors.add('quantity', 'Quantity is required.');
    if (quantity !== undefined && quantity < 0) errors.add('quantity', 'Quantity on hand cannot be negative.');
    const unitCostCents = errors.take('unit_cost', moneyCell(row.unit_cost));
    if (unitCostCents !== undefined && unitCostCents < 0) errors.add('unit_cost', 'Unit cost cannot be negative.');
    if (!errors.empty || !product || quantity === undefined) return { ok: false, errors: errors.list };
    // The SKU is this file's key: a repeated SKU is reported like a repeated legacy id.
    return { ok: true, value: { productId: product.id, sku: product.sku, quantity, unitCostCents }, legacyId: `sku:${product.sku.toLowerCase()}` };
  },
  async exists() {
    return true;
  },
  async apply(tx, actor, value) {
    const product = await productBySku(tx, value.sku);
    const delta = value.quantity - (product?.quantityOnHand ?? 0);
    if (delta === 0) return 'unchanged';
    const result = await recordStockMovement(tx, actor, { productId: value.productId, quantityDelta: delta, reason: 'import', note: 'Opening quantity from import', unitCostCents: value.unitCostCents });
    await recordAudit(tx, actor, { action: 'stock.import', entityType: 'product', entityId: value.productId, summary: `${value.sku}: on hand set to ${value.quantity} by import`, before: { quantityOnHand: product?.quantityOnHand }, after: { quantityOnHand: result.quantityOnHand, averageCostCents: result.averageCostCents } });
    return 'updated';
  },
};

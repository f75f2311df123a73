import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import type { ListQuery } from '../../ui/list';
import { reorderSuggestion } from '../../domain/reorder';
import { categoryAndDescendants } from './categories';
import { productSearchCondition } from './products';

export const LOW_STOCK_SORTS = ['shortfall', 'sku', 'name', 'supplier', 'category'] as const;

/**
 * Purchase orders whose open quantity counts as "on order". Drafts are not: nothing has been sent to the
 * supplier yet, and a forgotten draft must not hide a real shortage.
 */
export const ON_ORDER_STATUSES = ['ordered', 'partially_received'] as const;

export interface LowStockFilter {
  supplierId?: string;
  categoryId?: string;
  /** Only these products (creating purchase orders from a selection of suggestions). */
  productIds?: string[];
}

export interface LowStockRow {
  id: string;
  sku: string;
  name: string;
  kind: 'stock' | 'serialized';
  categoryId: string | null;
  categoryName: string | null;
  /** quantity_on_hand (stock) or available units (serialized). */
  onHand: number;
  onOrder: number;
  /**
   * Open quantity on draft POs: not counted as on order (see ON_ORDER_STATUSES), but shown, so a draft made
   * from these suggestions is visible and nobody makes a second one by accident.
   */
  inDraft: number;
  reorderPoint: number;
  reorderQuantity: number | null;
  shortfall: number;
  suggestedQuantity: number;
  supplierId: string | null;
  supplierName: string | null;
  supplierSku: string | null;
  supplierCostCents: number | null;
}

/**
 * Active stock/serialized products with a reorder point that are at or below it. The candidates are
 * only products with a reorder point (dozens to a few thousand), so the rule (domain/reorder.ts) runs
 * here rather than being duplicated in SQL, and sorting by shortfall + paging happen in memory.
 */
export async function listLowStock(db: DbOrTx, query: ListQuery, filter: LowStockFilter = {}): Promise<{ rows: LowStockRow[]; total: number }> {
  const low = await lowStockRows(db, query.q, filter);
  low.sort(comparator(query));
  const start = (query.page - 1) * query.limit;
  return { rows: low.slice(start, start + query.limit), total: low.length };
}

/** Every low product matching the search and filters, unsorted (the report pages them; purchasing orders them). */
export async function lowStockRows(db: DbOrTx, q: string, filter: LowStockFilter = {}): Promise<LowStockRow[]> {
  const conditions: SQL[] = [sql`p.is_active`, sql`p.reorder_point is not null`, sql`p.kind in ('stock', 'serialized')`];
  if (q) conditions.push(productSearchCondition(q, { sku: sql`p.sku`, upc: sql`p.upc`, name: sql`p.name`, brand: sql`p.brand`, model: sql`p.model` }));
  if (filter.supplierId) conditions.push(sql`ps.supplier_id = ${filter.supplierId}`);
  if (filter.categoryId) {
    const ids = await categoryAndDescendants(db, filter.categoryId);
    if (!ids.length) return [];
    conditions.push(sql`p.category_id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`);
  }
  if (filter.productIds) {
    if (!filter.productIds.length) return [];
    conditions.push(sql`p.id in (${sql.join(filter.productIds.map((id) => sql`${id}::uuid`), sql`, `)})`);
  }
  const statuses = sql.join(ON_ORDER_STATUSES.map((s) => sql`${s}`), sql`, `);
  const raw = await db.execute<Record<string, unknown>>(sql`
    select p.id, p.sku, p.name, p.kind, p.category_id, c.name as category_name, p.reorder_point, p.reorder_quantity,
      case when p.kind = 'serialized'
        then (select count(*) from inventory_units u where u.product_id = p.id and u.status = 'available')
        else p.quantity_on_hand end::int as on_hand,
      coalesce((select sum(l.quantity_ordered - l.quantity_received) from purchase_order_lines l join purchase_orders po on po.id = l.purchase_order_id
        where l.product_id = p.id and po.status in (${statuses})), 0)::int as on_order,
      coalesce((select sum(l.quantity_ordered - l.quantity_received) from purchase_order_lines l join purchase_orders po on po.id = l.purchase_order_id
        where l.product_id = p.id and po.status = 'draft'), 0)::int as in_draft,
      ps.supplier_id, s.name as supplier_name, ps.supplier_sku, ps.cost_cents as supplier_cost_cents
    from products p
    left join categories c on c.id = p.category_id
    left join lateral (select * from product_suppliers x where x.product_id = p.id and x.is_primary order by x.supplier_id limit 1) ps on true
    left join suppliers s on s.id = ps.supplier_id
    where ${sql.join(conditions, sql` and `)}`);

  const low: LowStockRow[] = [];
  for (const r of raw as unknown as Record<string, any>[]) {
    const rule = reorderSuggestion({ onHand: r.on_hand, onOrder: r.on_order, reorderPoint: r.reorder_point, reorderQuantity: r.reorder_quantity });
    if (!rule.low) continue;
    low.push({
      id: r.id, sku: r.sku, name: r.name, kind: r.kind, categoryId: r.category_id, categoryName: r.category_name, onHand: r.on_hand, onOrder: r.on_order, inDraft: r.in_draft,
      reorderPoint: r.reorder_point, reorderQuantity: r.reorder_quantity, shortfall: rule.shortfall, suggestedQuantity: rule.suggestedQuantity,
      supplierId: r.supplier_id, supplierName: r.supplier_name, supplierSku: r.supplier_sku, supplierCostCents: r.supplier_cost_cents === null ? null : Number(r.supplier_cost_cents),
    });
  }
  return low;
}

const text = (a: string | null, b: string | null) => (a ?? '\uffff').localeCompare(b ?? '\uffff', 'en', { sensitivity: 'base' });

/** Sorting by supplier/category groups the rows (no supplier last), biggest shortfall first within a group. */
function comparator(query: ListQuery): (a: LowStockRow, b: LowStockRow) => number {
  const dir = query.order === 'desc' ? -1 : 1;
  const bySku = (a: LowStockRow, b: LowStockRow) => text(a.sku, b.sku);
  const byShortfall = (a: LowStockRow, b: LowStockRow) => b.shortfall - a.shortfall || bySku(a, b);
  switch (query.sort) {
    case 'sku': return (a, b) => dir * bySku(a, b);
    case 'name': return (a, b) => dir * text(a.name, b.name) || bySku(a, b);
    case 'supplier': return (a, b) => dir * text(a.supplierName, b.supplierName) || byShortfall(a, b);
    case 'category': return (a, b) => dir * text(a.categoryName, b.categoryName) || byShortfall(a, b);
    default: return (a, b) => dir * (a.shortfall - b.shortfall) || bySku(a, b);
  }
}

import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { categories, products, suppliers } from '../../db/schema';
import type { Tx } from '../../db/client';
import type { Actor } from '../audit/service';
import { addDays, type BusinessDate } from '../../domain/business-date';
import { createCategory } from '../inventory/categories';
import { createSupplier } from '../inventory/suppliers';
import { createProduct } from '../inventory/products';
import { addUnit } from '../inventory/units';
import { adjustStock } from '../inventory/stock';
import { categorySchema, createProductSchema, createSupplierSchema, createUnitSchema, stockAdjustmentSchema } from '../inventory/schemas';
import { createPurchaseOrder, markOrdered } from '../purchasing/service';
import { receivePurchaseOrder } from '../purchasing/receiving';
import { createPoSchema, receiptSchema } from '../purchasing/schemas';
import { ConflictError } from '../service-errors';
import type { Rng } from './prng';
import { DEMO_CATEGORIES, DEMO_PRODUCTS, DEMO_SUPPLIERS, SERIALS, UNIT_LOCATIONS, type DemoProduct } from './catalog-data';

export interface CatalogContext {
  tx: Tx;
  actor: Actor;
  rng: Rng;
  today: BusinessDate;
  now: Date;
}

export interface CatalogCounts {
  categories: number;
  suppliers: number;
  products: number;
  serializedProducts: number;
  stockProducts: number;
  units: number;
  stockOnHand: number;
  purchaseOrder: string | null;
}

/** Categories by path; an existing category of the same name under the same parent is reused. */
async function seedCategories(c: CatalogContext): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const path of DEMO_CATEGORIES) {
    const parts = path.split('/');
    const name = parts.at(-1)!;
    const parentId = parts.length > 1 ? ids.get(parts.slice(0, -1).join('/'))! : null;
    const [existing] = await c.tx
      .select({ id: categories.id })
      .from(categories)
      .where(and(parentId ? eq(categories.parentId, parentId) : isNull(categories.parentId), sql`lower(${categories.name}) = ${name.toLowerCase()}`));
    ids.set(path, existing?.id ?? (await createCategory(c.tx, c.actor, categorySchema.parse({ name, parent_id: parentId }))).id);
  }
  return ids;
}

async function seedSuppliers(c: CatalogContext): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const s of DEMO_SUPPLIERS) {
    const [existing] = await c.tx.select({ id: suppliers.id }).from(suppliers).where(sql`lower(${suppliers.name}) = ${s.name.toLowerCase()}`);
    const input = createSupplierSchema.parse({ name: s.name, contact_name: s.contact, email: s.email, phone: s.phone, account_number: s.account, legacy_id: `demo-supplier-${s.key}` });
    ids.set(s.key, existing?.id ?? (await createSupplier(c.tx, c.actor, input)).id);
  }
  return ids;
}

/** The store's own SKUs win: the demo refuses to start rather than rename or overwrite a real product. */
async function assertSkusFree(c: CatalogContext) {
  const skus = DEMO_PRODUCTS.map((p) => p.sku.toLowerCase());
  const [clash] = await c.tx.select({ sku: products.sku }).from(products).where(inArray(sql`lower(${products.sku})`, skus)).limit(1);
  if (clash) throw new ConflictError(`This store already has a product with SKU ${clash.sku}; the demo catalog would clash with it, so nothing was loaded.`);
}

function productInput(p: DemoProduct, categoryId: string, supplierId: string | undefined) {
  return createProductSchema.parse({
    sku: p.sku,
    name: p.name,
    brand: p.brand,
    model: p.model,
    category_id: categoryId,
    kind: p.kind,
    cost_cents: p.costCents,
    price_cents: p.priceCents,
    rentable: p.monthlyRentalCents !== undefined,
    repair_use: p.kind === 'stock' && p.category.endsWith('/Care'),
    size: p.size ?? '',
    monthly_rental_cents: p.monthlyRentalCents ?? null,
    rto_purchase_price_cents: p.rtoPriceCents ?? null,
    reorder_point: p.reorderPoint ?? null,
    reorder_quantity: p.reorderPoint ? p.reorderPoint * 3 : null,
    legacy_id: `demo-product-${p.sku.toLowerCase()}`,
    suppliers: supplierId ? [{ supplier_id: supplierId, supplier_sku: p.supplierSku ?? p.model ?? p.sku, cost_cents: p.costCents, is_primary: true }] : undefined,
  });
}

/** Rental-fleet units: older ones came in trade or have been rented for a few seasons, so their condition varies. */
async function seedUnits(c: CatalogContext, p: DemoProduct, productId: string, count: number, unitSeq: { n: number }, serials: Set<string>) {
  const { rng } = c;
  for (let i = 0; i < count; i++) {
    // Serials are kept unique across the whole demo (not only per product) so a scan finds one unit.
    let serial = SERIALS[p.serial!](rng, i);
    while (serials.has(serial.toLowerCase())) serial = SERIALS[p.serial!](rng, i + 1);
    serials.add(serial.toLowerCase());
    const ageDays = rng.int(20, 5 * 365);
    const tradeIn = rng.chance(0.1);
    const condition = ageDays < 120 && !tradeIn ? 'new' : rng.pick(['excellent', 'good', 'good', 'fair'] as const);
    const cost = tradeIn ? Math.round(p.costCents * 0.45) : p.costCents;
    await addUnit(
      c.tx,
      c.actor,
      createUnitSchema.parse({
        product_id: productId,
        serial_number: serial,
        condition,
        cost_cents: cost,
        acquired_on: addDays(c.today, -ageDays),
        acquired_via: tradeIn ? 'trade_in' : 'purchase',
        location: p.category === 'Guitars' ? 'Showroom' : rng.pick(UNIT_LOCATIONS),
        notes: condition === 'fair' ? rng.pick(['Light scratches on the bell.', 'Case latch worn.', 'Minor dent, plays fine.', 'Pads due for replacement next season.']) : '',
        legacy_id: `demo-unit-${++unitSeq.n}`,
      }),
    );
  }
}

/**
 * One purchase order for the new school year, ordered and received through purchasing, so some units
 * carry "Received on PO-…" in their passport and some stock arrived at landed cost (freight spread).
 */
async function seedPurchaseOrder(c: CatalogContext, productIds: Map<string, string>, supplierId: string, serials: Set<string>, scale: number) {
  const { rng } = c;
  const serialized: [string, number][] = [['YTR-2330', Math.max(1, Math.round(4 * scale))], ['YAS-26', Math.max(1, Math.round(3 * scale))]];
  const stocked: [string, number][] = [['CR1025', 6], ['SR2125', 4], ['EE-TPT1', 12], ['EE-CL1', 12]];
  const byProduct = new Map(DEMO_PRODUCTS.map((p) => [p.sku, p]));
  const lines = [...serialized, ...stocked].map(([sku, quantity]) => ({ product_id: productIds.get(sku)!, quantity, unit_cost_cents: byProduct.get(sku)!.costCents, note: '' }));
  const po = await createPurchaseOrder(c.tx, c.actor, createPoSchema.parse({ supplier_id: supplierId, expected_on: addDays(c.today, -3), notes: 'Back-to-school rental fleet top-up.', lines }));
  await markOrdered(c.tx, c.actor, po.id, c.now);
  const receipt = receiptSchema.parse({
    freight_cents: 8500,
    notes: 'All cartons in good condition.',
    lines: po.lines.map((l) => {
      const product = byProduct.get(l.sku)!;
      const unitSerials: string[] = [];
      if (l.kind === 'serialized') {
        while (unitSerials.length < l.quantityOrdered) {
          const s = SERIALS[product.serial!](rng, 1);
          if (!serials.has(s.toLowerCase())) serials.add(s.toLowerCase()), unitSerials.push(s);
        }
      }
      return { line_id: l.id, quantity: l.quantityOrdered, serials: unitSerials };
    }),
  });
  await receivePurchaseOrder(c.tx, c.actor, po.id, receipt, c.today);
  return { number: po.number, units: serialized.reduce((n, [, q]) => n + q, 0), stock: stocked.reduce((n, [, q]) => n + q, 0) };
}

export async function seedCatalog(c: CatalogContext, scale: number): Promise<CatalogCounts> {
  await assertSkusFree(c);
  const categoryIds = await seedCategories(c);
  const supplierIds = await seedSuppliers(c);
  const productIds = new Map<string, string>();
  const counts: CatalogCounts = { categories: categoryIds.size, suppliers: supplierIds.size, products: 0, serializedProducts: 0, stockProducts: 0, units: 0, stockOnHand: 0, purchaseOrder: null };
  const unitSeq = { n: 0 };
  const serials = new Set<string>();
  for (const p of DEMO_PRODUCTS) {
    const product = await createProduct(c.tx, c.actor, productInput(p, categoryIds.get(p.category)!, p.supplier ? supplierIds.get(p.supplier) : undefined));
    productIds.set(p.sku, product.id);
    counts.products++;
    if (p.kind === 'serialized') {
      counts.serializedProducts++;
      const n = Math.max(1, Math.round((p.units ?? 0) * scale));
      await seedUnits(c, p, product.id, n, unitSeq, serials);
      counts.units += n;
    } else if (p.kind === 'stock') {
      counts.stockProducts++;
      // Opening stock as a counted adjustment (the store's first count), at the dealer cost.
      const quantity = c.rng.int(Math.max(1, p.reorderPoint ?? 2), (p.reorderPoint ?? 4) * 3);
      await adjustStock(c.tx, c.actor, stockAdjustmentSchema.parse({ product_id: product.id, quantity, reason: 'Opening stock count (demo store)', unit_cost_cents: p.costCents }), null);
      counts.stockOnHand += quantity;
    }
  }
  const po = await seedPurchaseOrder(c, productIds, supplierIds.get('kmc')!, serials, scale);
  counts.purchaseOrder = po.number;
  counts.units += po.units;
  counts.stockOnHand += po.stock;
  return counts;
}

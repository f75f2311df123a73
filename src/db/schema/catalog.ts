import { pgTable, text, timestamp, boolean, uuid, integer, bigint, date, index, uniqueIndex, check, bigserial, primaryKey, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** Tax classes (POS issue computes with them); setup seeds "Standard" at the store's default rate. */
export const taxClasses = pgTable('tax_classes', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  isDefault: boolean('is_default').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const taxClassComponents = pgTable(
  'tax_class_components',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    taxClassId: uuid('tax_class_id').notNull().references(() => taxClasses.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    rateMillipercent: integer('rate_millipercent').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
  },
  (t) => [check('tax_class_components_rate_check', sql`${t.rateMillipercent} between 0 and 100000`)],
);

export const categories = pgTable(
  'categories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parentId: uuid('parent_id').references((): AnyPgColumn => categories.id),
    name: text('name').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('categories_parent_name_key').on(sql`coalesce(${t.parentId}, '00000000-0000-0000-0000-000000000000'::uuid)`, sql`lower(${t.name})`)],
);

export const suppliers = pgTable(
  'suppliers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    contactName: text('contact_name').notNull().default(''),
    email: text('email'),
    phone: text('phone'),
    accountNumber: text('account_number').notNull().default(''),
    notes: text('notes').notNull().default(''),
    isActive: boolean('is_active').notNull().default(true),
    legacyId: text('legacy_id').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('suppliers_name_lower_key').on(sql`lower(${t.name})`)],
);

/** What an item is. Money in cents; `averageCostCents` is the moving average for stock items. */
export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sku: text('sku').notNull(),
    upc: text('upc'),
    name: text('name').notNull(),
    brand: text('brand').notNull().default(''),
    model: text('model').notNull().default(''),
    description: text('description').notNull().default(''),
    categoryId: uuid('category_id').references(() => categories.id),
    kind: text('kind').notNull(),
    costCents: bigint('cost_cents', { mode: 'number' }).notNull().default(0),
    averageCostCents: bigint('average_cost_cents', { mode: 'number' }).notNull().default(0),
    priceCents: bigint('price_cents', { mode: 'number' }).notNull().default(0),
    minPriceCents: bigint('min_price_cents', { mode: 'number' }),
    taxClassId: uuid('tax_class_id').references(() => taxClasses.id),
    sellable: boolean('sellable').notNull().default(true),
    rentable: boolean('rentable').notNull().default(false),
    repairUse: boolean('repair_use').notNull().default(false),
    size: text('size').notNull().default(''),
    monthlyRentalCents: bigint('monthly_rental_cents', { mode: 'number' }),
    rtoPurchasePriceCents: bigint('rto_purchase_price_cents', { mode: 'number' }),
    reorderPoint: integer('reorder_point'),
    reorderQuantity: integer('reorder_quantity'),
    /** On-hand quantity of a stock item, kept equal to the sum of its stock_movements in the same transaction. */
    quantityOnHand: integer('quantity_on_hand').notNull().default(0),
    /**
     * Value of the stock on hand, kept exactly by recordStockMovement (src/domain/stock-value.ts): issues take
     * half_up(value × q / on hand) and the last unit takes the rest, so no rounding drift accumulates. It equals
     * the product's share of the Inventory account; averageCostCents is derived from it. Negative only while
     * on-hand is (a manager allowed overselling).
     */
    stockValueCents: bigint('stock_value_cents', { mode: 'number' }).notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    legacyId: text('legacy_id').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('products_sku_lower_key').on(sql`lower(${t.sku})`),
    uniqueIndex('products_upc_key').on(t.upc).where(sql`${t.upc} is not null`),
    index('products_category_idx').on(t.categoryId),
    check('products_kind_check', sql`${t.kind} in ('serialized', 'stock', 'service', 'non_inventory')`),
    check('products_money_check', sql`${t.costCents} >= 0 and ${t.priceCents} >= 0 and ${t.averageCostCents} >= 0 and coalesce(${t.minPriceCents}, 0) >= 0`),
  ],
);

export const productSuppliers = pgTable(
  'product_suppliers',
  {
    productId: uuid('product_id').notNull().references(() => products.id, { onDelete: 'cascade' }),
    supplierId: uuid('supplier_id').notNull().references(() => suppliers.id),
    supplierSku: text('supplier_sku').notNull().default(''),
    costCents: bigint('cost_cents', { mode: 'number' }).notNull().default(0),
    isPrimary: boolean('is_primary').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.productId, t.supplierId] })],
);

export const UNIT_STATUSES = ['available', 'sold', 'rented', 'on_trial', 'in_repair', 'loaned', 'layaway', 'reserved', 'lost', 'retired'] as const;

/** One physical serialized item. Its status changes only through business actions (or a manager with a reason). */
export const inventoryUnits = pgTable(
  'inventory_units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id').notNull().references(() => products.id),
    serialNumber: text('serial_number').notNull(),
    condition: text('condition').notNull().default('new'),
    status: text('status').notNull().default('available'),
    costCents: bigint('cost_cents', { mode: 'number' }).notNull().default(0),
    acquiredOn: date('acquired_on', { mode: 'string' }),
    acquiredVia: text('acquired_via').notNull().default('purchase'),
    location: text('location').notNull().default(''),
    notes: text('notes').notNull().default(''),
    legacyId: text('legacy_id').unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('inventory_units_product_serial_key').on(t.productId, sql`lower(${t.serialNumber})`),
    index('inventory_units_status_idx').on(t.status),
    check('inventory_units_status_check', sql`${t.status} in ('available', 'sold', 'rented', 'on_trial', 'in_repair', 'loaned', 'layaway', 'reserved', 'lost', 'retired')`),
    check('inventory_units_acquired_via_check', sql`${t.acquiredVia} in ('purchase', 'trade_in', 'import', 'other')`),
    check('inventory_units_cost_check', sql`${t.costCents} >= 0`),
  ],
);

/** The instrument passport: every event in a unit's life, append-only. */
export const unitEvents = pgTable(
  'unit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    unitId: uuid('unit_id').notNull().references(() => inventoryUnits.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    eventType: text('event_type').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    referenceType: text('reference_type'),
    referenceId: text('reference_id'),
    summary: text('summary').notNull().default(''),
    actorUserId: uuid('actor_user_id'),
    actorLabel: text('actor_label').notNull().default('system'),
  },
  (t) => [index('unit_events_unit_idx').on(t.unitId, t.at)],
);

/** Stock ledger of quantity items: every movement is a row; products.quantity_on_hand is their running sum. */
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    productId: uuid('product_id').notNull().references(() => products.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    quantityDelta: integer('quantity_delta').notNull(),
    reason: text('reason').notNull(),
    note: text('note').notNull().default(''),
    unitCostCents: bigint('unit_cost_cents', { mode: 'number' }).notNull().default(0),
    quantityAfter: integer('quantity_after').notNull(),
    averageCostAfterCents: bigint('average_cost_after_cents', { mode: 'number' }).notNull().default(0),
    referenceType: text('reference_type'),
    referenceId: text('reference_id'),
    /** Set when a manager allowed the on-hand quantity to go negative. */
    overrideByUserId: uuid('override_by_user_id'),
    actorUserId: uuid('actor_user_id'),
    actorLabel: text('actor_label').notNull().default('system'),
  },
  (t) => [
    index('stock_movements_product_idx').on(t.productId, t.at),
    check('stock_movements_reason_check', sql`${t.reason} in ('receipt', 'sale', 'return', 'repair_use', 'adjustment', 'count', 'transfer_to_fleet', 'import')`),
    check('stock_movements_delta_check', sql`${t.quantityDelta} <> 0`),
  ],
);

/** Gap-free human numbers per series (PO-000001, CC-000001, later S-, I-, R-): a row lock makes them sequential. */
export const numberSeries = pgTable('number_series', {
  series: text('series').primaryKey(),
  nextValue: bigint('next_value', { mode: 'number' }).notNull().default(1),
});

export const purchaseOrders = pgTable(
  'purchase_orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull().unique(),
    supplierId: uuid('supplier_id').notNull().references(() => suppliers.id),
    status: text('status').notNull().default('draft'),
    orderedAt: timestamp('ordered_at', { withTimezone: true }),
    expectedOn: date('expected_on', { mode: 'string' }),
    notes: text('notes').notNull().default(''),
    createdByUserId: uuid('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('purchase_orders_status_check', sql`${t.status} in ('draft', 'ordered', 'partially_received', 'received', 'cancelled')`), index('purchase_orders_supplier_idx').on(t.supplierId)],
);

export const purchaseOrderLines = pgTable(
  'purchase_order_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    purchaseOrderId: uuid('purchase_order_id').notNull().references(() => purchaseOrders.id, { onDelete: 'cascade' }),
    productId: uuid('product_id').notNull().references(() => products.id),
    quantityOrdered: integer('quantity_ordered').notNull(),
    quantityReceived: integer('quantity_received').notNull().default(0),
    unitCostCents: bigint('unit_cost_cents', { mode: 'number' }).notNull(),
    note: text('note').notNull().default(''),
  },
  (t) => [
    index('purchase_order_lines_po_idx').on(t.purchaseOrderId),
    check('purchase_order_lines_qty_check', sql`${t.quantityOrdered} > 0 and ${t.quantityReceived} >= 0 and ${t.quantityReceived} <= ${t.quantityOrdered}`),
    check('purchase_order_lines_cost_check', sql`${t.unitCostCents} >= 0`),
  ],
);

/** One receiving event against a PO; freight/duty is spread over its lines into landed cost. */
export const receipts = pgTable('receipts', {
  id: uuid('id').primaryKey().defaultRandom(),
  purchaseOrderId: uuid('purchase_order_id').notNull().references(() => purchaseOrders.id),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  freightCents: bigint('freight_cents', { mode: 'number' }).notNull().default(0),
  receivedByUserId: uuid('received_by_user_id'),
  notes: text('notes').notNull().default(''),
});

export const receiptLines = pgTable(
  'receipt_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    receiptId: uuid('receipt_id').notNull().references(() => receipts.id, { onDelete: 'cascade' }),
    purchaseOrderLineId: uuid('purchase_order_line_id').notNull().references(() => purchaseOrderLines.id),
    quantity: integer('quantity').notNull(),
    /** Unit cost including this line's share of freight. */
    landedUnitCostCents: bigint('landed_unit_cost_cents', { mode: 'number' }).notNull(),
  },
  (t) => [check('receipt_lines_qty_check', sql`${t.quantity} > 0`)],
);

export const cycleCounts = pgTable(
  'cycle_counts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull().unique(),
    name: text('name').notNull(),
    categoryId: uuid('category_id').references(() => categories.id),
    location: text('location').notNull().default(''),
    status: text('status').notNull().default('open'),
    createdByUserId: uuid('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    postedAt: timestamp('posted_at', { withTimezone: true }),
  },
  (t) => [check('cycle_counts_status_check', sql`${t.status} in ('open', 'posted', 'cancelled')`)],
);

/** One line per stock product in scope (expected vs counted) or per serialized unit expected/found. */
export const cycleCountLines = pgTable(
  'cycle_count_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    cycleCountId: uuid('cycle_count_id').notNull().references(() => cycleCounts.id, { onDelete: 'cascade' }),
    productId: uuid('product_id').notNull().references(() => products.id),
    unitId: uuid('unit_id').references(() => inventoryUnits.id),
    expectedQuantity: integer('expected_quantity').notNull(),
    countedQuantity: integer('counted_quantity'),
  },
  (t) => [index('cycle_count_lines_count_idx').on(t.cycleCountId)],
);

/** Warranty coverage of a unit (manufacturer, store or extended) and the claims made under it. */
export const unitWarranties = pgTable(
  'unit_warranties',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    unitId: uuid('unit_id').notNull().references(() => inventoryUnits.id),
    kind: text('kind').notNull(),
    provider: text('provider').notNull().default(''),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    terms: text('terms').notNull().default(''),
    priceCents: bigint('price_cents', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('unit_warranties_unit_idx').on(t.unitId),
    check('unit_warranties_kind_check', sql`${t.kind} in ('manufacturer', 'store', 'extended')`),
    check('unit_warranties_dates_check', sql`${t.endsOn} >= ${t.startsOn}`),
    check('unit_warranties_price_check', sql`${t.priceCents} >= 0`),
  ],
);

export const warrantyClaims = pgTable(
  'warranty_claims',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    warrantyId: uuid('warranty_id').notNull().references(() => unitWarranties.id),
    claimedOn: date('claimed_on', { mode: 'string' }).notNull(),
    description: text('description').notNull(),
    status: text('status').notNull().default('open'),
    resolution: text('resolution').notNull().default(''),
    reference: text('reference').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('warranty_claims_warranty_idx').on(t.warrantyId), check('warranty_claims_status_check', sql`${t.status} in ('open', 'approved', 'denied', 'closed')`)],
);

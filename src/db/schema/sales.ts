import { pgTable, text, timestamp, boolean, uuid, integer, bigint, date, jsonb, index, uniqueIndex, check, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { staffUsers } from './staff';
import { accounts } from './customers';
import { products, inventoryUnits, taxClasses, purchaseOrderLines } from './catalog';
import { registers, drawerSessions } from './registers';
import { journalEntries } from './ledger';

/**
 * Counter documents (pos.md): sales, returns and payments rung up at a register or through the API, with their
 * lines, tenders, discounts and tax by component; the stored-value ledgers (gift cards, store credit), house
 * account invoices (AR), layaways, special orders, trade-ins, trials and bank deposits. Completed documents are
 * never edited: a void or a return is a new row plus a reversing/opposite journal entry. The append-only rules
 * the database enforces itself are in migration 0013_sales_rules; docs/sales.md explains the model.
 */

/** Named discounts a cashier picks from (percent in millipercent or an amount in cents). */
export const namedDiscounts = pgTable(
  'named_discounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    percentMillipercent: integer('percent_millipercent'),
    amountCents: bigint('amount_cents', { mode: 'number' }),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('named_discounts_name_lower_key').on(sql`lower(${t.name})`),
    check('named_discounts_kind_check', sql`(${t.kind} = 'percent' and ${t.percentMillipercent} between 1 and 100000 and ${t.amountCents} is null) or (${t.kind} = 'amount' and ${t.amountCents} > 0 and ${t.percentMillipercent} is null)`),
  ],
);

/** The sale screen's working ticket: mutable until checkout; `parked` ones can be resumed at any register. */
export const saleDrafts = pgTable(
  'sale_drafts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    registerId: uuid('register_id').references(() => registers.id),
    status: text('status').notNull().default('active'),
    accountId: uuid('account_id').references(() => accounts.id),
    /** Lines, discounts and notes as the sale screen holds them (src/features/sales/draft.ts). */
    data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
    label: text('label').notNull().default(''),
    /** One-time key of the checkout form currently shown (a double click replays the same sale). */
    checkoutKey: text('checkout_key'),
    createdByUserId: uuid('created_by_user_id').references(() => staffUsers.id),
    createdByLabel: text('created_by_label').notNull(),
    parkedAt: timestamp('parked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sale_drafts_status_idx').on(t.status, t.updatedAt), check('sale_drafts_status_check', sql`${t.status} in ('active', 'parked')`)],
);

export const SALE_KINDS = ['sale', 'return', 'payment'] as const;

/**
 * A completed counter document. Amounts are signed from the store's side: a sale's are positive, a return's
 * negative. `number` is gap-free per kind (S-000001, R-000001, P-000001).
 */
export const sales = pgTable(
  'sales',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull(),
    kind: text('kind').notNull(),
    status: text('status').notNull().default('completed'),
    /** For a return: the sale it returns from (null for a return without receipt). */
    originalSaleId: uuid('original_sale_id').references((): AnyPgColumn => sales.id),
    registerId: uuid('register_id').references(() => registers.id),
    registerSessionId: uuid('register_session_id').references(() => drawerSessions.id),
    accountId: uuid('account_id').references(() => accounts.id),
    businessDate: date('business_date', { mode: 'string' }).notNull(),
    grossCents: bigint('gross_cents', { mode: 'number' }).notNull(),
    discountCents: bigint('discount_cents', { mode: 'number' }).notNull().default(0),
    netCents: bigint('net_cents', { mode: 'number' }).notNull(),
    taxCents: bigint('tax_cents', { mode: 'number' }).notNull(),
    totalCents: bigint('total_cents', { mode: 'number' }).notNull(),
    changeCents: bigint('change_cents', { mode: 'number' }).notNull().default(0),
    roundingCents: bigint('rounding_cents', { mode: 'number' }).notNull().default(0),
    /** Certificate that exempted this document from tax (printed on the receipt). */
    taxExemptCertificate: text('tax_exempt_certificate'),
    /** Manager who approved something on this document (a no-receipt return, a refund override). */
    approvedByUserId: uuid('approved_by_user_id').references(() => staffUsers.id),
    approvedByLabel: text('approved_by_label'),
    note: text('note').notNull().default(''),
    journalEntryId: uuid('journal_entry_id').references(() => journalEntries.id),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    voidedByUserId: uuid('voided_by_user_id').references(() => staffUsers.id),
    voidedByLabel: text('voided_by_label'),
    voidReason: text('void_reason'),
    voidEntryId: uuid('void_entry_id').references(() => journalEntries.id),
    cashierUserId: uuid('cashier_user_id').references(() => staffUsers.id),
    cashierLabel: text('cashier_label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sales_number_key').on(t.number),
    index('sales_business_date_idx').on(t.businessDate),
    index('sales_account_idx').on(t.accountId, t.createdAt),
    index('sales_session_idx').on(t.registerSessionId),
    index('sales_original_idx').on(t.originalSaleId),
    check('sales_kind_check', sql`${t.kind} in ('sale', 'return', 'payment')`),
    check('sales_status_check', sql`${t.status} in ('completed', 'voided')`),
    check('sales_void_check', sql`(${t.status} = 'voided') = (${t.voidedAt} is not null)`),
    check('sales_totals_check', sql`${t.netCents} = ${t.grossCents} - ${t.discountCents} and ${t.totalCents} = ${t.netCents} + ${t.taxCents}`),
    check('sales_note_check', sql`length(${t.note}) <= 1000`),
  ],
);

export const SALE_LINE_KINDS = ['item', 'gift_card', 'account_payment', 'layaway_payment', 'special_order_deposit'] as const;
export type SaleLineKind = (typeof SALE_LINE_KINDS)[number];

/** A line of a counter document. Quantity is always positive; money has the document's sign. */
export const saleLines = pgTable(
  'sale_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    saleId: uuid('sale_id').notNull().references(() => sales.id),
    lineNo: integer('line_no').notNull(),
    kind: text('kind').notNull().default('item'),
    productId: uuid('product_id').references(() => products.id),
    unitId: uuid('unit_id').references(() => inventoryUnits.id),
    description: text('description').notNull(),
    sku: text('sku').notNull().default(''),
    quantity: integer('quantity').notNull(),
    unitPriceCents: bigint('unit_price_cents', { mode: 'number' }).notNull(),
    grossCents: bigint('gross_cents', { mode: 'number' }).notNull(),
    lineDiscountCents: bigint('line_discount_cents', { mode: 'number' }).notNull().default(0),
    orderDiscountCents: bigint('order_discount_cents', { mode: 'number' }).notNull().default(0),
    netCents: bigint('net_cents', { mode: 'number' }).notNull(),
    taxCents: bigint('tax_cents', { mode: 'number' }).notNull().default(0),
    taxClassId: uuid('tax_class_id').references(() => taxClasses.id),
    /** What the goods cost the store (COGS posted), null for services and non-item lines. */
    costCents: bigint('cost_cents', { mode: 'number' }),
    /** Return lines: the sale line they return, and whether the goods went back on the shelf. */
    originalLineId: uuid('original_line_id').references((): AnyPgColumn => saleLines.id),
    restock: boolean('restock'),
    /** Non-item lines: what they pay into (gift card id, invoice-less account payment, layaway, special order). */
    refType: text('ref_type'),
    refId: uuid('ref_id'),
  },
  (t) => [
    uniqueIndex('sale_lines_sale_line_key').on(t.saleId, t.lineNo),
    index('sale_lines_product_idx').on(t.productId),
    index('sale_lines_unit_idx').on(t.unitId),
    index('sale_lines_original_idx').on(t.originalLineId),
    check('sale_lines_kind_check', sql`${t.kind} in ('item', 'gift_card', 'account_payment', 'layaway_payment', 'special_order_deposit')`),
    check('sale_lines_quantity_check', sql`${t.quantity} >= 1`),
    check('sale_lines_money_check', sql`${t.netCents} = ${t.grossCents} - ${t.lineDiscountCents} - ${t.orderDiscountCents}`),
  ],
);

/** Tax of a document per class component (the sales-tax report's source). */
export const saleTaxes = pgTable(
  'sale_taxes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    saleId: uuid('sale_id').notNull().references(() => sales.id),
    taxClassId: uuid('tax_class_id').references(() => taxClasses.id),
    className: text('class_name').notNull(),
    componentCode: text('component_code').notNull(),
    componentName: text('component_name').notNull(),
    rateMillipercent: integer('rate_millipercent').notNull(),
    netCents: bigint('net_cents', { mode: 'number' }).notNull(),
    taxCents: bigint('tax_cents', { mode: 'number' }).notNull(),
  },
  (t) => [index('sale_taxes_sale_idx').on(t.saleId)],
);

/** Every discount given, who applied it and who approved it (the discounts-and-approvals report). */
export const saleDiscounts = pgTable(
  'sale_discounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    saleId: uuid('sale_id').notNull().references(() => sales.id),
    /** Null for an order discount. */
    saleLineId: uuid('sale_line_id').references(() => saleLines.id),
    namedDiscountId: uuid('named_discount_id').references(() => namedDiscounts.id),
    label: text('label').notNull(),
    kind: text('kind').notNull(),
    percentMillipercent: integer('percent_millipercent'),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    appliedByUserId: uuid('applied_by_user_id').references(() => staffUsers.id),
    appliedByLabel: text('applied_by_label').notNull(),
    approvedByUserId: uuid('approved_by_user_id').references(() => staffUsers.id),
    approvedByLabel: text('approved_by_label'),
    approvalReasons: text('approval_reasons').array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [index('sale_discounts_sale_idx').on(t.saleId), check('sale_discounts_kind_check', sql`${t.kind} in ('percent', 'amount', 'price_override')`)],
);

export const TENDER_METHODS = ['cash', 'check', 'card', 'external_card', 'store_credit', 'gift_card', 'account', 'deposit'] as const;
export type TenderMethod = (typeof TENDER_METHODS)[number];

/** How a document was paid (or refunded: negative amounts). `amount_cents` is what applied, after change. */
export const saleTenders = pgTable(
  'sale_tenders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    saleId: uuid('sale_id').notNull().references(() => sales.id),
    seq: integer('seq').notNull(),
    method: text('method').notNull(),
    tenderedCents: bigint('tendered_cents', { mode: 'number' }).notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    changeCents: bigint('change_cents', { mode: 'number' }).notNull().default(0),
    /** Check number; external card "last 4 / auth code"; gift card number. */
    reference: text('reference').notNull().default(''),
    last4: text('last4'),
    authCode: text('auth_code'),
    giftCardId: uuid('gift_card_id'),
    invoiceId: uuid('invoice_id'),
    /** A refund tender: the sale tender it gives back. */
    originalTenderId: uuid('original_tender_id').references((): AnyPgColumn => saleTenders.id),
  },
  (t) => [
    uniqueIndex('sale_tenders_sale_seq_key').on(t.saleId, t.seq),
    index('sale_tenders_original_idx').on(t.originalTenderId),
    check('sale_tenders_method_check', sql`${t.method} in ('cash', 'check', 'card', 'external_card', 'store_credit', 'gift_card', 'account', 'deposit')`),
    check('sale_tenders_amount_check', sql`${t.amountCents} <> 0 and ${t.changeCents} >= 0`),
  ],
);

/** A gift card; its balance is the sum of its entries (append-only). */
export const giftCards = pgTable(
  'gift_cards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull(),
    status: text('status').notNull().default('active'),
    expiresOn: date('expires_on', { mode: 'string' }),
    accountId: uuid('account_id').references(() => accounts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('gift_cards_number_key').on(t.number), check('gift_cards_status_check', sql`${t.status} in ('active', 'void')`), check('gift_cards_number_check', sql`${t.number} ~ '^[0-9A-Z-]{6,30}$'`)],
);

export const giftCardEntries = pgTable(
  'gift_card_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    giftCardId: uuid('gift_card_id').notNull().references(() => giftCards.id),
    kind: text('kind').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    balanceAfterCents: bigint('balance_after_cents', { mode: 'number' }).notNull(),
    saleId: uuid('sale_id').references(() => sales.id),
    memo: text('memo').notNull().default(''),
    byUserId: uuid('by_user_id').references(() => staffUsers.id),
    byLabel: text('by_label').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('gift_card_entries_card_idx').on(t.giftCardId, t.at),
    check('gift_card_entries_kind_check', sql`${t.kind} in ('issue', 'reload', 'redeem', 'refund', 'void')`),
    check('gift_card_entries_amount_check', sql`${t.amountCents} <> 0 and ${t.balanceAfterCents} >= 0`),
  ],
);

/** Store credit of an account: issues (+) and redemptions (−), append-only; the balance is their sum. */
export const storeCreditEntries = pgTable(
  'store_credit_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id').notNull().references(() => accounts.id),
    kind: text('kind').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    balanceAfterCents: bigint('balance_after_cents', { mode: 'number' }).notNull(),
    saleId: uuid('sale_id').references(() => sales.id),
    sourceType: text('source_type'),
    sourceId: uuid('source_id'),
    memo: text('memo').notNull().default(''),
    byUserId: uuid('by_user_id').references(() => staffUsers.id),
    byLabel: text('by_label').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('store_credit_entries_account_idx').on(t.accountId, t.at),
    check('store_credit_entries_kind_check', sql`${t.kind} in ('return', 'trade_in', 'overpayment', 'rental_exchange', 'redeem', 'refund', 'void', 'layaway_cancel')`),
    check('store_credit_entries_amount_check', sql`${t.amountCents} <> 0 and ${t.balanceAfterCents} >= 0`),
  ],
);

/**
 * An open item of a house account (AR): created by a charge to account (later: billing runs). Its balance is the
 * total less its allocations; AR in the journal equals the sum of open balances.
 */
export const invoices = pgTable(
  'invoices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull(),
    accountId: uuid('account_id').notNull().references(() => accounts.id),
    sourceType: text('source_type').notNull(),
    sourceId: uuid('source_id'),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    totalCents: bigint('total_cents', { mode: 'number' }).notNull(),
    /** Kept equal to total − Σ allocations in the same transaction (for aging queries). */
    balanceCents: bigint('balance_cents', { mode: 'number' }).notNull(),
    memo: text('memo').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('invoices_number_key').on(t.number),
    index('invoices_account_open_idx').on(t.accountId, t.issuedOn).where(sql`${t.balanceCents} <> 0`),
    check('invoices_balance_check', sql`${t.totalCents} > 0 and ${t.balanceCents} between 0 and ${t.totalCents}`),
  ],
);

/** Money applied to an invoice (a payment on account, a return of charged goods), append-only. */
export const invoiceAllocations = pgTable(
  'invoice_allocations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    invoiceId: uuid('invoice_id').notNull().references(() => invoices.id),
    saleId: uuid('sale_id').references(() => sales.id),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('invoice_allocations_invoice_idx').on(t.invoiceId), index('invoice_allocations_sale_idx').on(t.saleId), check('invoice_allocations_amount_check', sql`${t.amountCents} > 0`)],
);

/** Layaway: items reserved at a fixed price and tax; payments are customer deposits until pickup. */
export const layaways = pgTable(
  'layaways',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull(),
    accountId: uuid('account_id').notNull().references(() => accounts.id),
    status: text('status').notNull().default('open'),
    /** The priced lines, tax fixed at creation (same shape as a sale's lines). */
    lines: jsonb('lines').notNull(),
    netCents: bigint('net_cents', { mode: 'number' }).notNull(),
    taxCents: bigint('tax_cents', { mode: 'number' }).notNull(),
    totalCents: bigint('total_cents', { mode: 'number' }).notNull(),
    paidCents: bigint('paid_cents', { mode: 'number' }).notNull().default(0),
    dueOn: date('due_on', { mode: 'string' }),
    pickupSaleId: uuid('pickup_sale_id').references(() => sales.id),
    createdByLabel: text('created_by_label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('layaways_number_key').on(t.number), index('layaways_account_idx').on(t.accountId), check('layaways_status_check', sql`${t.status} in ('open', 'picked_up', 'cancelled')`), check('layaways_paid_check', sql`${t.paidCents} >= 0`)],
);

/** An item ordered for a customer, with a deposit; linked to the PO line that brings it in. */
export const specialOrders = pgTable(
  'special_orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull(),
    accountId: uuid('account_id').notNull().references(() => accounts.id),
    productId: uuid('product_id').notNull().references(() => products.id),
    quantity: integer('quantity').notNull(),
    unitPriceCents: bigint('unit_price_cents', { mode: 'number' }).notNull(),
    depositCents: bigint('deposit_cents', { mode: 'number' }).notNull().default(0),
    status: text('status').notNull().default('open'),
    purchaseOrderLineId: uuid('purchase_order_line_id').references(() => purchaseOrderLines.id),
    note: text('note').notNull().default(''),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    completedSaleId: uuid('completed_sale_id').references(() => sales.id),
    createdByLabel: text('created_by_label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('special_orders_number_key').on(t.number),
    index('special_orders_account_idx').on(t.accountId),
    check('special_orders_status_check', sql`${t.status} in ('open', 'ordered', 'received', 'completed', 'cancelled')`),
    check('special_orders_qty_check', sql`${t.quantity} >= 1 and ${t.unitPriceCents} >= 0 and ${t.depositCents} >= 0`),
  ],
);

/** An instrument taken in: appraised, accepted as store credit; becomes a unit at the trade-in value as cost. */
export const tradeIns = pgTable(
  'trade_ins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull(),
    accountId: uuid('account_id').notNull().references(() => accounts.id),
    productId: uuid('product_id').notNull().references(() => products.id),
    unitId: uuid('unit_id').references(() => inventoryUnits.id),
    serialNumber: text('serial_number').notNull(),
    condition: text('condition').notNull(),
    valueCents: bigint('value_cents', { mode: 'number' }).notNull(),
    note: text('note').notNull().default(''),
    journalEntryId: uuid('journal_entry_id').references(() => journalEntries.id),
    createdByLabel: text('created_by_label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('trade_ins_number_key').on(t.number), check('trade_ins_value_check', sql`${t.valueCents} > 0`)],
);

/** In-home trial ("approval"): a unit goes home for N days, then is bought or comes back. */
export const trials = pgTable(
  'trials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull(),
    accountId: uuid('account_id').notNull().references(() => accounts.id),
    unitId: uuid('unit_id').notNull().references(() => inventoryUnits.id),
    status: text('status').notNull().default('out'),
    outOn: date('out_on', { mode: 'string' }).notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    note: text('note').notNull().default(''),
    saleId: uuid('sale_id').references(() => sales.id),
    createdByLabel: text('created_by_label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('trials_number_key').on(t.number),
    uniqueIndex('trials_one_out_per_unit').on(t.unitId).where(sql`${t.status} = 'out'`),
    check('trials_status_check', sql`${t.status} in ('out', 'returned', 'converted')`),
  ],
);

/** Cash from the safe and checks to deposit taken to the bank (deposit slip). */
export const bankDeposits = pgTable(
  'bank_deposits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull(),
    cashCents: bigint('cash_cents', { mode: 'number' }).notNull(),
    checksCents: bigint('checks_cents', { mode: 'number' }).notNull(),
    cashDenominations: jsonb('cash_denominations').$type<Record<string, number> | null>(),
    /** [{number, amount_cents, from}] listed on the slip. */
    checks: jsonb('checks').notNull().default(sql`'[]'::jsonb`),
    depositedOn: date('deposited_on', { mode: 'string' }).notNull(),
    note: text('note').notNull().default(''),
    journalEntryId: uuid('journal_entry_id').references(() => journalEntries.id),
    byUserId: uuid('by_user_id').references(() => staffUsers.id),
    byLabel: text('by_label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('bank_deposits_number_key').on(t.number), check('bank_deposits_amount_check', sql`${t.cashCents} >= 0 and ${t.checksCents} >= 0 and ${t.cashCents} + ${t.checksCents} > 0`)],
);

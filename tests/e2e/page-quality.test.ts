import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Browser, BrowserContext } from 'playwright-core';
import { addStaff, makeTestApp, OWNER, resetDb, setupStore } from '../helpers';
import { launchBrowser, layoutProblems, listen, signInAs } from './browser';
import { cliActor } from '../../src/features/audit/service';
import { createAccount } from '../../src/features/customers/account-service';
import { addMember } from '../../src/features/customers/member-service';
import { addIdentityDocument } from '../../src/features/customers/identity-documents';
import { createExemption } from '../../src/features/customers/tax-exemptions';
import { createAccountSchema, createMemberSchema, identityDocumentSchema, taxExemptionSchema } from '../../src/features/customers/schemas';
import { createCategory } from '../../src/features/inventory/categories';
import { createProduct } from '../../src/features/inventory/products';
import { addUnit } from '../../src/features/inventory/units';
import { adjustStock } from '../../src/features/inventory/stock';
import { createSupplier } from '../../src/features/inventory/suppliers';
import { overrideUnitStatus } from '../../src/features/inventory/unit-lifecycle';
import { categorySchema, createProductSchema, createSupplierSchema, createUnitSchema, stockAdjustmentSchema } from '../../src/features/inventory/schemas';
import { createPurchaseOrder, markOrdered } from '../../src/features/purchasing/service';
import { receivePurchaseOrder } from '../../src/features/purchasing/receiving';
import { scanCode, startCount } from '../../src/features/purchasing/counts-service';
import { createPoSchema, receiptSchema, scanSchema, startCountSchema } from '../../src/features/purchasing/schemas';
import { checkImport, commitImport } from '../../src/features/imports/service';
import { createRegister, listRegisters } from '../../src/features/registers/service';
import { closeSession, openSession, recordMovement } from '../../src/features/registers/sessions';
import { ALL_PERMISSIONS } from '../../src/features/auth/permissions';
import { saleContextFor } from '../../src/features/sales/context';
import { completeSale } from '../../src/features/sales/checkout';
import { priceSale } from '../../src/features/sales/pricing';
import { createReturn } from '../../src/features/sales/returns';
import type { SaleInput } from '../../src/features/sales/schemas';
import { createLayaway } from '../../src/features/layaways/service';
import { createSpecialOrder } from '../../src/features/special-orders/service';
import { appraiseTradeIn } from '../../src/features/trade-ins/service';
import { startTrial } from '../../src/features/trials/service';
import { createBankDeposit } from '../../src/features/deposits/service';
import { storeToday } from '../../src/features/settings/service';
import { inventoryUnits, saleLines } from '../../src/db/schema';
import { eq } from 'drizzle-orm';

/**
 * Every page at a counter-PC size and a tablet size: no horizontal overflow, no console or CSP errors; no
 * serious/critical axe-core violations (checked at the counter-PC size: axe looks at markup, names and
 * contrast, which the tablet layout doesn't change, and it is the slow part). Screenshots go to tests/.tmp/screens for a human look.
 */
const SIZES = [
  { name: 'desktop', width: 1366, height: 768 },
  { name: 'tablet', width: 820, height: 1180 },
];
const SCREENS = join(import.meta.dir, '..', '.tmp', 'screens');

let browser: Browser;
let server: ReturnType<typeof listen>;
let t: ReturnType<typeof makeTestApp>;
let pages: { name: string; path: string; signedIn: boolean }[] = [];

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  await resetDb();
  t = makeTestApp();
  const owner = await setupStore(t);
  const staff = await addStaff(t, 'tina_tech', ['technician']);
  await owner.get('/staff/roles/new');
  const [role] = await t.deps.db.execute<{ id: string }>(sql`select id from roles where key = 'manager'`);
  const [audit] = await t.deps.db.execute<{ id: number }>(sql`select id from audit_log order by id limit 1`);
  const d = await seedStore(t);
  const [entry] = await t.deps.db.execute<{ id: string }>(sql`select id from journal_entries order by number desc limit 1`);
  server = listen(t.app);
  browser = await launchBrowser();
  pages = [
    { name: 'login', path: '/login', signedIn: false },
    { name: 'dashboard', path: '/', signedIn: true },
    { name: 'staff', path: '/staff', signedIn: true },
    { name: 'staff-empty-search', path: '/staff?q=nobody-matches', signedIn: true },
    { name: 'staff-new', path: '/staff/new', signedIn: true },
    { name: 'staff-detail', path: `/staff/${staff.id}`, signedIn: true },
    { name: 'roles', path: '/staff/roles', signedIn: true },
    { name: 'role-new', path: '/staff/roles/new', signedIn: true },
    { name: 'role-builtin', path: `/staff/roles/${role.id}`, signedIn: true },
    { name: 'audit', path: '/audit', signedIn: true },
    { name: 'audit-detail', path: `/audit/${audit.id}`, signedIn: true },
    { name: 'settings', path: '/settings', signedIn: true },
    { name: 'api-tokens', path: '/settings/api-tokens', signedIn: true },
    { name: 'not-found', path: '/no-such-page', signedIn: true },
    // Customers
    { name: 'customers', path: '/customers', signedIn: true },
    { name: 'customers-empty-search', path: '/customers?q=nobody-matches', signedIn: true },
    { name: 'customer-new', path: '/customers/new', signedIn: true },
    { name: 'customer-detail', path: `/customers/${d.account}`, signedIn: true },
    { name: 'customer-edit', path: `/customers/${d.account}/edit`, signedIn: true },
    { name: 'member-new', path: `/customers/${d.account}/members/new`, signedIn: true },
    { name: 'member', path: `/customers/members/${d.member}`, signedIn: true },
    { name: 'member-move', path: `/customers/members/${d.member}/move`, signedIn: true },
    // Inventory
    { name: 'products', path: '/inventory/products', signedIn: true },
    { name: 'products-empty-search', path: '/inventory/products?q=nobody-matches', signedIn: true },
    { name: 'product-new', path: '/inventory/products/new', signedIn: true },
    { name: 'product-serialized', path: `/inventory/products/${d.trumpet}`, signedIn: true },
    { name: 'product-stock', path: `/inventory/products/${d.reeds}`, signedIn: true },
    { name: 'product-edit', path: `/inventory/products/${d.trumpet}/edit`, signedIn: true },
    { name: 'stock-ledger', path: `/inventory/products/${d.reeds}/stock`, signedIn: true },
    { name: 'units', path: '/inventory/units', signedIn: true },
    { name: 'low-stock', path: '/inventory/low-stock', signedIn: true },
    { name: 'unit-new', path: `/inventory/products/${d.trumpet}/units/new`, signedIn: true },
    { name: 'unit-passport', path: `/inventory/units/${d.unit}`, signedIn: true },
    { name: 'passport-lookup', path: '/inventory/passport', signedIn: true },
    { name: 'categories', path: '/inventory/categories', signedIn: true },
    { name: 'category', path: `/inventory/categories/${d.category}`, signedIn: true },
    { name: 'suppliers', path: '/inventory/suppliers', signedIn: true },
    { name: 'supplier-new', path: '/inventory/suppliers/new', signedIn: true },
    { name: 'supplier', path: `/inventory/suppliers/${d.supplier}`, signedIn: true },
    { name: 'labels-product', path: `/inventory/labels?product_id=${d.reeds}&copies=3`, signedIn: true },
    { name: 'labels-unit', path: `/inventory/labels?unit_id=${d.unit}`, signedIn: true },
    { name: 'labels-fleet-picker', path: '/inventory/labels?kind=fleet', signedIn: true },
    { name: 'labels-fleet', path: `/inventory/labels?kind=fleet&unit_id=${d.unit}`, signedIn: true },
    // Purchasing and counts
    { name: 'purchasing', path: '/purchasing', signedIn: true },
    { name: 'po-new', path: '/purchasing/new', signedIn: true },
    { name: 'po-detail', path: `/purchasing/${d.po}`, signedIn: true },
    { name: 'po-draft', path: `/purchasing/${d.draftPo}`, signedIn: true },
    { name: 'po-receive', path: `/purchasing/${d.po}/receive`, signedIn: true },
    { name: 'counts', path: '/inventory/counts', signedIn: true },
    { name: 'count-new', path: '/inventory/counts/new', signedIn: true },
    { name: 'count', path: `/inventory/counts/${d.count}`, signedIn: true },
    { name: 'count-review', path: `/inventory/counts/${d.count}/review`, signedIn: true },
    // Accounting (the journal has the seed's receipts, adjustments and units)
    { name: 'journal', path: '/accounting/journal?from=2026-01-01&to=2026-12-31', signedIn: true },
    { name: 'journal-entry', path: `/accounting/journal/${entry.id}`, signedIn: true },
    { name: 'trial-balance', path: '/accounting/trial-balance', signedIn: true },
    { name: 'chart-of-accounts', path: '/accounting/accounts', signedIn: true },
    // Search and import
    { name: 'registers', path: '/registers', signedIn: true },
    { name: 'register', path: `/registers/${d.register1}`, signedIn: true },
    { name: 'drawer-session-open', path: `/registers/sessions/${d.openSession}`, signedIn: true },
    { name: 'drawer-session-closed', path: `/registers/sessions/${d.closedSession}`, signedIn: true },
    { name: 'drawer-close', path: `/registers/sessions/${d.openSession}/close`, signedIn: true },
    { name: 'drawer-z-report', path: `/registers/sessions/${d.closedSession}/z`, signedIn: true },
    { name: 'drawer-history', path: '/registers/history', signedIn: true },
    { name: 'search', path: '/search?q=smith&all=1', signedIn: true },
    { name: 'search-empty', path: '/search?q=nobody-matches', signedIn: true },
    { name: 'import', path: '/import', signedIn: true },
    { name: 'import-run-errors', path: `/import/${d.badImport}`, signedIn: true },
    { name: 'import-run-committed', path: `/import/${d.goodImport}`, signedIn: true },
    // Counter: sale screen, sale documents, returns, stored value, layaways, orders, trade-ins, trials, deposits, reports
    { name: 'pos-register-pick', path: '/pos', signedIn: true },
    { name: 'pos-parked', path: '/pos/parked', signedIn: true },
    { name: 'sales', path: '/sales', signedIn: true },
    { name: 'sale', path: `/sales/${d.sale}`, signedIn: true },
    { name: 'sale-receipt', path: `/sales/${d.sale}/receipt`, signedIn: true },
    { name: 'sale-receipt-reprint', path: `/sales/${d.sale}/receipt?reprint=1`, signedIn: true },
    { name: 'sale-invoice', path: `/sales/${d.sale}/invoice`, signedIn: true },
    { name: 'sale-return', path: `/sales/${d.sale}/return`, signedIn: true },
    { name: 'sale-void', path: `/sales/${d.giftCardSale}/void`, signedIn: true },
    { name: 'return-document', path: `/sales/${d.saleReturn}`, signedIn: true },
    { name: 'returns', path: '/returns', signedIn: true },
    { name: 'returns-no-receipt', path: '/returns/new', signedIn: true },
    { name: 'gift-cards', path: '/gift-cards', signedIn: true },
    { name: 'gift-card', path: '/gift-cards/GC-PAGE-0001', signedIn: true },
    { name: 'layaways', path: '/layaways', signedIn: true },
    { name: 'layaway-new', path: '/layaways/new', signedIn: true },
    { name: 'layaway', path: `/layaways/${d.layaway}`, signedIn: true },
    { name: 'layaway-aging', path: '/layaways/aging', signedIn: true },
    { name: 'special-orders', path: '/special-orders', signedIn: true },
    { name: 'special-order-new', path: '/special-orders/new', signedIn: true },
    { name: 'special-order', path: `/special-orders/${d.specialOrder}`, signedIn: true },
    { name: 'trade-ins', path: '/trade-ins', signedIn: true },
    { name: 'trade-in-new', path: '/trade-ins/new', signedIn: true },
    { name: 'trade-in', path: `/trade-ins/${d.tradeIn}`, signedIn: true },
    { name: 'trials', path: '/trials', signedIn: true },
    { name: 'trials-overdue', path: '/trials?status=overdue', signedIn: true },
    { name: 'trial-new', path: '/trials/new', signedIn: true },
    { name: 'trial', path: `/trials/${d.trial}`, signedIn: true },
    { name: 'deposits', path: '/deposits', signedIn: true },
    { name: 'deposit-new', path: '/deposits/new', signedIn: true },
    { name: 'deposit', path: `/deposits/${d.deposit}`, signedIn: true },
    { name: 'settings-tax-classes', path: '/settings/tax-classes', signedIn: true },
    { name: 'settings-discounts', path: '/settings/discounts', signedIn: true },
    { name: 'reports', path: '/reports', signedIn: true },
    ...['daily-sales', 'sales-tax', 'discounts', 'returns', 'drawer-variance', 'ar-aging', 'gift-card-liability', 'store-credit-liability'].map((r) => ({ name: `report-${r}`, path: `/reports/${r}`, signedIn: true })),
    { name: 'statement', path: `/customers/${d.account}/statement`, signedIn: true },
  ];
}, 120_000);

/** A store with data on every customers/inventory/purchasing/import page, made through the services. */
/** Register 1 with a closed (short) session, Register 2 with an open one: the register pages' data. */
async function seedDrawers(t: ReturnType<typeof makeTestApp>, actor: ReturnType<typeof cliActor>) {
  return t.deps.db.transaction(async (tx) => {
    const [register1] = await listRegisters(tx);
    const closed = await openSession(tx, actor, register1.id, { float_denominations: { '2000': 5, '1000': 4, '500': 2 } });
    await recordMovement(tx, actor, closed.id, { kind: 'paid_out', amount_cents: 1250, reason: 'Postage for a repair shipment' });
    await recordMovement(tx, actor, closed.id, { kind: 'drop', amount_cents: 5000 });
    await recordMovement(tx, actor, closed.id, { kind: 'no_sale', reason: 'Change for the parking meter' });
    await closeSession(tx, actor, closed.id, { cash_denominations: { '5000': 1, '2000': 1, '1000': 1, '500': 1, '100': 2, '25': 2 }, checks_cents: 0 });
    const register2 = await createRegister(tx, actor, { name: 'Register 2' });
    const open = await openSession(tx, actor, register2.id, { float_cents: 10000, blind: true });
    await recordMovement(tx, actor, open.id, { kind: 'paid_in', amount_cents: 2000, reason: 'Quarters from the safe' });
    return { register1: register1.id, closedSession: closed.id, openSession: open.id };
  });
}

/** The counter: a sale with a discount and a unit, its partial return, a gift card, a layaway, a special order, a trade-in, a trial, a bank deposit. */
async function seedCounter(t: ReturnType<typeof makeTestApp>, d: { account: string; reeds: string; trumpet: string; openSession: string }) {
  const actor = cliActor('page-quality');
  const sc = await saleContextFor(t.deps, actor, new Set(ALL_PERMISSIONS));
  return t.deps.db.transaction(async (tx) => {
    const units = await tx.select().from(inventoryUnits).where(eq(inventoryUnits.productId, d.trumpet));
    const forSale = units.find((u) => u.serialNumber === 'TR-1002')!;
    const forTrial = units.find((u) => u.serialNumber === 'TR-2001')!;
    const cashFor = async (input: SaleInput) => Math.ceil((await priceSale(tx, sc, input, 100000)).totalCents / 1000) * 1000;
    const saleInput: SaleInput = { register_session_id: d.openSession, account_id: d.account, lines: [{ product_id: d.reeds, quantity: 2, discount_percent_millipercent: 10000 }, { unit_id: forSale.id }], tenders: [] };
    const sale = await completeSale(tx, sc, { ...saleInput, tenders: [{ method: 'cash', amount_cents: await cashFor(saleInput) }] });
    const [reedLine] = await tx.select().from(saleLines).where(eq(saleLines.saleId, sale));
    const ret = await createReturn(tx, sc, sale, { register_session_id: d.openSession, lines: [{ line_id: reedLine.id, quantity: 1, restock: true }] });
    const giftCardSale = await completeSale(tx, sc, { register_session_id: d.openSession, lines: [{ kind: 'gift_card', amount_cents: 2500, gift_card_number: 'GC-PAGE-0001' }], tenders: [{ method: 'cash', amount_cents: 2500 }] });
    const layaway = await createLayaway(tx, sc, { account_id: d.account, lines: [{ product_id: d.reeds, quantity: 1 }], deposit: { amount_cents: 1000, tenders: [{ method: 'cash', amount_cents: 1000 }], register_session_id: d.openSession } });
    const specialOrder = await createSpecialOrder(tx, sc, { account_id: d.account, product_id: d.reeds, quantity: 2 });
    const tradeIn = await appraiseTradeIn(tx, sc, { account_id: d.account, product_id: d.trumpet, serial_number: 'TI-9001', condition: 'good', value_cents: 20000, accept: true });
    const trial = await startTrial(tx, sc, { account_id: d.account, unit_id: forTrial.id, days: 7 });
    await recordMovement(tx, actor, d.openSession, { kind: 'drop', amount_cents: 50000 });
    const deposit = await createBankDeposit(tx, actor, { cash_cents: 30000, checks: [] } as any, await storeToday(tx, t.deps.clock));
    return { sale, giftCardSale, saleReturn: ret, layaway: layaway.layawayId, specialOrder: specialOrder.specialOrderId, tradeIn: tradeIn.id, trial: trial.id, deposit: deposit.id };
  });
}

async function seedStore(t: ReturnType<typeof makeTestApp>) {
  const actor = cliActor('page-quality');
  const today = '2026-11-24';
  const now = new Date('2026-11-24T16:00:00Z');
  const ids = await t.deps.db.transaction(async (tx) => {
    const account = await createAccount(tx, actor, createAccountSchema.parse({
      name: 'Smith family', type: 'family', email: 'smith.family@example.com', phone: '(555) 010-1234', address_line1: '42 Harmony Lane', city: 'Springfield', region: 'IL', postal_code: '62701',
      billing_mode: 'consolidated', billing_day: 15, charge_allowed: true, credit_limit_cents: 50000, tags: ['band', 'school-rental'], notes: 'Prefers email. Two kids in the Lincoln Middle School band.',
    }));
    await createAccount(tx, actor, createAccountSchema.parse({ name: 'Lincoln Middle School', type: 'school', email: 'band@lincoln.example.edu' }));
    const parent = await addMember(tx, actor, account.id, createMemberSchema.parse({ first_name: 'Jane', last_name: 'Smith', date_of_birth: '1985-03-02', email: 'jane@example.com', phone: '(555) 010-1234' }), { today });
    const kid = await addMember(tx, actor, account.id, createMemberSchema.parse({ first_name: 'Sam', last_name: 'Smith', date_of_birth: '2014-09-10', school: 'Lincoln Middle School', grade: '6', teacher: 'Mr. Alvarez' }), { today });
    await addIdentityDocument(tx, actor, parent.id, identityDocumentSchema.parse({ doc_type: 'drivers_license', number: 'S530-4412-9981', issuing_region: 'IL', expires_on: '2029-03-02' }));
    await createExemption(tx, actor, account.id, taxExemptionSchema.parse({ certificate_number: 'EX-2026-0042', issuing_state: 'IL', expires_on: '2027-06-30', status: 'approved', notes: 'Resale certificate on file.' }), { today, now, canApprove: true });

    const band = await createCategory(tx, actor, categorySchema.parse({ name: 'Band' }));
    const brass = await createCategory(tx, actor, categorySchema.parse({ name: 'Brass', parent_id: band.id }));
    await createCategory(tx, actor, categorySchema.parse({ name: 'Woodwind accessories', parent_id: band.id }));
    const supplier = await createSupplier(tx, actor, createSupplierSchema.parse({ name: 'Brasswind Wholesale', contact_name: 'Pat Rivera', email: 'orders@brasswind.example.com', phone: '(555) 010-9000', account_number: 'HM-1138' }));
    const trumpet = await createProduct(tx, actor, createProductSchema.parse({
      sku: 'TR-200', upc: '012345678905', name: 'Bach TR200 Student Trumpet, lacquered brass with case', brand: 'Bach', model: 'TR200', category_id: brass.id, kind: 'serialized',
      cost_cents: 45000, price_cents: 89999, min_price_cents: 79999, rentable: true, monthly_rental_cents: 3500, rto_purchase_price_cents: 99900,
      suppliers: [{ supplier_id: supplier.id, supplier_sku: 'BW-TR200', cost_cents: 45000, is_primary: true }],
    }));
    const reeds = await createProduct(tx, actor, createProductSchema.parse({ sku: 'RD-25', upc: '098765432109', name: 'Clarinet reeds, strength 2.5 (box of 10)', brand: 'Vandoren', category_id: band.id, kind: 'stock', cost_cents: 1250, price_cents: 2499, reorder_point: 5, reorder_quantity: 20 }));
    const unit = await addUnit(tx, actor, createUnitSchema.parse({ product_id: trumpet.id, serial_number: 'TR-1001', condition: 'good', cost_cents: 45000, acquired_on: '2026-08-01', location: 'Front wall', notes: 'Small dent on the bell.' }));
    await addUnit(tx, actor, createUnitSchema.parse({ product_id: trumpet.id, serial_number: 'TR-1002', cost_cents: 45000, location: 'Front wall' }));
    await overrideUnitStatus(tx, actor, unit.id, 'in_repair', 'Valve sticking; sent to the bench.');
    await overrideUnitStatus(tx, actor, unit.id, 'available', 'Repaired and cleaned.');
    await adjustStock(tx, actor, stockAdjustmentSchema.parse({ product_id: reeds.id, quantity: 24, reason: 'Opening count', unit_cost_cents: 1250 }), null);
    await adjustStock(tx, actor, stockAdjustmentSchema.parse({ product_id: reeds.id, quantity: -2, reason: 'Damaged in shipping' }), null);

    const po = await createPurchaseOrder(tx, actor, createPoSchema.parse({ supplier_id: supplier.id, expected_on: '2026-12-01', notes: 'Fall band restock', lines: [
      { product_id: trumpet.id, quantity: 3, unit_cost_cents: 45000 },
      { product_id: reeds.id, quantity: 40, unit_cost_cents: 1200, note: 'Ask for the 2.5 strength' },
    ] }));
    await markOrdered(tx, actor, po.id, now);
    const trumpetLine = po.lines.find((l) => l.productId === trumpet.id)!;
    const reedLine = po.lines.find((l) => l.productId === reeds.id)!;
    await receivePurchaseOrder(tx, actor, po.id, receiptSchema.parse({ lines: [{ line_id: trumpetLine.id, quantity: 1, serials: ['TR-2001'] }, { line_id: reedLine.id, quantity: 20 }], freight_cents: 2500, notes: 'First box' }), today);
    const draftPo = await createPurchaseOrder(tx, actor, createPoSchema.parse({ supplier_id: supplier.id, lines: [{ product_id: reeds.id, quantity: 10, unit_cost_cents: 1200 }] }));

    const count = await startCount(tx, actor, startCountSchema.parse({ name: 'Band room shelf', category_id: band.id, location: '' }));
    await scanCode(tx, actor, count.id, scanSchema.parse({ code: 'RD-25', quantity: 40 }));
    await scanCode(tx, actor, count.id, scanSchema.parse({ code: 'TR-1001' }));
    return { account: account.id, member: kid.id, category: brass.id, supplier: supplier.id, trumpet: trumpet.id, reeds: reeds.id, unit: unit.id, po: po.id, draftPo: draftPo.id, count: count.id };
  });
  const encode = (text: string) => new TextEncoder().encode(text);
  const bad = await checkImport(t.deps.db, actor, 'accounts', 'legacy-accounts.csv', encode('legacy_id,name,type,email,credit_limit\nA-1,Garcia family,family,garcia@example.com,250.00\nA-2,,family,not-an-email,12.345\nA-3,Lee,planet,,\n'));
  const good = await checkImport(t.deps.db, actor, 'accounts', 'accounts-batch-2.csv', encode('legacy_id,name,type\nB-1,Nguyen family,family\nB-2,Riverside Elementary,school\n'));
  await commitImport(t.deps.db, actor, good.id);
  const drawers = await seedDrawers(t, actor);
  const pos = await seedCounter(t, { ...ids, ...drawers });
  return { ...ids, ...drawers, ...pos, badImport: bad.id, goodImport: good.id };
}

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedInContext(size: (typeof SIZES)[number]): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
  const page = await context.newPage();
  await signInAs(page, server.base, OWNER.username, OWNER.password);
  await page.close();
  return context;
}

describe('page quality', () => {
  for (const size of SIZES) {
    test(`every page at ${size.width}×${size.height}`, async () => {
      const problems: string[] = [];
      const signedIn = await signedInContext(size);
      const anonymous = await browser.newContext({ viewport: { width: size.width, height: size.height } });
      // Three pages at a time: the browser's work (layout, axe) overlaps the server's.
      const queue = [...pages];
      const visit = async (p: (typeof pages)[number]) => {
        const page = await (p.signedIn ? signedIn : anonymous).newPage();
        page.on('console', (msg) => {
          if (msg.type() === 'error' && !(p.name === 'not-found' && /status of 404/.test(msg.text()))) problems.push(`${p.name}: console ${msg.text()}`);
        });
        page.on('pageerror', (err) => problems.push(`${p.name}: ${err.message}`));
        const res = await page.goto(server.base + p.path);
        const status = res!.status();
        if (status !== (p.name === 'not-found' ? 404 : 200)) problems.push(`${p.name}: status ${status}`);
        // Screenshots are for people to look at (FORTE_SCREENSHOTS=1 npm test); CI skips the PNG encoding.
        if (process.env.FORTE_SCREENSHOTS === '1') await page.screenshot({ path: join(SCREENS, `${p.name}-${size.name}.png`), fullPage: true });
        // axe (markup, names, contrast) once, at the desktop size; overflow at both sizes.
        problems.push(...(await layoutProblems(page, p.name, { axe: size.name === 'desktop' })));
        await page.close();
      };
      await Promise.all([1, 2, 3].map(async () => {
        for (let p = queue.shift(); p; p = queue.shift()) await visit(p);
      }));
      await signedIn.close();
      await anonymous.close();
      expect(problems).toEqual([]);
    }, 480_000);
  }
});

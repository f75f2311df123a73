import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { makeTestApp, resetDb, setupStore, testDb } from '../helpers';
import { settableClock } from '../../src/domain/clock';
import { seedDemo, describeDemoSeed, demoPresent } from '../../src/features/demo/seed';
import { createRng } from '../../src/features/demo/prng';
import { globalSearch } from '../../src/features/search/service';
import { memberView } from '../../src/features/customers/member-service';
import { exemptionsOfAccount } from '../../src/features/customers/tax-exemptions';
import { createProduct } from '../../src/features/inventory/products';
import { createProductSchema } from '../../src/features/inventory/schemas';
import { cliActor } from '../../src/features/audit/service';
import { ConflictError } from '../../src/features/service-errors';
import { members as membersTable } from '../../src/db/schema';

const TODAY = '2026-11-24';
const clock = () => settableClock(`${TODAY}T15:00:00Z`);
const db = () => testDb().db;

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const [row] = await db().execute<{ n: number }>(query);
  return Number(row.n);
}

async function tableCounts() {
  return {
    accounts: await count(sql`select count(*)::int as n from accounts`),
    members: await count(sql`select count(*)::int as n from members`),
    products: await count(sql`select count(*)::int as n from products`),
    units: await count(sql`select count(*)::int as n from inventory_units`),
    movements: await count(sql`select count(*)::int as n from stock_movements`),
    audit: await count(sql`select count(*)::int as n from audit_log`),
  };
}

beforeEach(resetDb);

describe('forte seed demo', () => {
  test('the default demo store: realistic counts, correct minors, passports, stock ledger, audit, exemptions, search; a second run adds nothing', async () => {
    const result = await seedDemo(db(), clock());
    expect(result.status).toBe('seeded');
    const c = result.customers!;
    const k = result.catalog!;
    const counts = await tableCounts();
    // Counts: what the summary says is what is in the database, in the sizes the brief asks for.
    expect(counts.accounts).toBe(c.accounts);
    expect(counts.accounts).toBeGreaterThanOrEqual(280);
    expect(counts.accounts).toBeLessThanOrEqual(320);
    expect(counts.members).toBe(c.members);
    expect(counts.members).toBeGreaterThanOrEqual(600);
    expect(counts.members).toBeLessThanOrEqual(1000);
    expect(counts.products).toBe(k.products);
    expect(counts.products).toBeGreaterThanOrEqual(75);
    expect(counts.products).toBeLessThanOrEqual(90);
    expect(counts.units).toBe(k.units);
    expect(counts.units).toBeGreaterThanOrEqual(140);
    expect(counts.units).toBeLessThanOrEqual(180);
    expect(await count(sql`select count(*)::int as n from accounts where type = 'school'`)).toBe(5);
    expect(await count(sql`select count(*)::int as n from accounts where type = 'business'`)).toBeGreaterThanOrEqual(3);
    expect(await count(sql`select count(*)::int as n from categories`)).toBe(15);
    expect(await count(sql`select count(*)::int as n from suppliers`)).toBe(3);
    // Every household has 1–4 members and a primary member.
    expect(await count(sql`select count(*)::int as n from accounts a where a.primary_member_id is null or (select count(*) from members m where m.account_id = a.id) not between 1 and 4`)).toBe(0);

    // Minors: every schoolchild is a minor today (from the birth date, or staff's override when none), adults are not.
    const all = await db().select().from(membersTable);
    const kids = all.filter((m) => m.school !== '' && m.grade !== '');
    expect(kids.length).toBe(c.minors);
    expect(kids.length).toBeGreaterThan(150);
    for (const kid of kids) {
      expect(memberView(kid, TODAY).isMinor).toBe(true);
      expect(kid.teacher).not.toBe('');
      expect(Number(kid.grade)).toBeGreaterThanOrEqual(4);
      expect(Number(kid.grade)).toBeLessThanOrEqual(12);
    }
    expect(kids.some((m) => m.dateOfBirth === null && m.minorOverride === true)).toBe(true);
    const adults = all.filter((m) => m.school === '');
    expect(adults.length).toBeGreaterThan(300);
    for (const adult of adults) expect(memberView(adult, TODAY).isMinor).toBe(false);

    // Every unit has its acquisition on the passport; some came in through a received purchase order.
    expect(await count(sql`select count(*)::int as n from inventory_units u where not exists (select 1 from unit_events e where e.unit_id = u.id and e.event_type = 'acquired')`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from unit_events where event_type = 'acquired' and summary = ${`Received on ${k.purchaseOrder}`} and reference_type = 'purchase_order'`)).toBeGreaterThan(0);
    expect(await count(sql`select count(*)::int as n from purchase_orders where status = 'received'`)).toBe(1);
    // Serials are unique across the demo, and the spec's example serial exists exactly once.
    expect(await count(sql`select count(distinct lower(serial_number))::int as n from inventory_units`)).toBe(counts.units);
    expect(await count(sql`select count(*)::int as n from inventory_units where serial_number = 'SMI-2231'`)).toBe(1);
    // Rentable instruments carry monthly rates and rent-to-own prices.
    expect(await count(sql`select count(*)::int as n from products where rentable and (monthly_rental_cents is null or rto_purchase_price_cents is null)`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from products where rentable and size in ('1/4', '1/2', '3/4', '4/4') and sku like 'VL80-%'`)).toBe(4);

    // Stock: every stock item's on-hand equals the sum of its ledger, and all are stocked.
    expect(await count(sql`select count(*)::int as n from products p where p.kind = 'stock' and p.quantity_on_hand <> coalesce((select sum(quantity_delta) from stock_movements s where s.product_id = p.id), 0)`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from products where kind = 'stock' and quantity_on_hand <= 0`)).toBe(0);
    expect(await count(sql`select coalesce(sum(quantity_on_hand), 0)::int as n from products where kind = 'stock'`)).toBe(k.stockOnHand);

    // Audit: one row per thing created, by the demo's actor, plus the run's own row.
    const audit = async (action: string) => count(sql`select count(*)::int as n from audit_log where action = ${action} and actor_label = 'cli:seed demo'`);
    expect(await audit('account.create')).toBe(c.accounts);
    expect(await audit('member.create')).toBe(c.members);
    expect(await audit('product.create')).toBe(k.products);
    expect(await audit('tax_exemption.create')).toBe(5);
    expect(await audit('stock.adjust')).toBe(k.stockProducts);
    expect(await audit('purchase_order.receive')).toBe(1);
    expect(await audit('demo.seed')).toBe(1);
    expect((await audit('unit.create')) + (await count(sql`select count(*)::int as n from inventory_units where legacy_id is null`))).toBe(k.units);

    // Schools: approved certificates that are in force today.
    const schools = await db().execute<{ id: string }>(sql`select id from accounts where type = 'school'`);
    for (const s of schools) {
      const [current] = await exemptionsOfAccount(db(), s.id, TODAY);
      expect(current.status).toBe('approved');
      expect(current.effectiveStatus).toBe('approved');
      expect(current.certificateNumber).not.toBe('');
      expect(current.expiresOn! > TODAY).toBe(true);
    }

    // The spec's search acceptance example: "smi" finds Smith accounts, a member Smithson and unit SMI-2231.
    const found = await globalSearch(db(), 'smi');
    const labels = (kind: string) => found.groups.find((g) => g.kind === kind)!.hits.map((h) => h.label);
    expect(labels('accounts').some((l) => l.includes('Smith'))).toBe(true);
    expect(labels('members').some((l) => l.endsWith('Smithson'))).toBe(true);
    expect(labels('units')).toContain('SMI-2231');
    const smith = await globalSearch(db(), 'Smith Family');
    expect(smith.groups.find((g) => g.kind === 'accounts')!.hits.map((h) => h.label)).toContain('Smith Family');

    expect(describeDemoSeed(result)).toContain(`accounts     ${c.accounts}`);
    // Idempotent: the second run finds the demo and writes nothing at all.
    const again = await seedDemo(db(), clock());
    expect(again.status).toBe('already_present');
    expect(describeDemoSeed(again)).toContain('demo data already present');
    expect(await tableCounts()).toEqual(counts);
  }, 90_000);

  test('before setup the demo loads without staff or setup; the same seed always builds the same store', async () => {
    const snapshot = async () => ({
      names: (await db().execute<{ name: string }>(sql`select name from accounts order by legacy_id`)).map((r) => r.name),
      people: (await db().execute<{ p: string }>(sql`select first_name || ' ' || last_name || ' ' || coalesce(date_of_birth::text, '-') as p from members order by legacy_id`)).map((r) => r.p),
      serials: (await db().execute<{ s: string }>(sql`select serial_number as s from inventory_units order by serial_number`)).map((r) => r.s),
    });
    expect((await seedDemo(db(), clock(), { seed: 7, scale: 0.03 })).status).toBe('seeded');
    // Seeding leaves setup (store details, the owner) to the wizard.
    expect(await count(sql`select count(*)::int as n from staff_users`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from store_settings where setup_completed_at is not null`)).toBe(0);
    const first = await snapshot();
    expect(first.names.length).toBeGreaterThan(10);
    await resetDb();
    await seedDemo(db(), clock(), { seed: 7, scale: 0.03 });
    expect(await snapshot()).toEqual(first);
    // Another seed draws other people (the PRNG streams differ from the first number on).
    const a = createRng(7);
    const b = createRng(8);
    expect([a.next(), a.next(), a.next()]).not.toEqual([b.next(), b.next(), b.next()]);
  }, 60_000);

  test('after first-run setup the demo loads too, products get the default tax class, and no staff is created', async () => {
    const t = makeTestApp();
    await setupStore(t);
    const staffBefore = await count(sql`select count(*)::int as n from staff_users`);
    const result = await seedDemo(t.deps.db, t.clock, { scale: 0.03 });
    expect(result.status).toBe('seeded');
    expect(await count(sql`select count(*)::int as n from staff_users`)).toBe(staffBefore);
    expect(await count(sql`select count(*)::int as n from products where tax_class_id is null`)).toBe(0);
    expect(await demoPresent(t.deps.db)).toBe(true);
  }, 60_000);

  test('a store product with a demo SKU stops the demo with a clear message and nothing half-written', async () => {
    await db().transaction((tx) => createProduct(tx, cliActor('test'), createProductSchema.parse({ sku: 'ej16', name: 'Our own EJ16 listing', kind: 'stock' })));
    const before = await tableCounts();
    const err = await seedDemo(db(), clock(), { scale: 0.03 }).catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.message).toContain('SKU ej16');
    expect(await tableCounts()).toEqual(before);
    expect(await demoPresent(db())).toBe(false);
  }, 60_000);

  test('bad options are refused before anything is written', async () => {
    await expect(seedDemo(db(), clock(), { scale: 0 })).rejects.toThrow('scale');
    await expect(seedDemo(db(), clock(), { seed: 1.5 })).rejects.toThrow('seed');
    expect((await tableCounts()).accounts).toBe(0);
  });
});

import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client';
import type { Clock } from '../../domain/clock';
import { recordAudit, type Actor } from '../audit/service';
import { storeToday } from '../settings/service';
import { createRng } from './prng';
import { seedCustomers, type CustomerCounts } from './customers-seed';
import { seedCatalog, type CatalogCounts } from './catalog-seed';

/**
 * `forte seed demo`: a realistic demo store built only through the real services, so numbers, audit rows,
 * passports and the stock ledger are exactly what staff would have produced by hand. Every seeded row that
 * has a legacy id gets one starting with `demo-`; that is how a second run knows the demo is already there.
 */

export interface DemoSeedOptions {
  /** PRNG seed: the same seed always builds the same store. */
  seed?: number;
  /** Fraction of the households and units to create (tests use a small store); catalog size is fixed. */
  scale?: number;
  actor?: Actor;
}

export interface DemoSeedResult {
  status: 'seeded' | 'already_present';
  seed: number;
  customers: CustomerCounts | null;
  catalog: CatalogCounts | null;
  ms: number;
}

export const DEMO_ACTOR: Actor = { userId: null, label: 'cli:seed demo' };

export async function demoPresent(db: DbOrTx): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from accounts where legacy_id like 'demo-%' union all select 1 from products where legacy_id like 'demo-%' limit 1`);
  return rows.length > 0;
}

export async function storeHasAccounts(db: DbOrTx): Promise<boolean> {
  const rows = await db.execute(sql`select 1 from accounts limit 1`);
  return rows.length > 0;
}

export async function seedDemo(db: Db, clock: Clock, opts: DemoSeedOptions = {}): Promise<DemoSeedResult> {
  const seed = opts.seed ?? 1;
  const scale = opts.scale ?? 1;
  if (!Number.isSafeInteger(seed)) throw new RangeError('seed must be a whole number');
  if (!(scale > 0 && scale <= 4)) throw new RangeError('scale must be above 0 and at most 4');
  const actor = opts.actor ?? DEMO_ACTOR;
  const started = performance.now();
  // One transaction: a failure part-way leaves no half demo behind (which the next run would take for a whole one).
  return db.transaction(async (tx) => {
    // Two seeds started at once (serve --demo plus the CLI) wait here; the second then sees the first's data.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('forte:seed-demo'))`);
    if (await demoPresent(tx)) return { status: 'already_present', seed, customers: null, catalog: null, ms: performance.now() - started };
    const rng = createRng(seed);
    const ctx = { tx, actor, rng, today: await storeToday(tx, clock), now: clock.now() };
    const customers = await seedCustomers(ctx, scale);
    const catalog = await seedCatalog(ctx, scale);
    await recordAudit(tx, actor, {
      action: 'demo.seed',
      entityType: 'store',
      summary: `Loaded the demo store (seed ${seed}): ${customers.accounts} accounts, ${customers.members} members, ${catalog.products} products, ${catalog.units} units`,
      after: { seed, scale, customers, catalog },
    });
    return { status: 'seeded', seed, customers, catalog, ms: performance.now() - started };
  });
}

/** What the CLI and `serve --demo` print. */
export function describeDemoSeed(r: DemoSeedResult): string {
  if (r.status === 'already_present' || !r.customers || !r.catalog) return 'demo data already present; nothing was added.';
  const c = r.customers;
  const k = r.catalog;
  return [
    `Demo store loaded (seed ${r.seed}) in ${(r.ms / 1000).toFixed(1)} s:`,
    `  accounts     ${c.accounts} (${c.schools} schools with approved tax exemptions, ${c.businesses} businesses, ${c.accounts - c.schools - c.businesses} households)`,
    `  members      ${c.members} (${c.minors} minors with school, grade and teacher)`,
    `  products     ${k.products} (${k.serializedProducts} serialized, ${k.stockProducts} stock items, ${k.products - k.serializedProducts - k.stockProducts} services) in ${k.categories} categories from ${k.suppliers} suppliers`,
    `  units        ${k.units} serialized units${k.purchaseOrder ? ` (some received on ${k.purchaseOrder})` : ''}`,
    `  stock items  ${k.stockProducts} with ${k.stockOnHand} on hand`,
  ].join('\n');
}

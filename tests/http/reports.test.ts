import { beforeAll, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { posFixture, type PosFixture } from '../pos/fixture';
import { signIn, type TestClient } from '../helpers';
import { cliActor } from '../../src/features/audit/service';
import { createStaff, roleIdsByKey } from '../../src/features/staff/service';
import { createApiToken } from '../../src/features/api-tokens/service';
import { US_DENOMINATIONS_CENTS } from '../../src/domain/drawer';
import { businessDateInZone } from '../../src/domain/business-date';
import { parseCsv } from '../../src/features/csv/read';
import { apiDocs } from '../../src/features/api/registry';

/**
 * Reports (accounting-reports.md) over one scripted store: two business days of sales, returns, a void, a payment
 * on account, a gift card and two drawer sessions, rung up through the API by the owner's token ("api:test") and a
 * cashier's ("api:casey"). Every figure below is worked out by hand from the fixture's prices (strings $8.99,
 * tuner $24.95, tax 8.875% = NY State 4% + NYC 4.5% + MCTD 0.375%).
 *
 * Day 1 (2026-11-24): S-000001 strings×2 + tuner −10%, cash · S-000002 the same to the tax-exempt school, check ·
 * S-000003 tuner −$1.00, voided · S-000004 strings charged to Rivera (casey) · S-000005 strings −10% with mona's
 * approval, cash (casey) · R-000001 one strings of S-000001, restocked, cash · R-000002 the school's tuner,
 * damaged, check · P-000001 $5.00 on Rivera's account · S-000006 a $50 gift card (casey).
 * Day 2 (2026-11-25): S-000007 strings paid $5.00 by gift card + cash · P-000002 $6.00 on Rivera's account
 * ($4.79 to the invoice, $1.21 to store credit).
 */

let f: PosFixture;
let caseyToken: string;
let cashierToken: string;
let owner: TestClient;
let closedOn: string;
const DAY1 = '2026-11-24';
const DAY2 = '2026-11-25';
const docs: Record<string, any> = {};

const ok = async (p: ReturnType<PosFixture['api']>, status = 201) => {
  const r = await p;
  if (r.status !== status) throw new Error(`${r.status} ${r.text}`);
  return r.json();
};
const report = async (name: string, query = '') => {
  const r = await f.api('GET', `/api/v1/reports/${name}${query}`);
  if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
  return r.json();
};
const csvOf = async (name: string, query: string) => {
  const r = await f.api('GET', `/api/v1/reports/${name}${query}${query ? '&' : '?'}format=csv`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toContain('text/csv');
  return r.text;
};

/** Counts `cents` of cash into bills and coins (largest first), as the close form would. */
function denominations(cents: number): Record<string, number> {
  const out: Record<string, number> = {};
  let left = cents;
  for (const d of US_DENOMINATIONS_CENTS) {
    const k = Math.floor(left / d);
    if (k) out[String(d)] = k;
    left -= k * d;
  }
  return out;
}
async function closeWith(sessionId: string, overShortCents: number, tok?: string) {
  const s = await ok(f.api('GET', `/api/v1/register-sessions/${sessionId}`), 200);
  return ok(f.api('POST', `/api/v1/register-sessions/${sessionId}/close`, { cash_denominations: denominations(s.expected.cash_cents + overShortCents), checks_cents: s.expected.checks_cents }, { tok }), 200);
}

beforeAll(async () => {
  f = await posFixture();
  const db = f.t.deps.db;
  const accessories = await db.execute<{ id: string }>(sql`insert into categories (name) values ('Accessories') returning id`);
  await db.execute(sql`insert into categories (name, parent_id) values ('Tuners', ${accessories[0].id}), ('Strings', null)`);
  await db.execute(sql`update products set category_id = (select id from categories where name = 'Tuners') where id = ${f.tuner.id}`);
  await db.execute(sql`update products set category_id = (select id from categories where name = 'Strings') where id = ${f.strings.id}`);
  const casey = await db.transaction(async (tx) => createStaff(tx, cliActor('test'), { username: 'casey', name: 'Casey Cashier', email: null, password: 'staff password 123', pin: null, role_ids: await roleIdsByKey(tx, ['cashier']), discount_limit_millipercent: 5000 }));
  await db.transaction(async (tx) => createStaff(tx, cliActor('test'), { username: 'mona', name: 'Mona Manager', email: null, password: 'staff password 123', pin: '2468', role_ids: await roleIdsByKey(tx, ['manager']) }));
  caseyToken = (await db.transaction((tx) => createApiToken(tx, cliActor('test'), { name: 'casey', ownerUserId: casey.id }))).token;
  cashierToken = caseyToken;
  const casey_ = { tok: caseyToken };
  const acceptance = [{ product_id: f.strings.id, quantity: 2 }, { product_id: f.tuner.id, quantity: 1, discount_percent_millipercent: 10000 }];
  const session = f.sessionId;

  // Day 1.
  docs.s1 = await ok(f.api('POST', '/api/v1/sales', { register_session_id: session, lines: acceptance, tenders: [{ method: 'cash', amount_cents: 6000 }] }));
  docs.s2 = await ok(f.api('POST', '/api/v1/sales', { register_session_id: session, account_id: f.schoolId, lines: acceptance, tenders: [{ method: 'check', amount_cents: 4043, reference: '1042' }] }));
  docs.s3 = await ok(f.api('POST', '/api/v1/sales', { register_session_id: session, lines: [{ product_id: f.tuner.id, quantity: 1, discount_cents: 100 }], tenders: [{ method: 'cash', amount_cents: 3000 }] }));
  await ok(f.api('POST', `/api/v1/sales/${docs.s3.id}/void`, { reason: 'Rang up the wrong tuner' }), 200);
  docs.s4 = await ok(f.api('POST', '/api/v1/sales', { account_id: f.accountId, lines: [{ product_id: f.strings.id, quantity: 1 }], tenders: [{ method: 'account', amount_cents: 979 }] }, casey_));
  docs.s5 = await ok(f.api('POST', '/api/v1/sales', { register_session_id: session, lines: [{ product_id: f.strings.id, quantity: 1, discount_percent_millipercent: 10000 }], tenders: [{ method: 'cash', amount_cents: 1000 }], approval: { username: 'mona', pin: '2468' } }, casey_));
  docs.r1 = await ok(f.api('POST', `/api/v1/sales/${docs.s1.id}/returns`, { register_session_id: session, lines: [{ line_id: docs.s1.lines[0].id, quantity: 1, restock: true }] }));
  docs.r2 = await ok(f.api('POST', `/api/v1/sales/${docs.s2.id}/returns`, { register_session_id: session, lines: [{ line_id: docs.s2.lines[1].id, quantity: 1, restock: false }] }));
  docs.p1 = await ok(f.api('POST', `/api/v1/accounts/${f.accountId}/payments`, { register_session_id: session, amount_cents: 500, tenders: [{ method: 'cash', amount_cents: 500 }] }));
  docs.gc = await ok(f.api('POST', '/api/v1/gift-cards', { number: 'GC-100200', register_session_id: session, amount_cents: 5000, tenders: [{ method: 'cash', amount_cents: 5000 }] }, casey_));
  await closeWith(session, -100);

  // Day 2.
  f.t.clock.set('2026-11-25T15:00:00Z');
  const session2 = (await ok(f.api('POST', `/api/v1/registers/${f.registerId}/sessions`, { float_cents: 10000 }))).id;
  docs.s7 = await ok(f.api('POST', '/api/v1/sales', { register_session_id: session2, lines: [{ product_id: f.strings.id, quantity: 1 }], tenders: [{ method: 'gift_card', amount_cents: 500, gift_card_number: 'GC-100200' }, { method: 'cash', amount_cents: 479 }] }));
  docs.p2 = await ok(f.api('POST', `/api/v1/accounts/${f.accountId}/payments`, { register_session_id: session2, amount_cents: 600, tenders: [{ method: 'cash', amount_cents: 600 }] }));
  await closeWith(session2, 50, caseyToken);

  // Sessions are closed now (the wall clock), so the over/short report is asked for that store date.
  const [{ tz }] = await db.execute<{ tz: string }>(sql`select time_zone as tz from store_settings`);
  closedOn = businessDateInZone(new Date(), tz);
  owner = await signIn(f.t, 'owner1', 'owner password 1');
  await owner.get('/');
});

describe('scenario', () => {
  test('documents are numbered as the header comment says', () => {
    expect([docs.s1, docs.s2, docs.s3, docs.s4, docs.s5, docs.r1, docs.r2, docs.p1, docs.s7, docs.p2].map((d) => d.number)).toEqual(['S-000001', 'S-000002', 'S-000003', 'S-000004', 'S-000005', 'R-000001', 'R-000002', 'P-000001', 'S-000007', 'P-000002']);
    expect(docs.gc.sale_number).toBe('S-000006');
    expect(docs.s5).toMatchObject({ discount_cents: 90, net_cents: 809, tax_cents: 72, total_cents: 881 });
    expect(docs.r2).toMatchObject({ net_cents: -2245, tax_cents: 0 });
  });
});

describe('daily sales', () => {
  test('day 1: totals, by category, tender, tax class and cashier; voided left out; other receipts apart', async () => {
    const r = await report('daily-sales', `?from=${DAY1}&to=${DAY1}`);
    expect(r).toMatchObject({ report: 'daily-sales', from: DAY1, to: DAY1 });
    expect(r.summary).toEqual({
      sales_count: 5, returns_count: 2, payments_count: 1, voided_count: 1,
      gross_sales_cents: 10384, discounts_cents: -590, returns_cents: -3144, net_sales_cents: 6650, tax_cents: 431, total_cents: 7081,
      other_receipts_cents: 5500, tenders_cents: 12581, rounding_cents: 0,
    });
    expect(r.sections.by_category.rows).toEqual([
      { category: 'Accessories › Tuners', units: 1, gross_sales_cents: 4990, discounts_cents: -500, returns_cents: -2245, net_sales_cents: 2245, tax_cents: 199 },
      { category: 'Strings', units: 5, gross_sales_cents: 5394, discounts_cents: -90, returns_cents: -899, net_sales_cents: 4405, tax_cents: 232 },
    ]);
    expect(r.sections.by_category.total).toMatchObject({ category: 'Total', units: 6, net_sales_cents: 6650, tax_cents: 431 });
    expect(r.sections.by_tender.rows).toEqual([
      { method: 'Cash', count: 4, taken_cents: 10783, refund_count: 1, refunded_cents: -979, net_cents: 9804 },
      { method: 'Check', count: 1, taken_cents: 4043, refund_count: 1, refunded_cents: -2245, net_cents: 1798 },
      { method: 'Charge to account', count: 1, taken_cents: 979, refund_count: 0, refunded_cents: 0, net_cents: 979 },
    ]);
    expect(r.sections.by_tender.total.net_cents).toBe(12581);
    expect(r.sections.by_tax_class.rows).toEqual([{ tax_class: 'NYC goods', net_sales_cents: 6650, tax_cents: 431 }]);
    expect(r.sections.by_employee.rows).toEqual([
      { cashier: 'api:casey', sales_count: 3, returns_count: 0, payments_count: 0, gross_sales_cents: 1798, discounts_cents: -90, returns_cents: 0, net_sales_cents: 1708, tax_cents: 152 },
      { cashier: 'api:test', sales_count: 2, returns_count: 2, payments_count: 1, gross_sales_cents: 8586, discounts_cents: -500, returns_cents: -3144, net_sales_cents: 4942, tax_cents: 279 },
    ]);
    expect(r.sections.other_receipts.rows).toEqual([
      { kind: 'Gift cards sold or reloaded', lines: 1, amount_cents: 5000 },
      { kind: 'Payments on account', lines: 1, amount_cents: 500 },
    ]);
    // Sales with tax + other receipts = every tender.
    expect(r.summary.total_cents + r.summary.other_receipts_cents).toBe(r.summary.tenders_cents);
  });

  test('day 2 alone and the two days together (date filtering)', async () => {
    const d2 = await report('daily-sales', `?from=${DAY2}&to=${DAY2}`);
    expect(d2.summary).toMatchObject({ sales_count: 1, returns_count: 0, payments_count: 1, voided_count: 0, gross_sales_cents: 899, discounts_cents: 0, net_sales_cents: 899, tax_cents: 80, other_receipts_cents: 600, tenders_cents: 1579 });
    expect(d2.sections.by_tender.rows.map((t: any) => [t.method, t.net_cents])).toEqual([['Cash', 1079], ['Gift card', 500]]);
    const both = await report('daily-sales', `?from=${DAY1}&to=${DAY2}`);
    expect(both.summary).toMatchObject({ sales_count: 6, payments_count: 2, net_sales_cents: 6650 + 899, tax_cents: 431 + 80, other_receipts_cents: 6100 });
    // Only `from`: through today (the clock's day 2); only `to`: that day.
    expect((await report('daily-sales', `?from=${DAY1}`)).summary.net_sales_cents).toBe(7549);
    expect((await report('daily-sales', `?to=${DAY1}`)).summary.net_sales_cents).toBe(6650);
    // No dates: today in the store.
    expect(await report('daily-sales')).toMatchObject({ from: DAY2, to: DAY2, summary: { net_sales_cents: 899 } });
    expect((await report('daily-sales', '?from=2026-11-01&to=2026-11-23')).summary).toMatchObject({ sales_count: 0, net_sales_cents: 0, tenders_cents: 0 });
  });

  test('CSV: the same figures in dollars, section by section', async () => {
    const csv = await csvOf('daily-sales', `?from=${DAY1}&to=${DAY1}`);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(`Daily sales summary,${DAY1} to ${DAY1}`);
    expect(lines).toContain('Net sales,66.50');
    expect(lines).toContain('Discounts,-5.90');
    expect(lines).toContain('Category,Units,Gross sales,Discounts,Returns,Net sales,Tax');
    expect(lines).toContain('Accessories › Tuners,1,49.90,-5.00,-22.45,22.45,1.99');
    expect(lines).toContain('Strings,5,53.94,-0.90,-8.99,44.05,2.32');
    expect(lines).toContain('Total,6,103.84,-5.90,-31.44,66.50,4.31');
    expect(lines).toContain('Cash,4,107.83,1,-9.79,98.04');
    expect(lines).toContain('api:test,2,2,1,85.86,-5.00,-31.44,49.42,2.79');
    expect(lines).toContain('Payments on account,1,5.00');
    // The page's download is the same file.
    const page = await owner.get(`/reports/daily-sales/export.csv?from=${DAY1}&to=${DAY1}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-disposition')).toBe(`attachment; filename="daily-sales-${DAY1}.csv"`);
    expect(page.text).toBe(csv);
  });

  test('CSV cells are formula-safe', async () => {
    await f.t.deps.db.execute(sql`update categories set name = '=HYPERLINK("x")' where name = 'Strings'`);
    try {
      const csv = await csvOf('daily-sales', `?from=${DAY1}&to=${DAY1}`);
      expect(csv).toContain(`"'=HYPERLINK(""x"")",5,53.94`);
    } finally {
      await f.t.deps.db.execute(sql`update categories set name = 'Strings' where name = '=HYPERLINK("x")'`);
    }
  });
});

describe('sales tax', () => {
  test('by component with returns netted; exempt sales apart with the certificate', async () => {
    const r = await report('sales-tax', `?from=${DAY1}&to=${DAY1}`);
    const taxOf = (doc: any, comp: string) => doc.taxes.find((t: any) => t.component === comp).tax_cents;
    const comps = ['NYC', 'NY State', 'MCTD'];
    expect(r.sections.by_component.rows.map((c: any) => c.component)).toEqual(comps);
    for (const c of r.sections.by_component.rows) {
      expect(c).toMatchObject({ tax_class: 'NYC goods', taxable_sales_cents: 4043 + 899 + 809, taxable_returns_cents: -899, taxable_net_cents: 4852 });
      expect(c.tax_collected_cents).toBe(taxOf(docs.s1, c.component) + taxOf(docs.s4, c.component) + taxOf(docs.s5, c.component));
      expect(c.tax_refunded_cents).toBe(taxOf(docs.r1, c.component));
      expect(c.tax_cents).toBe(c.tax_collected_cents + c.tax_refunded_cents);
    }
    expect(r.sections.by_component.rows.map((c: any) => c.rate_millipercent)).toEqual([4500, 4000, 375]);
    expect(r.sections.by_component.total).toMatchObject({ tax_collected_cents: 359 + 80 + 72, tax_refunded_cents: -80, tax_cents: 431, taxable_net_cents: null });
    expect(r.sections.by_class.rows).toEqual([{ tax_class: 'NYC goods', taxable_sales_cents: 5751, taxable_returns_cents: -899, taxable_net_cents: 4852, tax_cents: 431 }]);
    expect(r.sections.exempt.rows).toEqual([
      { date: DAY1, number: 'S-000002', kind: 'Sale', account: 'Lincoln High School', certificate: 'EX-12345', net_cents: 4043 },
      { date: DAY1, number: 'R-000002', kind: 'Return', account: 'Lincoln High School', certificate: 'EX-12345', net_cents: -2245 },
    ]);
    expect(r.summary).toEqual({ taxable_net_cents: 4852, tax_collected_cents: 511, tax_refunded_cents: -80, tax_cents: 431, exempt_net_cents: 1798 });
    // Same tax as the daily sales summary.
    expect(r.summary.tax_cents).toBe((await report('daily-sales', `?from=${DAY1}&to=${DAY1}`)).summary.tax_cents);
    const csv = await csvOf('sales-tax', `?from=${DAY1}&to=${DAY1}`);
    expect(csv).toContain('NYC goods,NYC,4.5%,57.51,-8.99,48.52,');
    expect(csv).toContain(`${DAY1},R-000002,Return,Lincoln High School,EX-12345,-22.45`);
  });
});

describe('discounts', () => {
  test('every discount of completed sales with who gave and approved it; totals per person', async () => {
    const r = await report('discounts', `?from=${DAY1}&to=${DAY1}`);
    expect(r.sections.discounts.rows.map((d: any) => [d.sale, d.line, d.kind, d.percent_millipercent, d.amount_cents, d.applied_by, d.approved_by, d.reasons])).toEqual([
      ['S-000001', '2. Clip-on tuner', 'Percent', 10000, 250, 'api:test', '', ''],
      ['S-000002', '2. Clip-on tuner', 'Percent', 10000, 250, 'api:test', '', ''],
      ['S-000005', '1. Guitar strings 10-46', 'Percent', 10000, 90, 'api:casey', 'mona', 'over the cashier’s discount limit'],
    ]);
    expect(r.sections.discounts.total.amount_cents).toBe(590);
    expect(r.sections.by_person.rows).toEqual([
      { person: 'api:casey', count: 1, approved_count: 1, amount_cents: 90 },
      { person: 'api:test', count: 2, approved_count: 0, amount_cents: 500 },
    ]);
    expect(r.sections.by_approver.rows).toEqual([{ person: 'mona', count: 1, amount_cents: 90 }]);
    expect(r.summary).toEqual({ discount_count: 3, discount_cents: 590, approved_count: 1 });
    // Daily sales' discounts are the same money.
    expect((await report('daily-sales', `?from=${DAY1}&to=${DAY1}`)).summary.discounts_cents).toBe(-590);
    expect((await report('discounts', `?from=${DAY2}&to=${DAY2}`)).sections.discounts.rows).toEqual([]);
    const csv = await csvOf('discounts', `?from=${DAY1}&to=${DAY1}`);
    expect(csv).toContain(`${DAY1},S-000005,1. Guitar strings 10-46,Discount,Percent,10%,0.90,api:casey,mona,over the cashier’s discount limit`);
  });
});

describe('returns', () => {
  test('return documents with original sale, refund tenders, restocked or damaged goods; totals', async () => {
    const r = await report('returns', `?from=${DAY1}&to=${DAY1}`);
    expect(r.sections.returns.rows).toEqual([
      { date: DAY1, number: 'R-000001', original: 'S-000001', account: '', cashier: 'api:test', approved_by: '', quantity: 1, restocked: 1, damaged: 0, net_cents: 899, tax_cents: 80, refund_cents: 979, refunded_to: 'Cash $9.79' },
      { date: DAY1, number: 'R-000002', original: 'S-000002', account: 'Lincoln High School', cashier: 'api:test', approved_by: '', quantity: 1, restocked: 0, damaged: 1, net_cents: 2245, tax_cents: 0, refund_cents: 2245, refunded_to: 'Check $22.45' },
    ]);
    expect(r.sections.lines.rows.map((l: any) => [l.number, l.description, l.quantity, l.disposition, l.net_cents, l.tax_cents, l.cost_back_cents])).toEqual([
      ['R-000001', 'Guitar strings 10-46', 1, 'Restocked', 899, 80, 300],
      ['R-000002', 'Clip-on tuner', 1, 'Damaged / to repair', 2245, 0, null],
    ]);
    expect(r.summary).toEqual({ returns_count: 2, refund_cents: 3224, tax_cents: 80, restocked_count: 1, damaged_count: 1, approved_count: 0 });
    expect((await report('returns', `?from=${DAY2}&to=${DAY2}`)).summary.returns_count).toBe(0);
  });
});

describe('drawer over/short', () => {
  test('per person who closed, and the sessions', async () => {
    const r = await report('drawer-variance', `?from=${closedOn}&to=${closedOn}`);
    expect(r.sections.by_cashier.rows).toEqual([
      { cashier: 'api:casey', sessions: 1, over_count: 1, short_count: 0, over_cents: 50, short_cents: 0, net_cents: 50 },
      { cashier: 'api:test', sessions: 1, over_count: 0, short_count: 1, over_cents: 0, short_cents: -100, net_cents: -100 },
    ]);
    expect(r.summary).toEqual({ sessions_count: 2, over_cents: 50, short_cents: -100, net_cents: -50 });
    const sessions = r.sections.sessions.rows;
    expect(sessions.map((s: any) => [s.number, s.register, s.closed_by, s.over_short_cents])).toEqual([
      ['DS-000001', 'Register 1', 'api:test', -100],
      ['DS-000002', 'Register 1', 'api:casey', 50],
    ]);
    // Day 1 expected cash: $150 float + 44.02 + 8.81 + 5.00 + 50.00 − 9.79; checks 40.43 − 22.45.
    expect(sessions[0]).toMatchObject({ expected_cash_cents: 15000 + 4402 + 881 + 500 + 5000 - 979, counted_cash_cents: 15000 + 4402 + 881 + 500 + 5000 - 979 - 100, expected_checks_cents: 1798, counted_checks_cents: 1798 });
    expect((await report('drawer-variance', '?from=2000-01-01&to=2000-01-01')).sections.sessions.rows).toEqual([]);
  });
});

describe('liabilities', () => {
  test('gift cards as of each day equal the journal account', async () => {
    const d1 = await report('gift-card-liability', `?as_of=${DAY1}`);
    expect(d1.as_of).toBe(DAY1);
    expect(d1.sections.cards.rows).toEqual([{ number: 'GC-100200', status: 'Active', account: '', issued_on: DAY1, last_activity_on: DAY1, expires_on: null, balance_cents: 5000 }]);
    expect(d1.checks).toEqual([{ key: 'gift_card_liability', label: 'Card balances = Gift card liability account', report_cents: 5000, journal_cents: 5000, ok: true }]);
    const d2 = await report('gift-card-liability', `?as_of=${DAY2}`);
    expect(d2.sections.cards.rows[0]).toMatchObject({ balance_cents: 4500, last_activity_on: DAY2 });
    expect(d2.checks[0]).toMatchObject({ report_cents: 4500, journal_cents: 4500, ok: true });
    expect((await report('gift-card-liability', '?as_of=2026-11-23')).sections.cards.rows).toEqual([]);
    // `to` is accepted for as_of; no date = today.
    expect((await report('gift-card-liability', `?to=${DAY1}`)).summary.balance_cents).toBe(5000);
    expect((await report('gift-card-liability')).as_of).toBe(DAY2);
    const csv = parseCsv(await csvOf('gift-card-liability', `?as_of=${DAY2}`));
    expect(csv.rows).toEqual([{ card: 'GC-100200', status: 'Active', customer: '', issued: DAY1, last_used: DAY2, expires: '', balance: '45.00' }, { card: 'Total', status: '', customer: '', issued: '', last_used: '', expires: '', balance: '45.00' }]);
  });

  test('store credit as of each day equals the journal account', async () => {
    expect((await report('store-credit-liability', `?as_of=${DAY1}`)).sections.accounts.rows).toEqual([]);
    const d2 = await report('store-credit-liability', `?as_of=${DAY2}`);
    expect(d2.sections.accounts.rows).toEqual([expect.objectContaining({ account: 'Rivera Family', last_activity_on: DAY2, balance_cents: 121 })]);
    expect(d2.checks[0]).toMatchObject({ key: 'store_credit_liability', report_cents: 121, journal_cents: 121, ok: true });
  });

  test('AR aging across the two days, checked against the journal', async () => {
    const d1 = await report('ar-aging', `?as_of=${DAY1}`);
    expect(d1.sections.invoices.rows).toEqual([expect.objectContaining({ account: 'Rivera Family', memo: 'S-000004', issued_on: DAY1, due_on: '2026-12-24', days_past_due: 0, bucket: 'Current', total_cents: 979, balance_cents: 479 })]);
    expect(d1.checks[0]).toMatchObject({ report_cents: 479, journal_cents: 479, ok: true });
    const d2 = await report('ar-aging', `?as_of=${DAY2}`);
    expect(d2.sections.invoices.rows).toEqual([]);
    expect(d2.checks[0]).toMatchObject({ report_cents: 0, journal_cents: 0, ok: true });
  });
});

describe('parameters and access', () => {
  test('bad parameters are 400 with the field; unknown report 404; no reports.view 403', async () => {
    const cases: [string, string][] = [
      ['/api/v1/reports/daily-sales?from=2026-13-01', 'from'],
      ['/api/v1/reports/daily-sales?from=2026-11-25&to=2026-11-24', 'to'],
      ['/api/v1/reports/daily-sales?from=2025-01-01&to=2026-11-24', 'to'],
      ['/api/v1/reports/daily-sales?to=tomorrow', 'to'],
      ['/api/v1/reports/daily-sales?format=xml', 'format'],
      ['/api/v1/reports/ar-aging?as_of=2026-02-30', 'as_of'],
    ];
    for (const [path, field] of cases) {
      const r = await f.api('GET', path);
      expect(r.status).toBe(400);
      expect(r.json().error.code).toBe('validation_failed');
      expect(Object.keys(r.json().error.fields)).toEqual([field]);
    }
    expect((await f.api('GET', '/api/v1/reports/nope')).status).toBe(404);
    const denied = await f.api('GET', '/api/v1/reports/daily-sales', undefined, { tok: cashierToken });
    expect(denied.status).toBe(403);
    expect(apiDocs.some((d) => d.path === '/api/v1/reports/:name' && d.permission === 'reports.view')).toBe(true);
  });
});

describe('pages', () => {
  test('index, a report page with its filters, print and CSV links, and errors next to the field', async () => {
    const index = await owner.get('/reports');
    expect(index.status).toBe(200);
    for (const name of ['daily-sales', 'sales-tax', 'discounts', 'returns', 'drawer-variance', 'ar-aging', 'gift-card-liability', 'store-credit-liability']) expect(index.text).toContain(`href="/reports/${name}"`);
    expect(index.text).toContain('href="/registers/history"');

    const page = await owner.get(`/reports/daily-sales?from=${DAY1}&to=${DAY1}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/data-key="net_sales_cents"><dt>Net sales<\/dt><dd class="">\$66\.50/);
    expect(page.text).toContain('Accessories › Tuners');
    expect(page.text).toContain(`href="/reports/daily-sales/export.csv?from=${DAY1}&amp;to=${DAY1}"`);
    expect(page.text).toContain('data-print');
    expect(page.text).toContain('1 voided sale is left out of every figure.');
    expect(page.text).toContain('id="table-by_tender"');

    const gift = await owner.get(`/reports/gift-card-liability?as_of=${DAY2}`);
    expect(gift.text).toContain('data-check="ok"');
    expect(gift.text).toContain('$45.00');

    const bad = await owner.get('/reports/daily-sales?from=2026-11-30&to=2026-11-01');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('To must be on or after From.');
    expect(bad.text).toMatch(/id="report-to"[^>]*aria-invalid="true"/);
    expect((await owner.get('/reports/daily-sales/export.csv?from=nope')).status).toBe(400);
    expect((await owner.get('/reports/nope')).status).toBe(404);

    const cashier = await signIn(f.t, 'casey', 'staff password 123');
    expect((await cashier.get('/reports')).status).toBe(403);
  });
});

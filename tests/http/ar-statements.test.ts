import { beforeAll, describe, expect, test } from 'bun:test';
import { posFixture, type PosFixture } from '../pos/fixture';
import { signIn, type TestClient } from '../helpers';
import { settableClock } from '../../src/domain/clock';
import { agingBucket } from '../../src/features/customers/ar';

/**
 * AR (accounting-reports.md "AR aging (current/30/60/90+) and statements"): Rivera charges a pack of strings
 * ($8.99 + $0.80 tax = $9.79) on six days, each due 30 days later, then pays $5.00 on 2026-11-24 (applied to the
 * oldest invoice), and a seventh charge that day is voided. Ages on 2026-11-24:
 *   INV-000001 06-01 due 07-01: 146 days → over 90, $4.79 open after the payment
 *   INV-000002 07-15 due 08-14: 102 → over 90        INV-000003 08-10 due 09-09: 76 → 61–90
 *   INV-000004 09-01 due 10-01:  54 → 31–60          INV-000005 10-10 due 11-09: 15 → 1–30
 *   INV-000006 11-24 due 12-24: current              INV-000007 11-24: voided with its sale
 */

let f: PosFixture;
let owner: TestClient;
const CHARGE = 979;
const DAYS = ['2026-06-01', '2026-07-15', '2026-08-10', '2026-09-01', '2026-10-10', '2026-11-24'];

const ok = async (p: ReturnType<PosFixture['api']>, status = 201) => {
  const r = await p;
  if (r.status !== status) throw new Error(`${r.status} ${r.text}`);
  return r.json();
};
const charge = () => ok(f.api('POST', '/api/v1/sales', { account_id: f.accountId, lines: [{ product_id: f.strings.id, quantity: 1 }], tenders: [{ method: 'account', amount_cents: CHARGE }] }));
const report = async (query: string) => ok(f.api('GET', `/api/v1/reports/ar-aging${query}`), 200);

beforeAll(async () => {
  const clock = settableClock(`${DAYS[0]}T15:00:00Z`);
  f = await posFixture({ clock });
  await ok(f.api('PATCH', `/api/v1/accounts/${f.accountId}`, { address_line1: '42 Elm Street', city: 'Springfield', region: 'IL', postal_code: '62704' }), 200);
  for (const day of DAYS) {
    clock.set(`${day}T15:00:00Z`);
    await charge();
  }
  await ok(f.api('POST', `/api/v1/accounts/${f.accountId}/payments`, { register_session_id: f.sessionId, amount_cents: 500, tenders: [{ method: 'cash', amount_cents: 500 }] }));
  const voided = await charge();
  await ok(f.api('POST', `/api/v1/sales/${voided.id}/void`, { reason: 'Charged to the wrong family' }), 200);
  owner = await signIn(f.t, 'owner1', 'owner password 1');
  await owner.get('/');
});

describe('aging buckets', () => {
  test('days past due → bucket, at the edges', () => {
    expect([-5, 0, 1, 30, 31, 60, 61, 90, 91, 400].map(agingBucket)).toEqual(['current', 'current', 'days_1_30', 'days_1_30', 'days_31_60', 'days_31_60', 'days_61_90', 'days_61_90', 'days_over_90', 'days_over_90']);
  });

  test('today: every bucket, the payment on the oldest invoice, the voided charge gone; equals the journal', async () => {
    const r = await report('');
    expect(r.as_of).toBe('2026-11-24');
    expect(r.summary).toEqual({ current_cents: 979, days_1_30_cents: 979, days_31_60_cents: 979, days_61_90_cents: 979, days_over_90_cents: 479 + 979, total_cents: 6 * 979 - 500, accounts_count: 1 });
    expect(r.sections.invoices.rows.map((i: any) => [i.invoice, i.due_on, i.days_past_due, i.bucket, i.balance_cents])).toEqual([
      ['INV-000001', '2026-07-01', 146, 'Over 90 days', 479],
      ['INV-000002', '2026-08-14', 102, 'Over 90 days', 979],
      ['INV-000003', '2026-09-09', 76, '61–90 days', 979],
      ['INV-000004', '2026-10-01', 54, '31–60 days', 979],
      ['INV-000005', '2026-11-09', 15, '1–30 days', 979],
      ['INV-000006', '2026-12-24', 0, 'Current', 979],
    ]);
    expect(r.sections.accounts.rows).toEqual([expect.objectContaining({ account: 'Rivera Family', invoices: 6, oldest_due_on: '2026-07-01', current_cents: 979, days_over_90_cents: 1458, total_cents: 5374 })]);
    expect(r.checks).toEqual([expect.objectContaining({ key: 'accounts_receivable', report_cents: 5374, journal_cents: 5374, ok: true })]);
    const csv = (await f.api('GET', '/api/v1/reports/ar-aging?format=csv')).text;
    expect(csv).toContain('Rivera Family,6,2026-07-01,9.79,9.79,9.79,9.79,14.58,53.74');
    expect(csv).toContain('Open invoices = Accounts receivable account,53.74,53.74,matches');
  });

  test('as of an earlier day: only invoices issued by then, balances before later payments', async () => {
    const r = await report('?as_of=2026-10-01');
    expect(r.sections.invoices.rows.map((i: any) => [i.invoice, i.days_past_due, i.bucket, i.balance_cents])).toEqual([
      ['INV-000001', 92, 'Over 90 days', 979],
      ['INV-000002', 48, '31–60 days', 979],
      ['INV-000003', 22, '1–30 days', 979],
      ['INV-000004', 0, 'Current', 979],
    ]);
    expect(r.summary).toMatchObject({ current_cents: 979, days_1_30_cents: 979, days_31_60_cents: 979, days_61_90_cents: 0, days_over_90_cents: 979, total_cents: 3916 });
    expect(r.checks[0]).toMatchObject({ report_cents: 3916, journal_cents: 3916, ok: true });
    expect((await report('?as_of=2026-05-31')).summary.total_cents).toBe(0);
  });
});

describe('account page and API', () => {
  test('the account shows what it owes, past due, aging and open invoices; the API has the balance', async () => {
    const detail = await ok(f.api('GET', `/api/v1/accounts/${f.accountId}`), 200);
    expect(detail).toMatchObject({ balance_cents: 5374, store_credit_cents: 0 });
    const page = await owner.get(`/customers/${f.accountId}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/id="ar-balance">\$53\.74/);
    expect(page.text).toMatch(/id="ar-past-due"[^>]*>\$43\.95/);
    expect(page.text).toMatch(/id="store-credit">\$0\.00/);
    expect(page.text).toMatch(/data-bucket="days_over_90">\$14\.58/);
    expect(page.text).toContain('INV-000006');
    expect(page.text).not.toContain('INV-000007');
    expect(page.text).toContain('146 days late');
    expect(page.text).toContain(`href="/customers/${f.accountId}/statement"`);
    // A school that can't charge, owes nothing and has no credit: no balance card at all.
    const school = await owner.get(`/customers/${f.schoolId}`);
    expect(school.status).toBe(200);
    expect(school.text).not.toContain('id="account-balance"');
  });
});

describe('statement', () => {
  test('a period: balance forward, charges and credits in order with the running balance, open invoices, aging', async () => {
    const page = await owner.get(`/customers/${f.accountId}/statement?from=2026-09-01&to=2026-11-24`);
    expect(page.status).toBe(200);
    const html = page.text;
    expect(html).toContain('My Music Store');
    expect(html).toContain('42 Elm Street');
    expect(html).toContain('Springfield, IL 62704');
    expect(html).toMatch(/id="statement-opening">\$29\.37/);
    const rows = [...html.matchAll(/<tr><td class="nowrap">([^<]+)<\/td><td class="nowrap">([^<]*)<\/td><td>([^<]*)<\/td><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td><\/tr>/g)].map((m) => m.slice(1));
    expect(rows).toEqual([
      ['Sep 1, 2026', 'INV-000004', 'Charge: S-000004', '$9.79', '', '$39.16'],
      ['Oct 10, 2026', 'INV-000005', 'Charge: S-000005', '$9.79', '', '$48.95'],
      ['Nov 24, 2026', 'INV-000006', 'Charge: S-000006', '$9.79', '', '$58.74'],
      ['Nov 24, 2026', 'P-000001', 'Payment, applied to INV-000001', '', '$5.00', '$53.74'],
      ['Nov 24, 2026', 'INV-000007', 'Charge: S-000007', '$9.79', '', '$63.53'],
      ['Nov 24, 2026', 'S-000007', 'Sale voided, INV-000007 cancelled', '', '$9.79', '$53.74'],
    ]);
    expect(html).toMatch(/id="statement-charges">\$39\.16/);
    expect(html).toMatch(/id="statement-credits">\$14\.79/);
    expect(html).toMatch(/id="statement-closing">\$53\.74/);
    expect(html).toMatch(/id="statement-amount-due">\$53\.74/);
    expect(html).toMatch(/data-bucket="days_31_60">\$9\.79/);
    expect(html).toMatch(/data-bucket="days_over_90">\$14\.58/);
    expect(html).toContain('Part of this balance is past due');
  });

  test('default period is the last 30 days; an earlier period ends at its own balance; bad dates are 400', async () => {
    const page = await owner.get(`/customers/${f.accountId}/statement`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/id="statement-from"[^>]*value="2026-10-26"/);
    expect(page.text).toMatch(/id="statement-opening">\$48\.95/);
    expect(page.text).toMatch(/id="statement-closing">\$53\.74/);

    const past = await owner.get(`/customers/${f.accountId}/statement?from=2026-06-01&to=2026-07-31`);
    expect(past.text).toMatch(/id="statement-opening">\$0\.00/);
    expect(past.text).toMatch(/id="statement-closing">\$19\.58/);
    expect(past.text).toMatch(/data-bucket="days_1_30">\$9\.79/);
    expect(past.text).toMatch(/data-bucket="current">\$9\.79/);

    const bad = await owner.get(`/customers/${f.accountId}/statement?from=2026-11-30&to=2026-11-01`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('To must be on or after From.');
    expect((await owner.get('/customers/00000000-0000-0000-0000-000000000000/statement')).status).toBe(404);
  });

  test('an overpayment pays everything off and leaves store credit: account, API, statement and liability agree', async () => {
    await ok(f.api('POST', `/api/v1/accounts/${f.accountId}/payments`, { register_session_id: f.sessionId, amount_cents: 6000, tenders: [{ method: 'cash', amount_cents: 6000 }] }));
    expect(await ok(f.api('GET', `/api/v1/accounts/${f.accountId}`), 200)).toMatchObject({ balance_cents: 0, store_credit_cents: 626 });
    const page = await owner.get(`/customers/${f.accountId}`);
    expect(page.text).toMatch(/id="store-credit">\$6\.26/);
    expect(page.text).toContain('No open invoices.');
    const statement = await owner.get(`/customers/${f.accountId}/statement`);
    expect(statement.text).toMatch(/id="statement-closing">\$0\.00/);
    expect(statement.text).toContain('Nothing is open. Thank you!');
    expect(statement.text).toMatch(/id="statement-store-credit">[^<]*<strong>\$6\.26/);
    expect((await report('')).summary.total_cents).toBe(0);
    const credit = await ok(f.api('GET', '/api/v1/reports/store-credit-liability'), 200);
    expect(credit.checks[0]).toMatchObject({ report_cents: 626, journal_cents: 626, ok: true });
  });
});

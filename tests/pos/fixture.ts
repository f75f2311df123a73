import { expect } from 'bun:test';
import { sql } from 'drizzle-orm';
import type { SettableClock } from '../../src/domain/clock';
import { apiRequest, makeTestApp, ownerToken, resetDb, setupStoreWithOwner, type TestContext } from '../helpers';

/**
 * A store ready to sell (pos.md acceptance): an 8.875% default tax class, strings $8.99 (stock, 20 on hand at
 * $3.00), a tuner $24.95 (stock, 5 at $11.00), a serialized trumpet $899.00 with one unit (cost $520.00), a
 * customer account that may charge up to $500, a tax-exempt school, and Register 1's drawer opened with $150.
 */
export interface PosFixture {
  t: TestContext;
  token: string;
  api: (method: string, path: string, json?: unknown, opts?: { tok?: string; headers?: Record<string, string> }) => ReturnType<typeof apiRequest>;
  registerId: string;
  sessionId: string;
  taxClassId: string;
  strings: { id: string };
  tuner: { id: string };
  trumpet: { id: string };
  unitId: string;
  accountId: string;
  schoolId: string;
}

/** `clock`: a SettableClock the test moves (return windows, past-day voids); default makeTestApp's. */
export async function posFixture(opts: { openDrawer?: boolean; clock?: SettableClock } = {}): Promise<PosFixture> {
  await resetDb();
  const t = makeTestApp(opts.clock ? { clock: opts.clock } : {});
  await setupStoreWithOwner(t);
  const token = await ownerToken(t);
  const api: PosFixture['api'] = (method, path, json, o = {}) => apiRequest(t.app, method, path, { token: o.tok ?? token, headers: o.headers, ...(json === undefined ? {} : { json }) });
  const ok = async (res: Promise<any>, status = 201) => {
    const r = await res;
    if (r.status !== status) throw new Error(`${r.status} ${r.text}`);
    return r.json();
  };
  const taxClass = await ok(api('POST', '/api/v1/tax-classes', { name: 'NYC goods', components: [{ name: 'NY State', rate_millipercent: 4000 }, { name: 'NYC', rate_millipercent: 4500 }, { name: 'MCTD', rate_millipercent: 375 }], is_default: true }));
  const strings = await ok(api('POST', '/api/v1/products', { sku: 'STR-10', upc: '0123456789012', name: 'Guitar strings 10-46', kind: 'stock', price_cents: 899, cost_cents: 300, tax_class_id: taxClass.id }));
  const tuner = await ok(api('POST', '/api/v1/products', { sku: 'TUN-1', name: 'Clip-on tuner', kind: 'stock', price_cents: 2495, cost_cents: 1100, min_price_cents: 2000, tax_class_id: taxClass.id }));
  const trumpet = await ok(api('POST', '/api/v1/products', { sku: 'TR-200', name: 'Student trumpet', kind: 'serialized', price_cents: 89900, cost_cents: 52000, tax_class_id: taxClass.id }));
  await ok(api('POST', '/api/v1/stock/adjustments', { product_id: strings.id, quantity: 20, reason: 'opening count', unit_cost_cents: 300 }));
  await ok(api('POST', '/api/v1/stock/adjustments', { product_id: tuner.id, quantity: 5, reason: 'opening count', unit_cost_cents: 1100 }));
  const unit = await ok(api('POST', '/api/v1/units', { product_id: trumpet.id, serial_number: 'TR-1001', condition: 'new', cost_cents: 52000 }));
  const account = await ok(api('POST', '/api/v1/accounts', { name: 'Rivera Family', type: 'family', phone: '555-0100' }));
  await t.deps.db.execute(sql`update accounts set charge_allowed = true, credit_limit_cents = 50000 where id = ${account.id}`);
  const school = await ok(api('POST', '/api/v1/accounts', { name: 'Lincoln High School', type: 'school' }));
  await ok(api('POST', `/api/v1/accounts/${school.id}/tax-exemptions`, { certificate_number: 'EX-12345', expires_on: '2099-06-30', status: 'approved' }));
  const registerId = (await api('GET', '/api/v1/registers')).json().data[0].id;
  let sessionId = '';
  if (opts.openDrawer !== false) sessionId = (await ok(api('POST', `/api/v1/registers/${registerId}/sessions`, { float_denominations: { '2000': 5, '1000': 4, '500': 2 } }))).id;
  return { t, token, api, registerId, sessionId, taxClassId: taxClass.id, strings, tuner, trumpet, unitId: unit.id, accountId: account.id, schoolId: school.id };
}

/** Debit − credit of a system account over the whole journal. */
export async function balanceOf(t: TestContext, key: string): Promise<number> {
  const [r] = await t.deps.db.execute<{ b: string }>(sql`select coalesce(sum(l.debit_cents - l.credit_cents), 0) as b from journal_lines l join ledger_accounts a on a.id = l.account_id where a.system_key = ${key}`);
  return Number(r.b);
}

/** The lines ([account key, debit, credit]) of the entry posted for a source; asserts it balances. */
export async function entryFor(t: TestContext, sourceId: string, opts: { reversal?: boolean } = {}): Promise<[string, number, number][]> {
  const rows = await t.deps.db.execute<{ key: string; debit: string; credit: string }>(sql`
    select a.system_key as key, l.debit_cents as debit, l.credit_cents as credit
    from journal_entries e join journal_lines l on l.entry_id = e.id join ledger_accounts a on a.id = l.account_id
    where e.source_id = ${sourceId} and (e.reverses_entry_id is not null) = ${opts.reversal ?? false}
    order by l.line_no`);
  const lines = rows.map((r) => [r.key, Number(r.debit), Number(r.credit)] as [string, number, number]);
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.reduce((s, l) => s + l[1], 0)).toBe(lines.reduce((s, l) => s + l[2], 0));
  return lines;
}

/** Net per account of an entry's lines (debit positive), for compact assertions. */
export function netByAccount(lines: [string, number, number][]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, d, c] of lines) out[k] = (out[k] ?? 0) + d - c;
  return out;
}

export async function countRows(t: TestContext, table: string): Promise<number> {
  return (await t.deps.db.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0].n;
}

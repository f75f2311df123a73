import { expect, test } from 'bun:test';
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../src/db/client';
import type { Actor } from '../../src/features/audit/service';
import { ALL_PERMISSIONS } from '../../src/features/auth/permissions';
import { ServiceError } from '../../src/features/service-errors';
import type { SaleContext } from '../../src/features/sales/context';
import { completeSale, recordCounterDocument } from '../../src/features/sales/checkout';
import { priceSale } from '../../src/features/sales/pricing';
import { createNoReceiptReturn, createReturn } from '../../src/features/sales/returns';
import { voidSale } from '../../src/features/sales/void';
import type { SaleInput, TenderInputApi } from '../../src/features/sales/schemas';
import { closeSession, openSession, recordMovement, sessionReport } from '../../src/features/registers/sessions';
import { adjustStock } from '../../src/features/inventory/stock';
import { cashDueCents } from '../../src/domain/tenders';
import { lcg } from '../../src/domain/test-support';
import { posFixture, type PosFixture } from '../pos/fixture';

/**
 * The issue's Done-when: a few thousand mixed counter operations with a fixed seed, run on the services
 * directly (one transaction each, like a request), and after every one of them the books must agree with the
 * sub-ledgers: every entry balances, the trial balance is zero, Gift card / Store credit liability = Σ their
 * ledgers, AR = Σ open invoice balances, Inventory = stock value + held units' cost, Cash in drawers = the
 * open session's expected cash = float + cash taken − change − refunds + paid-ins − paid-outs − drops (from
 * drawer_movements, and as sessionReport computes it), Checks to deposit = checks taken − handed back.
 * Operations that must fail (tenders short, a gift card over its balance, overselling …) are asserted to fail
 * with a 4xx ServiceError and to write nothing.
 */

const SEED = 20261124;
const OPERATIONS = 2000;
const TODAY = '2026-11-24';

let f: PosFixture;
let actor: Actor;
let sc: SaleContext;
let sessionId: string;

const rows = <T = any>(q: SQL) => f.t.deps.db.execute(q) as unknown as Promise<T[]>;
const one = async <T = any>(q: SQL) => (await rows<T>(q))[0];

const next = lcg(SEED);
/** In [0, 1), from the LCG's high bits (its low bits repeat with short periods: x mod 4 has period 4). */
const unit = () => next() / 4294967296;
const int = (lo: number, hi: number) => lo + Math.floor(unit() * (hi - lo + 1));
const chance = (p: number) => unit() < p;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(unit() * xs.length)];

/** Table sizes: a failed operation must leave every one of them as it was. */
const COUNTED = ['sales', 'sale_lines', 'sale_tenders', 'sale_taxes', 'sale_discounts', 'journal_entries', 'journal_lines', 'drawer_movements', 'drawer_sessions', 'gift_cards', 'gift_card_entries', 'store_credit_entries', 'invoices', 'invoice_allocations', 'stock_movements', 'unit_events', 'audit_log'];

interface Snapshot {
  docs: number;
}

/** Account balances (debit − credit) the checks compare, kept as running totals over the entries seen. */
const GL_KEYS = ['gift_card_liability', 'store_credit_liability', 'accounts_receivable', 'inventory', 'rental_fleet', 'cash_drawer', 'checks_to_deposit', 'customer_deposits'] as const;
const gl: Record<string, number> = {};
let trial = 0;
let lastEntry = '';

/** The lines of the entries numbered after `after` (JE- numbers are given in commit order, gap-free). */
const newLines = (after: string) => sql`l as materialized (
  select l.entry_id, l.debit_cents as d, l.credit_cents as c, a.system_key as k
  from journal_entries e join journal_lines l on l.entry_id = e.id join ledger_accounts a on a.id = l.account_id
  where e.number > ${after})`;

/** Over those lines: the change per account, the trial balance change, the entries that don't balance. */
const journalFacts = (after: string) => sql`
  (select coalesce(json_object_agg(coalesce(k, '?'), b), '{}') from (select k, sum(d - c) as b from l group by k) x) as by_key,
  (select coalesce(sum(d - c), 0) from l)::bigint as trial,
  (select count(*) from (select entry_id from l group by entry_id having sum(d) <> sum(c) or count(*) < 2) x)::int as unbalanced,
  (select count(*) from journal_entries e where e.number > ${after} and not exists (select 1 from journal_lines jl where jl.entry_id = e.id))::int as empty_entries,
  (select max(number) from journal_entries) as last`;

/**
 * The books-vs-ledgers facts after an operation, in one query: the journal part over the entries posted since
 * the last check (each entry balances; running account totals), the sub-ledgers in full; then the drawer through
 * sessionReport. `full` re-adds the whole journal and compares it with the running totals.
 */
async function checkInvariants(where: string, full = false): Promise<Snapshot> {
  const r = await one(sql`
    with ${newLines(lastEntry)},
    drawer as (
      select s.id, s.float_cents + coalesce(sum(case m.kind
          when 'sale_cash' then m.amount_cents when 'paid_in' then m.amount_cents
          when 'change_given' then -m.amount_cents when 'refund_cash' then -m.amount_cents
          when 'paid_out' then -m.amount_cents when 'drop' then -m.amount_cents else 0 end), 0) as expected
      from drawer_sessions s left join drawer_movements m on m.session_id = s.id
      where s.status = 'open' group by s.id
    )
    select ${journalFacts(lastEntry)},
      (select coalesce(sum(amount_cents), 0) from gift_card_entries)::bigint as gift_sub,
      (select coalesce(sum(amount_cents), 0) from store_credit_entries)::bigint as credit_sub,
      (select coalesce(sum(balance_cents), 0) from invoices)::bigint as ar_sub,
      (select count(*) from invoices i where i.balance_cents <> i.total_cents - coalesce((select sum(a.amount_cents) from invoice_allocations a where a.invoice_id = i.id), 0))::int as bad_invoices,
      (select coalesce(sum(stock_value_cents), 0) from products where kind = 'stock')::bigint as stock_value,
      (select count(*) from products p where p.kind = 'stock' and (p.stock_value_cents < 0 or (p.quantity_on_hand = 0 and p.stock_value_cents <> 0)
         or p.quantity_on_hand <> (select coalesce(sum(quantity_delta), 0) from stock_movements sm where sm.product_id = p.id)))::int as bad_stock,
      (select coalesce(sum(u.cost_cents), 0) from inventory_units u join products p on p.id = u.product_id
         where u.status not in ('sold', 'lost', 'retired', 'rented') and not p.rentable)::bigint as units_inventory,
      (select coalesce(sum(u.cost_cents), 0) from inventory_units u join products p on p.id = u.product_id
         where u.status not in ('sold', 'lost', 'retired') and (p.rentable or u.status = 'rented'))::bigint as units_fleet,
      (select coalesce(sum(expected), 0) from drawer)::bigint as drawer_expected,
      (select json_object_agg(id, expected) from drawer) as drawer_by_session,
      (select coalesce(sum(case kind when 'check_in' then amount_cents when 'check_refund' then -amount_cents when 'check_drop' then -amount_cents else 0 end), 0) from drawer_movements)::bigint
        + (select coalesce(sum(counted_checks_cents - expected_checks_cents), 0) from drawer_sessions where status = 'closed')::bigint as checks_sub,
      (select count(*) from sales)::int as docs`);
  expect({ where, unbalanced: r.unbalanced, empty: r.empty_entries }).toEqual({ where, unbalanced: 0, empty: 0 });
  trial += Number(r.trial);
  for (const [k, b] of Object.entries(r.by_key as Record<string, unknown>)) gl[k] = (gl[k] ?? 0) + Number(b);
  lastEntry = r.last ?? lastEntry;
  if (full) {
    const all = await one(sql`with ${newLines('')} select ${journalFacts('')}`);
    expect({ where, unbalanced: all.unbalanced, trial: Number(all.trial) }).toEqual({ where, unbalanced: 0, trial: 0 });
    for (const k of GL_KEYS) expect({ where, k, running: gl[k] ?? 0 }).toEqual({ where, k, running: Number((all.by_key as any)[k] ?? 0) });
  }
  const n = (x: unknown) => Number(x);
  const facts = {
    trial,
    gift: -(gl.gift_card_liability ?? 0) - n(r.gift_sub),
    credit: -(gl.store_credit_liability ?? 0) - n(r.credit_sub),
    ar: (gl.accounts_receivable ?? 0) - n(r.ar_sub),
    bad_invoices: r.bad_invoices,
    inventory: (gl.inventory ?? 0) - n(r.stock_value) - n(r.units_inventory),
    fleet: (gl.rental_fleet ?? 0) - n(r.units_fleet),
    bad_stock: r.bad_stock,
    cash: (gl.cash_drawer ?? 0) - n(r.drawer_expected),
    checks: (gl.checks_to_deposit ?? 0) - n(r.checks_sub),
    deposits: gl.customer_deposits ?? 0,
  };
  const zero = Object.fromEntries(Object.keys(facts).map((k) => [k, 0]));
  if (JSON.stringify(facts) !== JSON.stringify(zero)) expect({ where, ...facts }).toEqual({ where, ...zero } as any);
  // The drawer as the X report computes it (sessionReport) equals the independent SQL sum and the account.
  const report = await sessionReport(f.t.deps.db, sessionId);
  const independent = n((r.drawer_by_session ?? {})[sessionId]);
  if (report.expectedCashCents !== independent || report.expectedCashCents !== (gl.cash_drawer ?? 0)) {
    expect({ where, report: report.expectedCashCents, cash_in_drawers: gl.cash_drawer ?? 0 }).toEqual({ where, report: independent, cash_in_drawers: independent });
  }
  return { docs: r.docs };
}

/** Row counts of the tables an operation may write: a refused one must leave them all as they were. */
async function tableCounts(): Promise<Record<string, number>> {
  return (await one(sql.raw(`select json_build_object(${COUNTED.map((t) => `'${t}', (select count(*) from ${t})`).join(', ')}) as counts`))).counts;
}

/** Per document, what the headers, lines, taxes, tenders and entries must agree on (checked every so often). */
async function checkDocuments(where: string) {
  const bad = await rows(sql`
    select s.number, s.kind,
      s.net_cents - (select coalesce(sum(net_cents), 0) from sale_lines where sale_id = s.id) as lines_net,
      s.tax_cents - (select coalesce(sum(tax_cents), 0) from sale_lines where sale_id = s.id) as lines_tax,
      s.tax_cents - (select coalesce(sum(tax_cents), 0) from sale_taxes where sale_id = s.id) as taxes,
      s.total_cents - (select coalesce(sum(amount_cents), 0) from sale_tenders where sale_id = s.id) as tenders,
      (s.journal_entry_id is null) <> (s.total_cents = 0 and not exists (select 1 from sale_lines sl where sl.sale_id = s.id and sl.cost_cents > 0)) as entry,
      (s.status = 'voided') <> (s.void_entry_id is not null) as void_entry
    from sales s`);
  const problems = bad.filter((b) => Number(b.lines_net) || Number(b.lines_tax) || Number(b.taxes) || Number(b.tenders) || b.entry || b.void_entry);
  if (problems.length) expect({ where, problems }).toEqual({ where, problems: [] });
  // Gap-free numbers per kind.
  for (const [kind, prefix] of [['sale', 'S-'], ['return', 'R-'], ['payment', 'P-']] as const) {
    const nums = (await rows<{ number: string }>(sql`select number from sales where kind = ${kind} order by number`)).map((x) => x.number);
    expect(nums).toEqual(nums.map((_, i) => `${prefix}${String(i + 1).padStart(6, '0')}`));
  }
}

// ---------------------------------------------------------------------------------------------------------
// The world the operations pick from (read fresh before each operation).

interface World {
  stock: { id: string; price: number; onHand: number }[];
  services: { id: string }[];
  available: { id: string; productId: string }[];
  sold: { id: string; productId: string }[];
  cards: { number: string; balance: number; expired: boolean }[];
  accounts: { id: string; charge: boolean; limit: number; open: number; credit: number }[];
}

async function world(): Promise<World> {
  const r = await one(sql`select
    (select coalesce(json_agg(json_build_object('id', id, 'price', price_cents, 'onHand', quantity_on_hand) order by sku), '[]') from products where kind = 'stock') as stock,
    (select coalesce(json_agg(json_build_object('id', id) order by sku), '[]') from products where kind = 'service') as services,
    (select coalesce(json_agg(json_build_object('id', id, 'productId', product_id) order by serial_number), '[]') from inventory_units where status = 'available') as available,
    (select coalesce(json_agg(json_build_object('id', id, 'productId', product_id) order by serial_number), '[]') from inventory_units where status = 'sold') as sold,
    (select coalesce(json_agg(json_build_object('number', g.number, 'balance', (select coalesce(sum(amount_cents), 0) from gift_card_entries e where e.gift_card_id = g.id), 'expired', coalesce(g.expires_on < ${TODAY}::date, false)) order by g.number), '[]') from gift_cards g) as cards,
    (select json_agg(json_build_object('id', a.id, 'charge', a.charge_allowed, 'limit', a.credit_limit_cents,
        'open', (select coalesce(sum(balance_cents), 0) from invoices i where i.account_id = a.id),
        'credit', (select coalesce(sum(amount_cents), 0) from store_credit_entries c where c.account_id = a.id)) order by a.name) from accounts a) as accounts`);
  return r as World;
}

// ---------------------------------------------------------------------------------------------------------
// Operations. Each returns what it expects: 'ok' (must succeed) or 'fail' (must be refused with a 4xx).

type Outcome = 'ok' | 'fail';
interface Op {
  name: string;
  expect: Outcome;
  run: (tx: Tx) => Promise<unknown>;
}

let rounding = 1;

/** Tenders that pay `total` exactly (cash may add change), from what the world has. */
function payingTenders(total: number, w: World, accountId: string | null, opts: { allowAccount?: boolean } = {}): TenderInputApi[] {
  const tenders: TenderInputApi[] = [];
  let left = total;
  const account = accountId ? w.accounts.find((a) => a.id === accountId)! : null;
  const extras = int(0, 2);
  for (let k = 0; k < extras && left > 1; k++) {
    const kind = pick(['gift_card', 'store_credit', 'account', 'external_card', 'check'] as const);
    const part = int(1, left - 1);
    if (kind === 'gift_card') {
      const usable = w.cards.filter((c) => c.balance > 0 && !c.expired && !tenders.some((t) => t.gift_card_number === c.number));
      if (usable.length === 0) continue;
      const card = pick(usable);
      const amount = Math.min(card.balance, part);
      tenders.push({ method: 'gift_card', amount_cents: amount, gift_card_number: card.number });
      left -= amount;
    } else if (kind === 'store_credit' && account && account.credit > 0 && !tenders.some((t) => t.method === 'store_credit')) {
      const amount = Math.min(account.credit, part);
      tenders.push({ method: 'store_credit', amount_cents: amount });
      left -= amount;
    } else if (kind === 'account' && opts.allowAccount !== false && account?.charge && account.limit - account.open > 0 && !tenders.some((t) => t.method === 'account')) {
      const amount = Math.min(account.limit - account.open, part);
      tenders.push({ method: 'account', amount_cents: amount });
      left -= amount;
    } else if (kind === 'external_card') {
      tenders.push({ method: 'external_card', amount_cents: part, last4: '4242', auth_code: `A${int(1000, 9999)}` });
      left -= part;
    } else if (kind === 'check') {
      tenders.push({ method: 'check', amount_cents: part, reference: String(int(1000, 9999)) });
      left -= part;
    }
  }
  if (left > 0) {
    const last = int(0, 9);
    if (last < 6) {
      // At least one coin: with 5¢ rounding, 2¢ due rounds to nothing, and a tender can't be $0.00.
      const due = Math.max(cashDueCents(left, rounding), rounding);
      tenders.push({ method: 'cash', amount_cents: due + rounding * int(0, 3) * (chance(0.5) ? 1 : 100) });
    } else if (last < 8) tenders.push({ method: 'external_card', amount_cents: left, last4: '1111', auth_code: 'OK1' });
    else tenders.push({ method: 'check', amount_cents: left, reference: String(int(100, 999)) });
  }
  return tenders;
}

function randomItemLines(w: World, accountId: string | null) {
  const lines: SaleInput['lines'] = [];
  const n = int(1, 3);
  for (let k = 0; k < n; k++) {
    const stock = w.stock.filter((s) => s.onHand > 0 && !lines.some((l) => l.product_id === s.id));
    if (accountId && chance(0.12)) {
      const unit = w.available.find((u) => !lines.some((l) => l.unit_id === u.id));
      if (unit) {
        lines.push({ unit_id: unit.id, ...(chance(0.3) ? { discount_cents: int(1, 5000) } : {}) });
        continue;
      }
    }
    if (w.services.length && chance(0.08)) {
      lines.push({ product_id: pick(w.services).id });
      continue;
    }
    if (stock.length === 0) continue;
    const s = pick(stock);
    const line: SaleInput['lines'][number] = { product_id: s.id, quantity: int(1, Math.min(3, s.onHand)) };
    const d = int(0, 9);
    if (d === 0) line.discount_percent_millipercent = int(1, 20) * 1000;
    else if (d === 1) line.discount_cents = int(1, 300);
    else if (d === 2 && s.price > 100) line.unit_price_cents = s.price - int(1, 100);
    lines.push(line);
  }
  // Card numbers are always given: generated ones are random, and the run must replay exactly from its seed.
  if (chance(0.08)) lines.push({ kind: 'gift_card', amount_cents: int(1, 50) * 500, gift_card_number: `GC-${int(1, 40)}-2026` });
  return lines;
}

async function saleOp(w: World): Promise<Op> {
  const accountId = chance(0.55) ? pick(w.accounts).id : null;
  const lines = randomItemLines(w, accountId);
  if (lines.length === 0) lines.push({ kind: 'gift_card', amount_cents: 2500, gift_card_number: 'GC-0-2026' });
  const order_discount = chance(0.1) ? (chance(0.5) ? { percent_millipercent: int(1, 15) * 1000 } : { amount_cents: int(1, 500) }) : undefined;
  const base: SaleInput = { register_session_id: chance(0.9) ? sessionId : undefined, account_id: accountId ?? undefined, lines, tenders: [], order_discount };
  const failure = chance(0.2) ? pick(['short', 'card_over', 'gift_over', 'gift_expired', 'credit_over', 'over_limit', 'oversell', 'unit_taken', 'no_session'] as const) : null;
  return {
    name: `sale${failure ? ` (${failure})` : ''}`,
    expect: failure ? 'fail' : 'ok',
    run: async (tx) => {
      const priced = await priceSale(tx, sc, base, 100000);
      const total = priced.totalCents;
      const tenders = total > 0 ? payingTenders(total, w, accountId) : [];
      const input: SaleInput = { ...base, tenders };
      if (tenders.some((t) => t.method === 'cash' || t.method === 'check')) input.register_session_id = sessionId;
      if (failure === 'short') input.tenders = total > 1 ? [{ method: 'external_card', amount_cents: Math.max(1, total - int(1, 50)), last4: '0000', auth_code: 'X' }] : [];
      else if (failure === 'card_over') input.tenders = [{ method: 'external_card', amount_cents: total + 1, last4: '0000', auth_code: 'X' }];
      else if (failure === 'gift_over') {
        const card = w.cards.find((c) => !c.expired && c.balance < total);
        input.tenders = card ? [{ method: 'gift_card', amount_cents: Math.min(total, card.balance + 1), gift_card_number: card.number }, ...(card.balance + 1 < total ? [{ method: 'external_card' as const, amount_cents: total - card.balance - 1, last4: '0000', auth_code: 'X' }] : [])] : [{ method: 'gift_card', amount_cents: total || 1, gift_card_number: 'NO-SUCH-CARD' }];
      } else if (failure === 'gift_expired') input.tenders = [{ method: 'gift_card', amount_cents: Math.max(1, Math.min(total, 100)), gift_card_number: 'EXPIRED-0001' }];
      else if (failure === 'credit_over') {
        input.account_id = accountId ?? w.accounts[0].id;
        const credit = w.accounts.find((a) => a.id === input.account_id)!.credit;
        input.tenders = [{ method: 'store_credit', amount_cents: Math.max(1, Math.min(total, credit + 1)) }];
        if (credit + 1 > total) input.lines = [...input.lines, { kind: 'gift_card', amount_cents: credit + 2, gift_card_number: 'GC-FAIL-1' }];
      } else if (failure === 'over_limit') {
        const acct = w.accounts.find((a) => a.charge)!;
        input.account_id = acct.id;
        input.lines = [{ kind: 'gift_card', amount_cents: acct.limit - acct.open + 1, gift_card_number: 'GC-FAIL-2' }];
        input.tenders = [{ method: 'account', amount_cents: acct.limit - acct.open + 1 }];
      } else if (failure === 'oversell') {
        const s = pick(w.stock);
        input.lines = [{ product_id: s.id, quantity: s.onHand + 1 }];
        input.tenders = [{ method: 'cash', amount_cents: 99_000_000 }];
        input.register_session_id = sessionId;
      } else if (failure === 'unit_taken') {
        if (w.sold.length === 0) input.lines = [{ product_id: pick(w.stock).id, quantity: 10000 }];
        else input.lines = [{ unit_id: pick(w.sold).id }];
        input.account_id = w.accounts[0].id;
        input.tenders = [{ method: 'external_card', amount_cents: 100, last4: '0000', auth_code: 'X' }];
      } else if (failure === 'no_session') {
        input.register_session_id = undefined;
        input.tenders = [{ method: 'cash', amount_cents: Math.max(cashDueCents(total, rounding), rounding) }];
        if (total === 0) input.lines = [...input.lines, { kind: 'gift_card', amount_cents: 1, gift_card_number: 'GC-FAIL-3' }];
      }
      // The priced sale is recorded as it is (completeSale = priceSale + this); refusals go through completeSale.
      if (!failure) return recordCounterDocument(tx, sc, priced, tenders, { registerSessionId: input.register_session_id ?? null, note: '' });
      return completeSale(tx, sc, input);
    },
  };
}

async function giftCardOp(w: World): Promise<Op> {
  const reloadable = w.cards.filter((c) => c.number !== 'EXPIRED-0001');
  const number = chance(0.6) && reloadable.length ? pick(reloadable).number : `GC-${int(41, 99)}-${int(1000, 9999)}`;
  const amount = int(1, 40) * 500;
  return {
    name: 'gift card sale/reload',
    expect: 'ok',
    run: (tx) => completeSale(tx, sc, { register_session_id: sessionId, lines: [{ kind: 'gift_card', amount_cents: amount, gift_card_number: number }], tenders: payingTenders(amount, w, null) }),
  };
}

async function paymentOp(w: World): Promise<Op> {
  const acct = pick(w.accounts);
  const open = await rows<{ id: string }>(sql`select id from invoices where account_id = ${acct.id} and balance_cents > 0 order by issued_on, number`);
  const amount = int(1, Math.max(2, acct.open + (chance(0.3) ? 3000 : 0)));
  const invoice_ids = open.length && chance(0.3) ? [open[open.length - 1].id, open[open.length - 1].id] : undefined; // a duplicate on purpose
  const failure = chance(0.15) ? pick(['charged_to_account', 'short'] as const) : null;
  return {
    name: `payment on account${failure ? ` (${failure})` : ''}`,
    expect: failure ? 'fail' : 'ok',
    run: (tx) => {
      let tenders = payingTenders(amount, w, acct.id, { allowAccount: false });
      if (failure === 'charged_to_account') tenders = [{ method: 'account', amount_cents: amount }];
      if (failure === 'short') tenders = amount > 1 ? [{ method: 'check', amount_cents: amount - 1, reference: '77' }] : [];
      return completeSale(tx, sc, { account_id: acct.id, register_session_id: sessionId, lines: [{ kind: 'account_payment', amount_cents: amount, invoice_ids }], tenders }, { kind: 'payment' });
    },
  };
}

/** The 40 latest completed sales with their item lines and what is left to return of each. */
const RETURN_CANDIDATES = sql`
    with recent as (select id, account_id, number from sales where kind = 'sale' and status = 'completed' order by number desc limit 40)
    select recent.id as sale_id, recent.account_id, json_agg(json_build_object('id', l.id, 'left', l.quantity - coalesce((
      select sum(r.quantity) from sale_lines r join sales rs on rs.id = r.sale_id where r.original_line_id = l.id and rs.status = 'completed'), 0)) order by l.line_no) as lines
    from recent join sale_lines l on l.sale_id = recent.id and l.kind = 'item'
    group by recent.id, recent.account_id, recent.number order by recent.number desc`;

async function returnOp(): Promise<Op | null> {
  const candidates = await rows<{ sale_id: string; account_id: string | null; lines: { id: string; left: number }[] }>(RETURN_CANDIDATES);
  const open = candidates.map((c) => ({ ...c, lines: c.lines.filter((l) => l.left > 0) })).filter((c) => c.lines.length > 0);
  if (open.length === 0) return null;
  const sale = pick(open);
  const chosen = sale.lines.filter(() => chance(0.6));
  if (chosen.length === 0) chosen.push(sale.lines[0]);
  const failure = chance(0.15) ? pick(['too_many', 'tenders_over'] as const) : null;
  const lines = chosen.map((l) => ({ line_id: l.id, quantity: failure === 'too_many' ? l.left + 1 : int(1, l.left), restock: chance(0.85) }));
  const manual = failure === 'tenders_over' || chance(0.15);
  return {
    name: `return${failure ? ` (${failure})` : manual ? ' (manager-chosen tenders)' : ''}`,
    expect: failure ? 'fail' : 'ok',
    run: (tx) => {
      if (!manual) return createReturn(tx, sc, sale.sale_id, { register_session_id: sessionId, lines });
      // A manager refunds everything as store credit (with an account) or cash; the over case gives 1¢ too much.
      const tenders = failure === 'tenders_over'
        ? [{ method: 'cash' as const, amount_cents: 99_999_999 }]
        : [{ method: sale.account_id && chance(0.7) ? ('store_credit' as const) : ('cash' as const) }];
      return createReturn(tx, sc, sale.sale_id, { register_session_id: sessionId, lines, tenders });
    },
  };
}

async function noReceiptReturnOp(w: World): Promise<Op> {
  const acct = pick(w.accounts);
  const useUnit = w.sold.length > 0 && chance(0.2);
  const lines = useUnit ? [{ product_id: w.sold[0].productId, unit_id: w.sold[0].id, quantity: 1, restock: chance(0.8) }] : [{ product_id: pick(w.stock).id, quantity: int(1, 2), restock: chance(0.8) }];
  // A unit sold on a receipt must be returned from that sale: without the receipt it is refused.
  return { name: `no-receipt return${useUnit ? ' (unit sold on a receipt)' : ''}`, expect: useUnit ? 'fail' : 'ok', run: (tx) => createNoReceiptReturn(tx, sc, { account_id: acct.id, register_session_id: sessionId, lines }) };
}

/** The 30 latest completed sales and what would stop a void of each. */
const VOID_CANDIDATES = sql`
    select s.id, s.register_session_id as session_id, ds.status = 'open' as session_open,
      exists (select 1 from sales r where r.original_sale_id = s.id and r.status = 'completed') as has_return,
      exists (select 1 from sale_lines l where l.sale_id = s.id and l.kind = 'account_payment') as payment,
      exists (select 1 from sale_lines l where l.sale_id = s.id and l.kind = 'gift_card'
        and (select coalesce(sum(amount_cents), 0) from gift_card_entries e where e.gift_card_id = l.ref_id) < l.net_cents) as gift_spent,
      exists (select 1 from sale_tenders t join invoices i on i.id = t.invoice_id where t.sale_id = s.id and i.balance_cents <> i.total_cents) as invoice_paid,
      exists (select 1 from sale_lines l join inventory_units u on u.id = l.unit_id where l.sale_id = s.id and u.status <> 'sold') as unit_back
    from (select * from sales where kind = 'sale' and status = 'completed' order by number desc limit 30) s
      left join drawer_sessions ds on ds.id = s.register_session_id
    order by s.number desc`;

async function voidOp(): Promise<Op | null> {
  const candidates = await rows<{ id: string; session_id: string | null; session_open: boolean | null; has_return: boolean; payment: boolean; gift_spent: boolean; invoice_paid: boolean; unit_back: boolean }>(VOID_CANDIDATES);
  if (candidates.length === 0) return null;
  const c = pick(candidates);
  const voidable = (c.session_id === null || c.session_open) && !c.has_return && !c.payment && !c.gift_spent && !c.invoice_paid && !c.unit_back;
  return { name: `void${voidable ? '' : ' (not voidable)'}`, expect: voidable ? 'ok' : 'fail', run: (tx) => voidSale(tx, sc, c.id, { reason: 'rang up twice' }) };
}

function drawerOp(): Op {
  const kind = pick(['paid_in', 'paid_out', 'drop', 'no_sale'] as const);
  const amount = int(1, 40) * 25;
  return { name: `drawer ${kind}`, expect: 'ok', run: (tx) => recordMovement(tx, actor, sessionId, { kind, amount_cents: kind === 'no_sale' ? undefined : amount, reason: 'invariant test' }) };
}

function adjustOp(w: World): Op {
  const s = pick(w.stock);
  const quantity = chance(0.7) ? int(1, 12) : -int(1, s.onHand + 1);
  const failing = s.onHand + quantity < 0;
  return {
    name: 'stock adjustment',
    expect: failing ? 'fail' : 'ok',
    run: (tx) => adjustStock(tx, actor, { product_id: s.id, quantity, reason: 'invariant test', allow_negative: false, ...(quantity > 0 && chance(0.5) ? { unit_cost_cents: int(100, 1500) } : {}) }, null),
  };
}

/** Close the drawer (counting a little over or short, checks exactly) and open the next session. */
async function closeAndReopenOp(): Promise<Op> {
  return {
    name: 'close drawer and open the next session',
    expect: 'ok',
    run: async (tx) => {
      const report = await sessionReport(tx, sessionId);
      const counted = Math.max(0, report.expectedCashCents + int(-3, 3));
      const denominations: Record<string, number> = {};
      let left = counted;
      for (const d of [10000, 2000, 500, 100, 25, 10, 5, 1]) {
        if (left >= d) denominations[String(d)] = Math.floor(left / d);
        left %= d;
      }
      await closeSession(tx, actor, sessionId, { cash_denominations: denominations, checks_cents: report.expectedChecksCents });
      const next = await openSession(tx, actor, f.registerId, { float_cents: int(50, 200) * 100 });
      return next.id;
    },
  };
}

async function setRounding(cents: number) {
  rounding = cents;
  await f.t.deps.db.execute(sql`update store_settings set cash_rounding_cents = ${cents}`);
}

// ---------------------------------------------------------------------------------------------------------

test(`${OPERATIONS} seeded counter operations keep the books equal to the sub-ledgers after every one`, async () => {
  f = await posFixture();
  const [{ id: ownerId }] = await rows<{ id: string }>(sql`select id from staff_users where username = 'owner1'`);
  actor = { userId: ownerId, label: 'owner1' };
  sc = { actor, today: TODAY, permissions: new Set(ALL_PERMISSIONS), checkApproval: async () => { throw new Error('no PIN is asked of an owner'); } };
  sessionId = f.sessionId;

  // More to sell: stock in another tax class, a service, trumpets, rentable violins, two more accounts.
  const ok = async (p: Promise<any>) => {
    const r = await p;
    if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
    return r.json();
  };
  const books = await ok(f.api('POST', '/api/v1/tax-classes', { name: 'Books', rate_millipercent: 4000 }));
  const method = await ok(f.api('POST', '/api/v1/products', { sku: 'BK-1', name: 'Method book', kind: 'stock', price_cents: 1295, cost_cents: 640, tax_class_id: books.id }));
  const oil = await ok(f.api('POST', '/api/v1/products', { sku: 'OIL-1', name: 'Valve oil', kind: 'stock', price_cents: 650, cost_cents: 210 }));
  await ok(f.api('POST', '/api/v1/products', { sku: 'SVC-1', name: 'Setup', kind: 'service', price_cents: 1500 }));
  const violin = await ok(f.api('POST', '/api/v1/products', { sku: 'VN-44', name: 'Rental violin', kind: 'serialized', rentable: true, price_cents: 45000, cost_cents: 30000, tax_class_id: f.taxClassId }));
  for (const [product, stock, cost] of [[f.strings.id, 300, 300], [f.tuner.id, 60, 1100], [method.id, 80, 640], [oil.id, 120, 213]] as const) {
    await ok(f.api('POST', '/api/v1/stock/adjustments', { product_id: product, quantity: stock, reason: 'opening count', unit_cost_cents: cost }));
  }
  for (let i = 2; i <= 8; i++) await ok(f.api('POST', '/api/v1/units', { product_id: f.trumpet.id, serial_number: `TR-10${String(i).padStart(2, '0')}`, condition: 'new', cost_cents: 50000 + i * 137 }));
  for (let i = 1; i <= 3; i++) await ok(f.api('POST', '/api/v1/units', { product_id: violin.id, serial_number: `VN-${i}`, condition: 'good', cost_cents: 30000 + i }));
  const band = await ok(f.api('POST', '/api/v1/accounts', { name: 'Band Boosters', type: 'business', phone: '555-0111' }));
  await f.t.deps.db.execute(sql`update accounts set charge_allowed = true, credit_limit_cents = 400000 where id = ${band.id}`);
  await ok(f.api('POST', '/api/v1/accounts', { name: 'Pat Walk-in', type: 'family', phone: '555-0122' }));
  // An expired gift card with money on it (sold on an earlier day).
  await f.t.deps.db.transaction(async (tx) => {
    await completeSale(tx, { ...sc, today: '2025-01-02' }, { lines: [{ kind: 'gift_card', amount_cents: 5000, gift_card_number: 'EXPIRED-0001' }], tenders: [{ method: 'external_card', amount_cents: 5000, last4: '9999', auth_code: 'E1' }] });
  });
  await f.t.deps.db.execute(sql`update gift_cards set expires_on = '2025-12-31' where number = 'EXPIRED-0001'`);

  let snap = await checkInvariants('setup');
  const tally: Record<string, number> = {};
  for (let i = 1; i <= OPERATIONS; i++) {
    if (i === 700) await setRounding(5);
    if (i === 1100) await setRounding(1);
    const roll = int(1, 100);
    const op: Op | null =
      roll <= 40 || roll > 98 ? await saleOp(await world())
      : roll <= 52 ? await returnOp()
      : roll <= 56 ? await noReceiptReturnOp(await world())
      : roll <= 63 ? await voidOp()
      : roll <= 70 ? await paymentOp(await world())
      : roll <= 76 ? await giftCardOp(await world())
      : roll <= 88 ? drawerOp()
      : roll <= 97 ? adjustOp(await world())
      : await closeAndReopenOp();
    if (!op) continue;
    const where = `#${i} ${op.name}`;
    let error: unknown = null;
    let result: unknown;
    const countsBefore = op.expect === 'fail' ? await tableCounts() : null;
    try {
      result = await f.t.deps.db.transaction((tx) => op.run(tx));
    } catch (err) {
      error = err;
    }
    if (op.expect === 'ok' && error) throw new Error(`${where}: expected to succeed, got ${(error as Error).message}`, { cause: error });
    if (op.expect === 'fail') {
      if (!error) throw new Error(`${where}: expected to be refused, but it went through`);
      if (!(error instanceof ServiceError) || error.status < 400 || error.status >= 500) throw new Error(`${where}: expected a 4xx refusal, got ${String(error)}`, { cause: error });
    }
    if (op.name.startsWith('close drawer') && !error) sessionId = result as string;
    const after = await checkInvariants(where);
    if (error && countsBefore) expect({ where, counts: await tableCounts() }).toEqual({ where, counts: countsBefore });
    else expect(after.docs).toBeGreaterThanOrEqual(snap.docs);
    snap = after;
    const key = `${op.name.replace(/ \(.*\)$/, '')} ${error ? 'refused' : 'done'}`;
    tally[key] = (tally[key] ?? 0) + 1;
    if (i % 250 === 0) {
      await checkInvariants(where, true);
      await checkDocuments(where);
    }
  }
  await checkInvariants('end', true);
  await checkDocuments('end');
  // The run really mixed everything (so a change in the generator can't quietly test less).
  for (const key of ['sale done', 'sale refused', 'return done', 'return refused', 'no-receipt return done', 'void done', 'void refused', 'payment on account done', 'payment on account refused', 'gift card sale/reload done', 'stock adjustment done', 'stock adjustment refused', 'drawer paid_in done', 'drawer drop done', 'close drawer and open the next session done']) {
    expect({ key, done: (tally[key] ?? 0) > 0 }).toEqual({ key, done: true });
  }
  const total = Object.values(tally).reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThanOrEqual(OPERATIONS * 0.9);
  const kinds = await rows<{ method: string }>(sql`select distinct method from sale_tenders order by method`);
  expect(kinds.map((k) => k.method)).toEqual(['account', 'cash', 'check', 'external_card', 'gift_card', 'store_credit']);
  const [{ n: closes }] = await rows<{ n: number }>(sql`select count(*)::int as n from drawer_sessions where status = 'closed'`);
  expect(closes).toBeGreaterThan(0);
}, 300_000);

/**
 * The posting rules table (accounting-reports.md "Posting rules are a table in code, one per event type").
 *
 * Each rule turns one business event's payload into journal lines, naming accounts by system key
 * (chart.ts). Rules are pure: they do no I/O and read no clock, so each has a unit test and a worked example
 * in docs/ledger.md. A rule returns no lines when nothing of value moved (a $0 unit); the caller then posts
 * nothing. Amounts that can go either way (a stock value change) use signedLine, so a negative adjustment
 * simply flips the sides.
 *
 * Events of later work (sale, return, void, drawer over/short, paid-in/out, gift card and store credit,
 * rentals, invoices, lessons, repairs, trade-in, refund) slot in as more entries of POSTING_RULES with their
 * own payload types; postEvent (journal.ts) needs no change.
 */

import { signedLine, type JournalLineDraft, type JournalParty } from '../../domain/journal';
import type { Cents } from '../../domain/money';

/** Where an item's cost sits while the store holds it. */
export type AssetAccount = 'inventory' | 'rental_fleet';

/** Unit statuses whose cost is no longer on the books (the unit was sold, lost or retired). */
const OFF_BOOKS = new Set(['sold', 'lost', 'retired']);

/**
 * The asset account holding a serialized unit's cost (spec "Cost"): units for sale (available, on trial,
 * layaway, reserved, in repair, loaned) are Inventory; a rentable product's units and any rented unit are the
 * Rental fleet; sold, lost and retired units are in neither (null).
 */
export function unitAssetAccount(status: string, productRentable: boolean): AssetAccount | null {
  if (OFF_BOOKS.has(status)) return null;
  if (status === 'rented' || productRentable) return 'rental_fleet';
  return 'inventory';
}

/**
 * Moves a unit's cost from one asset account to another (or onto / off the books); `counter` takes the value
 * that appears or disappears. Same account before and after → no lines.
 */
function unitMove(from: AssetAccount | null, to: AssetAccount | null, costCents: Cents, counter: string, memo: string): JournalLineDraft[] {
  if (from === to || costCents === 0) return [];
  return [...(to ? signedLine(to, costCents, memo) : signedLine(counter, costCents, memo)), ...(from ? signedLine(from, -costCents, memo) : signedLine(counter, -costCents, memo))];
}

/** Stock received on a purchase order (or a unit received on one). */
export interface InventoryReceiptPayload {
  asset: AssetAccount;
  /** What the asset account grows by (the stock value change; a unit's cost). */
  valueCents: Cents;
  /** What is owed to the supplier for it (landed cost). Differs from valueCents only when filling oversold stock. */
  costCents: Cents;
  supplier?: JournalParty | null;
  memo: string;
}

/** A change of a stock item's value with nothing paid: adjustments and count corrections (signed). */
export interface StockValueChangePayload {
  valueDeltaCents: Cents;
  memo: string;
}

/** Value that arrives with no transaction behind it in Forte: imports of opening stock/units, or the reverse. */
export interface OpeningInventoryPayload {
  /** Signed per-account change, e.g. [{asset:'inventory', deltaCents: 5000}]; Opening balance equity takes the net. */
  changes: { asset: AssetAccount; deltaCents: Cents }[];
  memo: string;
}

/** A serialized unit added outside receiving and import (by hand on the unit form). */
export interface UnitAcquiredPayload {
  asset: AssetAccount;
  costCents: Cents;
  via: 'purchase' | 'trade_in' | 'other';
  memo: string;
}

/** A unit's cost moving onto or off the books (or between asset accounts), e.g. a manager's status override. */
export interface UnitStatusOverridePayload {
  from: AssetAccount | null;
  to: AssetAccount | null;
  costCents: Cents;
  memo: string;
}

/** Cash moving between a register's drawer and somewhere else: a float, a paid-in, a paid-out, a drop. */
export interface DrawerCashPayload {
  amountCents: Cents;
  memo: string;
}

/**
 * A drawer session's close. The drawer account holds what the session should have (expected); what was counted
 * goes back to the safe and the difference is over/short. Checks post straight to Checks to deposit when taken
 * (there is no "checks in drawer" account), so the close posts only their difference.
 */
export interface DrawerClosePayload {
  expectedCashCents: Cents;
  countedCashCents: Cents;
  /** counted − expected checks: negative = short. */
  checksOverShortCents: Cents;
  memo: string;
}

/** The asset or liability account a tender lands in (card through a processor: that processor's clearing). */
export type TenderAccount = 'cash_drawer' | 'checks_to_deposit' | 'card_clearing_stripe' | 'card_clearing_globalpayments' | 'card_clearing_external' | 'store_credit_liability' | 'gift_card_liability' | 'accounts_receivable' | 'customer_deposits';

/**
 * A counter document: a sale, a return (all amounts negative) or a payment. Signs are from the store's side:
 * positive revenue is earned, positive tenders came in. Balanced by construction when
 * Σ tenders = Σ revenue − discount + Σ tax + Σ liabilities + rounding (checkout guarantees it).
 */
export interface CounterDocumentPayload {
  memo: string;
  party?: JournalParty | null;
  /** Gross revenue per account (sales at list price; returns post their net to the Returns contra account). */
  revenue: { account: 'sales' | 'returns'; cents: Cents }[];
  /** Discounts given on a sale (Dr Discounts). */
  discountCents: Cents;
  /** Tax per component (memo names it: the sales-tax report reads sale_taxes, the journal keeps one line each). */
  tax: { memo: string; cents: Cents }[];
  /** Non-item lines: gift card sold/reloaded, payment on account, layaway payment, special-order deposit. */
  liabilities: { account: 'gift_card_liability' | 'accounts_receivable' | 'customer_deposits' | 'store_credit_liability'; cents: Cents; memo: string }[];
  /** Applied tenders (cash: what stayed in the drawer); negative = money given back. */
  tenders: { account: TenderAccount; cents: Cents; memo: string }[];
  /** Cash rounding kept (+) or given (−) when the cash balance was rounded to the increment. */
  roundingCents: Cents;
  /** Goods leaving (+) or coming back to (−) the shelf at cost. */
  cogs: { asset: AssetAccount; cents: Cents }[];
}

/** Cash and checks taken from the safe to the bank. */
export interface BankDepositPayload {
  cashCents: Cents;
  checksCents: Cents;
  memo: string;
}

/** An instrument taken in trade: its appraised value becomes its cost and the customer's store credit. */
export interface TradeInPayload {
  asset: AssetAccount;
  valueCents: Cents;
  party?: JournalParty | null;
  memo: string;
}

export interface PostingRule<P> {
  /** Plain-words summary: what is debited and credited (shown in docs and on the journal page). */
  summary: string;
  lines(payload: P): JournalLineDraft[];
}

const rule = <P>(r: PostingRule<P>): PostingRule<P> => r;

export const POSTING_RULES = {
  /** Dr Inventory (or Rental fleet) / Cr Accounts payable; a cost variance on oversold stock goes to COGS. */
  inventory_receipt: rule<InventoryReceiptPayload>({
    summary: 'Dr Inventory or Rental fleet (landed cost) / Cr Accounts payable (supplier); a variance on oversold stock to COGS',
    lines: (p) => [...signedLine(p.asset, p.valueCents, p.memo), ...signedLine('cogs', p.costCents - p.valueCents, `${p.memo} (cost variance on oversold stock)`), ...signedLine('accounts_payable', -p.costCents, p.memo, p.supplier)],
  }),
  /** Found stock: Dr Inventory / Cr Inventory shrink; lost or damaged stock: Dr Inventory shrink / Cr Inventory. */
  stock_adjustment: rule<StockValueChangePayload>({
    summary: '+: Dr Inventory / Cr Inventory shrink; −: Dr Inventory shrink / Cr Inventory (at the stock value moved)',
    lines: (p) => [...signedLine('inventory', p.valueDeltaCents, p.memo), ...signedLine('inventory_shrink', -p.valueDeltaCents, p.memo)],
  }),
  /** A posted cycle count's variance, like an adjustment. */
  cycle_count: rule<StockValueChangePayload>({
    summary: 'Count over: Dr Inventory / Cr Inventory shrink; count short: Dr Inventory shrink / Cr Inventory',
    lines: (p) => [...signedLine('inventory', p.valueDeltaCents, p.memo), ...signedLine('inventory_shrink', -p.valueDeltaCents, p.memo)],
  }),
  /** Opening stock and units brought over from the old system (and their corrections). */
  opening_inventory: rule<OpeningInventoryPayload>({
    summary: 'Dr Inventory or Rental fleet / Cr Opening balance equity (reversed sides for a decrease)',
    lines: (p) => {
      const net = p.changes.reduce((s, c) => s + c.deltaCents, 0);
      return [...p.changes.flatMap((c) => signedLine(c.asset, c.deltaCents, p.memo)), ...signedLine('opening_balance_equity', -net, p.memo)];
    },
  }),
  /** A unit added by hand: bought outside a PO (owed: AP), or taken in / found (an inventory adjustment). */
  unit_acquired: rule<UnitAcquiredPayload>({
    summary: 'Dr Inventory or Rental fleet (unit cost) / Cr Accounts payable (bought) or Inventory shrink (trade-in or other, entered by hand)',
    lines: (p) => unitMove(null, p.asset, p.costCents, p.via === 'purchase' ? 'accounts_payable' : 'inventory_shrink', p.memo),
  }),
  /** Manager override: to lost/retired/sold writes the cost off to shrink; back from them puts it on again. */
  unit_status_override: rule<UnitStatusOverridePayload>({
    summary: 'Off the books (lost, retired, sold): Dr Inventory shrink / Cr Inventory or Rental fleet at the unit cost; back on: the reverse',
    lines: (p) => unitMove(p.from, p.to, p.costCents, 'inventory_shrink', p.memo),
  }),
  /** A unit's cost moving between Inventory and Rental fleet (its product became rentable or stopped being so). */
  unit_reclassified: rule<UnitStatusOverridePayload>({
    summary: 'Dr Rental fleet / Cr Inventory (or the reverse) at the units\' cost',
    lines: (p) => (p.from && p.to ? unitMove(p.from, p.to, p.costCents, 'inventory_shrink', p.memo) : []),
  }),
  /** A drawer session opens: its float comes out of the safe. */
  drawer_open: rule<DrawerCashPayload>({
    summary: 'Dr Cash in drawers / Cr Safe / undeposited cash (the float)',
    lines: (p) => [...signedLine('cash_drawer', p.amountCents, p.memo), ...signedLine('safe_cash', -p.amountCents, p.memo)],
  }),
  /** Cash put into a drawer outside a sale (more change, usually from the safe). */
  drawer_paid_in: rule<DrawerCashPayload>({
    summary: 'Dr Cash in drawers / Cr Safe / undeposited cash',
    lines: (p) => [...signedLine('cash_drawer', p.amountCents, p.memo), ...signedLine('safe_cash', -p.amountCents, p.memo)],
  }),
  /** Cash paid out of a drawer for a store expense (postage, a pizza, a cleaner). */
  drawer_paid_out: rule<DrawerCashPayload>({
    summary: 'Dr Paid-outs / petty cash expense / Cr Cash in drawers',
    lines: (p) => [...signedLine('paid_outs', p.amountCents, p.memo), ...signedLine('cash_drawer', -p.amountCents, p.memo)],
  }),
  /** Cash dropped from a drawer into the safe during a shift. */
  drawer_drop: rule<DrawerCashPayload>({
    summary: 'Dr Safe / undeposited cash / Cr Cash in drawers',
    lines: (p) => [...signedLine('safe_cash', p.amountCents, p.memo), ...signedLine('cash_drawer', -p.amountCents, p.memo)],
  }),
  /** Close: the counted cash goes to the safe, the drawer is emptied of what it should hold, the difference is over/short. */
  drawer_close: rule<DrawerClosePayload>({
    summary: 'Dr Safe (counted cash) / Cr Cash in drawers (expected cash); counted − expected of cash and checks to Cash over/short (short: Dr, over: Cr), the checks difference against Checks to deposit',
    lines: (p) => {
      const cashOverShort = p.countedCashCents - p.expectedCashCents;
      return [
        ...signedLine('safe_cash', p.countedCashCents, p.memo),
        ...signedLine('cash_drawer', -p.expectedCashCents, p.memo),
        ...signedLine('cash_over_short', -cashOverShort, `${p.memo}: cash ${cashOverShort < 0 ? 'short' : 'over'}`),
        ...signedLine('checks_to_deposit', p.checksOverShortCents, p.memo),
        ...signedLine('cash_over_short', -p.checksOverShortCents, `${p.memo}: checks ${p.checksOverShortCents < 0 ? 'short' : 'over'}`),
      ];
    },
  }),
  /**
   * Sale / return / payment at the counter. Sale: Dr tenders, Dr Discounts / Cr Sales (gross), Cr Sales tax
   * payable (per component), Cr liabilities of non-item lines; Dr COGS / Cr Inventory at cost. A return flips
   * the sides, with its net going to Returns (contra) instead of Sales; restocked goods come back at cost.
   */
  counter_document: rule<CounterDocumentPayload>({
    summary: 'Dr tenders (cash, checks, card clearing, gift card / store credit liability, AR, customer deposits) and Discounts / Cr Sales (gross), Sales tax payable, non-item liabilities; Dr COGS / Cr Inventory at cost; a return the same with opposite signs and its net to Returns',
    lines: (p) => [
      ...p.tenders.flatMap((t) => signedLine(t.account, t.cents, t.memo, t.account === 'accounts_receivable' || t.account === 'store_credit_liability' || t.account === 'customer_deposits' ? p.party : null)),
      ...signedLine('discounts', p.discountCents, p.memo),
      ...p.revenue.flatMap((r) => signedLine(r.account, -r.cents, p.memo)),
      ...p.tax.flatMap((t) => signedLine('sales_tax_payable', -t.cents, t.memo)),
      ...p.liabilities.flatMap((l) => signedLine(l.account, -l.cents, l.memo, l.account === 'gift_card_liability' ? null : p.party)),
      ...signedLine('cash_over_short', -p.roundingCents, `${p.memo}: cash rounding`),
      ...p.cogs.flatMap((c) => [...signedLine('cogs', c.cents, p.memo), ...signedLine(c.asset, -c.cents, p.memo)]),
    ],
  }),
  /** Deposit slip: Dr Bank / Cr Safe (cash) and Cr Checks to deposit. */
  bank_deposit: rule<BankDepositPayload>({
    summary: 'Dr Bank - checking / Cr Safe / undeposited cash (cash) and Cr Checks to deposit (checks)',
    lines: (p) => [...signedLine('bank', p.cashCents + p.checksCents, p.memo), ...signedLine('safe_cash', -p.cashCents, p.memo), ...signedLine('checks_to_deposit', -p.checksCents, p.memo)],
  }),
  /** Trade-in accepted: Dr Inventory (or Rental fleet) at the trade-in value / Cr Store credit liability. */
  trade_in: rule<TradeInPayload>({
    summary: 'Dr Inventory or Rental fleet (trade-in value as cost) / Cr Store credit liability (customer)',
    lines: (p) => [...signedLine(p.asset, p.valueCents, p.memo), ...signedLine('store_credit_liability', -p.valueCents, p.memo, p.party)],
  }),
} as const;

export type EventType = keyof typeof POSTING_RULES;
export type PayloadOf<E extends EventType> = (typeof POSTING_RULES)[E] extends PostingRule<infer P> ? P : never;

/** Journal lines for an event; [] when nothing of value moved. */
export function linesForEvent<E extends EventType>(eventType: E, payload: PayloadOf<E>): JournalLineDraft[] {
  const r = POSTING_RULES[eventType] as PostingRule<PayloadOf<E>>;
  return r.lines(payload);
}

/** A unit transition's accounting by its passport event type; other event types must be posted by their caller. */
export function unitTransitionPosting(eventType: string, from: AssetAccount | null, to: AssetAccount | null, costCents: Cents, memo: string) {
  if (eventType === 'status_override') return { eventType: 'unit_status_override' as const, lines: linesForEvent('unit_status_override', { from, to, costCents, memo }) };
  if (eventType === 'import') {
    const changes = [...(to ? [{ asset: to, deltaCents: costCents }] : []), ...(from ? [{ asset: from, deltaCents: -costCents }] : [])];
    return { eventType: 'opening_inventory' as const, lines: linesForEvent('opening_inventory', { changes, memo }) };
  }
  return null;
}

import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { journalEntryProblems, type JournalLineDraft } from '../../domain/journal';
import { linesForEvent, POSTING_RULES, unitAssetAccount, unitTransitionPosting, type CounterDocumentPayload } from './posting-rules';
import { normalSideOf, SYSTEM_ACCOUNTS } from './chart';

/** [account, debit, credit] triples: easy to read against docs/ledger.md. */
const show = (lines: JournalLineDraft[]) => lines.map((l) => [l.accountKey, l.debitCents ?? 0, l.creditCents ?? 0]);
const valid = (lines: JournalLineDraft[]) => expect(journalEntryProblems(lines)).toEqual([]);
const KEYS = new Set(SYSTEM_ACCOUNTS.map((a) => a.key));

describe('inventory_receipt', () => {
  test('Dr Inventory / Cr Accounts payable at landed cost, the supplier on the AP line', () => {
    const supplier = { type: 'supplier' as const, id: '11111111-1111-4111-8111-111111111111' };
    const lines = linesForEvent('inventory_receipt', { asset: 'inventory', valueCents: 10_500, costCents: 10_500, supplier, memo: 'PO-000012: received +10 × STR-10' });
    expect(show(lines)).toEqual([
      ['inventory', 10_500, 0],
      ['accounts_payable', 0, 10_500],
    ]);
    expect(lines[1].party).toEqual(supplier);
    expect(lines[0].party).toBeNull();
    valid(lines);
  });
  test('a rentable unit received goes to Rental fleet', () => {
    expect(show(linesForEvent('inventory_receipt', { asset: 'rental_fleet', valueCents: 31_500, costCents: 31_500, memo: 'm' }))).toEqual([
      ['rental_fleet', 31_500, 0],
      ['accounts_payable', 0, 31_500],
    ]);
  });
  test('filling oversold stock: the cost variance goes to COGS (either side)', () => {
    const dearer = linesForEvent('inventory_receipt', { asset: 'inventory', valueCents: 2_700, costCents: 3_000, memo: 'm' });
    expect(show(dearer)).toEqual([
      ['inventory', 2_700, 0],
      ['cogs', 300, 0],
      ['accounts_payable', 0, 3_000],
    ]);
    valid(dearer);
    const cheaper = linesForEvent('inventory_receipt', { asset: 'inventory', valueCents: 1_000, costCents: 900, memo: 'm' });
    expect(show(cheaper)).toEqual([
      ['inventory', 1_000, 0],
      ['cogs', 0, 100],
      ['accounts_payable', 0, 900],
    ]);
    valid(cheaper);
  });
  test('free goods post nothing', () => {
    expect(linesForEvent('inventory_receipt', { asset: 'inventory', valueCents: 0, costCents: 0, memo: 'm' })).toEqual([]);
  });
});

describe('stock_adjustment and cycle_count', () => {
  for (const event of ['stock_adjustment', 'cycle_count'] as const) {
    test(`${event}: found stock Dr Inventory / Cr Inventory shrink`, () => {
      const lines = linesForEvent(event, { valueDeltaCents: 1_250, memo: 'found' });
      expect(show(lines)).toEqual([
        ['inventory', 1_250, 0],
        ['inventory_shrink', 0, 1_250],
      ]);
      valid(lines);
    });
    test(`${event}: missing stock Dr Inventory shrink / Cr Inventory`, () => {
      const lines = linesForEvent(event, { valueDeltaCents: -333, memo: 'broken' });
      expect(show(lines)).toEqual([
        ['inventory', 0, 333],
        ['inventory_shrink', 333, 0],
      ]);
      valid(lines);
    });
    test(`${event}: a change worth nothing posts nothing`, () => {
      expect(linesForEvent(event, { valueDeltaCents: 0, memo: 'x' })).toEqual([]);
    });
  }
});

describe('opening_inventory', () => {
  test('Dr Inventory / Cr Opening balance equity', () => {
    const lines = linesForEvent('opening_inventory', { changes: [{ asset: 'inventory', deltaCents: 4_000 }], memo: 'import' });
    expect(show(lines)).toEqual([
      ['inventory', 4_000, 0],
      ['opening_balance_equity', 0, 4_000],
    ]);
    valid(lines);
  });
  test('a lower re-import reverses sides', () => {
    expect(show(linesForEvent('opening_inventory', { changes: [{ asset: 'inventory', deltaCents: -1_500 }], memo: 'x' }))).toEqual([
      ['inventory', 0, 1_500],
      ['opening_balance_equity', 1_500, 0],
    ]);
  });
  test('a move between asset accounts needs no equity line', () => {
    const lines = linesForEvent('opening_inventory', { changes: [{ asset: 'rental_fleet', deltaCents: 500 }, { asset: 'inventory', deltaCents: -500 }], memo: 'x' });
    expect(show(lines)).toEqual([
      ['rental_fleet', 500, 0],
      ['inventory', 0, 500],
    ]);
    valid(lines);
  });
});

describe('unit_acquired (added by hand)', () => {
  test('bought: Dr Inventory / Cr Accounts payable', () => {
    expect(show(linesForEvent('unit_acquired', { asset: 'inventory', costCents: 45_000, via: 'purchase', memo: 'm' }))).toEqual([
      ['inventory', 45_000, 0],
      ['accounts_payable', 0, 45_000],
    ]);
  });
  test('trade-in or other entered by hand: Dr Rental fleet / Cr Inventory shrink', () => {
    for (const via of ['trade_in', 'other'] as const) {
      const lines = linesForEvent('unit_acquired', { asset: 'rental_fleet', costCents: 20_000, via, memo: 'm' });
      expect(show(lines)).toEqual([
        ['rental_fleet', 20_000, 0],
        ['inventory_shrink', 0, 20_000],
      ]);
      valid(lines);
    }
  });
  test('a $0 unit posts nothing', () => {
    expect(linesForEvent('unit_acquired', { asset: 'inventory', costCents: 0, via: 'purchase', memo: 'm' })).toEqual([]);
  });
});

describe('unit_status_override', () => {
  test('to lost or retired: Dr Inventory shrink / Cr Inventory or Rental fleet', () => {
    const lines = linesForEvent('unit_status_override', { from: 'rental_fleet', to: null, costCents: 31_500, memo: 'stolen' });
    expect(show(lines)).toEqual([
      ['inventory_shrink', 31_500, 0],
      ['rental_fleet', 0, 31_500],
    ]);
    valid(lines);
  });
  test('found again: Dr Inventory / Cr Inventory shrink', () => {
    expect(show(linesForEvent('unit_status_override', { from: null, to: 'inventory', costCents: 100, memo: 'found' }))).toEqual([
      ['inventory', 100, 0],
      ['inventory_shrink', 0, 100],
    ]);
  });
  test('between asset accounts: Dr Rental fleet / Cr Inventory', () => {
    expect(show(linesForEvent('unit_status_override', { from: 'inventory', to: 'rental_fleet', costCents: 100, memo: 'x' }))).toEqual([
      ['rental_fleet', 100, 0],
      ['inventory', 0, 100],
    ]);
  });
  test('same account or $0 posts nothing', () => {
    expect(linesForEvent('unit_status_override', { from: 'inventory', to: 'inventory', costCents: 100, memo: 'x' })).toEqual([]);
    expect(linesForEvent('unit_status_override', { from: null, to: null, costCents: 100, memo: 'x' })).toEqual([]);
    expect(linesForEvent('unit_status_override', { from: 'inventory', to: null, costCents: 0, memo: 'x' })).toEqual([]);
  });
});

describe('unit_reclassified', () => {
  test('Dr Rental fleet / Cr Inventory when a product becomes rentable', () => {
    expect(show(linesForEvent('unit_reclassified', { from: 'inventory', to: 'rental_fleet', costCents: 90_000, memo: 'x' }))).toEqual([
      ['rental_fleet', 90_000, 0],
      ['inventory', 0, 90_000],
    ]);
  });
});

describe('which account holds a unit', () => {
  test('for-sale statuses are Inventory, rentable products and rented units are Rental fleet, sold/lost/retired neither', () => {
    for (const s of ['available', 'on_trial', 'layaway', 'reserved', 'in_repair', 'loaned']) expect(unitAssetAccount(s, false)).toBe('inventory');
    for (const s of ['available', 'on_trial', 'in_repair', 'rented']) expect(unitAssetAccount(s, true)).toBe('rental_fleet');
    expect(unitAssetAccount('rented', false)).toBe('rental_fleet');
    for (const s of ['sold', 'lost', 'retired']) {
      expect(unitAssetAccount(s, false)).toBeNull();
      expect(unitAssetAccount(s, true)).toBeNull();
    }
  });
  test('transitions: overrides and imports have rules, other business events are posted by their caller', () => {
    expect(unitTransitionPosting('status_override', 'inventory', null, 500, 'm')?.eventType).toBe('unit_status_override');
    const imported = unitTransitionPosting('import', 'inventory', null, 500, 'm');
    expect(imported?.eventType).toBe('opening_inventory');
    expect(show(imported!.lines)).toEqual([
      ['inventory', 0, 500],
      ['opening_balance_equity', 500, 0],
    ]);
    expect(unitTransitionPosting('sale', 'inventory', null, 500, 'm')).toBeNull();
  });
});

describe('drawer rules', () => {
  test('open: the float comes from the safe', () => {
    expect(show(linesForEvent('drawer_open', { amountCents: 15_000, memo: 'DS-000001 opened' }))).toEqual([
      ['cash_drawer', 15_000, 0],
      ['safe_cash', 0, 15_000],
    ]);
  });
  test('paid-in from the safe, paid-out to expense, drop to the safe', () => {
    expect(show(linesForEvent('drawer_paid_in', { amountCents: 2_000, memo: 'm' }))).toEqual([
      ['cash_drawer', 2_000, 0],
      ['safe_cash', 0, 2_000],
    ]);
    expect(show(linesForEvent('drawer_paid_out', { amountCents: 1_250, memo: 'postage' }))).toEqual([
      ['paid_outs', 1_250, 0],
      ['cash_drawer', 0, 1_250],
    ]);
    expect(show(linesForEvent('drawer_drop', { amountCents: 40_000, memo: 'm' }))).toEqual([
      ['safe_cash', 40_000, 0],
      ['cash_drawer', 0, 40_000],
    ]);
  });
  test('close exact: counted cash to the safe, nothing to over/short', () => {
    const lines = linesForEvent('drawer_close', { expectedCashCents: 19_402, countedCashCents: 19_402, checksOverShortCents: 0, memo: 'm' });
    expect(show(lines)).toEqual([
      ['safe_cash', 19_402, 0],
      ['cash_drawer', 0, 19_402],
    ]);
    valid(lines);
  });
  test("close 1¢ short (the spec's acceptance shift): Dr over/short 0.01", () => {
    const lines = linesForEvent('drawer_close', { expectedCashCents: 19_402, countedCashCents: 19_401, checksOverShortCents: 0, memo: 'm' });
    expect(show(lines)).toEqual([
      ['safe_cash', 19_401, 0],
      ['cash_drawer', 0, 19_402],
      ['cash_over_short', 1, 0],
    ]);
    valid(lines);
  });
  test('close over on cash and short on checks; a negative expected drawer; an empty drawer posts nothing', () => {
    const lines = linesForEvent('drawer_close', { expectedCashCents: 10_000, countedCashCents: 10_250, checksOverShortCents: -500, memo: 'm' });
    expect(show(lines)).toEqual([
      ['safe_cash', 10_250, 0],
      ['cash_drawer', 0, 10_000],
      ['cash_over_short', 0, 250],
      ['checks_to_deposit', 0, 500],
      ['cash_over_short', 500, 0],
    ]);
    valid(lines);
    const negative = linesForEvent('drawer_close', { expectedCashCents: -300, countedCashCents: 0, checksOverShortCents: 0, memo: 'm' });
    expect(show(negative)).toEqual([
      ['cash_drawer', 300, 0],
      ['cash_over_short', 0, 300],
    ]);
    valid(negative);
    expect(linesForEvent('drawer_close', { expectedCashCents: 0, countedCashCents: 0, checksOverShortCents: 0, memo: 'm' })).toEqual([]);
  });
});

describe('counter_document (sales, returns, payments at the counter)', () => {
  const customer = { type: 'customer' as const, id: '22222222-2222-4222-8222-222222222222' };
  const doc = (p: Partial<CounterDocumentPayload>): CounterDocumentPayload => ({ memo: 'Sale S-000001', party: null, revenue: [], discountCents: 0, tax: [], liabilities: [], tenders: [], roundingCents: 0, cogs: [], ...p });

  test('the acceptance sale: Dr Cash 44.02, Dr Discounts 2.50 / Cr Sales 42.93 (gross), Cr Sales tax per component; Dr COGS / Cr Inventory at cost', () => {
    const lines = linesForEvent('counter_document', doc({
      revenue: [{ account: 'sales', cents: 4_293 }],
      discountCents: 250,
      tax: [{ memo: 'NY State', cents: 162 }, { memo: 'NYC', cents: 182 }, { memo: 'MCTD', cents: 15 }],
      tenders: [{ account: 'cash_drawer', cents: 4_402, memo: 'cash' }],
      cogs: [{ asset: 'inventory', cents: 1_700 }],
    }));
    expect(show(lines)).toEqual([
      ['cash_drawer', 4_402, 0],
      ['discounts', 250, 0],
      ['sales', 0, 4_293],
      ['sales_tax_payable', 0, 162],
      ['sales_tax_payable', 0, 182],
      ['sales_tax_payable', 0, 15],
      ['cogs', 1_700, 0],
      ['inventory', 0, 1_700],
    ]);
    expect(lines.map((l) => l.memo).slice(3, 6)).toEqual(['NY State', 'NYC', 'MCTD']);
    valid(lines);
  });

  test('a return: the same with opposite signs, its net to Returns (contra), restocked goods back at cost', () => {
    const lines = linesForEvent('counter_document', doc({ memo: 'Return R-000001', revenue: [{ account: 'returns', cents: -899 }], tax: [{ memo: 'tax', cents: -80 }], tenders: [{ account: 'cash_drawer', cents: -979, memo: 'cash refund' }], cogs: [{ asset: 'inventory', cents: -300 }] }));
    expect(show(lines)).toEqual([
      ['cash_drawer', 0, 979],
      ['returns', 899, 0],
      ['sales_tax_payable', 80, 0],
      ['cogs', 0, 300],
      ['inventory', 300, 0],
    ]);
    valid(lines);
  });

  test('a payment on account with an overpayment: Dr Cash / Cr AR and Cr Store credit liability, both with the customer', () => {
    const lines = linesForEvent('counter_document', doc({ memo: 'Payment P-000001', party: customer, revenue: [{ account: 'sales', cents: 0 }], liabilities: [{ account: 'accounts_receivable', cents: 12_000, memo: 'applied' }, { account: 'store_credit_liability', cents: 3_000, memo: 'overpayment' }], tenders: [{ account: 'cash_drawer', cents: 15_000, memo: 'cash' }] }));
    expect(show(lines)).toEqual([
      ['cash_drawer', 15_000, 0],
      ['accounts_receivable', 0, 12_000],
      ['store_credit_liability', 0, 3_000],
    ]);
    expect(lines.map((l) => l.party ?? null)).toEqual([null, customer, customer]);
    valid(lines);
  });

  test('customer-owed tenders (charge, store credit, deposits) carry the customer; a gift card is the holder\'s, not the buyer\'s', () => {
    const lines = linesForEvent('counter_document', doc({
      party: customer,
      revenue: [{ account: 'sales', cents: 5_000 }],
      liabilities: [{ account: 'gift_card_liability', cents: 2_500, memo: 'gift card' }],
      tenders: [
        { account: 'accounts_receivable', cents: 4_000, memo: 'charge' },
        { account: 'store_credit_liability', cents: 1_000, memo: 'credit' },
        { account: 'customer_deposits', cents: 1_500, memo: 'deposit' },
        { account: 'gift_card_liability', cents: 1_000, memo: 'another card' },
      ],
    }));
    expect(lines.map((l) => [l.accountKey, l.party ?? null])).toEqual([
      ['accounts_receivable', customer],
      ['store_credit_liability', customer],
      ['customer_deposits', customer],
      ['gift_card_liability', null],
      ['sales', null],
      ['gift_card_liability', null],
    ]);
    valid(lines);
  });

  test('cash rounding: kept (+) is Cr Cash over/short, given (−) is Dr', () => {
    const kept = linesForEvent('counter_document', doc({ liabilities: [{ account: 'gift_card_liability', cents: 1_003, memo: 'g' }], tenders: [{ account: 'cash_drawer', cents: 1_005, memo: 'cash' }], roundingCents: 2 }));
    expect(show(kept)).toEqual([
      ['cash_drawer', 1_005, 0],
      ['gift_card_liability', 0, 1_003],
      ['cash_over_short', 0, 2],
    ]);
    valid(kept);
    const given = linesForEvent('counter_document', doc({ revenue: [{ account: 'sales', cents: 4_402 }], tenders: [{ account: 'cash_drawer', cents: 4_400, memo: 'cash' }], roundingCents: -2 }));
    expect(show(given)).toEqual([
      ['cash_drawer', 4_400, 0],
      ['sales', 0, 4_402],
      ['cash_over_short', 2, 0],
    ]);
    valid(given);
  });

  test('a unit of a rentable product leaves the Rental fleet; a $0 document posts nothing', () => {
    const lines = linesForEvent('counter_document', doc({ revenue: [{ account: 'sales', cents: 45_000 }], tenders: [{ account: 'card_clearing_external', cents: 45_000, memo: 'card' }], cogs: [{ asset: 'rental_fleet', cents: 30_000 }] }));
    expect(show(lines).slice(-2)).toEqual([
      ['cogs', 30_000, 0],
      ['rental_fleet', 0, 30_000],
    ]);
    valid(lines);
    expect(linesForEvent('counter_document', doc({ revenue: [{ account: 'sales', cents: 0 }] }))).toEqual([]);
  });
});

describe('bank_deposit', () => {
  test('Dr Bank / Cr Safe (cash) and Cr Checks to deposit (checks)', () => {
    const lines = linesForEvent('bank_deposit', { cashCents: 50_000, checksCents: 4_402, memo: 'DEP-000001' });
    expect(show(lines)).toEqual([
      ['bank', 54_402, 0],
      ['safe_cash', 0, 50_000],
      ['checks_to_deposit', 0, 4_402],
    ]);
    valid(lines);
  });
  test('checks only, or cash only: no line for the side with nothing', () => {
    expect(show(linesForEvent('bank_deposit', { cashCents: 0, checksCents: 1_000, memo: 'm' }))).toEqual([
      ['bank', 1_000, 0],
      ['checks_to_deposit', 0, 1_000],
    ]);
    expect(show(linesForEvent('bank_deposit', { cashCents: 2_500, checksCents: 0, memo: 'm' }))).toEqual([
      ['bank', 2_500, 0],
      ['safe_cash', 0, 2_500],
    ]);
  });
});

describe('trade_in', () => {
  test('Dr Inventory at the trade-in value (its cost) / Cr Store credit liability, the customer on the credit', () => {
    const customer = { type: 'customer' as const, id: '33333333-3333-4333-8333-333333333333' };
    const lines = linesForEvent('trade_in', { asset: 'inventory', valueCents: 20_000, party: customer, memo: 'TI-000001: Yamaha YTR-2330' });
    expect(show(lines)).toEqual([
      ['inventory', 20_000, 0],
      ['store_credit_liability', 0, 20_000],
    ]);
    expect(lines[0].party ?? null).toBeNull();
    expect(lines[1].party).toEqual(customer);
    valid(lines);
  });
  test('a rentable product\'s trade-in goes to the Rental fleet', () => {
    expect(show(linesForEvent('trade_in', { asset: 'rental_fleet', valueCents: 15_000, memo: 'm' }))).toEqual([
      ['rental_fleet', 15_000, 0],
      ['store_credit_liability', 0, 15_000],
    ]);
  });
});

describe('the table', () => {
  test('every rule names only system accounts and says what it posts', () => {
    const samples: Record<string, unknown> = {
      inventory_receipt: { asset: 'inventory', valueCents: 10, costCents: 11, memo: 'm' },
      stock_adjustment: { valueDeltaCents: -10, memo: 'm' },
      cycle_count: { valueDeltaCents: 10, memo: 'm' },
      opening_inventory: { changes: [{ asset: 'rental_fleet', deltaCents: 10 }], memo: 'm' },
      unit_acquired: { asset: 'inventory', costCents: 10, via: 'trade_in', memo: 'm' },
      unit_status_override: { from: 'inventory', to: null, costCents: 10, memo: 'm' },
      unit_reclassified: { from: 'rental_fleet', to: 'inventory', costCents: 10, memo: 'm' },
      drawer_open: { amountCents: 15_000, memo: 'm' },
      drawer_paid_in: { amountCents: 10, memo: 'm' },
      drawer_paid_out: { amountCents: 10, memo: 'm' },
      drawer_drop: { amountCents: 10, memo: 'm' },
      drawer_close: { expectedCashCents: 19_402, countedCashCents: 19_401, checksOverShortCents: -5, memo: 'm' },
      counter_document: { memo: 'm', revenue: [{ account: 'sales', cents: 4_293 }], discountCents: 250, tax: [{ memo: 't', cents: 359 }], liabilities: [], tenders: [{ account: 'cash_drawer', cents: 4_402, memo: 'c' }], roundingCents: 0, cogs: [{ asset: 'inventory', cents: 1_700 }] },
      bank_deposit: { cashCents: 10, checksCents: 5, memo: 'm' },
      trade_in: { asset: 'inventory', valueCents: 10, memo: 'm' },
    };
    expect(Object.keys(POSTING_RULES).sort()).toEqual(Object.keys(samples).sort());
    for (const [event, rule] of Object.entries(POSTING_RULES)) {
      expect(rule.summary.length).toBeGreaterThan(10);
      const lines = (rule.lines as (p: unknown) => JournalLineDraft[])(samples[event]);
      valid(lines);
      for (const l of lines) expect(KEYS.has(l.accountKey)).toBe(true);
    }
  });
});

describe('chart of accounts', () => {
  test('keys and codes are unique; normal sides follow the type', () => {
    expect(new Set(SYSTEM_ACCOUNTS.map((a) => a.key)).size).toBe(SYSTEM_ACCOUNTS.length);
    expect(new Set(SYSTEM_ACCOUNTS.map((a) => a.code)).size).toBe(SYSTEM_ACCOUNTS.length);
    expect(normalSideOf('asset')).toBe('debit');
    expect(normalSideOf('contra_revenue')).toBe('debit');
    expect(normalSideOf('revenue')).toBe('credit');
    expect(normalSideOf('equity')).toBe('credit');
  });
  test('the migration seeds the same accounts as the code', () => {
    const migration = ['0009_ledger_rules.sql', '0011_registers_rules.sql'].map((f) => readFileSync(join(import.meta.dir, '../../../migrations', f), 'utf8')).join('\n');
    const seeded = [...migration.matchAll(/\('(\d+)', '([^']+)', '(\w+)', '(\w+)', '(\w+)'\)/g)].map((m) => ({ code: m[1], name: m[2], type: m[3], side: m[4], key: m[5] }));
    expect(seeded).toEqual(SYSTEM_ACCOUNTS.map((a) => ({ code: a.code, name: a.name, type: a.type, side: normalSideOf(a.type), key: a.key })));
  });
});

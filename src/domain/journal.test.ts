import { describe, expect, test } from 'bun:test';
import { assertValidEntry, credit, debit, entryTotal, journalEntryProblems, mergeLines, normalBalance, reversalLines, signedLine, trialBalance, type JournalLineDraft } from './journal';

describe('journalEntryProblems', () => {
  test('a balanced two-line entry is valid', () => {
    expect(journalEntryProblems([debit('inventory', 1000), credit('accounts_payable', 1000)])).toEqual([]);
    expect(() => assertValidEntry([debit('inventory', 1000), credit('accounts_payable', 1000)])).not.toThrow();
  });
  test('several debits against one credit balance by their totals', () => {
    expect(journalEntryProblems([debit('inventory', 700), debit('cogs', 300), credit('accounts_payable', 1000)])).toEqual([]);
  });
  test('unbalanced entries are refused with both totals', () => {
    expect(journalEntryProblems([debit('inventory', 1000), credit('accounts_payable', 999)])).toEqual(['Debits (1000) do not equal credits (999).']);
    expect(() => assertValidEntry([debit('inventory', 1), credit('cogs', 2)])).toThrow(RangeError);
  });
  test('fewer than two lines is refused', () => {
    expect(journalEntryProblems([])).toContain('An entry needs at least two lines (has 0).');
    expect(journalEntryProblems([debit('inventory', 5)])[0]).toBe('An entry needs at least two lines (has 1).');
  });
  test('one side per line, positive, whole cents', () => {
    expect(journalEntryProblems([{ accountKey: 'inventory', debitCents: 5, creditCents: 5 }, credit('cogs', 0), debit('x', 0)])).toEqual(
      expect.arrayContaining(['Line 1 has both a debit and a credit; use one side per line.', 'Line 2 has neither a debit nor a credit.', 'Line 3 has neither a debit nor a credit.']),
    );
    expect(journalEntryProblems([debit('inventory', -5), credit('cogs', -5)])).toEqual(expect.arrayContaining(['Line 1: the debit cannot be negative.', 'Line 2: the credit cannot be negative.']));
    expect(journalEntryProblems([debit('inventory', 1.5), credit('cogs', 1.5)])).toEqual(expect.arrayContaining(['Line 1: the debit must be a whole number of cents.']));
    expect(journalEntryProblems([debit('inventory', Number.NaN), credit('cogs', 1)]).length).toBeGreaterThan(0);
  });
  test('a line needs an account', () => {
    expect(journalEntryProblems([debit('', 5), credit('cogs', 5)])).toEqual(['Line 1 has no account.']);
  });
  test('totals are summed exactly beyond float precision', () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(journalEntryProblems([debit('a', big), debit('a', 1), credit('b', big), credit('b', 1)])).toEqual([]);
    expect(journalEntryProblems([debit('a', big), debit('a', 2), credit('b', big), credit('b', 1)])).toHaveLength(1);
  });
});

describe('builders', () => {
  test('signedLine: positive debits, negative credits, zero gives no line', () => {
    expect(signedLine('inventory', 250, 'm')).toEqual([{ accountKey: 'inventory', debitCents: 250, memo: 'm', party: null }]);
    expect(signedLine('inventory', -250)).toEqual([{ accountKey: 'inventory', creditCents: 250, memo: undefined, party: null }]);
    expect(signedLine('inventory', 0)).toEqual([]);
    expect(() => signedLine('inventory', 0.5)).toThrow(RangeError);
  });
  test('entryTotal is the debit side', () => {
    expect(entryTotal([debit('a', 300), debit('b', 200), credit('c', 500)])).toBe(500);
  });
  test('mergeLines combines same account, side, memo and party but never nets debits with credits', () => {
    const supplier = { type: 'supplier' as const, id: 's1' };
    const merged = mergeLines([debit('inventory', 100, 'PO'), debit('inventory', 50, 'PO'), credit('inventory', 30, 'PO'), credit('accounts_payable', 120, 'PO', supplier), credit('accounts_payable', 0 + 0 + 1, 'other')]);
    expect(merged).toEqual([
      { accountKey: 'inventory', debitCents: 150, memo: 'PO', party: null },
      { accountKey: 'inventory', creditCents: 30, memo: 'PO', party: null },
      { accountKey: 'accounts_payable', creditCents: 120, memo: 'PO', party: supplier },
      { accountKey: 'accounts_payable', creditCents: 1, memo: 'other', party: null },
    ]);
  });
});

describe('reversalLines', () => {
  test('swaps sides and keeps accounts, memos and parties', () => {
    const lines: JournalLineDraft[] = [debit('inventory', 1000, 'x', { type: 'supplier', id: 's' }), credit('accounts_payable', 1000)];
    const rev = reversalLines(lines);
    expect(rev.map((l) => [l.accountKey, l.debitCents ?? 0, l.creditCents ?? 0, l.memo, l.party])).toEqual([
      ['inventory', 0, 1000, 'x', { type: 'supplier', id: 's' }],
      ['accounts_payable', 1000, 0, undefined, null],
    ]);
    expect(journalEntryProblems(rev)).toEqual([]);
  });
  test('an entry and its reversal net every account to zero', () => {
    const lines = [debit('inventory', 700), debit('cogs', 300), credit('accounts_payable', 1000)];
    const all = [...lines, ...reversalLines(lines)];
    const net = new Map<string, number>();
    for (const l of all) net.set(l.accountKey, (net.get(l.accountKey) ?? 0) + (l.debitCents ?? 0) - (l.creditCents ?? 0));
    expect([...net.values()].every((v) => v === 0)).toBe(true);
  });
  test('reversing twice gives the original', () => {
    const lines = [debit('inventory', 5), credit('cogs', 5)];
    expect(reversalLines(reversalLines(lines)).map((l) => [l.debitCents, l.creditCents])).toEqual([
      [5, 0],
      [0, 5],
    ]);
  });
});

describe('trialBalance', () => {
  const acct = (key: string, normalSide: 'debit' | 'credit', debitCents: number, creditCents: number) => ({ key, normalSide, debitCents, creditCents });

  test('puts each net balance in the debit or credit column; the columns total equal', () => {
    const tb = trialBalance([acct('inventory', 'debit', 10_000, 2_500), acct('accounts_payable', 'credit', 1_000, 8_000), acct('inventory_shrink', 'debit', 500, 0), acct('opening_balance_equity', 'credit', 0, 1_000)]);
    expect(tb.rows.map((r) => [r.account.key, r.debitBalanceCents, r.creditBalanceCents, r.balanceCents])).toEqual([
      ['inventory', 7_500, 0, 7_500],
      ['accounts_payable', 0, 7_000, 7_000],
      ['inventory_shrink', 500, 0, 500],
      ['opening_balance_equity', 0, 1_000, 1_000],
    ]);
    expect(tb.totalDebitsCents).toBe(8_000);
    expect(tb.totalCreditsCents).toBe(8_000);
    expect(tb.differenceCents).toBe(0);
  });
  test('an account on its unusual side shows a negative normal balance and sits in the other column', () => {
    const tb = trialBalance([acct('cash_over_short', 'debit', 0, 1), acct('cash_drawer', 'debit', 1, 0)]);
    expect(tb.rows[0]).toMatchObject({ debitBalanceCents: 0, creditBalanceCents: 1, balanceCents: -1 });
    expect(tb.differenceCents).toBe(0);
  });
  test('accounts without activity are left out; ones that net to zero stay', () => {
    const tb = trialBalance([acct('bank', 'debit', 0, 0), acct('inventory', 'debit', 500, 500)]);
    expect(tb.rows.map((r) => r.account.key)).toEqual(['inventory']);
    expect(tb.rows[0]).toMatchObject({ debitBalanceCents: 0, creditBalanceCents: 0 });
  });
  test('unbalanced books show the difference', () => {
    expect(trialBalance([acct('a', 'debit', 100, 0), acct('b', 'credit', 0, 90)]).differenceCents).toBe(10);
  });
  test('normalBalance follows the normal side', () => {
    expect(normalBalance({ normalSide: 'debit', debitCents: 100, creditCents: 30 })).toBe(70);
    expect(normalBalance({ normalSide: 'credit', debitCents: 100, creditCents: 30 })).toBe(-70);
  });
  test('refuses non-integer activity', () => {
    expect(() => trialBalance([acct('a', 'debit', 1.5, 0)])).toThrow(RangeError);
  });
});

import { describe, expect, test } from 'bun:test';
import { lcg } from './test-support';
import {
  closeDrawer,
  countCash,
  expectedCashCents,
  expectedChecksCents,
  overShortCents,
  US_DENOMINATIONS_CENTS,
  type CashMovements,
} from './drawer';
import { lineGrossCents, priceOrder } from './discounts';
import { refundForReturn } from './returns';
import { computeDocumentTax } from './tax';
import { applyTenders, defaultRefundTenders } from './tenders';

const MAX = Number.MAX_SAFE_INTEGER;

const NO_MOVEMENTS: CashMovements = {
  floatCents: 0,
  cashTakenCents: 0,
  changeGivenCents: 0,
  cashRefundsCents: 0,
  paidInsCents: 0,
  paidOutsCents: 0,
  dropsCents: 0,
};

describe('countCash', () => {
  test("the spec's example {2000: 3, 500: 1, 25: 4} = $66.00, largest first", () => {
    expect(countCash({ '2000': 3, '500': 1, '25': 4 })).toEqual({
      lines: [
        { denominationCents: 2000, count: 3, totalCents: 6000 },
        { denominationCents: 500, count: 1, totalCents: 500 },
        { denominationCents: 25, count: 4, totalCents: 100 },
      ],
      totalCents: 6600,
    });
  });

  test('every US denomination counts at its face value', () => {
    const all = Object.fromEntries(US_DENOMINATIONS_CENTS.map((d) => [String(d), 1]));
    expect(countCash(all).totalCents).toBe(18_891); // $100+50+20+10+5+2+1 + 50¢+25¢+10¢+5¢+1¢
    expect(countCash(all).lines.map((l) => l.denominationCents)).toEqual([...US_DENOMINATIONS_CENTS]);
  });

  test('an empty count and zero counts total $0.00', () => {
    expect(countCash({})).toEqual({ lines: [], totalCents: 0 });
    expect(countCash({ '100': 0 }).totalCents).toBe(0);
  });

  test('refuses keys that are not allowed denominations in canonical form', () => {
    for (const key of ['3', '020', '20.00', '-500', '0', '1e3', ' 500', '$5', 'abc', '', '__proto__']) {
      expect(() => countCash(JSON.parse(`{${JSON.stringify(key)}: 1}`))).toThrow(RangeError);
    }
    expect(() => countCash({ '3': 1 })).toThrow('denomination "3" is not one of 10000, 5000');
  });

  test('refuses counts that are not non-negative whole numbers', () => {
    for (const count of [-1, 1.5, '3', null, NaN, Infinity, true]) {
      expect(() => countCash({ '500': count })).toThrow(RangeError);
    }
    expect(() => countCash({ '500': -1 })).toThrow('count of denomination 500 must be a whole number of 0 or more');
  });

  test('refuses things that are not a denomination object', () => {
    for (const bad of [null, undefined, [], [1, 2], 'lots', 5]) expect(() => countCash(bad)).toThrow(RangeError);
  });

  test('refuses totals past MAX_SAFE_INTEGER', () => {
    expect(() => countCash({ '10000': MAX })).toThrow(RangeError);
    expect(() => countCash({ '1': MAX, '5': 1 })).toThrow('cash count');
    expect(countCash({ '1': MAX }).totalCents).toBe(MAX);
  });
});

describe('expectedCashCents', () => {
  test("the spec's acceptance: $150.00 float + $60.00 taken − $15.98 change = $194.02", () => {
    expect(expectedCashCents({ ...NO_MOVEMENTS, floatCents: 15_000, cashTakenCents: 6000, changeGivenCents: 1598 })).toBe(19_402);
  });

  test('every movement moves it the right way', () => {
    const m: CashMovements = {
      floatCents: 15_000,
      cashTakenCents: 50_000,
      changeGivenCents: 3_000,
      cashRefundsCents: 979,
      paidInsCents: 2_000,
      paidOutsCents: 1_250,
      dropsCents: 40_000,
    };
    // 15000 + 50000 − 3000 − 979 + 2000 − 1250 − 40000
    expect(expectedCashCents(m)).toBe(21_771);
    expect(expectedCashCents(NO_MOVEMENTS)).toBe(0);
  });

  test('may come out negative (a finding, not an input error)', () => {
    expect(expectedCashCents({ ...NO_MOVEMENTS, paidOutsCents: 500 })).toBe(-500);
  });

  test('refuses negative or fractional movements and overflow', () => {
    expect(() => expectedCashCents({ ...NO_MOVEMENTS, dropsCents: -1 })).toThrow('drops cannot be negative');
    expect(() => expectedCashCents({ ...NO_MOVEMENTS, floatCents: 0.5 })).toThrow('float');
    expect(() => expectedCashCents({ ...NO_MOVEMENTS, floatCents: MAX, paidInsCents: 1 })).toThrow(RangeError);
    expect(expectedCashCents({ ...NO_MOVEMENTS, floatCents: MAX, paidInsCents: 1, dropsCents: 1 })).toBe(MAX);
  });

  test('property: equals the formula for random movements (seeded)', () => {
    const next = lcg(0xd4a_e4);
    for (let round = 0; round < 2000; round++) {
      const m: CashMovements = {
        floatCents: next() % 50_000,
        cashTakenCents: next() % 5_000_000,
        changeGivenCents: next() % 500_000,
        cashRefundsCents: next() % 100_000,
        paidInsCents: next() % 100_000,
        paidOutsCents: next() % 100_000,
        dropsCents: next() % 1_000_000,
      };
      expect(expectedCashCents(m)).toBe(
        m.floatCents + m.cashTakenCents - m.changeGivenCents - m.cashRefundsCents + m.paidInsCents - m.paidOutsCents - m.dropsCents,
      );
    }
  });
});

describe('expectedChecksCents', () => {
  test('checks taken − refunded − dropped', () => {
    expect(expectedChecksCents({ checksTakenCents: 12_500 })).toBe(12_500);
    expect(expectedChecksCents({ checksTakenCents: 12_500, checkRefundsCents: 2_500, checkDropsCents: 5_000 })).toBe(5_000);
    expect(() => expectedChecksCents({ checksTakenCents: -1 })).toThrow(RangeError);
    expect(() => expectedChecksCents({ checksTakenCents: 1, checkDropsCents: -1 })).toThrow('check drops cannot be negative');
  });
});

describe('overShortCents', () => {
  test('counted − expected: negative is short, positive is over', () => {
    expect(overShortCents(19_402, 19_401)).toBe(-1);
    expect(overShortCents(19_402, 19_500)).toBe(98);
    expect(overShortCents(19_402, 19_402)).toBe(0);
    expect(overShortCents(-500, 0)).toBe(500);
    expect(() => overShortCents(-MAX, MAX)).toThrow(RangeError);
  });
});

describe('closeDrawer', () => {
  test("the spec's acceptance: counting $194.01 when $194.02 is expected records $0.01 short", () => {
    const close = closeDrawer({
      expectedCashCents: 19_402,
      expectedChecksCents: 0,
      // $100 + $50 + 2 × $20 + 4 × $1 + 1¢ = $194.01
      cashDenominations: { '10000': 1, '5000': 1, '2000': 2, '100': 4, '1': 1 },
      checksCents: 0,
    });
    expect(close.cash.expectedCents).toBe(19_402);
    expect(close.cash.countedCents).toBe(19_401);
    expect(close.cash.overShortCents).toBe(-1);
    expect(close.checks).toEqual({ expectedCents: 0, countedCents: 0, overShortCents: 0 });
    expect(close.overShortCents).toBe(-1);
    expect(close.cash.count.lines).toHaveLength(5);
  });

  test('cash and checks are reconciled separately and summed for the over/short posting', () => {
    const close = closeDrawer({
      expectedCashCents: 10_000,
      expectedChecksCents: 5_000,
      cashDenominations: { '5000': 2, '25': 2 },
      checksCents: 4_500,
    });
    expect(close.cash.overShortCents).toBe(50);
    expect(close.checks.overShortCents).toBe(-500);
    expect(close.overShortCents).toBe(-450);
  });

  test('refuses a bad count', () => {
    const base = { expectedCashCents: 0, expectedChecksCents: 0, cashDenominations: {}, checksCents: 0 };
    expect(() => closeDrawer({ ...base, cashDenominations: { '7': 1 } })).toThrow(RangeError);
    expect(() => closeDrawer({ ...base, checksCents: -1 })).toThrow('checks counted cannot be negative');
    expect(() => closeDrawer({ ...base, checksCents: 1.5 })).toThrow(RangeError);
    expect(() => closeDrawer({ ...base, expectedCashCents: 0.5 })).toThrow(RangeError);
  });
});

describe("the spec's acceptance shift, end to end through every money rule", () => {
  test('sale, cash payment, close $0.01 short; the strings return refunds $9.79 cash', () => {
    const order = priceOrder([
      { grossCents: lineGrossCents(899, 2) },
      { grossCents: lineGrossCents(2495, 1), lineDiscount: { kind: 'percent', percentMillipercent: 10_000 } },
    ]);
    expect(order.lines[1]!.lineDiscountCents).toBe(250);
    const tax = computeDocumentTax({
      lines: order.lines.map((l) => ({ netCents: l.netCents, taxClassId: 'standard' })),
      classes: [{ id: 'standard', components: [{ code: 'state', rateMillipercent: 8875 }] }],
    });
    expect([tax.netCents, tax.taxCents, ...tax.lines.map((l) => l.taxCents)]).toEqual([4043, 359, 160, 199]);
    const total = tax.netCents + tax.taxCents;
    expect(total).toBe(4402);

    const paid = applyTenders(total, [{ kind: 'cash', amountCents: 6000 }]);
    expect(paid.changeCents).toBe(1598);

    const expected = expectedCashCents({ ...NO_MOVEMENTS, floatCents: 15_000, cashTakenCents: 6000, changeGivenCents: paid.changeCents });
    const close = closeDrawer({
      expectedCashCents: expected,
      expectedChecksCents: 0,
      cashDenominations: { '10000': 1, '5000': 1, '2000': 2, '100': 4, '1': 1 },
      checksCents: 0,
    });
    expect([close.cash.expectedCents, close.cash.countedCents, close.overShortCents]).toEqual([19_402, 19_401, -1]);

    const refund = refundForReturn(
      { quantity: 2, netCents: tax.lines[0]!.netCents, taxCents: tax.lines[0]!.taxCents, costCents: null, returnedQuantity: 0 },
      1,
    );
    expect(refund.totalCents).toBe(979);
    expect(defaultRefundTenders(refund.totalCents, [{ kind: 'cash', paidCents: paid.tenders[0]!.appliedCents }])).toEqual([
      { index: 0, kind: 'cash', amountCents: 979 },
    ]);
  });
});

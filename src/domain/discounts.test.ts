import { describe, expect, test } from 'bun:test';
import { lcg, sum } from './test-support';
import {
  amountDiscountCents,
  discountCents,
  discountNeedsApproval,
  lineGrossCents,
  percentDiscountCents,
  priceOrder,
  spreadOrderDiscount,
  type DiscountSpec,
} from './discounts';

const MAX = Number.MAX_SAFE_INTEGER;

describe('lineGrossCents', () => {
  test('is unit price × quantity', () => {
    expect(lineGrossCents(899, 2)).toBe(1798);
    expect(lineGrossCents(2495, 1)).toBe(2495);
    expect(lineGrossCents(0, 5)).toBe(0);
  });

  test('is exact for large values and refuses results past MAX_SAFE_INTEGER', () => {
    expect(lineGrossCents(MAX, 1)).toBe(MAX);
    expect(lineGrossCents(4503599627370495, 2)).toBe(9007199254740990);
    expect(() => lineGrossCents(MAX, 2)).toThrow(RangeError);
    expect(() => lineGrossCents(4503599627370496, 2)).toThrow('line gross');
  });

  test('refuses bad prices and quantities', () => {
    expect(() => lineGrossCents(-1, 1)).toThrow('unit price cannot be negative');
    expect(() => lineGrossCents(1.5, 1)).toThrow(RangeError);
    expect(() => lineGrossCents(100, 0)).toThrow('quantity must be a whole number of 1 or more');
    expect(() => lineGrossCents(100, -1)).toThrow(RangeError);
    expect(() => lineGrossCents(100, 1.5)).toThrow(RangeError);
    expect(() => lineGrossCents(100, NaN)).toThrow(RangeError);
  });
});

describe('percentDiscountCents', () => {
  test("the spec's example: 10% of $24.95 = $2.50", () => {
    expect(percentDiscountCents(2495, 10_000)).toBe(250);
  });

  test('rounds half up exactly at .5 and down below it', () => {
    expect(percentDiscountCents(2485, 10_000)).toBe(249); // 248.5
    expect(percentDiscountCents(2484, 10_000)).toBe(248); // 248.4
    expect(percentDiscountCents(1, 50_000)).toBe(1); // 0.5
    expect(percentDiscountCents(1, 49_999)).toBe(0); // 0.49999
    expect(percentDiscountCents(100, 33_333)).toBe(33); // 33.333
    expect(percentDiscountCents(3, 16_667)).toBe(1); // 0.50001
  });

  test('0% gives nothing, 100% gives the whole base', () => {
    expect(percentDiscountCents(2495, 0)).toBe(0);
    expect(percentDiscountCents(2495, 100_000)).toBe(2495);
    expect(percentDiscountCents(0, 50_000)).toBe(0);
  });

  test('uses an exact intermediate for bases near MAX_SAFE_INTEGER', () => {
    expect(percentDiscountCents(MAX, 100_000)).toBe(MAX);
    expect(percentDiscountCents(MAX, 50_000)).toBe(4503599627370496); // 4503599627370495.5 rounds up
    expect(percentDiscountCents(MAX, 1)).toBe(90071992547); // MAX / 100000 = 90071992547.40991
  });

  test('refuses negative and over-100% percents, fractions and negative bases', () => {
    expect(() => percentDiscountCents(2495, -1)).toThrow('discount percent');
    expect(() => percentDiscountCents(2495, 100_001)).toThrow(RangeError);
    expect(() => percentDiscountCents(2495, 10.5)).toThrow(RangeError);
    expect(() => percentDiscountCents(-2495, 10_000)).toThrow('discount base cannot be negative');
    expect(() => percentDiscountCents(24.95, 10_000)).toThrow(RangeError);
  });
});

describe('amountDiscountCents', () => {
  test('takes the amount, capped at the base', () => {
    expect(amountDiscountCents(2495, 500)).toBe(500);
    expect(amountDiscountCents(2495, 2495)).toBe(2495);
    expect(amountDiscountCents(2495, 3000)).toBe(2495);
    expect(amountDiscountCents(0, 100)).toBe(0);
    expect(amountDiscountCents(2495, 0)).toBe(0);
  });

  test('refuses negative or fractional amounts', () => {
    expect(() => amountDiscountCents(2495, -1)).toThrow('discount amount cannot be negative');
    expect(() => amountDiscountCents(2495, 0.5)).toThrow(RangeError);
    expect(() => amountDiscountCents(-1, 1)).toThrow(RangeError);
  });
});

describe('discountCents', () => {
  test('dispatches on the kind', () => {
    expect(discountCents(2495, { kind: 'percent', percentMillipercent: 10_000 })).toBe(250);
    expect(discountCents(2495, { kind: 'amount', amountCents: 300 })).toBe(300);
    expect(discountCents(2495, { kind: 'amount', amountCents: 9999 })).toBe(2495);
  });

  test('refuses unknown kinds and non-objects', () => {
    expect(() => discountCents(100, { kind: 'bogo' } as unknown as DiscountSpec)).toThrow('discount kind must be');
    expect(() => discountCents(100, null as unknown as DiscountSpec)).toThrow(RangeError);
    expect(() => discountCents(100, { kind: 'percent', percentMillipercent: 200_000 })).toThrow(RangeError);
  });
});

describe('spreadOrderDiscount', () => {
  test('spreads by largest remainder weighted by line net', () => {
    // $5.00 over $17.98 and $22.45 (Σ $40.43): exact 222.36 and 277.64 -> 222, 278.
    expect(spreadOrderDiscount(500, [1798, 2245])).toEqual([222, 278]);
    expect(spreadOrderDiscount(1000, [1999, 500, 1])).toEqual([800, 200, 0]);
  });

  test('a tie goes to the earlier line', () => {
    expect(spreadOrderDiscount(1, [100, 100])).toEqual([1, 0]);
    expect(spreadOrderDiscount(2, [100, 100, 100])).toEqual([1, 1, 0]);
    expect(spreadOrderDiscount(1, [0, 300, 300])).toEqual([0, 1, 0]);
  });

  test('zero lines, one line, zero discount', () => {
    expect(spreadOrderDiscount(0, [])).toEqual([]);
    expect(spreadOrderDiscount(123, [500])).toEqual([123]);
    expect(spreadOrderDiscount(0, [500, 200])).toEqual([0, 0]);
    expect(spreadOrderDiscount(0, [0, 0])).toEqual([0, 0]);
  });

  test('refuses a discount over the subtotal, negative discounts and negative nets', () => {
    expect(() => spreadOrderDiscount(1, [])).toThrow('exceeds the order subtotal');
    expect(() => spreadOrderDiscount(701, [500, 200])).toThrow(RangeError);
    expect(() => spreadOrderDiscount(-1, [500])).toThrow('order discount cannot be negative');
    expect(() => spreadOrderDiscount(1, [500, -200])).toThrow('line 1 net cannot be negative');
  });
});

describe('priceOrder', () => {
  test("the spec's acceptance sale: strings $8.99 × 2, tuner $24.95 with 10% off", () => {
    const order = priceOrder([
      { grossCents: lineGrossCents(899, 2) },
      { grossCents: lineGrossCents(2495, 1), lineDiscount: { kind: 'percent', percentMillipercent: 10_000 } },
    ]);
    expect(order.lines).toEqual([
      { grossCents: 1798, lineDiscountCents: 0, orderDiscountCents: 0, netCents: 1798 },
      { grossCents: 2495, lineDiscountCents: 250, orderDiscountCents: 0, netCents: 2245 },
    ]);
    expect(order.netCents).toBe(4043);
    expect(order.grossCents).toBe(4293);
    expect(order.lineDiscountsCents).toBe(250);
    expect(order.subtotalCents).toBe(4043);
    expect(order.orderDiscountCents).toBe(0);
  });

  test('a percent order discount is taken on the subtotal after line discounts, then spread', () => {
    const order = priceOrder(
      [
        { grossCents: 1798 },
        { grossCents: 2495, lineDiscount: { kind: 'percent', percentMillipercent: 10_000 } },
      ],
      { kind: 'percent', percentMillipercent: 10_000 },
    );
    // 10% of $40.43 = 404.3 -> $4.04; exact shares 179.67 and 224.33 -> 179 + 224 = 403, +1 to line 0.
    expect(order.orderDiscountCents).toBe(404);
    expect(order.lines.map((l) => l.orderDiscountCents)).toEqual([180, 224]);
    expect(order.lines.map((l) => l.netCents)).toEqual([1618, 2021]);
    expect(order.netCents).toBe(3639);
  });

  test('an amount order discount is capped at the subtotal and never makes a line negative', () => {
    const order = priceOrder([{ grossCents: 500 }, { grossCents: 300, lineDiscount: { kind: 'amount', amountCents: 100 } }], {
      kind: 'amount',
      amountCents: 10_000,
    });
    expect(order.subtotalCents).toBe(700);
    expect(order.orderDiscountCents).toBe(700);
    expect(order.lines.map((l) => l.netCents)).toEqual([0, 0]);
    expect(order.netCents).toBe(0);
  });

  test('an order of fully discounted lines takes no order discount', () => {
    const order = priceOrder(
      [{ grossCents: 500, lineDiscount: { kind: 'percent', percentMillipercent: 100_000 } }],
      { kind: 'amount', amountCents: 100 },
    );
    expect(order.orderDiscountCents).toBe(0);
    expect(order.lines[0]).toEqual({ grossCents: 500, lineDiscountCents: 500, orderDiscountCents: 0, netCents: 0 });
  });

  test('an empty order is all zeros, with or without an order discount', () => {
    const empty = { lines: [], grossCents: 0, lineDiscountsCents: 0, subtotalCents: 0, orderDiscountCents: 0, netCents: 0 };
    expect(priceOrder([])).toEqual(empty);
    expect(priceOrder([], { kind: 'amount', amountCents: 500 })).toEqual(empty);
    expect(priceOrder([], { kind: 'percent', percentMillipercent: 10_000 })).toEqual(empty);
  });

  test('null discounts mean none', () => {
    const order = priceOrder([{ grossCents: 1000, lineDiscount: null }], null);
    expect(order.netCents).toBe(1000);
  });

  test('refuses bad lines and discounts', () => {
    expect(() => priceOrder([{ grossCents: -1 }])).toThrow('line 0 gross cannot be negative');
    expect(() => priceOrder([{ grossCents: 100, lineDiscount: { kind: 'amount', amountCents: -5 } }])).toThrow(RangeError);
    expect(() => priceOrder([{ grossCents: 100 }], { kind: 'percent', percentMillipercent: 100_001 })).toThrow(RangeError);
    expect(() => priceOrder([{ grossCents: MAX }, { grossCents: 1 }])).toThrow(RangeError);
  });

  test('property: shares sum exactly, nothing goes negative, each share within a cent of exact (seeded)', () => {
    const next = lcg(0xd15c_0057);
    for (let round = 0; round < 3000; round++) {
      const n = next() % 7; // includes empty orders
      const lines = [];
      for (let i = 0; i < n; i++) {
        const gross = next() % 5 === 0 ? 0 : next() % 200_000;
        const pick = next() % 3;
        const lineDiscount: DiscountSpec | null =
          pick === 0 ? null : pick === 1 ? { kind: 'percent', percentMillipercent: next() % 100_001 } : { kind: 'amount', amountCents: next() % 50_000 };
        lines.push({ grossCents: gross, lineDiscount });
      }
      const pick = next() % 3;
      const orderDiscount: DiscountSpec | null =
        pick === 0 ? null : pick === 1 ? { kind: 'percent', percentMillipercent: next() % 100_001 } : { kind: 'amount', amountCents: next() % 300_000 };

      const order = priceOrder(lines, orderDiscount);
      expect(order.lines).toHaveLength(n);
      expect(sum(order.lines.map((l) => l.orderDiscountCents))).toBe(order.orderDiscountCents);
      expect(sum(order.lines.map((l) => l.netCents))).toBe(order.netCents);
      expect(order.netCents).toBe(order.grossCents - order.lineDiscountsCents - order.orderDiscountCents);
      expect(order.orderDiscountCents).toBeLessThanOrEqual(order.subtotalCents);
      for (const [i, line] of order.lines.entries()) {
        const base = line.grossCents - line.lineDiscountCents;
        expect(line.lineDiscountCents).toBeGreaterThanOrEqual(0);
        expect(line.lineDiscountCents).toBeLessThanOrEqual(line.grossCents);
        expect(line.orderDiscountCents).toBeGreaterThanOrEqual(0);
        expect(line.netCents).toBeGreaterThanOrEqual(0);
        expect(line.netCents).toBe(base - line.orderDiscountCents);
        if (order.subtotalCents > 0) {
          // |share − D·base/S| < 1, compared exactly.
          const diff = BigInt(line.orderDiscountCents) * BigInt(order.subtotalCents) - BigInt(order.orderDiscountCents) * BigInt(base);
          expect(diff < 0n ? -diff : diff).toBeLessThan(BigInt(order.subtotalCents));
        }
        expect(lines[i]!.grossCents).toBe(line.grossCents);
      }
    }
  });
});

describe('discountNeedsApproval', () => {
  const line = (netCents: number, quantity: number, minUnitPriceCents: number | null) => ({ netCents, quantity, minUnitPriceCents });

  test('a percent discount exactly at the user limit needs no PIN (same rounding)', () => {
    // 10% of $24.95 = $2.50; a 10% limit on $24.95 allows half_up(249.5) = $2.50.
    expect(discountNeedsApproval({ baseCents: 2495, discountCents: 250, userLimitMillipercent: 10_000 })).toEqual({
      needsApproval: false,
      reasons: [],
      linesBelowMinimum: [],
    });
  });

  test('one cent above the limit needs a PIN', () => {
    const result = discountNeedsApproval({ baseCents: 2495, discountCents: 251, userLimitMillipercent: 10_000 });
    expect(result.needsApproval).toBe(true);
    expect(result.reasons).toEqual(['above_user_limit']);
  });

  test('a limit of 0 allows no discount; 100% allows any', () => {
    expect(discountNeedsApproval({ baseCents: 2495, discountCents: 0, userLimitMillipercent: 0 }).needsApproval).toBe(false);
    expect(discountNeedsApproval({ baseCents: 2495, discountCents: 1, userLimitMillipercent: 0 }).needsApproval).toBe(true);
    expect(discountNeedsApproval({ baseCents: 2495, discountCents: 2495, userLimitMillipercent: 100_000 }).needsApproval).toBe(false);
  });

  test('a line net below minimum price × quantity needs a PIN, even within the limit', () => {
    const result = discountNeedsApproval({
      baseCents: 2000,
      discountCents: 200,
      userLimitMillipercent: 20_000,
      lines: [line(1800, 2, 900), line(1800, 2, 901), line(50, 1, null)],
    });
    expect(result).toEqual({ needsApproval: true, reasons: ['below_minimum_price'], linesBelowMinimum: [1] });
  });

  test('a plain price override below minimum (no discount) needs a PIN', () => {
    const result = discountNeedsApproval({ baseCents: 800, discountCents: 0, userLimitMillipercent: 0, lines: [line(800, 1, 850)] });
    expect(result.reasons).toEqual(['below_minimum_price']);
  });

  test('both reasons at once', () => {
    const result = discountNeedsApproval({ baseCents: 1000, discountCents: 500, userLimitMillipercent: 10_000, lines: [line(500, 1, 600)] });
    expect(result).toEqual({ needsApproval: true, reasons: ['above_user_limit', 'below_minimum_price'], linesBelowMinimum: [0] });
  });

  test('compares exactly for large quantities', () => {
    const result = discountNeedsApproval({
      baseCents: MAX,
      discountCents: 0,
      userLimitMillipercent: 0,
      lines: [line(MAX, 1_000_000, 9_007_199_255), line(MAX - 1, 1, MAX)],
    });
    expect(result.linesBelowMinimum).toEqual([0, 1]);
  });

  test('refuses bad inputs', () => {
    expect(() => discountNeedsApproval({ baseCents: 100, discountCents: -1, userLimitMillipercent: 0 })).toThrow(RangeError);
    expect(() => discountNeedsApproval({ baseCents: 100, discountCents: 1, userLimitMillipercent: 100_001 })).toThrow('user discount limit');
    expect(() => discountNeedsApproval({ baseCents: 100, discountCents: 1, userLimitMillipercent: 0, lines: [line(1, 0, 1)] })).toThrow(
      'line 0 quantity',
    );
    expect(() => discountNeedsApproval({ baseCents: 100, discountCents: 1, userLimitMillipercent: 0, lines: [line(1, 1, -1)] })).toThrow(
      'minimum price cannot be negative',
    );
  });
});

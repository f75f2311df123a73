import { describe, expect, test } from 'bun:test';
import { prorate } from './proration';

describe('prorate', () => {
  test('charges the proportional share', () => {
    expect(prorate(3100, 10, 31)).toBe(1000);
    expect(prorate(3000, 15, 30)).toBe(1500);
    expect(prorate(2800, 7, 28)).toBe(700);
  });

  test('zero days charges nothing, all days charges the full amount', () => {
    expect(prorate(4999, 0, 31)).toBe(0);
    expect(prorate(4999, 31, 31)).toBe(4999);
    expect(prorate(4999, 28, 28)).toBe(4999);
    expect(prorate(4999, 1, 1)).toBe(4999);
    expect(prorate(4999, 0, 1)).toBe(0);
  });

  test('rounds half up to the cent', () => {
    expect(prorate(1, 1, 2)).toBe(1); // 0.5 -> 1
    expect(prorate(3, 1, 2)).toBe(2); // 1.5 -> 2
    expect(prorate(1000, 1, 3)).toBe(333); // 333.33
    expect(prorate(1000, 2, 3)).toBe(667); // 666.67
    expect(prorate(4999, 1, 30)).toBe(167); // 166.63
    expect(prorate(4500, 1, 8)).toBe(563); // 562.5 -> 563
    expect(prorate(1, 1, 3)).toBe(0); // 0.33 -> 0
  });

  test('negative amounts (credits) round away from zero and mirror positives', () => {
    expect(prorate(-1, 1, 2)).toBe(-1); // -0.5 -> -1
    expect(prorate(-4500, 1, 8)).toBe(-563);
    for (let amount = 0; amount <= 5000; amount += 37) {
      for (const [days, period] of [[1, 31], [15, 30], [27, 28], [13, 29]] as const) {
        expect(prorate(-amount, days, period)).toBe(-prorate(amount, days, period) + 0);
      }
    }
  });

  test('never returns -0', () => {
    expect(Object.is(prorate(-1, 0, 31), 0)).toBe(true);
    expect(Object.is(prorate(-1, 1, 31), 0)).toBe(true);
  });

  test('is monotonic in days and bounded by the amount', () => {
    for (const period of [28, 29, 30, 31]) {
      let previous = 0;
      for (let days = 0; days <= period; days++) {
        const charged = prorate(7777, days, period);
        expect(charged).toBeGreaterThanOrEqual(previous);
        expect(charged).toBeLessThanOrEqual(7777);
        previous = charged;
      }
      expect(previous).toBe(7777);
    }
  });

  test('is exact for the largest safe amounts (the product exceeds 2^53)', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(prorate(max, 31, 31)).toBe(max);
    expect(prorate(max, 1, 2)).toBe(4503599627370496); // ...495.5 -> ...496
    expect(prorate(-max, 1, 2)).toBe(-4503599627370496);
    expect(prorate(max, 30, 31)).toBe(8716644440071927); // 8716644440071926.77
  });

  test('throws RangeError on invalid days or period', () => {
    expect(() => prorate(100, -1, 30)).toThrow(RangeError);
    expect(() => prorate(100, 31, 30)).toThrow(RangeError);
    expect(() => prorate(100, 1.5, 30)).toThrow(RangeError);
    expect(() => prorate(100, NaN, 30)).toThrow(RangeError);
    expect(() => prorate(100, 0, 0)).toThrow(RangeError);
    expect(() => prorate(100, 0, -30)).toThrow(RangeError);
    expect(() => prorate(100, 1, 30.5)).toThrow(RangeError);
    expect(() => prorate(100, 1, Infinity)).toThrow(RangeError);
    expect(() => prorate(100, 31, 30)).toThrow('days must be an integer between 0 and daysInPeriod (30), got 31');
  });

  test('throws RangeError on invalid amounts', () => {
    expect(() => prorate(10.5, 1, 2)).toThrow(RangeError);
    expect(() => prorate(Number.MAX_SAFE_INTEGER + 1, 1, 2)).toThrow(RangeError);
  });
});

import { describe, expect, test } from 'bun:test';
import { lcg, sum } from './test-support';
import { allocateLargestRemainder, splitEvenly } from './allocation';

describe('splitEvenly', () => {
  test('divides exactly when possible', () => {
    expect(splitEvenly(300, 3)).toEqual([100, 100, 100]);
    expect(splitEvenly(0, 4)).toEqual([0, 0, 0, 0]);
    expect(splitEvenly(5, 1)).toEqual([5]);
  });

  test('gives the remainder cents to the lowest indexes', () => {
    expect(splitEvenly(100, 3)).toEqual([34, 33, 33]);
    expect(splitEvenly(101, 3)).toEqual([34, 34, 33]);
    expect(splitEvenly(2, 5)).toEqual([1, 1, 0, 0, 0]);
  });

  test('negative totals mirror positive ones', () => {
    expect(splitEvenly(-100, 3)).toEqual([-34, -33, -33]);
    expect(splitEvenly(-2, 5)).toEqual([-1, -1, 0, 0, 0]);
  });

  test('never produces -0', () => {
    for (const part of splitEvenly(-1, 3)) expect(Object.is(part, -0)).toBe(false);
    for (const part of splitEvenly(0, 3)) expect(Object.is(part, -0)).toBe(false);
  });

  test('handles extreme totals', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const parts = splitEvenly(max, 7);
    expect(sum(parts)).toBe(max);
    expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
    expect(sum(splitEvenly(-max, 7))).toBe(-max);
  });

  test('sums to the total and differs by at most a cent, for many cases', () => {
    for (let total = -250; total <= 250; total += 7) {
      for (let n = 1; n <= 12; n++) {
        const parts = splitEvenly(total, n);
        expect(parts).toHaveLength(n);
        expect(sum(parts)).toBe(total);
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
      }
    }
  });

  test('throws RangeError on bad inputs', () => {
    expect(() => splitEvenly(100, 0)).toThrow(RangeError);
    expect(() => splitEvenly(100, -1)).toThrow(RangeError);
    expect(() => splitEvenly(100, 1.5)).toThrow(RangeError);
    expect(() => splitEvenly(100.5, 2)).toThrow(RangeError);
    expect(() => splitEvenly(Number.MAX_SAFE_INTEGER + 1, 2)).toThrow(RangeError);
  });
});

describe('allocateLargestRemainder', () => {
  test('splits proportionally when exact', () => {
    expect(allocateLargestRemainder(1000, [1, 1])).toEqual([500, 500]);
    expect(allocateLargestRemainder(1000, [1, 3])).toEqual([250, 750]);
    expect(allocateLargestRemainder(600, [100, 200, 300])).toEqual([100, 200, 300]);
  });

  test('gives leftover cents to the largest remainders', () => {
    // Exact shares: 1.42857, 2.85714, 5.71428 -> floors 1,2,5 = 8; two cents left.
    // Remainders .428, .857, .714 -> indexes 1 and 2 get them.
    expect(allocateLargestRemainder(10, [1, 2, 4])).toEqual([1, 3, 6]);
    // Discount of $10.00 over lines of $19.99, $5.00, $0.01 (total $25.00).
    // Shares: 799.6, 200, 0.4 -> floors 799, 200, 0 (999); one cent left,
    // largest remainder is .6 at index 0.
    expect(allocateLargestRemainder(1000, [1999, 500, 1])).toEqual([800, 200, 0]);
    // $1.00 over $0.07, $0.07, $0.06 (total $0.20): shares 35, 35, 30 exactly.
    expect(allocateLargestRemainder(100, [7, 7, 6])).toEqual([35, 35, 30]);
    // $1.01 over the same: shares 35.35, 35.35, 30.3 -> 35, 35, 30 (100);
    // one cent left; tie .35/.35 -> lowest index.
    expect(allocateLargestRemainder(101, [7, 7, 6])).toEqual([36, 35, 30]);
  });

  test('ties in remainder go to the lowest index', () => {
    expect(allocateLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateLargestRemainder(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(allocateLargestRemainder(1, [5, 5])).toEqual([1, 0]);
    // Remainders [.5, .25, .5, .75]: index 3 first, then the tie 0 vs 2 -> 0.
    expect(allocateLargestRemainder(2, [2, 1, 2, 3])).toEqual([1, 0, 0, 1]);
  });

  test('is deterministic: the same input always gives the same output', () => {
    const weights = [3, 7, 7, 3, 11, 0, 5];
    const first = allocateLargestRemainder(9999, weights);
    for (let i = 0; i < 10; i++) expect(allocateLargestRemainder(9999, weights)).toEqual(first);
  });

  test('zero weights get nothing when other weights are positive', () => {
    expect(allocateLargestRemainder(100, [0, 1, 0, 1, 0])).toEqual([0, 50, 0, 50, 0]);
    expect(allocateLargestRemainder(101, [0, 1, 0, 1, 0])).toEqual([0, 51, 0, 50, 0]);
    expect(allocateLargestRemainder(7, [0, 0, 3])).toEqual([0, 0, 7]);
  });

  test('all-zero weights fall back to an even split, remainder to the lowest indexes', () => {
    expect(allocateLargestRemainder(100, [0, 0, 0])).toEqual([34, 33, 33]);
    expect(allocateLargestRemainder(-100, [0, 0, 0])).toEqual([-34, -33, -33]);
    expect(allocateLargestRemainder(0, [0, 0])).toEqual([0, 0]);
  });

  test('negative totals are allocated symmetrically', () => {
    expect(allocateLargestRemainder(-10, [1, 2, 4])).toEqual([-1, -3, -6]);
    expect(allocateLargestRemainder(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    for (const w of [[1, 2, 3], [7, 0, 13, 2], [1, 1, 1, 1, 1, 1]]) {
      for (const t of [1, 5, 99, 1001]) {
        expect(allocateLargestRemainder(-t, w)).toEqual(allocateLargestRemainder(t, w).map((x) => -x + 0));
      }
    }
  });

  test('zero total gives all zeros (never -0)', () => {
    const parts = allocateLargestRemainder(0, [1, 2, 3]);
    expect(parts).toEqual([0, 0, 0]);
    for (const p of parts) expect(Object.is(p, -0)).toBe(false);
    for (const p of allocateLargestRemainder(-1, [0, 1, 0])) expect(Object.is(p, -0)).toBe(false);
  });

  test('a single weight takes everything', () => {
    expect(allocateLargestRemainder(12345, [7])).toEqual([12345]);
    expect(allocateLargestRemainder(-12345, [1])).toEqual([-12345]);
  });

  test('empty weights: [] for a zero total, RangeError otherwise', () => {
    expect(allocateLargestRemainder(0, [])).toEqual([]);
    expect(() => allocateLargestRemainder(1, [])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(-1, [])).toThrow(RangeError);
  });

  test('stays exact with huge totals and weights (products exceed 2^53)', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const parts = allocateLargestRemainder(max, [max, max - 1, 1]);
    expect(sum(parts)).toBe(max);
    // Exact shares: max·max/(2max) = max/2, max(max-1)/(2max) = (max-1)/2, max/(2max) = 1/2.
    expect(parts).toEqual([4503599627370496, 4503599627370495, 0]);
    const neg = allocateLargestRemainder(-max, [1, 1]);
    expect(neg).toEqual([-4503599627370496, -4503599627370495]);
  });

  test('throws RangeError on bad weights or totals', () => {
    expect(() => allocateLargestRemainder(100, [1, -1])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(100, [1, 0.5])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(100, [NaN])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(100, [Infinity])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(100, [Number.MAX_SAFE_INTEGER + 1])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(100, ['1' as unknown as number])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(100.5, [1])).toThrow(RangeError);
    expect(() => allocateLargestRemainder(100, [1, -1])).toThrow('weight at index 1');
  });

  test('property: parts sum to the total and each is within a cent of its exact share (seeded)', () => {
    const next = lcg(0x5eed_f00d);
    let cases = 0;
    for (let round = 0; round < 4000; round++) {
      const n = 1 + (next() % 9);
      const weights: number[] = [];
      for (let i = 0; i < n; i++) {
        // Mix of zeros, small weights and large cent amounts.
        const kind = next() % 4;
        weights.push(kind === 0 ? 0 : kind === 1 ? next() % 10 : next() % 1_000_000);
      }
      const magnitude = next() % 3 === 0 ? next() * 1024 + next() : next() % 100_000;
      const total = next() % 2 === 0 ? magnitude : -magnitude;

      const parts = allocateLargestRemainder(total, weights);
      expect(parts).toHaveLength(n);
      expect(sum(parts)).toBe(total);

      const weightSum = BigInt(sum(weights));
      for (let i = 0; i < n; i++) {
        const part = BigInt(parts[i] as number);
        if (weightSum === 0n) {
          // Even split: every part is within a cent of total / n.
          const scaled = part * BigInt(n) - BigInt(total);
          expect(scaled < 0n ? -scaled : scaled).toBeLessThan(BigInt(n));
        } else {
          // |part − total·w/Σw| < 1  <=>  |part·Σw − total·w| < Σw  (exact, no floats).
          const diff = part * weightSum - BigInt(total) * BigInt(weights[i] as number);
          expect(diff < 0n ? -diff : diff).toBeLessThan(weightSum);
          // Every part has the total's sign (or is zero).
          expect(Math.sign(parts[i] as number) * Math.sign(total)).toBeGreaterThanOrEqual(0);
          if (weights[i] === 0) expect(parts[i]).toBe(0);
        }
      }
      cases++;
    }
    expect(cases).toBe(4000);
  });
});

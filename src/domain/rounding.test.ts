import { describe, expect, test } from 'bun:test';
import {
  MILLIPERCENT_PER_WHOLE,
  applyRate,
  assertMillipercent,
  formatMillipercent,
  parseRateToMillipercent,
  roundHalfUpDiv,
} from './rounding';

describe('roundHalfUpDiv', () => {
  test('exact divisions are unchanged', () => {
    expect(roundHalfUpDiv(10n, 2n)).toBe(5n);
    expect(roundHalfUpDiv(0n, 7n)).toBe(0n);
    expect(roundHalfUpDiv(-10n, 2n)).toBe(-5n);
  });

  test('below half rounds toward zero, above half away from zero', () => {
    expect(roundHalfUpDiv(14n, 10n)).toBe(1n);
    expect(roundHalfUpDiv(16n, 10n)).toBe(2n);
    expect(roundHalfUpDiv(-14n, 10n)).toBe(-1n);
    expect(roundHalfUpDiv(-16n, 10n)).toBe(-2n);
    expect(roundHalfUpDiv(1n, 3n)).toBe(0n);
    expect(roundHalfUpDiv(2n, 3n)).toBe(1n);
  });

  test('ties round away from zero: 0.5 -> 1, -0.5 -> -1', () => {
    expect(roundHalfUpDiv(1n, 2n)).toBe(1n);
    expect(roundHalfUpDiv(-1n, 2n)).toBe(-1n);
    expect(roundHalfUpDiv(1n, -2n)).toBe(-1n);
    expect(roundHalfUpDiv(-1n, -2n)).toBe(1n);
    expect(roundHalfUpDiv(15n, 10n)).toBe(2n);
    expect(roundHalfUpDiv(25n, 10n)).toBe(3n); // not banker's rounding (which gives 2)
    expect(roundHalfUpDiv(-25n, 10n)).toBe(-3n);
  });

  test('the sign of the result depends only on the operand signs', () => {
    for (const [n, d] of [
      [7n, 3n],
      [8n, 3n],
      [9n, 6n],
    ] as const) {
      const r = roundHalfUpDiv(n, d);
      expect(roundHalfUpDiv(-n, d)).toBe(-r);
      expect(roundHalfUpDiv(n, -d)).toBe(-r);
      expect(roundHalfUpDiv(-n, -d)).toBe(r);
    }
  });

  test('huge values stay exact', () => {
    const big = 10n ** 40n;
    expect(roundHalfUpDiv(big * 3n + 1n, 2n)).toBe(big + big / 2n + 1n);
    expect(roundHalfUpDiv(big + 5n, 10n)).toBe(big / 10n + 1n);
  });

  test('matches a brute-force reference on a grid', () => {
    for (let n = -60n; n <= 60n; n++) {
      for (let d = -9n; d <= 9n; d++) {
        if (d === 0n) continue;
        // Reference: scale by 2 to find the nearest integer, ties away from zero.
        const q = Number(n) / Number(d);
        const expected = Math.sign(q) * Math.floor(Math.abs(q) + 0.5);
        expect(Number(roundHalfUpDiv(n, d))).toBe(expected === 0 ? 0 : expected);
      }
    }
  });

  test('division by zero throws RangeError; non-bigints throw TypeError', () => {
    expect(() => roundHalfUpDiv(1n, 0n)).toThrow(RangeError);
    expect(() => roundHalfUpDiv(1 as unknown as bigint, 2n)).toThrow(TypeError);
  });
});

describe('applyRate', () => {
  test('computes tax at 8.875%', () => {
    expect(applyRate(1000, 8875)).toBe(89); // 88.75 -> 89
    expect(applyRate(10000, 8875)).toBe(888); // 887.5 -> 888 (tie rounds up)
    expect(applyRate(100, 8875)).toBe(9); // 8.875 -> 9
    expect(applyRate(1, 8875)).toBe(0); // 0.08875 -> 0
    expect(applyRate(123456, 8875)).toBe(10957); // 10956.72
  });

  test('half-cent ties round up, and away from zero for negatives (refunds mirror sales)', () => {
    expect(applyRate(10, 5000)).toBe(1); // 0.5 -> 1
    expect(applyRate(-10, 5000)).toBe(-1); // -0.5 -> -1
    expect(applyRate(30, 5000)).toBe(2); // 1.5 -> 2
    expect(applyRate(50, 5000)).toBe(3); // 2.5 -> 3
    expect(applyRate(-50, 5000)).toBe(-3);
    expect(applyRate(1, 50000)).toBe(1); // 0.5 -> 1
    expect(applyRate(-1, 50000)).toBe(-1);
  });

  test('refunds are the exact negation of sales for many amounts and rates', () => {
    for (const rate of [0, 1, 4000, 6250, 7125, 8875, 9999, 50000, 100000]) {
      for (let amount = 0; amount < 2000; amount += 7) {
        expect(applyRate(-amount, rate)).toBe(-applyRate(amount, rate) + 0);
      }
    }
  });

  test('0% gives 0 (never -0) and 100% gives the amount', () => {
    expect(applyRate(12345, 0)).toBe(0);
    expect(Object.is(applyRate(-12345, 0), 0)).toBe(true);
    expect(applyRate(12345, MILLIPERCENT_PER_WHOLE)).toBe(12345);
    expect(applyRate(-12345, 100000)).toBe(-12345);
  });

  test('stays exact at the largest safe amount (float multiplication would not)', () => {
    const max = Number.MAX_SAFE_INTEGER;
    // 9007199254740991 * 8875 / 100000 = 799388933858262.95... -> ...263
    expect(applyRate(max, 8875)).toBe(799388933858263);
    expect(applyRate(max, 100000)).toBe(max);
    expect(applyRate(-max, 1)).toBe(-90071992547);
  });

  test('throws RangeError on bad amounts', () => {
    expect(() => applyRate(10.5, 8875)).toThrow(RangeError);
    expect(() => applyRate(Number.MAX_SAFE_INTEGER + 1, 8875)).toThrow(RangeError);
    expect(() => applyRate(NaN, 8875)).toThrow(RangeError);
  });

  test('throws RangeError on bad rates', () => {
    for (const rate of [-1, 100001, 8.875, NaN, Infinity]) {
      expect(() => applyRate(1000, rate)).toThrow(RangeError);
    }
  });
});

describe('assertMillipercent', () => {
  test('accepts 0..100000', () => {
    for (const r of [0, 1, 8875, 99999, 100000]) expect(() => assertMillipercent(r)).not.toThrow();
  });

  test('rejects everything else, naming the label', () => {
    for (const r of [-1, 100001, 0.5, '8875', null, 2 ** 60]) {
      expect(() => assertMillipercent(r)).toThrow(RangeError);
    }
    expect(() => assertMillipercent(-5, 'county tax')).toThrow('county tax');
  });
});

describe('parseRateToMillipercent', () => {
  test.each([
    ['8.875', 8875],
    ['8.875%', 8875],
    ['8.875 %', 8875],
    [' 8.875% ', 8875],
    ['8.5', 8500],
    ['8.50', 8500],
    ['8.500', 8500],
    ['8', 8000],
    ['8%', 8000],
    ['0', 0],
    ['0%', 0],
    ['0.001', 1],
    ['0.000', 0],
    ['007.25', 7250],
    ['100', 100000],
    ['100%', 100000],
    ['100.000', 100000],
    ['99.999', 99999],
  ] as const)('accepts %p -> %p', (input, expected) => {
    expect(parseRateToMillipercent(input)).toBe(expected);
  });

  test.each([
    '8.8755',
    '0.0001',
    '-1',
    '-0.5',
    '100.001',
    '101',
    '1000',
    '99999999999999999999999',
    '',
    ' ',
    '%',
    'abc',
    '8.',
    '.5',
    '8,875',
    '1e2',
    '+5',
    '8%%',
    '%8',
    '8 .5',
  ])('rejects %p', (input) => {
    expect(parseRateToMillipercent(input)).toBeNull();
  });

  test('returns null for non-string input', () => {
    expect(parseRateToMillipercent(8.875 as unknown as string)).toBeNull();
  });

  test('round-trips with formatMillipercent for every rate with a step', () => {
    for (let r = 0; r <= 100000; r += 37) {
      expect(parseRateToMillipercent(formatMillipercent(r))).toBe(r);
    }
    expect(parseRateToMillipercent(formatMillipercent(100000))).toBe(100000);
  });
});

describe('formatMillipercent', () => {
  test('trims trailing zeros', () => {
    expect(formatMillipercent(8875)).toBe('8.875%');
    expect(formatMillipercent(8500)).toBe('8.5%');
    expect(formatMillipercent(8050)).toBe('8.05%');
    expect(formatMillipercent(8000)).toBe('8%');
    expect(formatMillipercent(8005)).toBe('8.005%');
    expect(formatMillipercent(0)).toBe('0%');
    expect(formatMillipercent(1)).toBe('0.001%');
    expect(formatMillipercent(10)).toBe('0.01%');
    expect(formatMillipercent(100)).toBe('0.1%');
    expect(formatMillipercent(10000)).toBe('10%');
    expect(formatMillipercent(100000)).toBe('100%');
  });

  test('throws RangeError on invalid rates', () => {
    expect(() => formatMillipercent(-1)).toThrow(RangeError);
    expect(() => formatMillipercent(100001)).toThrow(RangeError);
    expect(() => formatMillipercent(8.5)).toThrow(RangeError);
  });
});

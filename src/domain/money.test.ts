import { describe, expect, test } from 'bun:test';
import {
  addCents,
  assertCents,
  bigintToCents,
  centsToDecimalString,
  describeValue,
  formatCents,
  parseMoneyToCents,
  sumCents,
  type Currency,
} from './money';

const MAX = Number.MAX_SAFE_INTEGER;
const MIN = Number.MIN_SAFE_INTEGER;

describe('assertCents', () => {
  test('accepts safe integers, including zero, negatives and the extremes', () => {
    for (const x of [0, 1, -1, 199, -123456, MAX, MIN]) {
      expect(() => assertCents(x)).not.toThrow();
    }
  });

  test('rejects fractions, unsafe integers and non-finite numbers with RangeError', () => {
    for (const x of [0.5, -0.01, 1.1, MAX + 1, MIN - 1, 2 ** 60, NaN, Infinity, -Infinity]) {
      expect(() => assertCents(x)).toThrow(RangeError);
    }
  });

  test('rejects non-numbers with RangeError', () => {
    for (const x of ['100', 100n, null, undefined, {}, [], true, Object.create(null)]) {
      expect(() => assertCents(x)).toThrow(RangeError);
    }
  });

  test('includes the label and the value in the message', () => {
    expect(() => assertCents(1.5, 'unit price')).toThrow('unit price must be a safe integer number of cents, got 1.5');
    expect(() => assertCents('7')).toThrow('amount must be a safe integer number of cents, got "7"');
  });

  test('narrows the type for TypeScript', () => {
    const value: unknown = 42;
    assertCents(value);
    const n: number = value; // compiles only because of the assertion signature
    expect(n).toBe(42);
  });
});

describe('addCents / sumCents', () => {
  test('adds exactly where floats would not', () => {
    expect(addCents(10, 20)).toBe(30);
    expect(addCents(1, 2, 3, 4)).toBe(10);
    expect(sumCents([199, 299, -98])).toBe(400);
  });

  test('empty input sums to zero', () => {
    expect(addCents()).toBe(0);
    expect(sumCents([])).toBe(0);
  });

  test('never returns -0', () => {
    expect(Object.is(addCents(-5, 5), 0)).toBe(true);
    expect(Object.is(sumCents([-0]), 0)).toBe(true);
  });

  test('intermediate overflow is fine as long as the result is safe', () => {
    expect(addCents(MAX, 1, -1)).toBe(MAX);
    expect(sumCents([MAX, MAX, -MAX])).toBe(MAX);
    expect(addCents(MIN, -1, 1)).toBe(MIN);
  });

  test('throws RangeError when the result is not a safe integer', () => {
    expect(() => addCents(MAX, 1)).toThrow(RangeError);
    expect(() => sumCents([MIN, -1])).toThrow(RangeError);
  });

  test('throws RangeError on a bad element, naming its index', () => {
    expect(() => addCents(1, 2.5)).toThrow('amount at index 1');
    expect(() => sumCents([1, 2, NaN])).toThrow(RangeError);
    expect(() => sumCents([1, '2' as unknown as number])).toThrow(RangeError);
  });

  test('handles long lists without blowing the stack', () => {
    const xs = new Array<number>(200_000).fill(3);
    expect(sumCents(xs)).toBe(600_000);
  });
});

describe('bigintToCents', () => {
  test('converts safe values and normalises -0', () => {
    expect(bigintToCents(123n)).toBe(123);
    expect(bigintToCents(-123n)).toBe(-123);
    expect(Object.is(bigintToCents(-0n), 0)).toBe(true);
    expect(bigintToCents(BigInt(MAX))).toBe(MAX);
    expect(bigintToCents(BigInt(MIN))).toBe(MIN);
  });

  test('throws RangeError outside the safe range', () => {
    expect(() => bigintToCents(BigInt(MAX) + 1n)).toThrow(RangeError);
    expect(() => bigintToCents(BigInt(MIN) - 1n, 'tax')).toThrow('tax');
  });
});

describe('formatCents', () => {
  test('formats with symbol, grouping and two decimals', () => {
    expect(formatCents(123456)).toBe('$1,234.56');
    expect(formatCents(0)).toBe('$0.00');
    expect(formatCents(5)).toBe('$0.05');
    expect(formatCents(50)).toBe('$0.50');
    expect(formatCents(100)).toBe('$1.00');
    expect(formatCents(99999)).toBe('$999.99');
    expect(formatCents(100000)).toBe('$1,000.00');
    expect(formatCents(100000000)).toBe('$1,000,000.00');
    expect(formatCents(12345678901)).toBe('$123,456,789.01');
  });

  test('puts the minus sign before the symbol', () => {
    expect(formatCents(-123456)).toBe('-$1,234.56');
    expect(formatCents(-1)).toBe('-$0.01');
    expect(formatCents(-100000)).toBe('-$1,000.00');
  });

  test('-0 formats as zero without a sign', () => {
    expect(formatCents(-0)).toBe('$0.00');
  });

  test('symbol: false drops the symbol but keeps grouping and sign', () => {
    expect(formatCents(123456, { symbol: false })).toBe('1,234.56');
    expect(formatCents(-123456, { symbol: false })).toBe('-1,234.56');
    expect(formatCents(123456, { currency: 'USD', symbol: true })).toBe('$1,234.56');
  });

  test('formats the largest safe amounts exactly', () => {
    expect(formatCents(MAX)).toBe('$90,071,992,547,409.91');
    expect(formatCents(MIN)).toBe('-$90,071,992,547,409.91');
  });

  test('throws RangeError on invalid amounts or currencies', () => {
    expect(() => formatCents(1.5)).toThrow(RangeError);
    expect(() => formatCents(NaN)).toThrow(RangeError);
    expect(() => formatCents(100, { currency: 'EUR' as Currency })).toThrow(RangeError);
  });
});

describe('centsToDecimalString', () => {
  test('plain decimal for CSV', () => {
    expect(centsToDecimalString(123456)).toBe('1234.56');
    expect(centsToDecimalString(0)).toBe('0.00');
    expect(centsToDecimalString(-0)).toBe('0.00');
    expect(centsToDecimalString(7)).toBe('0.07');
    expect(centsToDecimalString(-7)).toBe('-0.07');
    expect(centsToDecimalString(-123456)).toBe('-1234.56');
    expect(centsToDecimalString(100000000)).toBe('1000000.00');
    expect(centsToDecimalString(MAX)).toBe('90071992547409.91');
  });

  test('throws RangeError on invalid amounts', () => {
    expect(() => centsToDecimalString(0.1)).toThrow(RangeError);
  });

  test('round-trips through parseMoneyToCents', () => {
    for (const c of [0, 1, -1, 10, 99, 100, 101, 123456, -987654321, MAX, MIN]) {
      expect(parseMoneyToCents(centsToDecimalString(c))).toBe(c);
      expect(parseMoneyToCents(formatCents(c))).toBe(c);
    }
  });
});

describe('parseMoneyToCents', () => {
  test.each([
    ['12', 1200],
    ['12.5', 1250],
    ['12.50', 1250],
    ['12.05', 1205],
    ['0.01', 1],
    ['0', 0],
    ['0.00', 0],
    ['$1,234.56', 123456],
    ['1,234.56', 123456],
    ['1,234', 123400],
    ['$1,234,567.89', 123456789],
    ['-3.10', -310],
    ['-$3.10', -310],
    ['$3', 300],
    [' 7 ', 700],
    ['\t42.00\n', 4200],
    ['007', 700],
    ['1234567', 123456700],
    ['90071992547409.91', MAX],
    ['-90071992547409.91', MIN],
  ] as const)('accepts %p -> %p', (input, expected) => {
    expect(parseMoneyToCents(input)).toBe(expected);
  });

  test('"-0" parses to 0, not -0', () => {
    expect(Object.is(parseMoneyToCents('-0'), 0)).toBe(true);
    expect(Object.is(parseMoneyToCents('-$0.00'), 0)).toBe(true);
  });

  test.each([
    '1.234',
    'abc',
    '',
    '   ',
    '1e5',
    '1E5',
    '12.',
    '.5',
    '-',
    '$',
    '$-3',
    '--3',
    '+5',
    '$ 5',
    '5$',
    '1,23',
    '1,2345',
    '12,34.00',
    ',123',
    '1,234.5.6',
    '1 234',
    '0x10',
    'Infinity',
    'NaN',
    '12abc',
    '١٢',
    '90071992547409.92',
    '-90071992547409.92',
    '99999999999999999999',
  ])('rejects %p', (input) => {
    expect(parseMoneyToCents(input)).toBeNull();
  });

  test('returns null for non-string input instead of throwing', () => {
    expect(parseMoneyToCents(12 as unknown as string)).toBeNull();
    expect(parseMoneyToCents(undefined as unknown as string)).toBeNull();
  });
});

describe('describeValue', () => {
  test('renders values readably for error messages', () => {
    expect(describeValue('x')).toBe('"x"');
    expect(describeValue(5n)).toBe('5n');
    expect(describeValue(-0)).toBe('-0');
    expect(describeValue(1.5)).toBe('1.5');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(Object.create(null))).toBe('object');
  });
});

import { describe, expect, test } from 'bun:test';
import { averageCostAfter } from './average-cost';

describe('averageCostAfter', () => {
  test('blends a receipt into the existing average', () => {
    expect(averageCostAfter(10, 500, 10, 700)).toBe(600);
    expect(averageCostAfter(2, 100, 1, 101)).toBe(100); // 301/3 = 100.33 -> 100
    expect(averageCostAfter(1, 100, 1, 101)).toBe(101); // 100.5 rounds half up
  });
  test('issues leave the average alone', () => {
    expect(averageCostAfter(10, 500, -3, 0)).toBe(500);
    expect(averageCostAfter(10, 500, 0, 900)).toBe(500);
  });
  test('a receipt into zero or negative stock takes the receipt cost', () => {
    expect(averageCostAfter(0, 500, 5, 800)).toBe(800);
    expect(averageCostAfter(-2, 500, 5, 800)).toBe(800);
  });
  test('rejects fractions and negative costs', () => {
    expect(() => averageCostAfter(1.5, 100, 1, 100)).toThrow(RangeError);
    expect(() => averageCostAfter(1, 100, 1, -1)).toThrow(RangeError);
  });
  test('large values stay exact', () => {
    expect(averageCostAfter(1_000_000, 123_456, 1_000_000, 123_457)).toBe(123_457);
  });
});

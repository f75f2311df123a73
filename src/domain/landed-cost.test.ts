import { describe, expect, test } from 'bun:test';
import { sum } from './test-support';
import { allocateFreight, unitLandedCosts } from './landed-cost';

describe('allocateFreight', () => {
  test('no freight: landed cost is the unit cost', () => {
    expect(allocateFreight(0, [{ quantity: 3, unitCostCents: 45000 }])).toEqual([{ freightShareCents: 0, landedUnitCostCents: 45000 }]);
  });

  test('splits by line value, not by quantity', () => {
    // $900 of trumpets and $100 of valve oil share $50 freight 9:1.
    const out = allocateFreight(5000, [
      { quantity: 3, unitCostCents: 30000 },
      { quantity: 10, unitCostCents: 1000 },
    ]);
    expect(out.map((l) => l.freightShareCents)).toEqual([4500, 500]);
    expect(out.map((l) => l.landedUnitCostCents)).toEqual([31500, 1050]);
  });

  test('the shares always add up to the freight exactly; leftover cents go to the largest remainders, ties to the earlier line', () => {
    const out = allocateFreight(100, [
      { quantity: 1, unitCostCents: 100 },
      { quantity: 1, unitCostCents: 100 },
      { quantity: 1, unitCostCents: 100 },
    ]);
    expect(out.map((l) => l.freightShareCents)).toEqual([34, 33, 33]);
    for (let freight = 0; freight < 2000; freight += 37) {
      const lines = [
        { quantity: 7, unitCostCents: 1299 },
        { quantity: 1, unitCostCents: 89900 },
        { quantity: 13, unitCostCents: 7 },
      ];
      expect(sum(allocateFreight(freight, lines).map((l) => l.freightShareCents))).toBe(freight);
    }
  });

  test('per-unit landed cost rounds the share per unit half-up, once', () => {
    // 100 cents over 3 units: 33.33 -> 33; 101 over 2 units: 50.5 -> 51.
    expect(allocateFreight(100, [{ quantity: 3, unitCostCents: 1000 }])[0].landedUnitCostCents).toBe(1033);
    expect(allocateFreight(101, [{ quantity: 2, unitCostCents: 1000 }])[0].landedUnitCostCents).toBe(1051);
  });

  test('lines all worth $0.00 share the freight evenly', () => {
    expect(allocateFreight(10, [{ quantity: 1, unitCostCents: 0 }, { quantity: 5, unitCostCents: 0 }]).map((l) => l.freightShareCents)).toEqual([5, 5]);
  });

  test('refuses bad input loudly', () => {
    expect(() => allocateFreight(-1, [{ quantity: 1, unitCostCents: 1 }])).toThrow(RangeError);
    expect(() => allocateFreight(1.5, [{ quantity: 1, unitCostCents: 1 }])).toThrow(RangeError);
    expect(() => allocateFreight(0, [{ quantity: 0, unitCostCents: 1 }])).toThrow(RangeError);
    expect(() => allocateFreight(0, [{ quantity: 1, unitCostCents: -5 }])).toThrow(RangeError);
    expect(() => allocateFreight(100, [])).toThrow(RangeError);
    expect(allocateFreight(0, [])).toEqual([]);
  });
});

describe('unitLandedCosts', () => {
  test('the units of a serialized line sum exactly to value + share; the first units take the odd cents', () => {
    expect(unitLandedCosts(30000, 3, 4501)).toEqual([31501, 31500, 31500]);
    expect(sum(unitLandedCosts(30000, 3, 4501))).toBe(3 * 30000 + 4501);
    expect(unitLandedCosts(500, 2, 0)).toEqual([500, 500]);
  });
});

import { describe, expect, test } from 'bun:test';
import { applyStockChange, averageOf, shareOfValue, type StockPosition } from './stock-value';

const at = (quantity: number, valueCents: number, averageCostCents = averageOf(valueCents, quantity)): StockPosition => ({ quantity, valueCents, averageCostCents });

describe('shareOfValue / averageOf', () => {
  test('half-up share, the whole value for the last units', () => {
    expect(shareOfValue(1000, 3, 1)).toBe(333); // 333.33
    expect(shareOfValue(1000, 3, 2)).toBe(667); // 666.67
    expect(shareOfValue(1001, 2, 1)).toBe(501); // 500.5 rounds up
    expect(shareOfValue(1000, 3, 3)).toBe(1000);
  });
  test('average is value / quantity half-up, 0 with nothing on hand', () => {
    expect(averageOf(1000, 3)).toBe(333);
    expect(averageOf(1001, 2)).toBe(501);
    expect(averageOf(0, 0)).toBe(0);
    expect(averageOf(500, -2)).toBe(0);
  });
});

describe('applyStockChange: issues', () => {
  test('an issue takes half_up(value × q / qty) and the average is derived from what is left', () => {
    const r = applyStockChange(at(3, 1000), { quantity: -1 });
    expect(r).toMatchObject({ quantityAfter: 2, valueAfterCents: 667, valueDeltaCents: -333, costCents: 333, unitCostCents: 333, averageCostAfterCents: 334, varianceCents: 0 });
  });
  test('the last unit takes all remaining value: selling 3 one at a time empties the value exactly', () => {
    let p = at(3, 1000);
    const outs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = applyStockChange(p, { quantity: -1 });
      outs.push(r.costCents);
      p = { quantity: r.quantityAfter, valueCents: r.valueAfterCents, averageCostCents: r.averageCostAfterCents };
    }
    expect(outs).toEqual([333, 334, 333]);
    expect(outs.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(p).toEqual({ quantity: 0, valueCents: 0, averageCostCents: 333 });
  });
  test('issuing everything at once takes the whole value', () => {
    expect(applyStockChange(at(7, 1001), { quantity: -7 })).toMatchObject({ quantityAfter: 0, valueAfterCents: 0, valueDeltaCents: -1001, costCents: 1001 });
  });
  test('overselling past zero: the units on hand take their value, the rest go out at the average', () => {
    const r = applyStockChange(at(2, 1001, 501), { quantity: -5 });
    expect(r).toMatchObject({ quantityAfter: -3, costCents: 1001 + 3 * 501, valueAfterCents: -1503, averageCostAfterCents: 501 });
  });
  test('issuing from zero or negative stock goes out at the (last) average', () => {
    expect(applyStockChange(at(0, 0, 250), { quantity: -2 })).toMatchObject({ quantityAfter: -2, valueAfterCents: -500, valueDeltaCents: -500, averageCostAfterCents: 250 });
    expect(applyStockChange(at(-2, -500, 250), { quantity: -1 })).toMatchObject({ quantityAfter: -3, valueAfterCents: -750 });
  });
  test('an issue ignores any cost given', () => {
    expect(applyStockChange(at(4, 1000), { quantity: -2, unitCostCents: 9999, totalCostCents: 1 })).toMatchObject({ costCents: 500, valueAfterCents: 500 });
  });
});

describe('applyStockChange: incoming stock', () => {
  test('a receipt adds quantity × unit cost and re-derives the average', () => {
    const r = applyStockChange(at(10, 5000), { quantity: 10, unitCostCents: 700 });
    expect(r).toMatchObject({ quantityAfter: 20, valueAfterCents: 12000, valueDeltaCents: 7000, costCents: 7000, averageCostAfterCents: 600, unitCostCents: 700, varianceCents: 0 });
  });
  test('an exact total (landed cost with freight) is added as is, the movement shows its per-unit cost half-up', () => {
    const r = applyStockChange(at(0, 0), { quantity: 3, unitCostCents: 1000, totalCostCents: 3050 });
    expect(r).toMatchObject({ valueAfterCents: 3050, costCents: 3050, unitCostCents: 1017, averageCostAfterCents: 1017 });
  });
  test('no drift: many receipts and issues keep value = what came in − what went out', () => {
    let p = at(0, 0);
    let inTotal = 0;
    let outTotal = 0;
    const moves = [5, -2, 3, -1, -4, 7, -3, 2, -6, 1, -2];
    moves.forEach((q, i) => {
      const r = applyStockChange(p, q > 0 ? { quantity: q, unitCostCents: 333 + i * 17 } : { quantity: q });
      if (q > 0) inTotal += r.costCents;
      else outTotal += r.costCents;
      p = { quantity: r.quantityAfter, valueCents: r.valueAfterCents, averageCostCents: r.averageCostAfterCents };
    });
    expect(p.quantity).toBe(0);
    expect(p.valueCents).toBe(0);
    expect(inTotal).toBe(outTotal);
  });
  test('a positive adjustment without a cost comes in at the exact current average', () => {
    const r = applyStockChange(at(3, 1000), { quantity: 3 });
    expect(r).toMatchObject({ quantityAfter: 6, valueAfterCents: 2000, costCents: 1000, averageCostAfterCents: 333, unitCostCents: 333 });
  });
  test('without stock, a cost-less positive adjustment uses the last average, else the product cost', () => {
    expect(applyStockChange(at(0, 0, 420), { quantity: 2, fallbackUnitCostCents: 999 })).toMatchObject({ valueAfterCents: 840, averageCostAfterCents: 420 });
    expect(applyStockChange(at(0, 0, 0), { quantity: 2, fallbackUnitCostCents: 999 })).toMatchObject({ valueAfterCents: 1998, averageCostAfterCents: 999 });
    expect(applyStockChange(at(0, 0, 0), { quantity: 2 })).toMatchObject({ valueAfterCents: 0, averageCostAfterCents: 0 });
  });
  test('a receipt into negative stock: its cost becomes the average and the difference on the oversold units is the variance', () => {
    // 3 units were oversold at the $5.00 average; they really cost $6.00 each.
    const r = applyStockChange(at(-3, -1500, 500), { quantity: 5, unitCostCents: 600 });
    expect(r).toMatchObject({ quantityAfter: 2, valueAfterCents: 1200, valueDeltaCents: 2700, costCents: 3000, averageCostAfterCents: 600, varianceCents: 300 });
    expect(r.valueDeltaCents + r.varianceCents).toBe(r.costCents);
  });
  test('a receipt that leaves stock still negative values the remaining hole at the new cost', () => {
    const r = applyStockChange(at(-5, -2500, 500), { quantity: 2, unitCostCents: 600 });
    expect(r).toMatchObject({ quantityAfter: -3, valueAfterCents: -1800, valueDeltaCents: 700, costCents: 1200, varianceCents: 500, averageCostAfterCents: 600 });
  });
  test('a receipt exactly filling the hole leaves zero value', () => {
    const r = applyStockChange(at(-2, -1000, 500), { quantity: 2, unitCostCents: 450 });
    expect(r).toMatchObject({ quantityAfter: 0, valueAfterCents: 0, valueDeltaCents: 1000, costCents: 900, varianceCents: -100 });
  });
  test('large values stay exact', () => {
    const r = applyStockChange(at(1_000_000, 123_456_000_000), { quantity: -1 });
    expect(r.costCents).toBe(123_456);
    expect(applyStockChange(at(3, 9_007_199_254_740), { quantity: -1 }).costCents).toBe(3_002_399_751_580);
  });
});

describe('applyStockChange: bad input', () => {
  test('refuses zero or fractional quantities, negative or fractional costs', () => {
    expect(() => applyStockChange(at(1, 100), { quantity: 0 })).toThrow(RangeError);
    expect(() => applyStockChange(at(1, 100), { quantity: 1.5 })).toThrow(RangeError);
    expect(() => applyStockChange(at(1, 100), { quantity: 1, unitCostCents: -1 })).toThrow(RangeError);
    expect(() => applyStockChange(at(1, 100), { quantity: 1, unitCostCents: 1.5 })).toThrow(RangeError);
    expect(() => applyStockChange(at(1, 100), { quantity: 1, totalCostCents: -5 })).toThrow(RangeError);
    expect(() => applyStockChange({ quantity: 1, valueCents: 100, averageCostCents: -1 }, { quantity: 1 })).toThrow(RangeError);
    expect(() => applyStockChange({ quantity: 0.5, valueCents: 100, averageCostCents: 1 }, { quantity: 1 })).toThrow(RangeError);
  });
});

import { describe, expect, test } from 'bun:test';
import { lcg } from './test-support';
import { prorateReturnCents, refundForReturn, restockCostCents, type ReturnableLine } from './returns';

const MAX = Number.MAX_SAFE_INTEGER;

// The acceptance sale's strings line: $8.99 × 2, net $17.98, tax $1.60.
const strings: ReturnableLine = { quantity: 2, netCents: 1798, taxCents: 160, costCents: 900, returnedQuantity: 0 };

describe('prorateReturnCents', () => {
  test('half_up(N·(r+k)/Q) − half_up(N·r/Q)', () => {
    expect(prorateReturnCents(1000, 3, 0, 1)).toBe(333); // 333.33
    expect(prorateReturnCents(1000, 3, 1, 1)).toBe(334); // 666.67 -> 667, − 333
    expect(prorateReturnCents(1000, 3, 2, 1)).toBe(333); // 1000 − 667
    expect(prorateReturnCents(1000, 3, 0, 2)).toBe(667);
    expect(prorateReturnCents(1000, 3, 1, 2)).toBe(667);
  });

  test('returning the whole line refunds exactly what was recorded', () => {
    expect(prorateReturnCents(1798, 2, 0, 2)).toBe(1798);
    expect(prorateReturnCents(1, 7, 0, 7)).toBe(1);
    expect(prorateReturnCents(-359, 3, 0, 3)).toBe(-359);
    expect(prorateReturnCents(0, 5, 2, 3)).toBe(0);
  });

  test('rounds .5 away from zero for both signs', () => {
    expect(prorateReturnCents(5, 2, 0, 1)).toBe(3); // 2.5 -> 3
    expect(prorateReturnCents(5, 2, 1, 1)).toBe(2); // 5 − 3
    expect(prorateReturnCents(-5, 2, 0, 1)).toBe(-3);
    expect(prorateReturnCents(-5, 2, 1, 1)).toBe(-2);
    expect(prorateReturnCents(1, 2, 0, 1)).toBe(1); // 0.5 -> 1
    expect(prorateReturnCents(1, 2, 1, 1)).toBe(0);
    expect(Object.is(prorateReturnCents(-1, 2, 1, 1), -0)).toBe(false);
  });

  test('is exact for amounts near MAX_SAFE_INTEGER (the product N·(r+k) would overflow a double)', () => {
    expect(prorateReturnCents(MAX, 3, 0, 1)).toBe(3002399751580330); // 3002399751580330.33
    expect(prorateReturnCents(MAX, 3, 1, 1)).toBe(3002399751580331); // 6004799503160660.67 -> …661
    expect(prorateReturnCents(MAX, 3, 2, 1)).toBe(3002399751580330);
    expect(prorateReturnCents(MAX, 1_000_000, 0, 1_000_000)).toBe(MAX);
  });

  test('validates quantities', () => {
    expect(() => prorateReturnCents(1000, 3, 0, 0)).toThrow('units to return must be a whole number of 1 or more');
    expect(() => prorateReturnCents(1000, 3, 0, 4)).toThrow('cannot return 4 more unit(s): 0 of 3 already returned, 3 left');
    expect(() => prorateReturnCents(1000, 3, 2, 2)).toThrow(RangeError);
    expect(() => prorateReturnCents(1000, 3, 3, 1)).toThrow(RangeError);
    expect(() => prorateReturnCents(1000, 3, -1, 1)).toThrow('units already returned');
    expect(() => prorateReturnCents(1000, 3, 0, 1.5)).toThrow(RangeError);
    expect(() => prorateReturnCents(1000, 0, 0, 1)).toThrow('line quantity');
    expect(() => prorateReturnCents(10.5, 3, 0, 1)).toThrow('recorded amount');
  });
});

describe('refundForReturn', () => {
  test("the spec's acceptance: return one pack of strings -> $8.99 + $0.80 tax = $9.79", () => {
    expect(refundForReturn(strings, 1)).toEqual({ netCents: 899, taxCents: 80, totalCents: 979, costCents: 450 });
    // …and the second pack brings the rest.
    expect(refundForReturn({ ...strings, returnedQuantity: 1 }, 1)).toEqual({ netCents: 899, taxCents: 80, totalCents: 979, costCents: 450 });
  });

  test('the tuner line (one unit) refunds exactly its net and tax', () => {
    const tuner: ReturnableLine = { quantity: 1, netCents: 2245, taxCents: 199, costCents: 1210, returnedQuantity: 0 };
    expect(refundForReturn(tuner, 1)).toEqual({ netCents: 2245, taxCents: 199, totalCents: 2444, costCents: 1210 });
  });

  test('lines without a recorded cost give costCents null', () => {
    const labor: ReturnableLine = { quantity: 3, netCents: 1000, taxCents: 89, costCents: null, returnedQuantity: 0 };
    expect(refundForReturn(labor, 1)).toEqual({ netCents: 333, taxCents: 30, totalCents: 363, costCents: null });
  });

  test('an exempt sale line refunds no tax', () => {
    expect(refundForReturn({ ...strings, taxCents: 0 }, 1).taxCents).toBe(0);
  });

  test('refuses over-returns', () => {
    expect(() => refundForReturn({ ...strings, returnedQuantity: 2 }, 1)).toThrow('0 left');
  });
});

describe('restockCostCents', () => {
  test('prorates the sale line cost the same way', () => {
    expect(restockCostCents(1001, 2, 0, 1)).toBe(501);
    expect(restockCostCents(1001, 2, 1, 1)).toBe(500);
    expect(restockCostCents(1001, 2, 0, 2)).toBe(1001);
  });

  test('refuses a negative cost', () => {
    expect(() => restockCostCents(-1, 2, 0, 1)).toThrow('line cost cannot be negative');
  });
});

describe('property: any sequence of partial returns refunds exactly the recorded amounts (seeded)', () => {
  test('net, tax and cost telescope to N, T and C; every step within a cent of its exact share', () => {
    const next = lcg(0x0e7_0e7);
    for (let round = 0; round < 3000; round++) {
      const quantity = 1 + (next() % 25);
      const big = next() % 4 === 0;
      const net = big ? next() * 2048 + next() : next() % 1_000_000;
      const tax = next() % 100_000;
      const cost = next() % 3 === 0 ? null : next() % 800_000;
      const sign = next() % 5 === 0 ? -1 : 1; // a no-receipt return line recorded negative
      const line: ReturnableLine = { quantity, netCents: sign * net + 0, taxCents: sign * tax + 0, costCents: cost, returnedQuantity: 0 };

      let refundedNet = 0;
      let refundedTax = 0;
      let refundedCost = 0;
      while (line.returnedQuantity < quantity) {
        const left = quantity - line.returnedQuantity;
        const k = 1 + (next() % left);
        const refund = refundForReturn(line, k);
        // Within a cent of k/Q of the recorded amount, with the recorded amount's sign.
        for (const [part, recorded] of [
          [refund.netCents, line.netCents],
          [refund.taxCents, line.taxCents],
        ] as const) {
          const diff = BigInt(part) * BigInt(quantity) - BigInt(recorded) * BigInt(k);
          expect(diff < 0n ? -diff : diff).toBeLessThan(BigInt(quantity));
          expect(Math.sign(part) * Math.sign(recorded)).toBeGreaterThanOrEqual(0);
        }
        expect(refund.totalCents).toBe(refund.netCents + refund.taxCents);
        refundedNet += refund.netCents;
        refundedTax += refund.taxCents;
        if (cost === null) expect(refund.costCents).toBeNull();
        else {
          expect(refund.costCents!).toBeGreaterThanOrEqual(0);
          refundedCost += refund.costCents!;
        }
        line.returnedQuantity += k;
      }
      expect(refundedNet).toBe(line.netCents);
      expect(refundedTax).toBe(line.taxCents);
      expect(refundedCost).toBe(cost ?? 0);
      expect(() => refundForReturn(line, 1)).toThrow(RangeError);
    }
  });
});

import { describe, expect, test } from 'bun:test';
import { lcg, sum } from './test-support';
import {
  applyTenders,
  cashDueCents,
  defaultRefundTenders,
  isTenderKind,
  TENDER_KINDS,
  type PaidTender,
  type TenderInput,
  type TenderKind,
} from './tenders';

const MAX = Number.MAX_SAFE_INTEGER;

const NON_CASH = TENDER_KINDS.filter((k) => k !== 'cash');

describe('applyTenders', () => {
  test("the spec's acceptance sale: $44.02 paid with $60.00 cash -> change $15.98", () => {
    expect(applyTenders(4402, [{ kind: 'cash', amountCents: 6000 }])).toEqual({
      tenders: [{ index: 0, kind: 'cash', tenderedCents: 6000, appliedCents: 4402, changeCents: 1598 }],
      appliedCents: 4402,
      changeCents: 1598,
      roundingCents: 0,
      remainingCents: 0,
    });
  });

  test('exact cash gives no change', () => {
    const r = applyTenders(4402, [{ kind: 'cash', amountCents: 4402 }]);
    expect(r.changeCents).toBe(0);
    expect(r.remainingCents).toBe(0);
  });

  test('split tenders apply in order; the last (cash) gives change', () => {
    const r = applyTenders(4402, [
      { kind: 'gift_card', amountCents: 2000 },
      { kind: 'card', amountCents: 1000 },
      { kind: 'cash', amountCents: 2000 },
    ]);
    expect(r.tenders.map((t) => [t.kind, t.appliedCents, t.changeCents])).toEqual([
      ['gift_card', 2000, 0],
      ['card', 1000, 0],
      ['cash', 1402, 598],
    ]);
    expect(r.appliedCents).toBe(4402);
    expect(r.changeCents).toBe(598);
  });

  test('a partial payment leaves the rest due', () => {
    const r = applyTenders(4402, [
      { kind: 'cash', amountCents: 1000 },
      { kind: 'store_credit', amountCents: 402 },
    ]);
    expect(r.remainingCents).toBe(3000);
    expect(r.appliedCents).toBe(1402);
    expect(r.changeCents).toBe(0);
  });

  test('every non-cash tender may pay exactly what is due but no more', () => {
    for (const kind of NON_CASH) {
      expect(applyTenders(4402, [{ kind, amountCents: 4402 }]).remainingCents).toBe(0);
      expect(() => applyTenders(4402, [{ kind, amountCents: 4403 }])).toThrow(`${kind} of 4403 is more than the 4402 still due`);
    }
    expect(() =>
      applyTenders(4402, [
        { kind: 'cash', amountCents: 4000 },
        { kind: 'card', amountCents: 500 },
      ]),
    ).toThrow('tender 1: card of 500 is more than the 402 still due');
  });

  test('nothing is accepted once the total is paid', () => {
    expect(() =>
      applyTenders(4402, [
        { kind: 'card', amountCents: 4402 },
        { kind: 'cash', amountCents: 100 },
      ]),
    ).toThrow('tender 1: nothing is left to pay');
    expect(() =>
      applyTenders(4402, [
        { kind: 'cash', amountCents: 5000 },
        { kind: 'cash', amountCents: 100 },
      ]),
    ).toThrow('nothing is left to pay');
  });

  test('a $0.00 document needs no tender and accepts none', () => {
    expect(applyTenders(0, [])).toEqual({ tenders: [], appliedCents: 0, changeCents: 0, roundingCents: 0, remainingCents: 0 });
    expect(() => applyTenders(0, [{ kind: 'cash', amountCents: 100 }])).toThrow('nothing is left to pay');
  });

  test('no tenders leaves the whole total due', () => {
    expect(applyTenders(4402, []).remainingCents).toBe(4402);
  });

  test('refuses bad totals and tenders', () => {
    expect(() => applyTenders(-1, [])).toThrow('total to pay cannot be negative');
    expect(() => applyTenders(10.5, [])).toThrow(RangeError);
    expect(() => applyTenders(100, [{ kind: 'cash', amountCents: 0 }])).toThrow('amount must be more than 0');
    expect(() => applyTenders(100, [{ kind: 'card', amountCents: -5 }])).toThrow(RangeError);
    expect(() => applyTenders(100, [{ kind: 'cash', amountCents: 1.5 }])).toThrow('tender 0 amount');
    expect(() => applyTenders(100, [{ kind: 'iou' as TenderKind, amountCents: 1 }])).toThrow('unknown kind "iou"');
    expect(() => applyTenders(100, [], { cashRoundingIncrementCents: 3 })).toThrow('cash rounding increment');
  });

  test('handles totals near MAX_SAFE_INTEGER', () => {
    const r = applyTenders(MAX - 1, [
      { kind: 'card', amountCents: MAX - 10 },
      { kind: 'cash', amountCents: MAX },
    ]);
    expect(r.tenders[1]!.appliedCents).toBe(9);
    expect(r.changeCents).toBe(MAX - 9);
    expect(r.remainingCents).toBe(0);
  });

  describe('cash rounding (optional)', () => {
    test('rounds the balance half-up to the increment when cash settles it', () => {
      const up = applyTenders(1003, [{ kind: 'cash', amountCents: 2000 }], { cashRoundingIncrementCents: 5 });
      expect(up).toEqual({
        tenders: [{ index: 0, kind: 'cash', tenderedCents: 2000, appliedCents: 1003, changeCents: 995 }],
        appliedCents: 1003,
        changeCents: 995,
        roundingCents: 2,
        remainingCents: 0,
      });
      const down = applyTenders(1002, [{ kind: 'cash', amountCents: 1000 }], { cashRoundingIncrementCents: 5 });
      expect(down.roundingCents).toBe(-2);
      expect(down.changeCents).toBe(0);
      expect(down.remainingCents).toBe(0);
    });

    test('only the cash-settled balance is rounded; cards pay to the cent', () => {
      const r = applyTenders(
        4402,
        [
          { kind: 'card', amountCents: 2001 },
          { kind: 'cash', amountCents: 2500 },
        ],
        { cashRoundingIncrementCents: 5 },
      );
      // 2401 left -> cash due 2400; change 100; rounding −1.
      expect(r.tenders[1]).toEqual({ index: 1, kind: 'cash', tenderedCents: 2500, appliedCents: 2401, changeCents: 100 });
      expect(r.roundingCents).toBe(-1);
      expect(applyTenders(1003, [{ kind: 'card', amountCents: 1003 }], { cashRoundingIncrementCents: 5 }).roundingCents).toBe(0);
    });

    test('a cash tender below the rounded balance is a partial payment, not rounded', () => {
      const r = applyTenders(1003, [{ kind: 'cash', amountCents: 1000 }], { cashRoundingIncrementCents: 5 });
      expect(r.remainingCents).toBe(3);
      expect(r.roundingCents).toBe(0);
    });

    test('cash must be a multiple of the increment', () => {
      expect(() => applyTenders(1003, [{ kind: 'cash', amountCents: 1003 }], { cashRoundingIncrementCents: 5 })).toThrow(
        'cash must be a multiple of 5 cents',
      );
    });
  });
});

describe('cashDueCents', () => {
  test('nearest multiple of the increment, ties up', () => {
    expect(cashDueCents(1003, 5)).toBe(1005);
    expect(cashDueCents(1002, 5)).toBe(1000);
    expect(cashDueCents(1005, 10)).toBe(1010);
    expect(cashDueCents(1004, 10)).toBe(1000);
    expect(cashDueCents(1037, 25)).toBe(1025);
    expect(cashDueCents(1038, 25)).toBe(1050);
    expect(cashDueCents(1003, 1)).toBe(1003);
    expect(cashDueCents(2, 5)).toBe(0);
    expect(cashDueCents(0, 100)).toBe(0);
  });

  test('refuses negative amounts and odd increments', () => {
    expect(() => cashDueCents(-5, 5)).toThrow(RangeError);
    expect(() => cashDueCents(5, 0)).toThrow(RangeError);
    expect(() => cashDueCents(5, 2)).toThrow(RangeError);
  });
});

describe('isTenderKind', () => {
  test('knows the spec tenders', () => {
    for (const k of ['cash', 'check', 'card', 'external_card', 'store_credit', 'gift_card', 'account', 'trade_in']) expect(isTenderKind(k)).toBe(true);
    expect(isTenderKind('bitcoin')).toBe(false);
    expect(isTenderKind(1)).toBe(false);
  });
});

describe('defaultRefundTenders', () => {
  const paid: PaidTender[] = [
    { kind: 'gift_card', paidCents: 2000 },
    { kind: 'card', paidCents: 1000 },
    { kind: 'cash', paidCents: 1402 },
  ];

  test('goes back in reverse order, each capped at what it paid', () => {
    expect(defaultRefundTenders(979, paid)).toEqual([{ index: 2, kind: 'cash', amountCents: 979 }]);
    expect(defaultRefundTenders(2000, paid)).toEqual([
      { index: 2, kind: 'cash', amountCents: 1402 },
      { index: 1, kind: 'card', amountCents: 598 },
    ]);
    expect(defaultRefundTenders(4402, paid)).toEqual([
      { index: 2, kind: 'cash', amountCents: 1402 },
      { index: 1, kind: 'card', amountCents: 1000 },
      { index: 0, kind: 'gift_card', amountCents: 2000 },
    ]);
  });

  test("the acceptance return: one pack of strings on a cash sale refunds $9.79 cash", () => {
    expect(defaultRefundTenders(979, [{ kind: 'cash', paidCents: 4402 }])).toEqual([{ index: 0, kind: 'cash', amountCents: 979 }]);
  });

  test('takes earlier refunds into account', () => {
    const partly: PaidTender[] = [
      { kind: 'card', paidCents: 1000 },
      { kind: 'cash', paidCents: 1402, refundedCents: 1402 },
    ];
    expect(defaultRefundTenders(500, partly)).toEqual([{ index: 0, kind: 'card', amountCents: 500 }]);
    expect(() => defaultRefundTenders(1001, partly)).toThrow('more than the original tenders can take back (1000)');
  });

  test('zero refunds nothing; refuses negatives and inconsistent originals', () => {
    expect(defaultRefundTenders(0, paid)).toEqual([]);
    expect(defaultRefundTenders(0, [])).toEqual([]);
    expect(() => defaultRefundTenders(1, [])).toThrow(RangeError);
    expect(() => defaultRefundTenders(-1, paid)).toThrow('refund cannot be negative');
    expect(() => defaultRefundTenders(1, [{ kind: 'card', paidCents: 100, refundedCents: 101 }])).toThrow('more than it paid');
    expect(() => defaultRefundTenders(1, [{ kind: 'card', paidCents: -100 }])).toThrow(RangeError);
    expect(() => defaultRefundTenders(1, [{ kind: 'iou' as TenderKind, paidCents: 100 }])).toThrow('unknown kind');
  });
});

describe('property (seeded)', () => {
  test('applying valid tenders: applied + remaining = total, tendered = applied + change + rounding', () => {
    const next = lcg(0x7e_4de5);
    for (let round = 0; round < 3000; round++) {
      const increment = [1, 1, 5, 10, 25][next() % 5]!;
      const total = next() % 3 === 0 ? next() * 1024 + next() : next() % 200_000;
      const tenders: TenderInput[] = [];
      let remaining = total;
      const count = next() % 5;
      for (let i = 0; i < count && remaining > 0; i++) {
        const cash = next() % 2 === 0;
        if (cash) {
          const due = cashDueCents(remaining, increment);
          const raw = next() % 3 === 0 ? due + (next() % 10_000) : 1 + (next() % Math.max(1, due));
          const amount = Math.max(increment, Math.ceil(raw / increment) * increment);
          tenders.push({ kind: 'cash', amountCents: amount });
          remaining = amount >= due ? 0 : remaining - amount;
        } else {
          const amount = 1 + (next() % remaining);
          tenders.push({ kind: NON_CASH[next() % NON_CASH.length]!, amountCents: amount });
          remaining -= amount;
        }
      }
      const r = applyTenders(total, tenders, { cashRoundingIncrementCents: increment });
      expect(r.remainingCents).toBe(remaining);
      expect(r.appliedCents + r.remainingCents).toBe(total);
      expect(sum(r.tenders.map((t) => t.appliedCents))).toBe(r.appliedCents);
      expect(sum(tenders.map((t) => t.amountCents))).toBe(r.appliedCents + r.changeCents + r.roundingCents);
      expect(Math.abs(r.roundingCents) * 2).toBeLessThanOrEqual(increment);
      r.tenders.forEach((t, i) => {
        expect(t.appliedCents).toBeGreaterThanOrEqual(0);
        expect(t.changeCents).toBeGreaterThanOrEqual(0);
        if (t.changeCents > 0) {
          expect(t.kind).toBe('cash');
          expect(i).toBe(r.tenders.length - 1);
        }
        if (t.kind !== 'cash') expect(t.appliedCents).toBe(t.tenderedCents);
      });
    }
  });

  test('default refund: parts sum to the refund, each within what its tender can take, reverse order', () => {
    const next = lcg(0x4ef_00d);
    for (let round = 0; round < 3000; round++) {
      const paid: PaidTender[] = [];
      const n = next() % 6;
      for (let i = 0; i < n; i++) {
        const paidCents = next() % 50_000;
        const refundedCents = next() % 3 === 0 ? next() % (paidCents + 1) : 0;
        paid.push({ kind: TENDER_KINDS[next() % TENDER_KINDS.length]!, paidCents, refundedCents });
      }
      const capacity = paid.map((t) => t.paidCents - (t.refundedCents ?? 0));
      const available = sum(capacity);
      const refund = next() % (available + 1);
      const parts = defaultRefundTenders(refund, paid);
      expect(sum(parts.map((p) => p.amountCents))).toBe(refund);
      for (const p of parts) {
        expect(p.amountCents).toBeGreaterThan(0);
        expect(p.amountCents).toBeLessThanOrEqual(capacity[p.index]!);
        expect(p.kind).toBe(paid[p.index]!.kind);
      }
      // Reverse order, and a tender is touched only when every later tender is used up.
      for (let j = 1; j < parts.length; j++) {
        expect(parts[j]!.index).toBeLessThan(parts[j - 1]!.index);
        expect(parts[j - 1]!.amountCents).toBe(capacity[parts[j - 1]!.index]!);
      }
      if (parts.length > 0) {
        for (let i = parts[0]!.index + 1; i < n; i++) expect(capacity[i]).toBe(0);
      }
      if (available > 0) expect(() => defaultRefundTenders(available + 1, paid)).toThrow(RangeError);
    }
  });
});

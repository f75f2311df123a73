import { describe, expect, test } from 'bun:test';
import { lcg, sum } from './test-support';
import {
  classRateMillipercent,
  classTaxCents,
  computeDocumentTax,
  splitTaxToComponents,
  type TaxClass,
  type TaxLineInput,
} from './tax';

const MAX = Number.MAX_SAFE_INTEGER;

// New York City's 8.875%: state 4%, city 4.5%, MCTD 0.375%.
const STANDARD: TaxClass = {
  id: 'standard',
  components: [
    { code: 'state', rateMillipercent: 4000 },
    { code: 'city', rateMillipercent: 4500 },
    { code: 'mctd', rateMillipercent: 375 },
  ],
};
const LABOR: TaxClass = { id: 'labor', components: [{ code: 'state', rateMillipercent: 4000 }] };
const EXEMPT: TaxClass = { id: 'exempt', components: [] };
const TEN: TaxClass = { id: 'ten', components: [{ code: 'state', rateMillipercent: 10_000 }] };

const acceptanceLines: TaxLineInput[] = [
  { netCents: 1798, taxClassId: 'standard' }, // strings $8.99 × 2
  { netCents: 2245, taxClassId: 'standard' }, // tuner $24.95 − 10%
];

describe('classRateMillipercent', () => {
  test('sums the components', () => {
    expect(classRateMillipercent(STANDARD)).toBe(8875);
    expect(classRateMillipercent(EXEMPT)).toBe(0);
  });

  test('refuses bad components', () => {
    expect(() => classRateMillipercent({ id: 'x', components: [{ code: 'a', rateMillipercent: 8.875 }] })).toThrow(RangeError);
    expect(() => classRateMillipercent({ id: 'x', components: [{ code: 'a', rateMillipercent: -1 }] })).toThrow(RangeError);
    expect(() =>
      classRateMillipercent({ id: 'x', components: [{ code: 'a', rateMillipercent: 60_000 }, { code: 'b', rateMillipercent: 50_000 }] }),
    ).toThrow('combined rate');
    expect(() =>
      classRateMillipercent({ id: 'x', components: [{ code: 'a', rateMillipercent: 1 }, { code: 'a', rateMillipercent: 2 }] }),
    ).toThrow('twice');
    expect(() => classRateMillipercent({ id: 'x', components: [{ code: '', rateMillipercent: 1 }] })).toThrow('needs a code');
  });
});

describe('classTaxCents', () => {
  test('half_up(net × rate / 100000), half away from zero for both signs', () => {
    expect(classTaxCents(4043, 8875)).toBe(359); // 358.81625
    expect(classTaxCents(-4043, 8875)).toBe(-359);
    expect(classTaxCents(100, 500)).toBe(1); // 0.5
    expect(classTaxCents(-100, 500)).toBe(-1); // -0.5
    expect(classTaxCents(99, 500)).toBe(0); // 0.495
    expect(classTaxCents(-99, 500)).toBe(0);
    expect(Object.is(classTaxCents(-99, 500), -0)).toBe(false);
    expect(classTaxCents(0, 8875)).toBe(0);
  });

  test('is exact near MAX_SAFE_INTEGER', () => {
    expect(classTaxCents(MAX, 100_000)).toBe(MAX);
    expect(classTaxCents(MAX, 50_000)).toBe(4503599627370496);
    expect(classTaxCents(-MAX, 50_000)).toBe(-4503599627370496);
  });
});

describe('splitTaxToComponents', () => {
  test('largest remainder weighted by rate', () => {
    // 359 × 4000/8875 = 161.80, × 4500/8875 = 182.03, × 375/8875 = 15.17 -> 161+182+15 = 358, +1 to state.
    expect(splitTaxToComponents(359, STANDARD.components).map((c) => c.taxCents)).toEqual([162, 182, 15]);
    expect(splitTaxToComponents(-359, STANDARD.components).map((c) => c.taxCents)).toEqual([-162, -182, -15]);
  });

  test('a tie goes to the earlier component', () => {
    const halves = [
      { code: 'a', rateMillipercent: 3000 },
      { code: 'b', rateMillipercent: 3000 },
    ];
    expect(splitTaxToComponents(1, halves).map((c) => c.taxCents)).toEqual([1, 0]);
    expect(splitTaxToComponents(-1, halves).map((c) => c.taxCents)).toEqual([-1, 0]);
  });

  test('zero tax over no components or 0% components is fine; nonzero tax is refused', () => {
    expect(splitTaxToComponents(0, [])).toEqual([]);
    expect(splitTaxToComponents(0, [{ code: 'a', rateMillipercent: 0 }])).toEqual([{ code: 'a', rateMillipercent: 0, taxCents: 0 }]);
    expect(() => splitTaxToComponents(5, [])).toThrow('rates are all 0');
    expect(() => splitTaxToComponents(5, [{ code: 'a', rateMillipercent: 0 }])).toThrow(RangeError);
  });
});

describe('computeDocumentTax', () => {
  test("the spec's acceptance sale: net $40.43, tax $3.59 = strings $1.60 + tuner $1.99", () => {
    const doc = computeDocumentTax({ lines: acceptanceLines, classes: [STANDARD] });
    expect(doc.netCents).toBe(4043);
    expect(doc.taxCents).toBe(359);
    expect(doc.lines).toEqual([
      { taxClassId: 'standard', netCents: 1798, taxCents: 160 },
      { taxClassId: 'standard', netCents: 2245, taxCents: 199 },
    ]);
    expect(doc.classes).toEqual([
      {
        taxClassId: 'standard',
        rateMillipercent: 8875,
        netCents: 4043,
        taxCents: 359,
        components: [
          { code: 'state', rateMillipercent: 4000, taxCents: 162 },
          { code: 'city', rateMillipercent: 4500, taxCents: 182 },
          { code: 'mctd', rateMillipercent: 375, taxCents: 15 },
        ],
      },
    ]);
    expect(doc.netCents + doc.taxCents).toBe(4402);
  });

  test('a tax-exempt document (the school) owes nothing on every line, class and component', () => {
    const doc = computeDocumentTax({ lines: acceptanceLines, classes: [STANDARD], exempt: true });
    expect(doc.exempt).toBe(true);
    expect(doc.taxCents).toBe(0);
    expect(doc.netCents).toBe(4043);
    expect(doc.lines.map((l) => l.taxCents)).toEqual([0, 0]);
    expect(doc.classes[0]!.taxCents).toBe(0);
    expect(doc.classes[0]!.components.map((c) => c.taxCents)).toEqual([0, 0, 0]);
  });

  test('a return document mirrors the sale cent for cent (rounds on absolute values)', () => {
    const doc = computeDocumentTax({
      lines: acceptanceLines.map((l) => ({ ...l, netCents: -l.netCents })),
      classes: [STANDARD],
    });
    expect(doc.taxCents).toBe(-359);
    expect(doc.lines.map((l) => l.taxCents)).toEqual([-160, -199]);
    expect(doc.classes[0]!.components.map((c) => c.taxCents)).toEqual([-162, -182, -15]);
  });

  test('tax is rounded once per class, not per line', () => {
    // Three 5¢ lines at 10%: per line 0.5¢ would round to 3¢; the class is half_up(1.5) = 2¢.
    const doc = computeDocumentTax({
      lines: [5, 5, 5].map((n) => ({ netCents: n, taxClassId: 'ten' })),
      classes: [TEN],
    });
    expect(doc.taxCents).toBe(2);
    expect(doc.lines.map((l) => l.taxCents)).toEqual([1, 1, 0]);
  });

  test('a tie between lines goes to the earlier line, for both signs', () => {
    const lines = (n: number) => [n, n].map((netCents) => ({ netCents, taxClassId: 'ten' }));
    expect(computeDocumentTax({ lines: lines(5), classes: [TEN] }).lines.map((l) => l.taxCents)).toEqual([1, 0]);
    expect(computeDocumentTax({ lines: lines(-5), classes: [TEN] }).lines.map((l) => l.taxCents)).toEqual([-1, 0]);
  });

  test('several classes are computed separately; an exempt class taxes nothing', () => {
    const doc = computeDocumentTax({
      lines: [
        { netCents: 1000, taxClassId: 'labor' }, // repair labor
        { netCents: 1798, taxClassId: 'standard' },
        { netCents: 5000, taxClassId: 'exempt' },
        { netCents: 2245, taxClassId: 'standard' },
        { netCents: 1001, taxClassId: 'labor' },
      ],
      classes: [STANDARD, LABOR, EXEMPT, TEN],
    });
    // labor: half_up(2001 × 4%) = half_up(80.04) = 80, split 1000:1001 -> 39.98, 40.02 -> 40, 40.
    expect(doc.classes.map((c) => [c.taxClassId, c.netCents, c.taxCents])).toEqual([
      ['labor', 2001, 80],
      ['standard', 4043, 359],
      ['exempt', 5000, 0],
    ]);
    expect(doc.lines.map((l) => l.taxCents)).toEqual([40, 160, 0, 199, 40]);
    expect(doc.classes[2]!.components).toEqual([]);
    expect(doc.taxCents).toBe(439);
    expect(doc.netCents).toBe(11044);
  });

  test('zero lines and one line', () => {
    expect(computeDocumentTax({ lines: [], classes: [STANDARD] })).toEqual({ exempt: false, lines: [], classes: [], netCents: 0, taxCents: 0 });
    const one = computeDocumentTax({ lines: [{ netCents: 2245, taxClassId: 'standard' }], classes: [STANDARD] });
    expect(one.lines[0]!.taxCents).toBe(199); // 199.24375
    expect(one.taxCents).toBe(199);
  });

  test('zero-net lines get no tax and do not disturb the others', () => {
    const doc = computeDocumentTax({
      lines: [0, 1798, 0, 2245].map((netCents) => ({ netCents, taxClassId: 'standard' })),
      classes: [STANDARD],
    });
    expect(doc.lines.map((l) => l.taxCents)).toEqual([0, 160, 0, 199]);
    const zeros = computeDocumentTax({ lines: [0, 0].map((netCents) => ({ netCents, taxClassId: 'standard' })), classes: [STANDARD] });
    expect(zeros.lines.map((l) => l.taxCents)).toEqual([0, 0]);
    expect(zeros.classes[0]!.components.map((c) => c.taxCents)).toEqual([0, 0, 0]);
  });

  test('a return line and a sale line in one class and one document are refused', () => {
    expect(() =>
      computeDocumentTax({
        lines: [
          { netCents: 1000, taxClassId: 'standard' },
          { netCents: -500, taxClassId: 'standard' },
        ],
        classes: [STANDARD],
      }),
    ).toThrow('mixes sale and return lines');
    // Different classes may differ in sign.
    const doc = computeDocumentTax({
      lines: [
        { netCents: 1000, taxClassId: 'standard' },
        { netCents: -500, taxClassId: 'labor' },
      ],
      classes: [STANDARD, LABOR],
    });
    expect(doc.lines.map((l) => l.taxCents)).toEqual([89, -20]);
    expect(doc.taxCents).toBe(69);
  });

  test('large values stay exact; sums past MAX_SAFE_INTEGER are refused', () => {
    const big = computeDocumentTax({
      lines: [{ netCents: MAX, taxClassId: 'ten' }],
      classes: [TEN],
    });
    expect(big.taxCents).toBe(900719925474099); // 900719925474099.1
    expect(() =>
      computeDocumentTax({
        lines: [
          { netCents: MAX, taxClassId: 'ten' },
          { netCents: 1, taxClassId: 'ten' },
        ],
        classes: [TEN],
      }),
    ).toThrow(RangeError);
  });

  test('refuses unknown or duplicate classes and bad nets', () => {
    expect(() => computeDocumentTax({ lines: [{ netCents: 1, taxClassId: 'nope' }], classes: [STANDARD] })).toThrow(
      'line 0 has unknown tax class "nope"',
    );
    expect(() => computeDocumentTax({ lines: [], classes: [STANDARD, STANDARD] })).toThrow('listed twice');
    expect(() => computeDocumentTax({ lines: [], classes: [{ id: '', components: [] }] })).toThrow('needs an id');
    expect(() => computeDocumentTax({ lines: [{ netCents: 1.5, taxClassId: 'standard' }], classes: [STANDARD] })).toThrow(
      'line 0 net',
    );
  });

  test('property: line taxes sum to the document tax, components to the class tax, signs right, mirror exact (seeded)', () => {
    const next = lcg(0x7a8_7a8);
    for (let round = 0; round < 2000; round++) {
      const classCount = 1 + (next() % 3);
      const classes: TaxClass[] = [];
      for (let c = 0; c < classCount; c++) {
        const componentCount = next() % 4; // 0 = an exempt class
        const components = [];
        for (let k = 0; k < componentCount; k++) components.push({ code: `j${k}`, rateMillipercent: next() % 6000 });
        classes.push({ id: `c${c}`, components });
      }
      const signs = classes.map(() => (next() % 2 === 0 ? 1 : -1));
      const lineCount = next() % 9;
      const lines: TaxLineInput[] = [];
      for (let i = 0; i < lineCount; i++) {
        const c = next() % classCount;
        const magnitude = next() % 6 === 0 ? 0 : next() % 3 === 0 ? next() * 4096 + next() : next() % 100_000;
        lines.push({ netCents: signs[c]! * magnitude + 0, taxClassId: `c${c}` });
      }
      const exempt = next() % 10 === 0;

      const doc = computeDocumentTax({ lines, classes, exempt });
      expect(doc.lines).toHaveLength(lineCount);
      expect(sum(doc.lines.map((l) => l.taxCents))).toBe(doc.taxCents);
      expect(sum(doc.classes.map((c) => c.taxCents))).toBe(doc.taxCents);
      expect(sum(doc.lines.map((l) => l.netCents))).toBe(doc.netCents);
      for (const cls of doc.classes) {
        const members = doc.lines.filter((l) => l.taxClassId === cls.taxClassId);
        expect(sum(members.map((l) => l.netCents))).toBe(cls.netCents);
        expect(sum(members.map((l) => l.taxCents))).toBe(cls.taxCents);
        expect(sum(cls.components.map((c) => c.taxCents))).toBe(cls.taxCents);
        expect(cls.taxCents).toBe(exempt ? 0 : classTaxCents(cls.netCents, cls.rateMillipercent));
        for (const comp of cls.components) {
          expect(Math.sign(comp.taxCents) * Math.sign(cls.taxCents)).toBeGreaterThanOrEqual(0);
          if (comp.rateMillipercent === 0) expect(comp.taxCents).toBe(0);
        }
        for (const line of members) {
          // Each line's tax has the sign of its net and is within a cent of its exact share.
          expect(Math.sign(line.taxCents) * Math.sign(line.netCents)).toBeGreaterThanOrEqual(0);
          if (line.netCents === 0) expect(line.taxCents).toBe(0);
          if (cls.netCents !== 0) {
            const diff = BigInt(line.taxCents) * BigInt(cls.netCents) - BigInt(cls.taxCents) * BigInt(line.netCents);
            const abs = diff < 0n ? -diff : diff;
            const net = BigInt(Math.abs(cls.netCents));
            expect(abs).toBeLessThan(net);
          }
        }
      }
      if (exempt) for (const l of doc.lines) expect(l.taxCents).toBe(0);

      // The return of the same document is its exact mirror.
      const mirror = computeDocumentTax({ lines: lines.map((l) => ({ ...l, netCents: -l.netCents + 0 })), classes, exempt });
      expect(mirror.lines.map((l) => l.taxCents)).toEqual(doc.lines.map((l) => -l.taxCents + 0));
      expect(mirror.classes.map((c) => c.components.map((x) => x.taxCents))).toEqual(
        doc.classes.map((c) => c.components.map((x) => -x.taxCents + 0)),
      );
    }
  });
});

/**
 * Sales tax on a document (sale, return, invoice) — spec/pos.md "Tax"; examples in docs/pos-money.md.
 *
 * Per document and per tax class:
 *   class tax = half_up(Σ line nets × Σ component rates / 100000)
 * rounded once, half away from zero, so a negative (return) document rounds on absolute values and
 * is the exact mirror of the same sale. The class tax is then split
 *   - to its components (state, county, city) by largest remainder weighted by component rate, and
 *   - to its lines by largest remainder weighted by |line net|, ties to the earlier line,
 * so Σ line taxes = Σ class taxes = document tax and Σ component taxes = class tax, always.
 * An exempt document (approved, unexpired certificate) owes nothing: every line's tax is 0.
 *
 * Lines of one class in one document must not mix signs (a sale line and a return line): there is
 * no largest-remainder split that gives each its own sign. The POS rings an exchange as a return
 * (whose line taxes come from the recorded sale, see returns.ts) plus a sale.
 */

import { allocateLargestRemainder } from './allocation';
import { assertCents, bigintToCents, describeValue, sumCents, type Cents } from './money';
import { assertMillipercent, MILLIPERCENT_PER_WHOLE, roundHalfUpDiv, type Millipercent } from './rounding';

export interface TaxComponent {
  /** The jurisdiction reported separately, e.g. "state", "county", "city". */
  code: string;
  rateMillipercent: Millipercent;
}

export interface TaxClass {
  id: string;
  /** Empty for an exempt class (or any 0% class): its lines get 0 tax. */
  components: readonly TaxComponent[];
}

export interface TaxLineInput {
  /** The line net after its share of discounts; negative on a return. */
  netCents: Cents;
  taxClassId: string;
}

export interface TaxDocumentInput {
  lines: readonly TaxLineInput[];
  classes: readonly TaxClass[];
  /** Tax-exempt customer: no tax on any line. */
  exempt?: boolean;
}

export interface TaxedLine {
  taxClassId: string;
  netCents: Cents;
  taxCents: Cents;
}

export interface ComponentTax {
  code: string;
  rateMillipercent: Millipercent;
  taxCents: Cents;
}

export interface ClassTax {
  taxClassId: string;
  /** Σ component rates. */
  rateMillipercent: Millipercent;
  /** Σ nets of this class's lines. */
  netCents: Cents;
  taxCents: Cents;
  components: ComponentTax[];
}

export interface DocumentTax {
  exempt: boolean;
  /** One per input line, in input order. */
  lines: TaxedLine[];
  /** One per class that has lines, in order of first appearance. */
  classes: ClassTax[];
  netCents: Cents;
  taxCents: Cents;
}

/** Σ component rates, validating each and the sum (0%..100%) and that codes are unique. */
export function classRateMillipercent(taxClass: TaxClass): Millipercent {
  const seen = new Set<string>();
  let rate = 0;
  taxClass.components.forEach((c, i) => {
    if (typeof c.code !== 'string' || c.code === '') {
      throw new RangeError(`tax class ${describeValue(taxClass.id)} component ${i} needs a code`);
    }
    if (seen.has(c.code)) {
      throw new RangeError(`tax class ${describeValue(taxClass.id)} lists component ${describeValue(c.code)} twice`);
    }
    seen.add(c.code);
    assertMillipercent(c.rateMillipercent, `tax class ${describeValue(taxClass.id)} component ${describeValue(c.code)} rate`);
    rate += c.rateMillipercent;
  });
  assertMillipercent(rate, `tax class ${describeValue(taxClass.id)} combined rate`);
  return rate;
}

/** half_up(net × rate / 100000), away from zero for negative nets: classTaxCents(4043, 8875) = 359. */
export function classTaxCents(netCents: Cents, rateMillipercent: Millipercent): Cents {
  assertCents(netCents, 'class net');
  assertMillipercent(rateMillipercent, 'class rate');
  return bigintToCents(
    roundHalfUpDiv(BigInt(netCents) * BigInt(rateMillipercent), BigInt(MILLIPERCENT_PER_WHOLE)),
    'class tax',
  );
}

/**
 * Splits a tax amount over a class's components by largest remainder weighted by rate, ties to
 * the earlier component. Also used for the tax refunded on a partial return, so the refund is
 * reported per jurisdiction the same way the sale was.
 */
export function splitTaxToComponents(taxCents: Cents, components: readonly TaxComponent[]): ComponentTax[] {
  assertCents(taxCents, 'tax');
  components.forEach((c, i) => assertMillipercent(c.rateMillipercent, `component ${i} rate`));
  if (taxCents !== 0 && components.every((c) => c.rateMillipercent === 0)) {
    // Without this, an even split would hand tax to 0% jurisdictions (or lose it with no components).
    throw new RangeError(`cannot split ${taxCents} cents of tax over components whose rates are all 0`);
  }
  const parts = allocateLargestRemainder(taxCents, components.map((c) => c.rateMillipercent));
  return components.map((c, i) => ({ code: c.code, rateMillipercent: c.rateMillipercent, taxCents: parts[i] as Cents }));
}

/** Computes every line's, class's and component's tax for one document. */
export function computeDocumentTax(input: TaxDocumentInput): DocumentTax {
  const exempt = input.exempt === true;
  const classById = new Map<string, { taxClass: TaxClass; rate: Millipercent }>();
  for (const taxClass of input.classes) {
    if (typeof taxClass.id !== 'string' || taxClass.id === '') throw new RangeError('every tax class needs an id');
    if (classById.has(taxClass.id)) throw new RangeError(`tax class ${describeValue(taxClass.id)} is listed twice`);
    classById.set(taxClass.id, { taxClass, rate: classRateMillipercent(taxClass) });
  }

  // Group line indexes by class, in order of first appearance.
  const groups = new Map<string, number[]>();
  input.lines.forEach((line, i) => {
    assertCents(line.netCents, `line ${i} net`);
    if (!classById.has(line.taxClassId)) {
      throw new RangeError(`line ${i} has unknown tax class ${describeValue(line.taxClassId)}`);
    }
    const group = groups.get(line.taxClassId);
    if (group) group.push(i);
    else groups.set(line.taxClassId, [i]);
  });

  const lineTaxes: Cents[] = input.lines.map(() => 0);
  const classes: ClassTax[] = [];
  for (const [classId, indexes] of groups) {
    const { taxClass, rate } = classById.get(classId)!;
    const nets = indexes.map((i) => input.lines[i]!.netCents);
    if (nets.some((n) => n > 0) && nets.some((n) => n < 0)) {
      throw new RangeError(
        `tax class ${describeValue(classId)} mixes sale and return lines in one document; ring them as separate documents`,
      );
    }
    const classNet = sumCents(nets);
    const classTax = exempt ? 0 : classTaxCents(classNet, rate);
    // Weights are |net| so a return document splits exactly like the mirrored sale.
    const shares = allocateLargestRemainder(classTax, nets.map((n) => Math.abs(n)));
    indexes.forEach((lineIndex, k) => {
      lineTaxes[lineIndex] = shares[k] as Cents;
    });
    classes.push({
      taxClassId: classId,
      rateMillipercent: rate,
      netCents: classNet,
      taxCents: classTax,
      components:
        classTax === 0
          ? taxClass.components.map((c) => ({ code: c.code, rateMillipercent: c.rateMillipercent, taxCents: 0 }))
          : splitTaxToComponents(classTax, taxClass.components),
    });
  }

  return {
    exempt,
    lines: input.lines.map((line, i) => ({ taxClassId: line.taxClassId, netCents: line.netCents + 0, taxCents: lineTaxes[i] as Cents })),
    classes,
    netCents: sumCents(input.lines.map((l) => l.netCents)),
    taxCents: sumCents(classes.map((c) => c.taxCents)),
  };
}

/**
 * Money as integer cents.
 *
 * Every monetary amount in Forte is a whole number of cents held in a plain JS
 * `number`. Floats are never used for money: 0.1 + 0.2 !== 0.3, and a store's
 * books must balance to the cent. A `number` is exact for integers up to
 * Number.MAX_SAFE_INTEGER (about 90 trillion dollars), which is plenty, so we
 * insist every amount is a *safe* integer and fail loudly otherwise rather
 * than silently losing precision.
 */

/** A monetary amount in whole cents. Always a safe integer. */
export type Cents = number;

/** Currencies we know how to format. Only USD today; the option exists so call sites are explicit. */
export type Currency = 'USD';

const CURRENCY_SYMBOLS: Record<Currency, string> = { USD: '$' };

/**
 * Throws a RangeError unless `x` is a safe integer number of cents.
 *
 * RangeError is used for every kind of bad value (including non-numbers) so
 * callers only need to handle one error type for "this is not a valid amount".
 * `label` names the offending value in the message, e.g. "unit price".
 */
export function assertCents(x: unknown, label = 'amount'): asserts x is Cents {
  if (typeof x !== 'number' || !Number.isSafeInteger(x)) {
    throw new RangeError(
      `${label} must be a safe integer number of cents, got ${describeValue(x)}`,
    );
  }
}

/** Adds amounts exactly; throws RangeError if any input or the result is not a safe integer. */
export function addCents(...xs: Cents[]): Cents {
  return sumCents(xs);
}

/**
 * Sums amounts exactly; an empty list sums to 0.
 *
 * Accumulates in BigInt so that an intermediate overflow can't hide behind a
 * later subtraction — only the final result has to fit in a safe integer.
 */
export function sumCents(xs: readonly Cents[]): Cents {
  let total = 0n;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    assertCents(x, `amount at index ${i}`);
    total += BigInt(x);
  }
  return bigintToCents(total, 'sum');
}

/**
 * Converts a BigInt to Cents, throwing RangeError if it doesn't fit in a safe integer.
 * Shared by the other domain modules, which do their arithmetic in BigInt.
 */
export function bigintToCents(value: bigint, label = 'result'): Cents {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${label} ${value} is outside the safe integer range`);
  }
  // `+ 0` turns a would-be -0 into 0 (Number(-0n) is already 0, but be explicit).
  return Number(value) + 0;
}

export interface FormatCentsOptions {
  /** Defaults to 'USD'. */
  currency?: Currency;
  /** Whether to prefix the currency symbol. Defaults to true. */
  symbol?: boolean;
}

/**
 * Formats cents for people: 123456 -> "$1,234.56", -123456 -> "-$1,234.56".
 *
 * Built by hand instead of Intl.NumberFormat so the output is identical on
 * every machine regardless of locale/ICU data (receipts and tests depend on it).
 * The minus sign goes before the symbol, matching US accounting-software habit.
 */
export function formatCents(cents: Cents, options: FormatCentsOptions = {}): string {
  assertCents(cents);
  const currency = options.currency ?? 'USD';
  const symbol = CURRENCY_SYMBOLS[currency];
  if (symbol === undefined) {
    throw new RangeError(`unsupported currency ${describeValue(currency)}`);
  }
  const showSymbol = options.symbol ?? true;
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${showSymbol ? symbol : ''}${grouped}.${String(frac).padStart(2, '0')}`;
}

/**
 * Plain decimal for machines (CSV exports, accounting imports): 123456 -> "1234.56".
 * No symbol, no grouping, always two decimals, leading "-" for negatives.
 */
export function centsToDecimalString(cents: Cents): string {
  assertCents(cents);
  const negative = cents < 0;
  const abs = Math.abs(cents);
  return `${negative ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/*
 * What a person may type into a money field:
 *   optional "-", optional "$", then either plain digits or digits grouped by
 *   commas in threes, then optionally "." and one or two digits.
 * Deliberately rejected (each would be a guess about what was meant):
 *   "12."    — trailing dot: probably an unfinished entry
 *   ".5"     — no leading digit
 *   "1.234"  — sub-cent precision (or a European thousands separator!)
 *   "1e5"    — exponent notation
 *   "1,23"   — malformed grouping
 *   "+5", "$ 5", "5$" — unusual forms we'd rather flag than guess at
 */
const MONEY_PATTERN = /^(-)?\$?(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?$/;

/**
 * Parses user-entered money into cents, or returns null if the text isn't a
 * clear amount (forms show a validation error rather than catching exceptions).
 *
 * Accepts "12", "12.5", "12.50", "$1,234.56", "-3.10", "-$3.10", " 7 ".
 * Surrounding whitespace is ignored. "-0" parses to 0 (never -0).
 * Amounts too large for a safe integer return null.
 */
export function parseMoneyToCents(input: string): Cents | null {
  if (typeof input !== 'string') return null;
  const match = MONEY_PATTERN.exec(input.trim());
  if (match === null) return null;
  const [, minus, wholeText, fracText] = match;
  const whole = BigInt((wholeText ?? '').replaceAll(',', ''));
  const frac = BigInt((fracText ?? '').padEnd(2, '0'));
  let cents = whole * 100n + frac;
  if (minus !== undefined) cents = -cents;
  if (cents > BigInt(Number.MAX_SAFE_INTEGER) || cents < BigInt(Number.MIN_SAFE_INTEGER)) {
    return null;
  }
  return Number(cents) + 0;
}

/** Short human-readable description of an arbitrary value, for error messages. */
export function describeValue(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'bigint') return `${x}n`;
  if (typeof x === 'number' && Object.is(x, -0)) return '-0';
  try {
    return String(x);
  } catch {
    return typeof x; // e.g. objects with a null prototype can't be stringified
  }
}

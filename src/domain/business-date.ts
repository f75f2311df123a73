/**
 * Business dates: calendar days as the store sees them.
 *
 * A BusinessDate is a "YYYY-MM-DD" string with no time and no zone: the day a
 * sale was rung up, a rental is due, a contract bills. Strings compare
 * correctly with < and sort lexicographically, and they survive JSON, SQL
 * `date` columns and CSV unchanged.
 *
 * All arithmetic is done on a count of days since 1970-01-01 in the proleptic
 * Gregorian calendar (pure integer maths, no Date objects), so daylight-saving
 * changes can never produce a 23- or 25-hour "day" and shift a due date. The
 * only place time zones enter is converting an instant to/from a business date
 * (businessDateInZone / startOfBusinessDateUtc), which uses Intl's tz data.
 *
 * Supported years are 0001–9999 (always four digits in the string).
 */

import { describeValue } from './money';

/** A calendar date in "YYYY-MM-DD" form, e.g. "2026-02-28". */
export type BusinessDate = string;

/** The numeric fields of a business date; month and day are 1-based. */
export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;
const MS_PER_DAY = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Gregorian leap year: divisible by 4, except centuries not divisible by 400 (2000 yes, 2100 no). */
export function isLeapYear(year: number): boolean {
  if (!Number.isSafeInteger(year)) {
    throw new RangeError(`year must be an integer, got ${describeValue(year)}`);
  }
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (!Number.isSafeInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`month must be an integer from 1 to 12, got ${describeValue(month)}`);
  }
  if (month === 2 && isLeapYear(year)) return 29;
  isLeapYear(year); // validates year for the other months too
  return DAYS_IN_MONTH[month - 1] as number;
}

function partsAreValid(year: number, month: number, day: number): boolean {
  return (
    Number.isSafeInteger(year) &&
    Number.isSafeInteger(month) &&
    Number.isSafeInteger(day) &&
    year >= MIN_YEAR &&
    year <= MAX_YEAR &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/**
 * True only for a real calendar date written exactly as "YYYY-MM-DD":
 * "2026-1-1", "2026-02-29", "2026-13-01", " 2026-01-01" and "2026-01-01T00:00" are all false.
 */
export function isValidBusinessDate(s: unknown): s is BusinessDate {
  if (typeof s !== 'string') return false;
  const match = DATE_PATTERN.exec(s);
  if (match === null) return false;
  return partsAreValid(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Splits a business date into numbers; throws RangeError unless isValidBusinessDate(s). */
export function parseBusinessDate(s: BusinessDate): DateParts {
  if (!isValidBusinessDate(s)) {
    throw new RangeError(`not a valid YYYY-MM-DD business date: ${describeValue(s)}`);
  }
  return { year: Number(s.slice(0, 4)), month: Number(s.slice(5, 7)), day: Number(s.slice(8, 10)) };
}

/** Builds "YYYY-MM-DD" from numbers; throws RangeError if they don't form a real date. */
export function formatBusinessDate(parts: DateParts): BusinessDate {
  const { year, month, day } = parts;
  if (!partsAreValid(year, month, day)) {
    throw new RangeError(
      `not a valid calendar date: year ${describeValue(year)}, month ${describeValue(month)}, day ${describeValue(day)}`,
    );
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/*
 * Days since 1970-01-01 <-> civil date, after Howard Hinnant's public-domain
 * "chrono-compatible low-level date algorithms". Shifting the year to start in
 * March puts the leap day last, which makes the month lengths regular.
 * These work for any year; range checks happen at the public boundary.
 */
function epochDayFromParts(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function partsFromEpochDay(epochDay: number): DateParts {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

const MIN_EPOCH_DAY = epochDayFromParts(MIN_YEAR, 1, 1);
const MAX_EPOCH_DAY = epochDayFromParts(MAX_YEAR, 12, 31);

/** Days since 1970-01-01 (negative before). Useful for storage and arithmetic. */
export function toEpochDay(date: BusinessDate): number {
  const { year, month, day } = parseBusinessDate(date);
  return epochDayFromParts(year, month, day);
}

/** Inverse of toEpochDay; throws RangeError outside years 0001–9999. */
export function fromEpochDay(epochDay: number): BusinessDate {
  if (!Number.isSafeInteger(epochDay) || epochDay < MIN_EPOCH_DAY || epochDay > MAX_EPOCH_DAY) {
    throw new RangeError(
      `day number ${describeValue(epochDay)} is outside the supported years ${MIN_YEAR}–${MAX_YEAR}`,
    );
  }
  return formatBusinessDate(partsFromEpochDay(epochDay));
}

/** `date` moved by `n` calendar days (n may be negative). */
export function addDays(date: BusinessDate, n: number): BusinessDate {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`number of days must be an integer, got ${describeValue(n)}`);
  }
  return fromEpochDay(toEpochDay(date) + n);
}

/**
 * `date` moved by `n` calendar months, clamping the day to the target month's
 * length: Jan 31 + 1 month = Feb 28 (Feb 29 in a leap year), Mar 31 − 1 month
 * = Feb 28/29. Clamping never spills into the following month, which is what a
 * customer expects from "one month later". Note it is not reversible:
 * Jan 31 + 1 − 1 = Jan 28.
 */
export function addMonthsClamped(date: BusinessDate, n: number): BusinessDate {
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`number of months must be an integer, got ${describeValue(n)}`);
  }
  const { year, month, day } = parseBusinessDate(date);
  const monthIndex = year * 12 + (month - 1) + n;
  const newYear = Math.floor(monthIndex / 12);
  const newMonth = monthIndex - newYear * 12 + 1;
  if (newYear < MIN_YEAR || newYear > MAX_YEAR) {
    throw new RangeError(`${date} plus ${n} months is outside the supported years`);
  }
  return formatBusinessDate({
    year: newYear,
    month: newMonth,
    day: Math.min(day, daysInMonth(newYear, newMonth)),
  });
}

/** Days from `a` to `b`: positive if b is later, 0 if equal. daysBetween(a, addDays(a, n)) === n. */
export function daysBetween(a: BusinessDate, b: BusinessDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** -1, 0 or 1, for use with Array.prototype.sort. Validates both dates. */
export function compareDates(a: BusinessDate, b: BusinessDate): -1 | 0 | 1 {
  parseBusinessDate(a);
  parseBusinessDate(b);
  // Fixed-width "YYYY-MM-DD" strings order the same way the dates do.
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Time zones: the only bridge between instants and business dates.
// ---------------------------------------------------------------------------

const formatterCache = new Map<string, Intl.DateTimeFormat>();

/**
 * A formatter that yields numeric wall-clock fields in `timeZone`. The locale
 * pins Gregorian calendar and Latin digits so the fields are always parseable;
 * h23 avoids "24:00" at midnight. Cached because construction is costly.
 */
function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatterCache.get(timeZone);
  if (formatter === undefined) {
    if (!isValidTimeZone(timeZone)) {
      throw new RangeError(`unknown time zone: ${describeValue(timeZone)}`);
    }
    formatter = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      era: 'short', // so years before 1 CE are detectable rather than silently positive
    });
    formatterCache.set(timeZone, formatter);
  }
  return formatter;
}

interface WallClock extends DateParts {
  hour: number;
  minute: number;
  second: number;
}

function wallClockAt(epochMs: number, timeZone: string): WallClock {
  const fields: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of wallClockFormatter(timeZone).formatToParts(epochMs)) {
    fields[part.type] = part.value;
  }
  let year = Number(fields.year);
  if (fields.era === 'BC' || fields.era === 'B') year = 1 - year;
  return {
    year,
    month: Number(fields.month),
    day: Number(fields.day),
    hour: Number(fields.hour) % 24, // defensive: some engines have rendered midnight as 24
    minute: Number(fields.minute),
    second: Number(fields.second),
  };
}

/** The local wall-clock time at `epochMs`, written as if it were a UTC timestamp. */
function wallClockMs(epochMs: number, timeZone: string): number {
  const w = wallClockAt(epochMs, timeZone);
  return (
    epochDayFromParts(w.year, w.month, w.day) * MS_PER_DAY +
    ((w.hour * 60 + w.minute) * 60 + w.second) * 1000
  );
}

/** UTC offset in ms in effect at `epochMs` (wall clock minus UTC); -5h for New York in winter. */
function utcOffsetMs(epochMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(epochMs / 1000) * 1000; // Intl drops milliseconds
  return wallClockMs(wholeSecond, timeZone) - wholeSecond;
}

/** True if `timeZone` is an IANA zone name (or alias such as "UTC") this runtime knows. */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function assertValidInstant(instant: unknown): asserts instant is Date {
  if (!(instant instanceof Date) || !Number.isFinite(instant.getTime())) {
    throw new RangeError(`expected a valid Date, got ${describeValue(instant)}`);
  }
}

/**
 * The business date it is in `timeZone` at `instant`. A store in New York
 * closing at 11:30 pm on Feb 28 (= 04:30 UTC on Mar 1) books the sale on Feb 28.
 */
export function businessDateInZone(instant: Date, timeZone: string): BusinessDate {
  assertValidInstant(instant);
  const w = wallClockAt(instant.getTime(), timeZone);
  if (w.year < MIN_YEAR || w.year > MAX_YEAR) {
    throw new RangeError(`${instant.toISOString()} is outside the supported years in ${timeZone}`);
  }
  return formatBusinessDate(w);
}

/**
 * The first instant of business date `date` in `timeZone` — normally local
 * midnight. Used to turn "sales on 2026-03-08" into a UTC range
 * [startOfBusinessDateUtc(d), startOfBusinessDateUtc(addDays(d, 1))), which is
 * 23 or 25 hours long on DST-change days.
 *
 * Edge cases, decided deliberately:
 *  - midnight occurs twice (clocks fall back across it, e.g. America/Havana):
 *    the earlier midnight is returned, so no part of the day is missed;
 *  - midnight doesn't exist (clocks spring forward over it, e.g. America/Havana,
 *    America/Santiago): the day begins at the transition instant (01:00 local);
 *  - the whole date was skipped (Pacific/Apia, 2011-12-30): RangeError.
 */
export function startOfBusinessDateUtc(date: BusinessDate, timeZone: string): Date {
  const { year, month, day } = parseBusinessDate(date);
  wallClockFormatter(timeZone); // validates the zone up front
  const localMidnight = epochDayFromParts(year, month, day) * MS_PER_DAY;

  // Local midnight is at (wall time − offset) for whichever offset is in force
  // then. Offsets a day either side (and at the naive guess) cover any
  // transition near midnight; keep the candidates that really are midnight.
  const offsets = new Set([
    utcOffsetMs(localMidnight - MS_PER_DAY, timeZone),
    utcOffsetMs(localMidnight, timeZone),
    utcOffsetMs(localMidnight + MS_PER_DAY, timeZone),
  ]);
  const candidates = [...offsets].map((offset) => localMidnight - offset);
  const exact = candidates.filter((t) => wallClockMs(t, timeZone) === localMidnight);
  if (exact.length > 0) return new Date(Math.min(...exact));

  // Midnight was skipped. Binary-search the transition: the earliest instant
  // whose local date is already `date`. Between the candidate bounds the local
  // date only moves forward, so the search is well-defined.
  let lo = Math.min(...candidates); // local date still before `date`
  let hi = Math.max(...candidates); // local date is `date`
  if (businessDateInZone(new Date(hi), timeZone) !== date) {
    // e.g. Pacific/Apia jumped from 2011-12-29 straight to 2011-12-31.
    throw new RangeError(`${date} never occurred in ${timeZone} (the zone skipped that day)`);
  }
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (businessDateInZone(new Date(mid), timeZone) >= date) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

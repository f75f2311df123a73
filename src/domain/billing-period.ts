/**
 * Monthly billing periods for rentals, rent-to-own and lesson contracts.
 *
 * Each contract bills on a fixed day of the month, its "billing day". Only
 * days 1–28 are allowed: every month has them, so a contract bills on the
 * same day every month and no period ever needs a "which day does the 31st
 * become in February?" rule. A period runs from one billing date up to the
 * day before the next, so periods tile the calendar with no gaps or overlaps.
 */

import {
  addDays,
  addMonthsClamped,
  daysBetween,
  formatBusinessDate,
  parseBusinessDate,
  type BusinessDate,
} from './business-date';
import { assertCents, describeValue, type Cents } from './money';
import { prorate } from './proration';

/** A day of the month a contract bills on: an integer 1–28. */
export type BillingDay = number;

export const MAX_BILLING_DAY = 28;

/** Throws RangeError unless `day` is an integer from 1 to 28, explaining why 29–31 are refused. */
export function assertBillingDay(day: unknown): asserts day is BillingDay {
  if (typeof day !== 'number' || !Number.isSafeInteger(day) || day < 1 || day > MAX_BILLING_DAY) {
    const why =
      typeof day === 'number' && Number.isSafeInteger(day) && day >= 29 && day <= 31
        ? ' — days 29–31 do not occur in every month, so choose 28 or earlier'
        : '';
    throw new RangeError(
      `billing day must be a whole number from 1 to ${MAX_BILLING_DAY}, got ${describeValue(day)}${why}`,
    );
  }
}

/** One billing period: `start` and `end` are both inclusive; `days` counts them. */
export interface BillingPeriod {
  start: BusinessDate;
  end: BusinessDate;
  days: number;
}

/** The billing date in the same calendar month as `date`. Safe because billingDay <= 28. */
function billingDateInMonthOf(date: BusinessDate, billingDay: BillingDay): BusinessDate {
  const { year, month } = parseBusinessDate(date);
  return formatBusinessDate({ year, month, day: billingDay });
}

/**
 * The period `date` falls in: starts on the latest billing date on or before
 * `date` and ends the day before the following billing date.
 * e.g. billing day 15: 2026-03-20 -> 2026-03-15..2026-04-14 (31 days);
 *      2026-03-10 -> 2026-02-15..2026-03-14 (28 days).
 */
export function billingPeriodContaining(date: BusinessDate, billingDay: BillingDay): BillingPeriod {
  assertBillingDay(billingDay);
  const { day } = parseBusinessDate(date);
  const thisMonth = billingDateInMonthOf(date, billingDay);
  const start = day >= billingDay ? thisMonth : addMonthsClamped(thisMonth, -1);
  const end = addDays(addMonthsClamped(start, 1), -1);
  return { start, end, days: daysBetween(start, end) + 1 };
}

/** The first billing date strictly after `after` (never `after` itself). */
export function nextBillingDate(after: BusinessDate, billingDay: BillingDay): BusinessDate {
  assertBillingDay(billingDay);
  const { day } = parseBusinessDate(after);
  const thisMonth = billingDateInMonthOf(after, billingDay);
  return day < billingDay ? thisMonth : addMonthsClamped(thisMonth, 1);
}

/**
 * Every billing date d with from <= d <= to, oldest first. Used to catch up on
 * charges missed while the system was offline. Returns [] if from > to.
 */
export function billingDatesBetween(
  from: BusinessDate,
  to: BusinessDate,
  billingDay: BillingDay,
): BusinessDate[] {
  assertBillingDay(billingDay);
  parseBusinessDate(to); // validate even when the range turns out empty
  const dates: BusinessDate[] = [];
  const { day } = parseBusinessDate(from);
  let current = day <= billingDay ? billingDateInMonthOf(from, billingDay) : nextBillingDate(from, billingDay);
  while (current <= to) {
    dates.push(current);
    current = addMonthsClamped(current, 1);
  }
  return dates;
}

/** What to charge for the partial first period of a contract that starts mid-period. */
export interface FirstPeriodProration {
  /** The contract start date. */
  periodStart: BusinessDate;
  /** The day before the first regular billing date. */
  periodEnd: BusinessDate;
  /** Days charged: periodStart..periodEnd inclusive. */
  days: number;
  /** Length of the full billing period containing the start date. */
  daysInPeriod: number;
  /** monthlyCents × days / daysInPeriod, rounded half away from zero. */
  amountCents: Cents;
}

/**
 * Prorates the first, partial period of a contract starting on `startDate`:
 * the customer pays for the days from the start date up to the day before the
 * next billing date, as a share of the full period those days belong to.
 * A contract that starts on its billing day pays the full monthly amount.
 *
 * e.g. start 2026-03-20, billing day 1, $31.00/month: pays 12 of March's 31
 * days = $12.00, then is billed in full from 2026-04-01.
 */
export function firstPeriodProration(
  startDate: BusinessDate,
  billingDay: BillingDay,
  monthlyCents: Cents,
): FirstPeriodProration {
  assertCents(monthlyCents, 'monthly amount');
  const period = billingPeriodContaining(startDate, billingDay);
  const periodEnd = period.end; // == nextBillingDate(startDate) − 1 day
  const days = daysBetween(startDate, periodEnd) + 1;
  return {
    periodStart: startDate,
    periodEnd,
    days,
    daysInPeriod: period.days,
    amountCents: prorate(monthlyCents, days, period.days),
  };
}

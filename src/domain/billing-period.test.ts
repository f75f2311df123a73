import { describe, expect, test } from 'bun:test';
import {
  assertBillingDay,
  billingDatesBetween,
  billingPeriodContaining,
  firstPeriodProration,
  nextBillingDate,
} from './billing-period';
import { addDays, daysBetween, parseBusinessDate } from './business-date';
import { prorate } from './proration';

describe('assertBillingDay', () => {
  test('accepts 1 through 28', () => {
    for (let d = 1; d <= 28; d++) expect(() => assertBillingDay(d)).not.toThrow();
  });

  test('rejects 29–31 with an explanation', () => {
    for (const d of [29, 30, 31]) {
      expect(() => assertBillingDay(d)).toThrow(RangeError);
      expect(() => assertBillingDay(d)).toThrow('days 29–31 do not occur in every month');
    }
  });

  test('rejects other bad values', () => {
    for (const d of [0, -1, 32, 1.5, NaN, '15', null]) {
      expect(() => assertBillingDay(d)).toThrow(RangeError);
      expect(() => assertBillingDay(d)).toThrow('billing day must be a whole number from 1 to 28');
    }
  });
});

describe('billingPeriodContaining', () => {
  test('mid-month billing day', () => {
    expect(billingPeriodContaining('2026-03-20', 15)).toEqual({ start: '2026-03-15', end: '2026-04-14', days: 31 });
    expect(billingPeriodContaining('2026-03-10', 15)).toEqual({ start: '2026-02-15', end: '2026-03-14', days: 28 });
    expect(billingPeriodContaining('2024-03-10', 15)).toEqual({ start: '2024-02-15', end: '2024-03-14', days: 29 });
    expect(billingPeriodContaining('2026-04-20', 15)).toEqual({ start: '2026-04-15', end: '2026-05-14', days: 30 });
  });

  test('a billing date starts its own period; the day before ends the previous one', () => {
    expect(billingPeriodContaining('2026-03-15', 15)).toEqual({ start: '2026-03-15', end: '2026-04-14', days: 31 });
    expect(billingPeriodContaining('2026-03-14', 15)).toEqual({ start: '2026-02-15', end: '2026-03-14', days: 28 });
  });

  test('billing day 1 gives calendar months, including Feb in leap and non-leap years', () => {
    expect(billingPeriodContaining('2026-02-28', 1)).toEqual({ start: '2026-02-01', end: '2026-02-28', days: 28 });
    expect(billingPeriodContaining('2024-02-29', 1)).toEqual({ start: '2024-02-01', end: '2024-02-29', days: 29 });
    expect(billingPeriodContaining('2028-02-10', 1)).toEqual({ start: '2028-02-01', end: '2028-02-29', days: 29 });
    expect(billingPeriodContaining('2100-02-10', 1)).toEqual({ start: '2100-02-01', end: '2100-02-28', days: 28 });
    expect(billingPeriodContaining('2000-02-10', 1)).toEqual({ start: '2000-02-01', end: '2000-02-29', days: 29 });
    expect(billingPeriodContaining('2026-01-31', 1)).toEqual({ start: '2026-01-01', end: '2026-01-31', days: 31 });
    expect(billingPeriodContaining('2026-04-30', 1)).toEqual({ start: '2026-04-01', end: '2026-04-30', days: 30 });
  });

  test('billing day 28 around month ends and February', () => {
    expect(billingPeriodContaining('2026-01-31', 28)).toEqual({ start: '2026-01-28', end: '2026-02-27', days: 31 });
    expect(billingPeriodContaining('2026-02-27', 28)).toEqual({ start: '2026-01-28', end: '2026-02-27', days: 31 });
    expect(billingPeriodContaining('2026-02-28', 28)).toEqual({ start: '2026-02-28', end: '2026-03-27', days: 28 });
    expect(billingPeriodContaining('2024-02-29', 28)).toEqual({ start: '2024-02-28', end: '2024-03-27', days: 29 });
    expect(billingPeriodContaining('2026-03-01', 28)).toEqual({ start: '2026-02-28', end: '2026-03-27', days: 28 });
  });

  test('December -> January year wrap', () => {
    expect(billingPeriodContaining('2026-12-20', 15)).toEqual({ start: '2026-12-15', end: '2027-01-14', days: 31 });
    expect(billingPeriodContaining('2027-01-05', 15)).toEqual({ start: '2026-12-15', end: '2027-01-14', days: 31 });
    expect(billingPeriodContaining('2026-12-31', 1)).toEqual({ start: '2026-12-01', end: '2026-12-31', days: 31 });
    expect(billingPeriodContaining('2027-01-01', 1)).toEqual({ start: '2027-01-01', end: '2027-01-31', days: 31 });
    expect(billingPeriodContaining('2027-01-27', 28)).toEqual({ start: '2026-12-28', end: '2027-01-27', days: 31 });
  });

  test('invariants for every day of 2024–2029 and every billing day', () => {
    let checked = 0;
    for (let billingDay = 1; billingDay <= 28; billingDay++) {
      let previous = billingPeriodContaining('2024-01-01', billingDay);
      for (let date = '2024-01-01'; date <= '2029-12-31'; date = addDays(date, 1)) {
        const period = billingPeriodContaining(date, billingDay);
        expect(parseBusinessDate(period.start).day).toBe(billingDay);
        expect(period.start <= date && date <= period.end).toBe(true);
        expect(period.days).toBe(daysBetween(period.start, period.end) + 1);
        expect(period.days).toBeGreaterThanOrEqual(28);
        expect(period.days).toBeLessThanOrEqual(31);
        expect(addDays(period.end, 1)).toBe(nextBillingDate(date, billingDay));
        // Consecutive periods are identical or adjacent: no gaps, no overlaps.
        if (period.start !== previous.start) expect(period.start).toBe(addDays(previous.end, 1));
        previous = period;
        checked++;
      }
    }
    expect(checked).toBe(28 * 2192);
  });

  test('throws RangeError on bad billing days or dates', () => {
    expect(() => billingPeriodContaining('2026-03-20', 31)).toThrow(RangeError);
    expect(() => billingPeriodContaining('2026-03-20', 0)).toThrow(RangeError);
    expect(() => billingPeriodContaining('2026-02-29', 1)).toThrow(RangeError);
  });
});

describe('nextBillingDate', () => {
  test('is strictly after the given date', () => {
    expect(nextBillingDate('2026-01-14', 15)).toBe('2026-01-15');
    expect(nextBillingDate('2026-01-15', 15)).toBe('2026-02-15');
    expect(nextBillingDate('2026-01-16', 15)).toBe('2026-02-15');
  });

  test('month ends and February', () => {
    expect(nextBillingDate('2026-01-31', 28)).toBe('2026-02-28');
    expect(nextBillingDate('2026-01-31', 1)).toBe('2026-02-01');
    expect(nextBillingDate('2026-02-28', 1)).toBe('2026-03-01');
    expect(nextBillingDate('2024-02-28', 28)).toBe('2024-03-28');
    expect(nextBillingDate('2024-02-27', 28)).toBe('2024-02-28');
    expect(nextBillingDate('2024-02-29', 1)).toBe('2024-03-01');
  });

  test('December -> January year wrap', () => {
    expect(nextBillingDate('2026-12-15', 15)).toBe('2027-01-15');
    expect(nextBillingDate('2026-12-31', 1)).toBe('2027-01-01');
    expect(nextBillingDate('2026-12-28', 28)).toBe('2027-01-28');
  });

  test('throws RangeError on bad input', () => {
    expect(() => nextBillingDate('2026-01-01', 29)).toThrow(RangeError);
    expect(() => nextBillingDate('2026-1-1', 1)).toThrow(RangeError);
  });
});

describe('billingDatesBetween', () => {
  test('inclusive at both ends, ordered', () => {
    expect(billingDatesBetween('2026-01-01', '2026-04-01', 1)).toEqual([
      '2026-01-01',
      '2026-02-01',
      '2026-03-01',
      '2026-04-01',
    ]);
    expect(billingDatesBetween('2026-01-02', '2026-03-31', 1)).toEqual(['2026-02-01', '2026-03-01']);
  });

  test('a whole year has twelve billing dates', () => {
    const dates = billingDatesBetween('2026-01-01', '2026-12-31', 15);
    expect(dates).toHaveLength(12);
    expect(dates[0]).toBe('2026-01-15');
    expect(dates[11]).toBe('2026-12-15');
  });

  test('wraps the year', () => {
    expect(billingDatesBetween('2026-11-20', '2027-02-10', 15)).toEqual(['2026-12-15', '2027-01-15']);
  });

  test('February with billing day 28', () => {
    expect(billingDatesBetween('2024-02-01', '2024-03-31', 28)).toEqual(['2024-02-28', '2024-03-28']);
    expect(billingDatesBetween('2026-02-28', '2026-02-28', 28)).toEqual(['2026-02-28']);
  });

  test('single-day and empty ranges', () => {
    expect(billingDatesBetween('2026-05-15', '2026-05-15', 15)).toEqual(['2026-05-15']);
    expect(billingDatesBetween('2026-05-16', '2026-05-16', 15)).toEqual([]);
    expect(billingDatesBetween('2026-05-16', '2026-06-14', 15)).toEqual([]);
    expect(billingDatesBetween('2026-06-01', '2026-05-01', 15)).toEqual([]); // from > to
  });

  test('agrees with a day-by-day scan', () => {
    for (const billingDay of [1, 13, 28]) {
      const expected: string[] = [];
      for (let d = '2027-11-03'; d <= '2029-03-02'; d = addDays(d, 1)) {
        if (parseBusinessDate(d).day === billingDay) expected.push(d);
      }
      expect(billingDatesBetween('2027-11-03', '2029-03-02', billingDay)).toEqual(expected);
    }
  });

  test('throws RangeError on bad input, even for empty ranges', () => {
    expect(() => billingDatesBetween('2026-01-01', '2026-12-31', 30)).toThrow(RangeError);
    expect(() => billingDatesBetween('2026-02-30', '2026-12-31', 1)).toThrow(RangeError);
    expect(() => billingDatesBetween('2026-06-01', '2026-13-01', 1)).toThrow(RangeError);
  });
});

describe('firstPeriodProration', () => {
  test('start mid-month, billing on the 1st', () => {
    expect(firstPeriodProration('2026-03-20', 1, 3100)).toEqual({
      periodStart: '2026-03-20',
      periodEnd: '2026-03-31',
      days: 12,
      daysInPeriod: 31,
      amountCents: 1200,
    });
  });

  test('start on the billing day charges the full month', () => {
    expect(firstPeriodProration('2026-03-01', 1, 4999)).toEqual({
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
      days: 31,
      daysInPeriod: 31,
      amountCents: 4999,
    });
    expect(firstPeriodProration('2026-02-15', 15, 4999).amountCents).toBe(4999);
  });

  test('start on the last day of a period charges one day', () => {
    expect(firstPeriodProration('2026-03-31', 1, 3100)).toEqual({
      periodStart: '2026-03-31',
      periodEnd: '2026-03-31',
      days: 1,
      daysInPeriod: 31,
      amountCents: 100,
    });
    expect(firstPeriodProration('2026-03-14', 15, 2800)).toMatchObject({ days: 1, daysInPeriod: 28, amountCents: 100 });
  });

  test('February in non-leap, leap and century years', () => {
    expect(firstPeriodProration('2026-02-15', 1, 2800)).toMatchObject({
      periodEnd: '2026-02-28',
      days: 14,
      daysInPeriod: 28,
      amountCents: 1400,
    });
    expect(firstPeriodProration('2024-02-15', 1, 2900)).toMatchObject({
      periodEnd: '2024-02-29',
      days: 15,
      daysInPeriod: 29,
      amountCents: 1500,
    });
    expect(firstPeriodProration('2100-02-15', 1, 2800)).toMatchObject({ days: 14, daysInPeriod: 28 });
    expect(firstPeriodProration('2000-02-15', 1, 2900)).toMatchObject({ days: 15, daysInPeriod: 29 });
    expect(firstPeriodProration('2028-02-29', 1, 2900)).toMatchObject({ days: 1, daysInPeriod: 29, amountCents: 100 });
  });

  test('billing day 28 across February', () => {
    // Period 2026-01-28..2026-02-27 (31 days); 8 days from Feb 20.
    expect(firstPeriodProration('2026-02-20', 28, 4999)).toEqual({
      periodStart: '2026-02-20',
      periodEnd: '2026-02-27',
      days: 8,
      daysInPeriod: 31,
      amountCents: 1290, // 1290.06
    });
  });

  test('December -> January year wrap', () => {
    // Period 2026-12-05..2027-01-04 (31 days); 16 days from Dec 20. 4999·16/31 = 2580.13
    expect(firstPeriodProration('2026-12-20', 5, 4999)).toEqual({
      periodStart: '2026-12-20',
      periodEnd: '2027-01-04',
      days: 16,
      daysInPeriod: 31,
      amountCents: 2580,
    });
    // Period 2025-12-15..2026-01-14; 5 days from Jan 10. 4999·5/31 = 806.29
    expect(firstPeriodProration('2026-01-10', 15, 4999)).toMatchObject({
      periodEnd: '2026-01-14',
      days: 5,
      daysInPeriod: 31,
      amountCents: 806,
    });
  });

  test('rounds half a cent up, and away from zero for credits', () => {
    expect(firstPeriodProration('2026-02-15', 1, 1).amountCents).toBe(1); // 14/28 of 1¢ = 0.5
    expect(firstPeriodProration('2026-02-15', 1, -1).amountCents).toBe(-1);
    expect(firstPeriodProration('2026-02-15', 1, 0).amountCents).toBe(0);
  });

  test('periodEnd is always the day before the next billing date and matches prorate()', () => {
    for (const billingDay of [1, 10, 28]) {
      for (let start = '2027-12-01'; start <= '2028-03-31'; start = addDays(start, 1)) {
        const result = firstPeriodProration(start, billingDay, 4999);
        expect(result.periodStart).toBe(start);
        expect(addDays(result.periodEnd, 1)).toBe(nextBillingDate(start, billingDay));
        expect(result.days).toBe(daysBetween(start, result.periodEnd) + 1);
        expect(result.daysInPeriod).toBe(billingPeriodContaining(start, billingDay).days);
        expect(result.amountCents).toBe(prorate(4999, result.days, result.daysInPeriod));
        expect(result.amountCents).toBeGreaterThan(0);
        expect(result.amountCents).toBeLessThanOrEqual(4999);
      }
    }
  });

  test('throws RangeError on bad input', () => {
    expect(() => firstPeriodProration('2026-03-20', 29, 3100)).toThrow(RangeError);
    expect(() => firstPeriodProration('2026-03-20', 31, 3100)).toThrow('days 29–31');
    expect(() => firstPeriodProration('2026-02-29', 1, 3100)).toThrow(RangeError);
    expect(() => firstPeriodProration('2026-03-20', 1, 31.5)).toThrow(RangeError);
    expect(() => firstPeriodProration('2026-03-20', 1, 31.5)).toThrow('monthly amount');
  });
});

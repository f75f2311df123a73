import { describe, expect, test } from 'bun:test';
import {
  addDays,
  addMonthsClamped,
  businessDateInZone,
  compareDates,
  daysBetween,
  daysInMonth,
  formatBusinessDate,
  fromEpochDay,
  isLeapYear,
  isValidBusinessDate,
  isValidTimeZone,
  parseBusinessDate,
  startOfBusinessDateUtc,
  toEpochDay,
} from './business-date';

const utc = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

describe('isLeapYear', () => {
  test('follows the Gregorian rule', () => {
    expect(isLeapYear(2024)).toBe(true);
    expect(isLeapYear(2028)).toBe(true);
    expect(isLeapYear(2000)).toBe(true); // divisible by 400
    expect(isLeapYear(2400)).toBe(true);
    expect(isLeapYear(2026)).toBe(false);
    expect(isLeapYear(2100)).toBe(false); // century not divisible by 400
    expect(isLeapYear(1900)).toBe(false);
    expect(isLeapYear(4)).toBe(true);
  });

  test('throws RangeError on non-integers', () => {
    expect(() => isLeapYear(2024.5)).toThrow(RangeError);
    expect(() => isLeapYear(NaN)).toThrow(RangeError);
  });
});

describe('daysInMonth', () => {
  test('month lengths in a common year', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2026, m))).toEqual([
      31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
  });

  test('February across leap rules', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2026, 2)).toBe(28);
  });

  test('throws RangeError on bad months or years', () => {
    for (const m of [0, 13, -1, 1.5, NaN]) expect(() => daysInMonth(2026, m)).toThrow(RangeError);
    expect(() => daysInMonth(2026.5, 1)).toThrow(RangeError);
  });
});

describe('isValidBusinessDate / parseBusinessDate', () => {
  test.each(['2026-01-01', '2026-12-31', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2026-04-30'])(
    'accepts %p',
    (s) => {
      expect(isValidBusinessDate(s)).toBe(true);
      expect(() => parseBusinessDate(s)).not.toThrow();
    },
  );

  test.each([
    '2026-02-29', // not a leap year
    '2100-02-29', // century, not leap
    '2026-02-30',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '0000-01-01',
    '2026-1-1',
    '2026-01-1',
    '26-01-01',
    '+02026-01-01',
    '2026/01/01',
    '20260101',
    ' 2026-01-01',
    '2026-01-01 ',
    '2026-01-01T00:00:00Z',
    '２０２６-01-01', // full-width digits
    '',
  ])('rejects %p', (s) => {
    expect(isValidBusinessDate(s)).toBe(false);
    expect(() => parseBusinessDate(s)).toThrow(RangeError);
  });

  test('rejects non-strings', () => {
    expect(isValidBusinessDate(20260101)).toBe(false);
    expect(isValidBusinessDate(null)).toBe(false);
    expect(isValidBusinessDate(new Date())).toBe(false);
  });

  test('parse returns numeric fields', () => {
    expect(parseBusinessDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseBusinessDate('0001-01-09')).toEqual({ year: 1, month: 1, day: 9 });
  });

  test('parse error names the bad input', () => {
    expect(() => parseBusinessDate('2026-02-29')).toThrow('not a valid YYYY-MM-DD business date: "2026-02-29"');
  });
});

describe('formatBusinessDate', () => {
  test('zero-pads fields', () => {
    expect(formatBusinessDate({ year: 2026, month: 3, day: 7 })).toBe('2026-03-07');
    expect(formatBusinessDate({ year: 12, month: 1, day: 1 })).toBe('0012-01-01');
  });

  test('throws RangeError on impossible dates', () => {
    expect(() => formatBusinessDate({ year: 2026, month: 2, day: 29 })).toThrow(RangeError);
    expect(() => formatBusinessDate({ year: 10000, month: 1, day: 1 })).toThrow(RangeError);
    expect(() => formatBusinessDate({ year: 0, month: 1, day: 1 })).toThrow(RangeError);
    expect(() => formatBusinessDate({ year: 2026, month: 1, day: 1.5 })).toThrow(RangeError);
  });
});

describe('toEpochDay / fromEpochDay', () => {
  test('known anchors', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(toEpochDay('1970-01-02')).toBe(1);
    expect(toEpochDay('1969-12-31')).toBe(-1);
    expect(toEpochDay('2000-03-01')).toBe(11017);
    expect(fromEpochDay(0)).toBe('1970-01-01');
    expect(fromEpochDay(-719162)).toBe('0001-01-01');
    expect(fromEpochDay(2932896)).toBe('9999-12-31');
  });

  test('agrees with Date.UTC for every day from 1899 to 2101', () => {
    const start = Date.UTC(1899, 0, 1) / 86_400_000;
    const end = Date.UTC(2101, 11, 31) / 86_400_000;
    for (let n = start; n <= end; n++) {
      const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
      expect(fromEpochDay(n)).toBe(iso);
      expect(toEpochDay(iso)).toBe(n);
    }
  });

  test('fromEpochDay throws RangeError outside years 1–9999 or for non-integers', () => {
    expect(() => fromEpochDay(-719163)).toThrow(RangeError);
    expect(() => fromEpochDay(2932897)).toThrow(RangeError);
    expect(() => fromEpochDay(0.5)).toThrow(RangeError);
  });
});

describe('addDays', () => {
  test('moves across month and year ends', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  test('zero and large offsets', () => {
    expect(addDays('2026-05-17', 0)).toBe('2026-05-17');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
    expect(addDays('2024-01-01', 366)).toBe('2025-01-01');
    expect(addDays('2000-01-01', 146097)).toBe('2400-01-01'); // one full 400-year cycle
  });

  test('is unaffected by DST changes (pure calendar arithmetic)', () => {
    expect(addDays('2026-03-07', 1)).toBe('2026-03-08');
    expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
    expect(addDays('2026-10-31', 1)).toBe('2026-11-01');
    expect(addDays('2026-11-01', 1)).toBe('2026-11-02');
  });

  test('throws RangeError on bad input or leaving years 1–9999', () => {
    expect(() => addDays('2026-02-29', 1)).toThrow(RangeError);
    expect(() => addDays('2026-01-01', 1.5)).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => addDays('0001-01-01', -1)).toThrow(RangeError);
  });
});

describe('addMonthsClamped', () => {
  test('clamps month-end days into shorter months', () => {
    expect(addMonthsClamped('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsClamped('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonthsClamped('2028-01-30', 1)).toBe('2028-02-29');
    expect(addMonthsClamped('2100-01-31', 1)).toBe('2100-02-28');
    expect(addMonthsClamped('2000-01-31', 1)).toBe('2000-02-29');
    expect(addMonthsClamped('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonthsClamped('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonthsClamped('2026-05-31', -1)).toBe('2026-04-30');
  });

  test('Feb 29 plus a year clamps to Feb 28', () => {
    expect(addMonthsClamped('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonthsClamped('2024-02-29', 48)).toBe('2028-02-29');
  });

  test('does not clamp days that exist', () => {
    expect(addMonthsClamped('2026-01-15', 1)).toBe('2026-02-15');
    expect(addMonthsClamped('2026-02-28', 1)).toBe('2026-03-28');
    expect(addMonthsClamped('2026-06-30', 1)).toBe('2026-07-30');
  });

  test('wraps years in both directions', () => {
    expect(addMonthsClamped('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonthsClamped('2026-01-15', -1)).toBe('2025-12-15');
    expect(addMonthsClamped('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonthsClamped('2026-01-31', -13)).toBe('2024-12-31');
    expect(addMonthsClamped('2026-07-04', 0)).toBe('2026-07-04');
    expect(addMonthsClamped('2026-07-04', 120)).toBe('2036-07-04');
    expect(addMonthsClamped('2026-07-04', -24)).toBe('2024-07-04');
  });

  test('is not reversible after clamping (documented)', () => {
    expect(addMonthsClamped(addMonthsClamped('2026-01-31', 1), -1)).toBe('2026-01-28');
  });

  test('throws RangeError on bad input or leaving years 1–9999', () => {
    expect(() => addMonthsClamped('2026-01-31', 0.5)).toThrow(RangeError);
    expect(() => addMonthsClamped('2026-1-31', 1)).toThrow(RangeError);
    expect(() => addMonthsClamped('9999-12-01', 1)).toThrow(RangeError);
    expect(() => addMonthsClamped('0001-01-01', -1)).toThrow(RangeError);
  });
});

describe('daysBetween', () => {
  test('counts signed days from a to b', () => {
    expect(daysBetween('2026-01-01', '2026-01-01')).toBe(0);
    expect(daysBetween('2026-01-01', '2026-01-02')).toBe(1);
    expect(daysBetween('2026-01-02', '2026-01-01')).toBe(-1);
    expect(daysBetween('2026-02-01', '2026-03-01')).toBe(28);
    expect(daysBetween('2024-02-01', '2024-03-01')).toBe(29);
    expect(daysBetween('2100-02-01', '2100-03-01')).toBe(28);
    expect(daysBetween('2000-02-01', '2000-03-01')).toBe(29);
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
  });

  test('DST days still count as one day', () => {
    expect(daysBetween('2026-03-07', '2026-03-09')).toBe(2);
    expect(daysBetween('2026-10-31', '2026-11-02')).toBe(2);
  });

  test('is the inverse of addDays', () => {
    for (const n of [-1000, -31, -1, 0, 1, 29, 366, 10000]) {
      expect(daysBetween('2024-02-29', addDays('2024-02-29', n))).toBe(n);
    }
  });

  test('throws RangeError on invalid dates', () => {
    expect(() => daysBetween('2026-02-29', '2026-03-01')).toThrow(RangeError);
    expect(() => daysBetween('2026-03-01', 'nope')).toThrow(RangeError);
  });
});

describe('compareDates', () => {
  test('orders dates', () => {
    expect(compareDates('2026-01-01', '2026-01-02')).toBe(-1);
    expect(compareDates('2026-01-02', '2026-01-01')).toBe(1);
    expect(compareDates('2026-01-01', '2026-01-01')).toBe(0);
    expect(compareDates('2025-12-31', '2026-01-01')).toBe(-1);
    expect(compareDates('0999-12-31', '1000-01-01')).toBe(-1);
  });

  test('works as a sort comparator', () => {
    const dates = ['2026-03-01', '2024-02-29', '2026-02-28', '2025-12-31'];
    expect([...dates].sort(compareDates)).toEqual(['2024-02-29', '2025-12-31', '2026-02-28', '2026-03-01']);
  });

  test('throws RangeError on invalid dates', () => {
    expect(() => compareDates('2026-1-1', '2026-01-01')).toThrow(RangeError);
    expect(() => compareDates('2026-01-01', '2026-02-30')).toThrow(RangeError);
  });
});

describe('isValidTimeZone', () => {
  test('accepts IANA names and UTC', () => {
    for (const tz of ['UTC', 'Etc/UTC', 'America/New_York', 'Pacific/Auckland', 'Asia/Kolkata', 'Europe/London']) {
      expect(isValidTimeZone(tz)).toBe(true);
    }
  });

  test('rejects unknown names and non-strings', () => {
    for (const tz of ['', 'Not/AZone', 'America/Nowhere', 'New York', 42, null, undefined]) {
      expect(isValidTimeZone(tz)).toBe(false);
    }
  });
});

describe('businessDateInZone', () => {
  test('late-evening sales in New York belong to the previous UTC day', () => {
    expect(businessDateInZone(utc('2026-03-01T04:30:00Z'), 'America/New_York')).toBe('2026-02-28');
    expect(businessDateInZone(utc('2026-03-01T05:00:00Z'), 'America/New_York')).toBe('2026-03-01');
    expect(businessDateInZone(utc('2026-03-01T04:59:59.999Z'), 'America/New_York')).toBe('2026-02-28');
  });

  test('leap day and year wrap', () => {
    expect(businessDateInZone(utc('2024-03-01T03:00:00Z'), 'America/New_York')).toBe('2024-02-29');
    expect(businessDateInZone(utc('2027-01-01T04:59:00Z'), 'America/New_York')).toBe('2026-12-31');
    expect(businessDateInZone(utc('2026-12-31T11:00:00Z'), 'Pacific/Auckland')).toBe('2027-01-01');
  });

  test('UTC and fractional offsets', () => {
    expect(businessDateInZone(utc('2026-06-15T23:59:59Z'), 'UTC')).toBe('2026-06-15');
    expect(businessDateInZone(utc('2026-06-15T18:29:59Z'), 'Asia/Kolkata')).toBe('2026-06-15');
    expect(businessDateInZone(utc('2026-06-15T18:30:00Z'), 'Asia/Kolkata')).toBe('2026-06-16');
  });

  test('midnight renders as day start, not hour 24', () => {
    expect(businessDateInZone(utc('2026-07-01T04:00:00Z'), 'America/New_York')).toBe('2026-07-01');
  });

  test('throws RangeError on invalid dates or zones', () => {
    expect(() => businessDateInZone(new Date(NaN), 'UTC')).toThrow(RangeError);
    expect(() => businessDateInZone('2026-01-01' as unknown as Date, 'UTC')).toThrow(RangeError);
    expect(() => businessDateInZone(utc('2026-01-01T00:00:00Z'), 'Not/AZone')).toThrow(RangeError);
    expect(() => businessDateInZone(utc('2026-01-01T00:00:00Z'), '')).toThrow(RangeError);
  });

  test('throws RangeError outside years 1–9999', () => {
    expect(() => businessDateInZone(utc('+010000-01-01T00:00:00Z'), 'UTC')).toThrow(RangeError);
    expect(() => businessDateInZone(utc('0000-12-31T00:00:00Z'), 'UTC')).toThrow(RangeError);
  });
});

describe('startOfBusinessDateUtc', () => {
  test('UTC days start at 00:00Z', () => {
    expect(startOfBusinessDateUtc('2026-03-08', 'UTC').toISOString()).toBe('2026-03-08T00:00:00.000Z');
    expect(startOfBusinessDateUtc('2024-02-29', 'UTC').toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(startOfBusinessDateUtc('0001-01-01', 'UTC').toISOString()).toBe('0001-01-01T00:00:00.000Z');
  });

  test('America/New_York: spring-forward day (2026-03-08) is 23 hours long', () => {
    const start = startOfBusinessDateUtc('2026-03-08', 'America/New_York');
    const next = startOfBusinessDateUtc('2026-03-09', 'America/New_York');
    expect(start.toISOString()).toBe('2026-03-08T05:00:00.000Z'); // midnight EST (-5)
    expect(next.toISOString()).toBe('2026-03-09T04:00:00.000Z'); // midnight EDT (-4)
    expect(next.getTime() - start.getTime()).toBe(23 * HOUR);
  });

  test('America/New_York: fall-back day (2026-11-01) is 25 hours long', () => {
    const start = startOfBusinessDateUtc('2026-11-01', 'America/New_York');
    const next = startOfBusinessDateUtc('2026-11-02', 'America/New_York');
    expect(start.toISOString()).toBe('2026-11-01T04:00:00.000Z'); // midnight EDT
    expect(next.toISOString()).toBe('2026-11-02T05:00:00.000Z'); // midnight EST
    expect(next.getTime() - start.getTime()).toBe(25 * HOUR);
  });

  test('Pacific/Auckland: ahead of UTC, southern-hemisphere DST', () => {
    expect(startOfBusinessDateUtc('2026-01-15', 'Pacific/Auckland').toISOString()).toBe('2026-01-14T11:00:00.000Z'); // NZDT +13
    expect(startOfBusinessDateUtc('2026-07-15', 'Pacific/Auckland').toISOString()).toBe('2026-07-14T12:00:00.000Z'); // NZST +12
    // DST ends 2026-04-05 03:00 -> 02:00: that day is 25 hours.
    const endStart = startOfBusinessDateUtc('2026-04-05', 'Pacific/Auckland');
    const endNext = startOfBusinessDateUtc('2026-04-06', 'Pacific/Auckland');
    expect(endStart.toISOString()).toBe('2026-04-04T11:00:00.000Z');
    expect(endNext.getTime() - endStart.getTime()).toBe(25 * HOUR);
    // DST starts 2026-09-27 02:00 -> 03:00: that day is 23 hours.
    const beginStart = startOfBusinessDateUtc('2026-09-27', 'Pacific/Auckland');
    const beginNext = startOfBusinessDateUtc('2026-09-28', 'Pacific/Auckland');
    expect(beginStart.toISOString()).toBe('2026-09-26T12:00:00.000Z');
    expect(beginNext.getTime() - beginStart.getTime()).toBe(23 * HOUR);
  });

  test('fractional offset zones', () => {
    expect(startOfBusinessDateUtc('2026-06-16', 'Asia/Kolkata').toISOString()).toBe('2026-06-15T18:30:00.000Z');
    expect(startOfBusinessDateUtc('2026-06-16', 'Asia/Kathmandu').toISOString()).toBe('2026-06-15T18:15:00.000Z');
  });

  test('midnight skipped by DST (America/Havana 2026-03-08): day starts at the transition', () => {
    const start = startOfBusinessDateUtc('2026-03-08', 'America/Havana');
    expect(start.toISOString()).toBe('2026-03-08T05:00:00.000Z'); // 01:00 CDT
    expect(businessDateInZone(start, 'America/Havana')).toBe('2026-03-08');
    expect(businessDateInZone(new Date(start.getTime() - 1), 'America/Havana')).toBe('2026-03-07');
  });

  test('midnight repeated by DST (America/Havana 2026-11-01): the earlier midnight wins', () => {
    const start = startOfBusinessDateUtc('2026-11-01', 'America/Havana');
    expect(start.toISOString()).toBe('2026-11-01T04:00:00.000Z'); // first 00:00, still CDT (-4)
    expect(businessDateInZone(new Date(start.getTime() - 1), 'America/Havana')).toBe('2026-10-31');
  });

  test('a date the zone skipped entirely throws RangeError (Pacific/Apia 2011-12-30)', () => {
    expect(() => startOfBusinessDateUtc('2011-12-30', 'Pacific/Apia')).toThrow('never occurred');
    expect(startOfBusinessDateUtc('2011-12-31', 'Pacific/Apia').toISOString()).toBe('2011-12-30T10:00:00.000Z');
  });

  test('is consistent with businessDateInZone for every day of a year in several zones', () => {
    for (const tz of ['America/New_York', 'Pacific/Auckland', 'Europe/London', 'Australia/Lord_Howe', 'UTC']) {
      let day = '2026-01-01';
      let start = startOfBusinessDateUtc(day, tz);
      for (let i = 0; i < 365; i++) {
        const nextDay = addDays(day, 1);
        const nextStart = startOfBusinessDateUtc(nextDay, tz);
        expect(businessDateInZone(start, tz)).toBe(day);
        expect(businessDateInZone(new Date(start.getTime() - 1), tz)).toBe(addDays(day, -1));
        const length = nextStart.getTime() - start.getTime();
        // Lord Howe shifts by 30 minutes; everything else by an hour.
        expect(length).toBeGreaterThanOrEqual(23 * HOUR);
        expect(length).toBeLessThanOrEqual(25 * HOUR);
        day = nextDay;
        start = nextStart;
      }
    }
  });

  test('throws RangeError on invalid dates or zones', () => {
    expect(() => startOfBusinessDateUtc('2026-02-29', 'UTC')).toThrow(RangeError);
    expect(() => startOfBusinessDateUtc('2026-03-08', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

import { describe, expect, test } from 'bun:test';
import { ageOn, isMinor, isUnderAgeOn } from './minor';

describe('ageOn', () => {
  test('counts completed years, turning a year older on the birthday itself', () => {
    expect(ageOn('2008-11-24', '2026-11-23')).toBe(17);
    expect(ageOn('2008-11-24', '2026-11-24')).toBe(18);
    expect(ageOn('2008-11-24', '2026-11-25')).toBe(18);
    expect(ageOn('2008-12-31', '2026-01-01')).toBe(17);
    expect(ageOn('2026-03-01', '2026-03-01')).toBe(0);
  });

  test('a Feb 29 birthday falls on Mar 1 in common years and on Feb 29 in leap years', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOn('2012-02-29', '2030-02-28')).toBe(17);
    expect(ageOn('2012-02-29', '2030-03-01')).toBe(18);
    // 2028 is a leap year: the birthday is Feb 29 itself.
    expect(ageOn('2008-02-29', '2028-02-28')).toBe(19);
    expect(ageOn('2010-02-28', '2028-02-28')).toBe(18);
    expect(ageOn('2012-02-29', '2028-02-28')).toBe(15);
    expect(ageOn('2012-02-29', '2028-02-29')).toBe(16);
  });

  test('rejects malformed dates', () => {
    expect(() => ageOn('2008-02-30', '2026-01-01')).toThrow(RangeError);
    expect(() => ageOn('2008-01-01', 'today')).toThrow(RangeError);
  });
});

describe('isUnderAgeOn', () => {
  test('is true until the 18th birthday', () => {
    expect(isUnderAgeOn('2008-11-25', '2026-11-24')).toBe(true);
    expect(isUnderAgeOn('2008-11-24', '2026-11-24')).toBe(false);
  });
  test('a date of birth in the future counts as a minor', () => {
    expect(isUnderAgeOn('2027-01-01', '2026-11-24')).toBe(true);
  });
});

describe('isMinor', () => {
  const today = '2026-11-24';
  test('derives from the date of birth when staff set no flag', () => {
    expect(isMinor({ minorOverride: null, dateOfBirth: '2014-05-01' }, today)).toBe(true);
    expect(isMinor({ minorOverride: null, dateOfBirth: '1980-05-01' }, today)).toBe(false);
  });
  test("staff's flag wins in both directions", () => {
    expect(isMinor({ minorOverride: false, dateOfBirth: '2014-05-01' }, today)).toBe(false);
    expect(isMinor({ minorOverride: true, dateOfBirth: '1980-05-01' }, today)).toBe(true);
    expect(isMinor({ minorOverride: true, dateOfBirth: null }, today)).toBe(true);
  });
  test('no flag and no date of birth is not a minor', () => {
    expect(isMinor({ minorOverride: null, dateOfBirth: null }, today)).toBe(false);
  });
});

import { describe, expect, test } from 'bun:test';
import { fixedClock, offsetClock, settableClock, systemClock, type Clock } from './clock';

describe('systemClock', () => {
  test('returns a valid, current Date', () => {
    const before = new Date().getTime();
    const now = systemClock.now().getTime();
    const after = new Date().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(after);
  });
});

describe('fixedClock', () => {
  test('always reports the same instant', () => {
    const clock = fixedClock('2026-03-01T04:30:00Z');
    expect(clock.now().toISOString()).toBe('2026-03-01T04:30:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-03-01T04:30:00.000Z');
  });

  test('accepts a Date and is not affected by later mutation of it', () => {
    const source = new Date('2026-01-01T00:00:00Z');
    const clock = fixedClock(source);
    source.setUTCFullYear(2030);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  test('returns a fresh Date each call so callers cannot mutate the clock', () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    const first = clock.now();
    first.setUTCHours(12);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(clock.now()).not.toBe(clock.now());
  });

  test('accepts explicit offsets and optional seconds / milliseconds', () => {
    expect(fixedClock('2026-03-01T09:00+05:30').now().toISOString()).toBe('2026-03-01T03:30:00.000Z');
    expect(fixedClock('2026-02-28T23:30:00-05:00').now().toISOString()).toBe('2026-03-01T04:30:00.000Z');
    expect(fixedClock('2026-03-01T00:00:00.5Z').now().toISOString()).toBe('2026-03-01T00:00:00.500Z');
    expect(fixedClock('2024-02-29T12:00:00.123Z').now().toISOString()).toBe('2024-02-29T12:00:00.123Z');
  });

  test.each([
    '2026-03-01', // date-only: ambiguous intent
    '2026-03-01T09:00:00', // no zone: would use the machine's local zone
    '2026-03-01 09:00:00Z',
    '2026-02-30T00:00:00Z', // impossible date some engines roll over
    '2026-02-29T00:00:00Z', // not a leap year
    '2026-13-01T00:00:00Z',
    '2026-02-28T24:00:00Z',
    '2026-02-28T23:60:00Z',
    '2026-03-01T09:00:00+24:00',
    'yesterday',
    '',
  ])('rejects %p with RangeError', (input) => {
    expect(() => fixedClock(input)).toThrow(RangeError);
  });

  test('rejects invalid Dates and other types', () => {
    expect(() => fixedClock(new Date(NaN))).toThrow(RangeError);
    expect(() => fixedClock(1767225600000 as unknown as string)).toThrow(RangeError);
  });
});

describe('offsetClock', () => {
  test('shifts the base clock by a constant', () => {
    const base = fixedClock('2026-03-01T00:00:00Z');
    expect(offsetClock(base, 90_000).now().toISOString()).toBe('2026-03-01T00:01:30.000Z');
    expect(offsetClock(base, -86_400_000).now().toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(offsetClock(base, 0).now().toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  test('follows a moving base clock', () => {
    const base = settableClock('2026-03-01T00:00:00Z');
    const shifted = offsetClock(base, 1000);
    base.advance(5000);
    expect(shifted.now().toISOString()).toBe('2026-03-01T00:00:06.000Z');
  });

  test('works with any Clock implementation', () => {
    let calls = 0;
    const counting: Clock = { now: () => new Date(Date.UTC(2026, 0, 1) + calls++ * 1000) };
    const shifted = offsetClock(counting, 500);
    expect(shifted.now().toISOString()).toBe('2026-01-01T00:00:00.500Z');
    expect(shifted.now().toISOString()).toBe('2026-01-01T00:00:01.500Z');
  });

  test('throws RangeError on non-integer offsets', () => {
    const base = fixedClock('2026-03-01T00:00:00Z');
    for (const ms of [0.5, NaN, Infinity, '1000']) {
      expect(() => offsetClock(base, ms as number)).toThrow(RangeError);
    }
  });
});

describe('settableClock', () => {
  test('starts at the initial time and stays there', () => {
    const clock = settableClock('2026-03-08T06:59:59Z');
    expect(clock.now().toISOString()).toBe('2026-03-08T06:59:59.000Z');
    expect(clock.now().toISOString()).toBe('2026-03-08T06:59:59.000Z');
  });

  test('advance moves forward and backward', () => {
    const clock = settableClock(new Date('2026-02-28T23:59:59Z'));
    clock.advance(1000);
    expect(clock.now().toISOString()).toBe('2026-03-01T00:00:00.000Z');
    clock.advance(-2000);
    expect(clock.now().toISOString()).toBe('2026-02-28T23:59:58.000Z');
    clock.advance(0);
    expect(clock.now().toISOString()).toBe('2026-02-28T23:59:58.000Z');
  });

  test('set jumps to an absolute time, including backwards', () => {
    const clock = settableClock('2026-03-01T00:00:00Z');
    clock.set('2024-02-29T12:00:00Z');
    expect(clock.now().toISOString()).toBe('2024-02-29T12:00:00.000Z');
    clock.set(new Date('2030-01-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });

  test('returned Dates are copies', () => {
    const clock = settableClock('2026-03-01T00:00:00Z');
    clock.now().setUTCFullYear(1999);
    expect(clock.now().toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  test('bad input throws RangeError and leaves the clock unchanged', () => {
    const clock = settableClock('2026-03-01T00:00:00Z');
    expect(() => clock.set('2026-03-01')).toThrow(RangeError);
    expect(() => clock.set(new Date(NaN))).toThrow(RangeError);
    expect(() => clock.advance(1.5)).toThrow(RangeError);
    expect(() => clock.advance(Number.MAX_SAFE_INTEGER)).toThrow(RangeError);
    expect(clock.now().toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  test('rejects a bad initial time', () => {
    expect(() => settableClock('not a time')).toThrow(RangeError);
  });
});

/**
 * The current time, injected.
 *
 * Business code never calls `new Date()` or `Date.now()` directly; it asks a
 * Clock. Production passes `systemClock`; tests pass a fixed or settable clock
 * so "what happens at 23:59 on Feb 28" is a deterministic test, not a wait.
 *
 * Clocks hand out a fresh Date on every call, so a caller mutating the Date it
 * received (setHours etc.) can't change what the clock reports next.
 */

import { describeValue } from './money';

export interface Clock {
  now(): Date;
}

/** The real wall clock. The only impure thing in src/domain, and only reached through the Clock seam. */
export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock whose time can be changed by the test that owns it. */
export interface SettableClock extends Clock {
  /** Jump to an absolute instant (backwards is allowed: tests may need it). */
  set(isoOrDate: string | Date): void;
  /** Move by `ms` milliseconds (negative moves back). */
  advance(ms: number): void;
}

/*
 * Strings must carry an explicit zone ("Z" or "+hh:mm"). JavaScript parses
 * "2026-03-01T09:00" in the *machine's* local zone and "2026-03-01" as UTC;
 * either would make a test pass on one machine and fail on another.
 */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Converts an ISO-8601 instant string or a Date to epoch ms; throws RangeError if invalid. */
function toEpochMs(isoOrDate: string | Date): number {
  if (isoOrDate instanceof Date) {
    const ms = isoOrDate.getTime();
    if (!Number.isFinite(ms)) throw new RangeError('clock time must be a valid Date, got Invalid Date');
    return ms;
  }
  if (typeof isoOrDate === 'string' && ISO_INSTANT.test(isoOrDate)) {
    const ms = Date.parse(isoOrDate);
    // Date.parse accepts impossible dates in some engines (e.g. Feb 30); round-trip to catch them.
    if (Number.isFinite(ms) && sameCalendarFields(isoOrDate, ms)) return ms;
  }
  throw new RangeError(
    `clock time must be a Date or an ISO-8601 instant with a zone (e.g. "2026-03-01T09:00:00Z"), got ${describeValue(isoOrDate)}`,
  );
}

/** Checks the fields written in `iso` (up to whole seconds) are the ones `ms` represents at the written offset. */
function sameCalendarFields(iso: string, ms: number): boolean {
  const zone = iso.endsWith('Z') ? 'Z' : iso.slice(-6);
  const sign = zone[0] === '-' ? -1 : 1;
  const offsetMinutes =
    zone === 'Z' ? 0 : sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const local = new Date(ms + offsetMinutes * 60_000).toISOString(); // "YYYY-MM-DDTHH:MM:SS.sssZ"
  const written = iso.slice(0, iso.length - zone.length).slice(0, 19);
  return local.startsWith(written);
}

function assertOffsetMs(ms: unknown): asserts ms is number {
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms)) {
    throw new RangeError(`clock offset must be an integer number of milliseconds, got ${describeValue(ms)}`);
  }
}

/** A clock frozen at one instant. */
export function fixedClock(isoOrDate: string | Date): Clock {
  const ms = toEpochMs(isoOrDate);
  return { now: () => new Date(ms) };
}

/** `base` shifted by a constant `ms` (e.g. to simulate a skewed terminal or "tomorrow"). */
export function offsetClock(base: Clock, ms: number): Clock {
  assertOffsetMs(ms);
  return { now: () => new Date(base.now().getTime() + ms) };
}

/** A clock that stays put until the test calls set() or advance(). */
export function settableClock(initial: string | Date): SettableClock {
  let current = toEpochMs(initial);
  return {
    now: () => new Date(current),
    set(isoOrDate) {
      current = toEpochMs(isoOrDate);
    },
    advance(ms) {
      assertOffsetMs(ms);
      const next = current + ms;
      if (!Number.isFinite(new Date(next).getTime())) {
        throw new RangeError(`advancing by ${ms} ms leaves the representable date range`);
      }
      current = next;
    },
  };
}

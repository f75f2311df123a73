/**
 * Who counts as a minor (customers-inventory.md): staff's explicit flag wins; otherwise a member is a
 * minor while under 18 on the store's business date, derived from the date of birth. Pure: the caller
 * passes "today" as a business date in the store's time zone.
 */
import { isLeapYear, parseBusinessDate, type BusinessDate } from './business-date';

export const AGE_OF_MAJORITY = 18;

/**
 * Completed years of age on `on`. Someone born on Feb 29 has their birthday on Mar 1 in common years
 * (the later of the two usual readings, so nobody is treated as an adult a day early).
 */
export function ageOn(dateOfBirth: BusinessDate, on: BusinessDate): number {
  const born = parseBusinessDate(dateOfBirth);
  const today = parseBusinessDate(on);
  let month = born.month;
  let day = born.day;
  if (month === 2 && day === 29 && !isLeapYear(today.year)) {
    month = 3;
    day = 1;
  }
  const hadBirthday = today.month > month || (today.month === month && today.day >= day);
  return today.year - born.year - (hadBirthday ? 0 : 1);
}

/** Under 18 on `on`. A date of birth after `on` (not born yet) counts as a minor rather than throwing. */
export function isUnderAgeOn(dateOfBirth: BusinessDate, on: BusinessDate): boolean {
  return ageOn(dateOfBirth, on) < AGE_OF_MAJORITY;
}

export interface MinorFacts {
  /** Staff's explicit flag; null = derive from the date of birth. */
  minorOverride: boolean | null;
  dateOfBirth: BusinessDate | null;
}

/** The flag the rest of Forte uses. No override and no date of birth = not a minor (nothing says so). */
export function isMinor(facts: MinorFacts, today: BusinessDate): boolean {
  if (facts.minorOverride !== null) return facts.minorOverride;
  if (!facts.dateOfBirth) return false;
  return isUnderAgeOn(facts.dateOfBirth, today);
}

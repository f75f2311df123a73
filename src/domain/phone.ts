/**
 * Phone numbers are stored as typed ("(555) 010-2000 x12") and compared as digits only (spec), which is
 * what the generated `phone_digits` columns hold. This mirrors that column for values not yet stored.
 */
export function phoneDigits(phone: string | null | undefined): string | null {
  const digits = (phone ?? '').replace(/[^0-9]/g, '');
  return digits === '' ? null : digits;
}

/** Characters a typed phone number may contain: digits, spaces, + ( ) - . and an "x123" extension. */
export const PHONE_PATTERN = /^\+?[0-9().\-\s]*(\s*(x|ext\.?)\s*\d{1,6})?$/i;

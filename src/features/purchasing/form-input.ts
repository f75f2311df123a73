import { centsToDecimalString, parseMoneyToCents } from '../../domain/money';

/**
 * Form fields arrive as strings. These turn the well-formed ones into numbers and leave anything else as
 * the raw string, so the shared Zod schema rejects it with its usual message ("must be a whole number").
 */
export function formInt(raw: string): number | string | undefined {
  const v = raw.trim();
  if (v === '') return undefined;
  return /^-?\d{1,9}$/.test(v) ? Number(v) : v;
}

export function formCents(raw: string): number | string | undefined {
  const v = raw.trim();
  if (v === '') return undefined;
  return parseMoneyToCents(v) ?? v;
}

/** Dollars for a form field from cents (1250 → "12.50"), so re-rendered forms show what was saved. */
export const centsToInput = (cents: number) => centsToDecimalString(cents);

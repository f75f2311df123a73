import { centsToDecimalString, parseMoneyToCents } from '../../domain/money';
import { formString, type FormBody } from '../../server/forms';

/**
 * Turns an HTML form (money typed as "12.50", checkboxes, blank = none) into the snake_case shape the
 * shared Zod schemas validate, collecting "not a number" problems as field errors before Zod runs.
 */
export class FormReader {
  readonly errors: Record<string, string> = {};
  constructor(private readonly body: FormBody) {}

  text(key: string): string {
    return formString(this.body, key);
  }

  /** Blank -> null (optional field) or undefined (let the schema default apply). */
  money(key: string, label: string, blank: null | undefined = undefined): number | null | undefined {
    const raw = formString(this.body, key).replace(/^\$/, '').trim();
    if (!raw) return blank;
    const cents = parseMoneyToCents(raw);
    if (cents === null || raw.length > 20) {
      this.errors[key] = `${label} must be an amount like 12.50.`;
      return blank;
    }
    return cents;
  }

  integer(key: string, label: string, blank: null | undefined = undefined): number | null | undefined {
    const raw = formString(this.body, key).trim();
    if (!raw) return blank;
    if (!/^[+-]?\d{1,9}$/.test(raw)) {
      this.errors[key] = `${label} must be a whole number.`;
      return blank;
    }
    return Number(raw);
  }

  checkbox(key: string): boolean {
    const v = formString(this.body, key);
    return v === 'on' || v === 'true' || v === '1';
  }

  /** Blank select -> null ("none"). */
  optionalId(key: string): string | null {
    return formString(this.body, key).trim() || null;
  }
}

/** Cents back to the "12.50" a form field shows. */
export const centsInput = (cents: number | null | undefined) => (cents === null || cents === undefined ? '' : centsToDecimalString(cents));

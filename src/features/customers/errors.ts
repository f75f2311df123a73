import { ConflictError } from '../service-errors';

export interface DuplicateMatch {
  id: string;
  number: string;
  name: string;
  email: string | null;
  phone: string | null;
  matchedOn: ('email' | 'phone')[];
}

/**
 * Another active account already has this email or phone. Not a hard rule (two households can share a
 * school's phone), so the caller may retry with an explicit confirmation.
 */
export class DuplicateAccountError extends ConflictError {
  constructor(public readonly matches: DuplicateMatch[]) {
    const fields: Record<string, string> = {};
    const list = (on: 'email' | 'phone') =>
      matches
        .filter((m) => m.matchedOn.includes(on))
        .map((m) => `${m.name} (#${m.number})`)
        .join(', ');
    if (matches.some((m) => m.matchedOn.includes('email'))) fields.email = `This email is already on ${list('email')}.`;
    if (matches.some((m) => m.matchedOn.includes('phone'))) fields.phone = `This phone number is already on ${list('phone')}.`;
    super('An account with the same email or phone already exists. Check it is not the same customer, then confirm to create anyway.', fields);
  }
  override apiDetails() {
    return { matches: this.matches.map((m) => ({ id: m.id, number: m.number, name: m.name, email: m.email, phone: m.phone, matched_on: m.matchedOn })) };
  }
}

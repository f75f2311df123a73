import type { Tx } from '../../db/client';
import type { Actor } from '../audit/service';
import { addDays, type BusinessDate } from '../../domain/business-date';
import { createAccount } from '../customers/account-service';
import { addMember } from '../customers/member-service';
import { createExemption } from '../customers/tax-exemptions';
import { createAccountSchema, createMemberSchema, taxExemptionSchema, type CreateMemberInput } from '../customers/schemas';
import type { Rng } from './prng';
import { ADULT_FIRST, BUSINESSES, CHILD_FIRST, CITIES, EMAIL_DOMAINS, LAST_NAMES, SCHOOLS, STREETS, type DemoSchool } from './people-data';

export interface CustomerContext {
  tx: Tx;
  actor: Actor;
  rng: Rng;
  today: BusinessDate;
  now: Date;
}

export interface CustomerCounts {
  accounts: number;
  members: number;
  minors: number;
  schools: number;
  businesses: number;
  exemptions: number;
}

/** Households at scale 1; schools and businesses are always all there. */
export const FULL_HOUSEHOLDS = 289;

/** Hands out unique phones and emails so the duplicate warning doesn't fire between demo households. */
class Contacts {
  private phones = new Set<string>();
  private emails = new Set<string>();
  constructor(private readonly rng: Rng) {}
  phone(area: string): string {
    for (;;) {
      const p = `(${area}) 555-${this.rng.digits(4)}`;
      if (!this.phones.has(p)) return this.phones.add(p), p;
    }
  }
  email(first: string, last: string): string {
    const base = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
    for (let n = 0; ; n++) {
      const e = `${base}${n ? n : ''}@${this.rng.pick(EMAIL_DOMAINS)}`;
      if (!this.emails.has(e)) return this.emails.add(e), e;
    }
  }
}

const dobForAge = (rng: Rng, today: BusinessDate, age: number) => addDays(today, -Math.floor(age * 365.25) - rng.int(1, 360));

function address(rng: Rng) {
  const place = rng.pick(CITIES);
  return { address_line1: `${rng.int(100, 9899)} ${rng.pick(STREETS)}`, city: place.city, region: 'OH', postal_code: place.zip, country: 'US', area: place.area };
}

async function account(c: CustomerContext, input: Record<string, unknown>) {
  // The demo may be loaded into a store that already has customers: a shared phone is no reason to stop.
  return createAccount(c.tx, c.actor, createAccountSchema.parse({ ...input, confirm_duplicate: true }));
}

async function member(c: CustomerContext, accountId: string, input: CreateMemberInput) {
  return addMember(c.tx, c.actor, accountId, createMemberSchema.parse(input), { today: c.today });
}

function childOf(c: CustomerContext, last: string, age: number, legacyId: string): CreateMemberInput {
  const grade = Math.min(12, Math.max(4, age - 5));
  const school: DemoSchool = c.rng.pick(SCHOOLS.filter((s) => grade >= s.grades[0] && grade <= s.grades[1]));
  // A few minors come without a birth date; staff then ticked "minor" by hand (the override).
  const withDob = !c.rng.chance(0.05);
  return {
    first_name: c.rng.pick(CHILD_FIRST),
    last_name: last,
    date_of_birth: withDob ? dobForAge(c.rng, c.today, age) : null,
    is_minor: withDob ? null : true,
    school: school.name,
    grade: String(grade),
    teacher: c.rng.pick(school.teachers),
    legacy_id: legacyId,
  };
}

export async function seedCustomers(c: CustomerContext, scale: number): Promise<CustomerCounts> {
  const { rng } = c;
  const contacts = new Contacts(rng);
  const counts: CustomerCounts = { accounts: 0, members: 0, minors: 0, schools: 0, businesses: 0, exemptions: 0 };
  let memberSeq = 0;
  const nextMemberId = () => `demo-member-${++memberSeq}`;

  for (const [i, school] of SCHOOLS.entries()) {
    const { area, ...addr } = address(rng);
    const slug = school.name.toLowerCase().replace(/[^a-z]+/g, '-').replace(/-school$/, '');
    const acct = await account(c, {
      ...addr,
      name: school.name,
      type: 'school',
      email: `music.${slug}@schools.example.org`,
      phone: contacts.phone(area),
      billing_mode: 'consolidated',
      billing_day: 1,
      charge_allowed: true,
      credit_limit_cents: 500_000,
      tags: ['school', 'tax-exempt'],
      notes: 'Purchase orders required for every invoice; send statements to the district office.',
      legacy_id: `demo-school-${i + 1}`,
    });
    const [first, last] = [rng.pick(ADULT_FIRST), school.teachers[0].replace(/^\S+\s/, '')];
    await member(c, acct.id, { first_name: first, last_name: last, email: contacts.email(first, last), notes: 'Band/orchestra director; may order for the school.', legacy_id: nextMemberId() });
    const exemption = taxExemptionSchema.parse({ certificate_number: school.certificate, issuing_state: 'OH', expires_on: addDays(c.today, rng.int(420, 1000)), status: 'approved', notes: 'Ohio Sales and Use Tax Blanket Exemption Certificate (STEC B) on file.' });
    await createExemption(c.tx, c.actor, acct.id, exemption, { today: c.today, now: c.now, canApprove: true });
    counts.schools++;
    counts.exemptions++;
    counts.members++;
  }

  for (const [i, name] of BUSINESSES.entries()) {
    const { area, ...addr } = address(rng);
    const [first, last] = [rng.pick(ADULT_FIRST), rng.pick(LAST_NAMES)];
    const acct = await account(c, {
      ...addr,
      name,
      type: 'business',
      email: contacts.email(first, last),
      phone: contacts.phone(area),
      billing_mode: 'consolidated',
      billing_day: rng.int(1, 28),
      charge_allowed: true,
      credit_limit_cents: rng.pick([100_000, 250_000]),
      tags: ['business'],
      legacy_id: `demo-business-${i + 1}`,
    });
    await member(c, acct.id, { first_name: first, last_name: last, date_of_birth: rng.chance(0.5) ? dobForAge(rng, c.today, rng.int(30, 65)) : null, email: contacts.email(first, last), notes: 'Account contact.', legacy_id: nextMemberId() });
    counts.businesses++;
    counts.members++;
  }
  counts.accounts = counts.schools + counts.businesses;

  const households = Math.max(3, Math.round(FULL_HOUSEHOLDS * scale));
  for (let h = 0; h < households; h++) {
    // Fixed first households so the spec's search example ("smi": Smith accounts, a member Smithson) always works.
    const last = h === 0 ? 'Smith' : h === 1 ? 'Smithson' : rng.pick(LAST_NAMES);
    const family = h === 0 || (h !== 1 && rng.chance(0.65));
    const { area, ...addr } = address(rng);
    const adults = family ? (rng.chance(0.7) ? 2 : 1) : 1;
    const kids = family ? Math.min(4 - adults, rng.int(1, 3)) : 0;
    const firstAdult = h === 1 ? 'Jordan' : rng.pick(ADULT_FIRST);
    const email = contacts.email(firstAdult, last);
    const acct = await account(c, {
      ...addr,
      name: family ? `${last} Family` : `${firstAdult} ${last}`,
      type: family ? 'family' : 'individual',
      email,
      phone: contacts.phone(area),
      phone2: rng.chance(0.3) ? contacts.phone(area) : null,
      billing_mode: family && kids > 1 && rng.chance(0.15) ? 'split' : 'consolidated',
      billing_day: rng.int(1, 28),
      charge_allowed: rng.chance(0.6),
      credit_limit_cents: rng.pick([0, 0, 25_000, 50_000]),
      tags: family ? ['rental-family'] : rng.chance(0.3) ? ['lessons'] : [],
      legacy_id: `demo-household-${h + 1}`,
    });
    counts.accounts++;
    for (let a = 0; a < adults; a++) {
      const first = a === 0 ? firstAdult : rng.pick(ADULT_FIRST);
      const age = family ? rng.int(30, 52) : rng.int(19, 74);
      await member(c, acct.id, {
        first_name: first,
        last_name: last,
        date_of_birth: rng.chance(0.85) ? dobForAge(rng, c.today, age) : null,
        email: a === 0 ? email : contacts.email(first, last),
        phone: a === 0 ? null : contacts.phone(area),
        notes: !family && rng.chance(0.2) ? 'Adult beginner; Tuesday evening lessons.' : '',
        legacy_id: nextMemberId(),
      });
      counts.members++;
    }
    for (let k = 0; k < kids; k++) {
      await member(c, acct.id, childOf(c, last, rng.int(9, 17), nextMemberId()));
      counts.members++;
      counts.minors++;
    }
  }
  return counts;
}

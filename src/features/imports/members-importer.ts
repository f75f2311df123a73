import { eq } from 'drizzle-orm';
import { accounts, members } from '../../db/schema';
import type { Importer } from '../csv/import-runner';
import { createMemberSchema, updateMemberSchema, type CreateMemberInput } from '../customers/schemas';
import { addMember, updateMember } from '../customers/member-service';
import { zodFieldErrors } from '../service-errors';
import { boolCell, dateCell, optionalTextCell, RowErrors } from './cells';
import { businessDateInZone } from '../../domain/business-date';
import { getStoreSettings } from '../settings/service';

type MemberRowValue = { accountLegacyId: string; input: CreateMemberInput };

/** Members (people on an account). Import the accounts file first: each row names its account's legacy id. */
export const membersImporter: Importer<MemberRowValue> = {
  kind: 'members',
  label: 'Members of accounts',
  columns: [
    { name: 'legacy_id', required: true, description: 'The person id in the old system; re-importing it updates the member.' },
    { name: 'account_legacy_id', required: true, description: 'legacy_id of the account (from the accounts file) the member belongs to.' },
    { name: 'first_name', required: true, description: 'First name.' },
    { name: 'last_name', required: true, description: 'Last name.' },
    { name: 'date_of_birth', description: 'YYYY-MM-DD or M/D/YYYY; minors (under 18) are flagged from it.' },
    { name: 'is_minor', description: 'yes/no to set the minor flag by hand (overrides the date of birth).' },
    { name: 'email', description: 'Email.' },
    { name: 'phone', description: 'Phone.' },
    { name: 'school', description: 'School (school rentals).' },
    { name: 'grade', description: 'Grade.' },
    { name: 'teacher', description: 'Teacher / band director.' },
    { name: 'notes', description: 'Notes.' },
  ],
  async validate(db, row) {
    const errors = new RowErrors();
    const accountLegacyId = optionalTextCell(row.account_legacy_id);
    if (!accountLegacyId) errors.add('account_legacy_id', 'Say which account (its legacy id) the member belongs to.');
    else if ((await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.legacyId, accountLegacyId))).length === 0) {
      errors.add('account_legacy_id', `No account with legacy id "${accountLegacyId}"; import the accounts file first.`);
    }
    const input: Record<string, unknown> = {
      legacy_id: optionalTextCell(row.legacy_id) ?? null,
      first_name: row.first_name ?? '',
      last_name: row.last_name ?? '',
      date_of_birth: errors.take('date_of_birth', dateCell(row.date_of_birth)) ?? null,
      is_minor: errors.take('is_minor', boolCell(row.is_minor)) ?? null,
      email: optionalTextCell(row.email) ?? null,
      phone: optionalTextCell(row.phone) ?? null,
      school: optionalTextCell(row.school),
      grade: optionalTextCell(row.grade),
      teacher: optionalTextCell(row.teacher),
      notes: optionalTextCell(row.notes),
    };
    for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
    if (!input.legacy_id) errors.add('legacy_id', 'Every row needs the id from the old system.');
    const parsed = createMemberSchema.safeParse(input);
    if (!parsed.success) for (const [field, reason] of Object.entries(zodFieldErrors(parsed.error))) errors.add(field, reason);
    if (!errors.empty || !parsed.success) return { ok: false, errors: errors.list };
    return { ok: true, value: { accountLegacyId: accountLegacyId!, input: parsed.data }, legacyId: parsed.data.legacy_id ?? null };
  },
  async exists(db, legacyId) {
    return (await db.select({ id: members.id }).from(members).where(eq(members.legacyId, legacyId))).length > 0;
  },
  async apply(tx, actor, value, legacyId) {
    const now = new Date();
    const today = businessDateInZone(now, (await getStoreSettings(tx))?.timeZone ?? 'UTC');
    const [account] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.legacyId, value.accountLegacyId));
    const [existing] = legacyId ? await tx.select({ id: members.id }).from(members).where(eq(members.legacyId, legacyId)) : [];
    if (!existing) {
      await addMember(tx, actor, account.id, value.input, { today });
      return 'created';
    }
    const { first_name, last_name, ...rest } = value.input;
    await updateMember(tx, actor, existing.id, updateMemberSchema.parse({ first_name, last_name, ...rest }), { today });
    return 'updated';
  },
};

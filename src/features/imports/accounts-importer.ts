import { eq } from 'drizzle-orm';
import { accounts } from '../../db/schema';
import type { Importer } from '../csv/import-runner';
import { createAccountSchema, updateAccountSchema, type CreateAccountInput } from '../customers/schemas';
import { createAccount, updateAccount } from '../customers/account-service';
import { zodFieldErrors } from '../service-errors';
import { boolCell, intCell, moneyCell, optionalTextCell, RowErrors } from './cells';

/** CSV column -> API field, where they differ. */
const FIELD_TO_COLUMN: Record<string, string> = { credit_limit_cents: 'credit_limit' };

/** Accounts (households, adults, businesses, schools); members come in their own file referring to these. */
export const accountsImporter: Importer<CreateAccountInput> = {
  kind: 'accounts',
  label: 'Customer accounts',
  columns: [
    { name: 'legacy_id', required: true, description: 'The account id in the old system; re-importing it updates the account.' },
    { name: 'name', required: true, description: 'Account name, e.g. "Smith family" or "Lincoln Middle School".' },
    { name: 'type', description: 'individual, family, business or school (default individual).' },
    { name: 'email', description: 'Email address.' },
    { name: 'phone', description: 'Main phone.' },
    { name: 'phone2', description: 'Second phone.' },
    { name: 'address_line1', description: 'Street address.' },
    { name: 'address_line2', description: 'Apartment, suite.' },
    { name: 'city', description: 'City.' },
    { name: 'region', description: 'State or region.' },
    { name: 'postal_code', description: 'ZIP or postal code.' },
    { name: 'country', description: '2-letter country code (default US).' },
    { name: 'billing_mode', description: 'consolidated or split (default consolidated).' },
    { name: 'billing_day', description: 'Preferred billing day, 1–28.' },
    { name: 'charge_allowed', description: 'yes/no: may buy on account.' },
    { name: 'credit_limit', description: 'Credit limit as an amount, e.g. 500.00.' },
    { name: 'tags', description: 'Tags separated by ; or |.' },
    { name: 'notes', description: 'Notes.' },
  ],
  async validate(_db, row) {
    const errors = new RowErrors();
    const input: Record<string, unknown> = {
      legacy_id: optionalTextCell(row.legacy_id) ?? null,
      name: row.name ?? '',
      type: optionalTextCell(row.type)?.toLowerCase(),
      email: optionalTextCell(row.email) ?? null,
      phone: optionalTextCell(row.phone) ?? null,
      phone2: optionalTextCell(row.phone2) ?? null,
      address_line1: optionalTextCell(row.address_line1),
      address_line2: optionalTextCell(row.address_line2),
      city: optionalTextCell(row.city),
      region: optionalTextCell(row.region),
      postal_code: optionalTextCell(row.postal_code),
      country: optionalTextCell(row.country),
      billing_mode: optionalTextCell(row.billing_mode)?.toLowerCase(),
      billing_day: errors.take('billing_day', intCell(row.billing_day)),
      charge_allowed: errors.take('charge_allowed', boolCell(row.charge_allowed)),
      credit_limit_cents: errors.take('credit_limit', moneyCell(row.credit_limit)),
      tags: optionalTextCell(row.tags)?.split(/[;|]/).map((t) => t.trim()).filter(Boolean),
      notes: optionalTextCell(row.notes),
      // Old systems often share a phone between households; an import must not stop on the duplicate warning.
      confirm_duplicate: true,
    };
    for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
    if (!input.legacy_id) errors.add('legacy_id', 'Every row needs the id from the old system, so a re-import updates instead of duplicating.');
    const parsed = createAccountSchema.safeParse(input);
    if (!parsed.success) for (const [field, reason] of Object.entries(zodFieldErrors(parsed.error))) errors.add(FIELD_TO_COLUMN[field] ?? field, reason);
    if (!errors.empty || !parsed.success) return { ok: false, errors: errors.list };
    return { ok: true, value: parsed.data, legacyId: parsed.data.legacy_id ?? null };
  },
  async exists(db, legacyId) {
    return (await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.legacyId, legacyId))).length > 0;
  },
  async apply(tx, actor, value, legacyId) {
    const [existing] = legacyId ? await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.legacyId, legacyId)) : [];
    if (!existing) {
      await createAccount(tx, actor, value);
      return 'created';
    }
    const { confirm_duplicate: _ignored, ...fields } = value;
    await updateAccount(tx, actor, existing.id, updateAccountSchema.parse(fields));
    return 'updated';
  },
};

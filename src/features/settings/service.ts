import { eq, isNull, sql } from 'drizzle-orm';
import { registers, setupToken, storeSettings, staffUsers, taxClasses, taxClassComponents } from '../../db/schema';
import type { Db, DbOrTx, Tx } from '../../db/client';
import { recordAudit, type Actor } from '../audit/service';
import { randomToken, safeEqual, sha256Hex } from '../auth/crypto';
import { ServiceError, ValidationError } from '../service-errors';
import { createStaff, roleIdsByKey, syncBuiltInRoles } from '../staff/service';
import type { PosSettingsInput, StoreDetailsInput } from './schemas';
import type { Clock } from '../../domain/clock';
import { businessDateInZone, type BusinessDate } from '../../domain/business-date';
import { systemTimeZone } from './schemas';

export type StoreSettings = typeof storeSettings.$inferSelect;

export async function getStoreSettings(db: DbOrTx): Promise<StoreSettings | null> {
  const [row] = await db.select().from(storeSettings).where(eq(storeSettings.id, 1));
  return row ?? null;
}

/** What the sale screen and receipts need from the settings (pos.md: return window, cash rounding, policy). */
export interface PosSettings {
  /** Days after the sale a return with receipt is accepted; 0 = no limit. */
  returnWindowDays: number;
  /** Cash totals round to this many cents (1 = no rounding; 5, 10, 25, 50, 100). */
  cashRoundingCents: number;
  /** Printed at the foot of every receipt. */
  returnPolicy: string;
  /** Open the print dialog as soon as a receipt shows. */
  autoPrintReceipt: boolean;
}

/** The POS settings (the column defaults before setup is done). */
export async function getPosSettings(db: DbOrTx): Promise<PosSettings> {
  const s = await getStoreSettings(db);
  return {
    returnWindowDays: s?.returnWindowDays ?? 30,
    cashRoundingCents: s?.cashRoundingCents ?? 1,
    returnPolicy: s?.returnPolicy ?? 'Returns within 30 days with receipt.',
    autoPrintReceipt: s?.autoPrintReceipt ?? false,
  };
}

/** Today as the store sees it (its time zone): minor flags, expiries and acquired dates are judged on this day. */
export async function storeToday(db: DbOrTx, clock: Clock): Promise<BusinessDate> {
  return businessDateInZone(clock.now(), (await getStoreSettings(db))?.timeZone ?? 'UTC');
}

/** "Setup done" lives in the database, so a setup finished by the CLI is seen by a running server at once. */
export async function isSetupComplete(db: DbOrTx): Promise<boolean> {
  const row = await getStoreSettings(db);
  return !!row?.setupCompletedAt;
}

/**
 * Issues a fresh one-time setup token (printed to the console and written to <data>/setup-token.txt
 * for the tray/installer). Only its hash is stored. Returns null once setup is done.
 */
export async function issueSetupToken(db: Db): Promise<string | null> {
  if (await isSetupComplete(db)) return null;
  const token = randomToken(24);
  await db
    .insert(setupToken)
    .values({ id: 1, tokenHash: sha256Hex(token), usedAt: null })
    .onConflictDoUpdate({ target: setupToken.id, set: { tokenHash: sha256Hex(token), usedAt: null, createdAt: new Date() } });
  return token;
}

export class SetupTokenError extends ServiceError {
  constructor() {
    super('forbidden', 'The setup token is missing, wrong or already used. Use the link printed in the Forte console or log (restart Forte for a new one).', 403, {
      token: 'Wrong or already used setup token.',
    });
  }
}

export interface OwnerInput {
  username: string;
  name: string;
  email: string | null;
  password: string;
}

async function applyStoreDefaults(tx: Tx, details: { storeName: string; address: string; phone: string; timeZone: string; taxRate: number }, now: Date) {
  await syncBuiltInRoles(tx);
  await tx
    .insert(storeSettings)
    .values({ id: 1, storeName: details.storeName, address: details.address, phone: details.phone, timeZone: details.timeZone, defaultTaxRateMillipercent: details.taxRate, setupCompletedAt: now })
    .onConflictDoUpdate({
      target: storeSettings.id,
      set: { storeName: details.storeName, address: details.address, phone: details.phone, timeZone: details.timeZone, defaultTaxRateMillipercent: details.taxRate, setupCompletedAt: now, updatedAt: now },
    });
  await tx.insert(registers).values({ name: 'Register 1' }).onConflictDoNothing();
  // A default tax class at the store's rate, so products can be taxed from day one (POS refines classes).
  const [existing] = await tx.select({ id: taxClasses.id }).from(taxClasses).where(eq(taxClasses.isDefault, true));
  if (!existing) {
    const [standard] = await tx.insert(taxClasses).values({ name: 'Standard', isDefault: true }).onConflictDoNothing().returning();
    if (standard) await tx.insert(taxClassComponents).values({ taxClassId: standard.id, name: 'Sales tax', rateMillipercent: details.taxRate });
  }
}

/** The setup wizard: checks and burns the one-time token, stores the store details and creates the owner — all or nothing. */
export async function completeSetup(db: Db, token: string, details: StoreDetailsInput, owner: OwnerInput, now: Date, requestId: string | null) {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(setupToken).where(eq(setupToken.id, 1)).for('update');
    if (await isSetupComplete(tx)) throw new ServiceError('conflict', 'Setup is already complete. Sign in instead.', 409);
    if (!row || row.usedAt || !token || !safeEqual(row.tokenHash, sha256Hex(token))) throw new SetupTokenError();
    const [existing] = await tx.select({ n: sql<number>`count(*)::int` }).from(staffUsers);
    if (existing.n > 0) throw new ServiceError('conflict', 'Setup is already complete. Sign in instead.', 409);
    await applyStoreDefaults(tx, { storeName: details.store_name, address: details.address, phone: details.phone, timeZone: details.time_zone, taxRate: details.default_tax_rate }, now);
    const actor: Actor = { userId: null, label: 'setup', requestId };
    const ownerView = await createStaff(tx, actor, { ...owner, pin: null, role_ids: await roleIdsByKey(tx, ['owner']) });
    await tx.update(setupToken).set({ usedAt: now }).where(eq(setupToken.id, 1));
    await recordAudit(tx, { userId: ownerView.id, label: ownerView.username, requestId }, {
      action: 'setup.complete',
      entityType: 'store_settings',
      entityId: '1',
      summary: `Store "${details.store_name}" set up`,
      after: { ...details },
    });
    return ownerView;
  });
}

/** `forte admin create` on a fresh data dir: finishes first-run setup with the documented defaults. */
export async function completeSetupWithDefaults(tx: Tx, now: Date) {
  if (await isSetupComplete(tx)) return false;
  await applyStoreDefaults(tx, { storeName: 'My Music Store', address: '', phone: '', timeZone: systemTimeZone(), taxRate: 0 }, now);
  await tx.update(setupToken).set({ usedAt: now }).where(isNull(setupToken.usedAt));
  await recordAudit(tx, { userId: null, label: 'cli:admin create' }, { action: 'setup.complete', entityType: 'store_settings', entityId: '1', summary: 'Setup completed with defaults by `forte admin create`' });
  return true;
}

export async function updateStoreSettings(tx: Tx, actor: Actor, input: StoreDetailsInput): Promise<StoreSettings> {
  const before = await getStoreSettings(tx);
  if (!before) throw new ValidationError({ _: 'Setup has not been completed.' });
  const [after] = await tx
    .update(storeSettings)
    .set({ storeName: input.store_name, address: input.address, phone: input.phone, timeZone: input.time_zone, defaultTaxRateMillipercent: input.default_tax_rate, updatedAt: new Date() })
    .where(eq(storeSettings.id, 1))
    .returning();
  await recordAudit(tx, actor, { action: 'settings.update', entityType: 'store_settings', entityId: '1', summary: 'Store details changed', before, after });
  return after;
}

export async function updatePosSettings(tx: Tx, actor: Actor, input: PosSettingsInput): Promise<StoreSettings> {
  const before = await getStoreSettings(tx);
  if (!before) throw new ValidationError({ _: 'Setup has not been completed.' });
  const [after] = await tx
    .update(storeSettings)
    .set({ returnWindowDays: input.return_window_days, cashRoundingCents: input.cash_rounding_cents, returnPolicy: input.return_policy, autoPrintReceipt: input.auto_print_receipt, updatedAt: new Date() })
    .where(eq(storeSettings.id, 1))
    .returning();
  const pick = (s: StoreSettings) => ({ returnWindowDays: s.returnWindowDays, cashRoundingCents: s.cashRoundingCents, returnPolicy: s.returnPolicy, autoPrintReceipt: s.autoPrintReceipt });
  await recordAudit(tx, actor, { action: 'settings.pos.update', entityType: 'store_settings', entityId: '1', summary: 'Point-of-sale settings changed', before: pick(before), after: pick(after) });
  return after;
}

import { beforeEach, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import { addStaff, makeTestApp, resetDb, setupStore, signIn, type TestClient, type TestContext } from '../helpers';
import { getPosSettings, getStoreSettings } from '../../src/features/settings/service';

let t: TestContext;
let owner: TestClient;
beforeEach(async () => {
  await resetDb();
  t = makeTestApp();
  owner = await setupStore(t);
  await owner.get('/settings');
});

const GOOD = { return_window_days: '45', cash_rounding_cents: '5', return_policy: 'Returns within 45 days with receipt.\nNo returns on strings.', auto_print_receipt: 'on' };

describe('point-of-sale settings', () => {
  test('the settings page shows the defaults; saving stores them for the POS (getPosSettings / getStoreSettings); audited', async () => {
    expect(await getPosSettings(t.deps.db)).toEqual({ returnWindowDays: 30, cashRoundingCents: 1, returnPolicy: 'Returns within 30 days with receipt.', autoPrintReceipt: false });
    const page = await owner.get('/settings');
    expect(page.text).toContain('Point of sale');
    expect(page.text).toMatch(/name="return_window_days"[^>]*value="30"/);
    expect(page.text).toMatch(/<option value="1" selected>Off \(exact cents\)<\/option>/);
    expect(page.text).toContain('Returns within 30 days with receipt.</textarea>');
    expect(page.text).not.toMatch(/name="auto_print_receipt" value="on" checked/);

    const res = await owner.postForm('/settings/pos', GOOD);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/settings');
    expect(await getPosSettings(t.deps.db)).toEqual({ returnWindowDays: 45, cashRoundingCents: 5, returnPolicy: 'Returns within 45 days with receipt.\nNo returns on strings.', autoPrintReceipt: true });
    const s = await getStoreSettings(t.deps.db);
    expect([s!.returnWindowDays, s!.cashRoundingCents, s!.autoPrintReceipt, s!.storeName]).toEqual([45, 5, true, 'Harmony Music']);

    const after = await owner.get('/settings');
    expect(after.text).toContain('Point-of-sale settings saved.');
    expect(after.text).toMatch(/name="return_window_days"[^>]*value="45"/);
    expect(after.text).toMatch(/<option value="5" selected>To 5¢<\/option>/);
    expect(after.text).toMatch(/name="auto_print_receipt" value="on" checked/);

    // Unticking the box, 0 days (no limit), rounding to the dollar, an empty policy.
    expect((await owner.postForm('/settings/pos', { return_window_days: '0', cash_rounding_cents: '100', return_policy: '  ' })).status).toBe(303);
    expect(await getPosSettings(t.deps.db)).toEqual({ returnWindowDays: 0, cashRoundingCents: 100, returnPolicy: '', autoPrintReceipt: false });
    const [audit] = await t.deps.db.execute<{ before: any; after: any }>(sql`select before, after from audit_log where action = 'settings.pos.update' order by id limit 1`);
    expect(audit.before).toMatchObject({ returnWindowDays: 30, cashRoundingCents: 1 });
    expect(audit.after).toMatchObject({ returnWindowDays: 45, cashRoundingCents: 5, autoPrintReceipt: true });
    // The store details form is untouched by the POS form and still saves.
    expect((await owner.postForm('/settings', { store_name: 'Harmony Music II', address: '', phone: '', time_zone: 'America/Chicago', default_tax_rate: '8.25' })).status).toBe(303);
    expect((await getPosSettings(t.deps.db)).cashRoundingCents).toBe(100);
  });

  test('bad input: the message next to the field, typed values kept, nothing saved', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ return_window_days: '' }, 'return_window_days', 'Enter a whole number of days from 0 to 3650 (0 = no limit).'],
      [{ return_window_days: '-1' }, 'return_window_days', 'Enter a whole number of days from 0 to 3650'],
      [{ return_window_days: '3651' }, 'return_window_days', 'Enter a whole number of days from 0 to 3650'],
      [{ return_window_days: '1.5' }, 'return_window_days', 'Enter a whole number of days from 0 to 3650'],
      [{ return_window_days: 'thirty' }, 'return_window_days', 'Enter a whole number of days from 0 to 3650'],
      [{ cash_rounding_cents: '3' }, 'cash_rounding_cents', 'Choose a rounding from the list.'],
      [{ cash_rounding_cents: '' }, 'cash_rounding_cents', 'Choose a rounding from the list.'],
      [{ cash_rounding_cents: '0' }, 'cash_rounding_cents', 'Choose a rounding from the list.'],
      [{ return_policy: 'p'.repeat(501) }, 'return_policy', 'The return policy must be at most 500 characters.'],
    ];
    for (const [fields, field, message] of cases) {
      const res = await owner.postForm('/settings/pos', { ...GOOD, ...fields });
      expect([res.status, fields]).toEqual([422, fields]);
      expect([res.text.includes(message), message]).toEqual([true, message]);
      expect(res.text).toMatch(new RegExp(`name="${field}"[^>]*aria-invalid="true"`));
      // The other fields keep what was typed.
      if (field !== 'return_policy') expect(res.text).toContain('No returns on strings.</textarea>');
    }
    // The store details form beside it shows no errors.
    const res = await owner.postForm('/settings/pos', { ...GOOD, return_window_days: 'x' });
    expect(res.text).not.toMatch(/name="store_name"[^>]*aria-invalid/);
    expect(res.text).toMatch(/name="store_name"[^>]*value="Harmony Music"/);
    expect(await getPosSettings(t.deps.db)).toEqual({ returnWindowDays: 30, cashRoundingCents: 1, returnPolicy: 'Returns within 30 days with receipt.', autoPrintReceipt: false });
  });

  test('settings.manage only', async () => {
    await addStaff(t, 'casey', ['cashier']);
    const cashier = await signIn(t, 'casey', 'staff password 123');
    await cashier.get('/');
    expect((await cashier.postForm('/settings/pos', GOOD)).status).toBe(403);
    expect((await getPosSettings(t.deps.db)).returnWindowDays).toBe(30);
  });
});

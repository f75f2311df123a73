import { describe, expect, test } from 'bun:test';
import { OWNER, SETUP_FIELDS } from '../helpers';
import { issueSetupToken } from '../../src/features/settings/service';
import { browserFixture, signInAs, watchPage } from './browser';

const f = browserFixture();
// The 422 of the deliberately bad form and the cashier's 403 are expected responses, not page errors.
const EXPECTED = /status of (403|422)/;

describe('in a real browser', () => {
  test('setup -> owner creates a cashier -> cashier signs in, is refused Staff, signs out', async () => {
    const context = await f.browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    watchPage(page, f.problems, EXPECTED);
    await page.goto(`${f.server.base}/`);
    expect(new URL(page.url()).pathname).toBe('/setup');

    const token = await issueSetupToken(f.t.deps.db);
    await page.goto(`${f.server.base}/setup?token=${token}`);
    await page.fill('input[name="store_name"]', SETUP_FIELDS.store_name);
    await page.fill('textarea[name="address"]', SETUP_FIELDS.address);
    await page.fill('input[name="phone"]', SETUP_FIELDS.phone);
    await page.selectOption('select[name="time_zone"]', SETUP_FIELDS.time_zone);
    await page.fill('input[name="default_tax_rate"]', SETUP_FIELDS.default_tax_rate);
    await page.fill('input[name="owner_username"]', OWNER.username);
    await page.fill('input[name="owner_name"]', OWNER.name);
    await page.fill('input[name="owner_password"]', OWNER.password);
    await page.fill('input[name="owner_password_confirm"]', OWNER.password);
    await Promise.all([page.waitForURL(`${f.server.base}/`), page.click('button:has-text("Finish setup")')]);
    await expect(page.locator('body')).toBeDefined();
    expect(await page.textContent('body')).toContain('Harmony Music');

    await page.click('nav a:has-text("Staff")');
    await page.waitForURL(`${f.server.base}/staff`);
    await page.click('a:has-text("New staff user")');
    await page.waitForURL(`${f.server.base}/staff/new`);
    // A bad submission shows the error next to the field and keeps what was typed.
    await page.fill('input[name="username"]', 'cashier1');
    await page.fill('input[name="name"]', 'Casey Cashier');
    await page.fill('input[name="password"]', 'short');
    await page.click('button:has-text("Create staff user")');
    await page.waitForSelector('.field-error');
    expect(await page.textContent('body')).toContain('at least 10 characters');
    expect(await page.inputValue('input[name="username"]')).toBe('cashier1');
    await page.fill('input[name="password"]', 'cashier password 1');
    await page.check('input[name="role_ids"][value]:near(:text("Cashier"))');
    await Promise.all([page.waitForURL(/\/staff\/[0-9a-f-]{36}$/), page.click('button:has-text("Create staff user")')]);
    expect(await page.textContent('body')).toContain('Casey Cashier');

    // The list search narrows results through htmx without a full reload.
    await page.goto(`${f.server.base}/staff`);
    await page.fill('#staff-filters input[name="q"]', 'casey');
    await page.waitForFunction(() => !document.querySelector('#list')?.textContent?.includes('olivia'));
    expect(await page.textContent('#list')).toContain('cashier1');

    await Promise.all([page.waitForURL(/\/login/), page.click('button:text-is("Sign out")')]);

    await signInAs(page, f.server.base, 'cashier1', 'cashier password 1');
    expect(await page.locator('nav a:has-text("Staff")').count()).toBe(0);
    const denied = await page.goto(`${f.server.base}/staff`);
    expect(denied!.status()).toBe(403);
    expect(await page.textContent('body')).toContain('staff.view');
    await page.goto(`${f.server.base}/`);
    await Promise.all([page.waitForURL(/\/login/), page.click('button:text-is("Sign out")')]);
    const after = await page.goto(`${f.server.base}/`);
    expect(new URL(after!.url()).pathname).toBe('/login');
    expect(f.problems).toEqual([]);
    await context.close();
  }, 60_000);
});

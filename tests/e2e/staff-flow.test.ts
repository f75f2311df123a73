import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { makeTestApp, resetDb, OWNER, SETUP_FIELDS } from '../helpers';
import { issueSetupToken } from '../../src/features/settings/service';
import { launchBrowser, listen } from './browser';

let browser: Browser;
let server: ReturnType<typeof listen>;
let t: ReturnType<typeof makeTestApp>;
const problems: string[] = [];

beforeAll(async () => {
  await resetDb();
  t = makeTestApp();
  server = listen(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function watch(page: Page) {
  page.on('console', (msg) => {
    // The 422 of the deliberately bad form and the cashier's 403 are expected responses, not page errors.
    if (msg.type() === 'error' && !/status of (403|422)/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto(`${server.base}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL(`${server.base}/`), page.click('button:has-text("Sign in")')]);
}

describe('in a real browser', () => {
  test('setup -> owner creates a cashier -> cashier signs in, is refused Staff, signs out', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    watch(page);
    await page.goto(`${server.base}/`);
    expect(new URL(page.url()).pathname).toBe('/setup');

    const token = await issueSetupToken(t.deps.db);
    await page.goto(`${server.base}/setup?token=${token}`);
    await page.fill('input[name="store_name"]', SETUP_FIELDS.store_name);
    await page.fill('textarea[name="address"]', SETUP_FIELDS.address);
    await page.fill('input[name="phone"]', SETUP_FIELDS.phone);
    await page.selectOption('select[name="time_zone"]', SETUP_FIELDS.time_zone);
    await page.fill('input[name="default_tax_rate"]', SETUP_FIELDS.default_tax_rate);
    await page.fill('input[name="owner_username"]', OWNER.username);
    await page.fill('input[name="owner_name"]', OWNER.name);
    await page.fill('input[name="owner_password"]', OWNER.password);
    await page.fill('input[name="owner_password_confirm"]', OWNER.password);
    await Promise.all([page.waitForURL(`${server.base}/`), page.click('button:has-text("Finish setup")')]);
    await expect(page.locator('body')).toBeDefined();
    expect(await page.textContent('body')).toContain('Harmony Music');

    await page.click('nav a:has-text("Staff")');
    await page.waitForURL(`${server.base}/staff`);
    await page.click('a:has-text("New staff user")');
    await page.waitForURL(`${server.base}/staff/new`);
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
    await page.goto(`${server.base}/staff`);
    await page.fill('#staff-filters input[name="q"]', 'casey');
    await page.waitForFunction(() => !document.querySelector('#list')?.textContent?.includes('olivia'));
    expect(await page.textContent('#list')).toContain('cashier1');

    await Promise.all([page.waitForURL(/\/login/), page.click('button:text-is("Sign out")')]);

    await signIn(page, 'cashier1', 'cashier password 1');
    expect(await page.locator('nav a:has-text("Staff")').count()).toBe(0);
    const denied = await page.goto(`${server.base}/staff`);
    expect(denied!.status()).toBe(403);
    expect(await page.textContent('body')).toContain('staff.view');
    await page.goto(`${server.base}/`);
    await Promise.all([page.waitForURL(/\/login/), page.click('button:text-is("Sign out")')]);
    const after = await page.goto(`${server.base}/`);
    expect(new URL(after!.url()).pathname).toBe('/login');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});

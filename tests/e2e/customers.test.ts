import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { makeTestApp, resetDb, setupStore, OWNER } from '../helpers';
import { launchBrowser, listen } from './browser';

let browser: Browser;
let server: ReturnType<typeof listen>;
let t: ReturnType<typeof makeTestApp>;
const problems: string[] = [];
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SCREENS = join(import.meta.dir, '..', '.tmp', 'screens');

beforeAll(async () => {
  await resetDb();
  t = makeTestApp();
  await setupStore(t);
  server = listen(t.app);
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function watch(page: Page) {
  page.on('console', (msg) => {
    // The 422 of the deliberately incomplete member form is an expected response, not a page error.
    if (msg.type() === 'error' && !/status of 422/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
}

describe('customers in a real browser', () => {
  test('create a family account with a minor through the UI; the account page shows the Minor badge', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    watch(page);
    await page.goto(`${server.base}/login`);
    await page.fill('input[name="username"]', OWNER.username);
    await page.fill('input[name="password"]', OWNER.password);
    await Promise.all([page.waitForURL(`${server.base}/`), page.click('button:has-text("Sign in")')]);

    await page.click('nav a:has-text("Customers")');
    await page.waitForURL(`${server.base}/customers`);
    await page.click('a:has-text("New account")');
    await page.waitForURL(`${server.base}/customers/new`);
    await page.fill('input[name="name"]', 'Rivera family');
    await page.selectOption('select[name="type"]', 'family');
    await page.fill('input[name="phone"]', '(555) 123-4567');
    await page.fill('input[name="billing_day"]', '10');
    await Promise.all([page.waitForURL(/\/customers\/[0-9a-f-]{36}$/), page.click('button:has-text("Create account")')]);
    expect(await page.textContent('h1')).toContain('Rivera family');

    await page.click('.page-actions a:has-text("Add member")');
    await page.waitForURL(/\/members\/new$/);
    // A missing last name is shown next to the field, and what was typed stays.
    await page.fill('input[name="first_name"]', 'Luis');
    await page.fill('input[name="date_of_birth"]', '2013-04-05');
    await page.click('button:has-text("Add member")');
    await page.waitForSelector('.field-error');
    expect(await page.textContent('.field-error')).toContain('Last name is required.');
    expect(await page.inputValue('input[name="first_name"]')).toBe('Luis');
    await page.fill('input[name="last_name"]', 'Rivera');
    await Promise.all([page.waitForURL(/\/customers\/[0-9a-f-]{36}$/), page.click('button:has-text("Add member")')]);

    const row = page.locator('tr', { hasText: 'Luis Rivera' });
    expect(await row.locator('.badge:has-text("Minor")').count()).toBe(1);
    expect(await row.locator('.badge:has-text("Primary")').count()).toBe(1);

    // The list finds the account by phone digits through htmx.
    await page.goto(`${server.base}/customers`);
    await page.fill('#customer-q', '1234567');
    await page.waitForFunction(() => document.querySelector('#list')?.textContent?.includes('Rivera family'));
    expect(problems).toEqual([]);

    // Same bar as page-quality.test.ts for this area's pages: no overflow, no serious/critical axe findings.
    mkdirSync(SCREENS, { recursive: true });
    const [member] = await t.deps.db.execute<{ id: string; account_id: string }>(sql`select id, account_id from members limit 1`);
    const pages = [
      ['customers', '/customers'],
      ['customers-empty-search', '/customers?q=nobody-matches'],
      ['customer-new', '/customers/new'],
      ['customer-detail', `/customers/${member.account_id}`],
      ['customer-edit', `/customers/${member.account_id}/edit`],
      ['member-new', `/customers/${member.account_id}/members/new`],
      ['member', `/customers/members/${member.id}`],
      ['member-move', `/customers/members/${member.id}/move`],
    ];
    const quality: string[] = [];
    for (const width of [1366, 820]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [name, path] of pages) {
        const res = await page.goto(server.base + path);
        expect(res!.status()).toBe(200);
        await page.screenshot({ path: join(SCREENS, `${name}-${width}.png`), fullPage: true });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 0) quality.push(`${name}@${width}: horizontal overflow of ${overflow}px`);
        const violations = await page.evaluate(`${axeSource}; axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))`);
        for (const v of violations as string[]) quality.push(`${name}@${width}: axe ${v}`);
      }
    }
    expect(quality).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { makeTestApp, OWNER, resetDb, setupStore } from '../helpers';
import { launchBrowser, listen } from './browser';

let browser: Browser;
let server: ReturnType<typeof listen>;
let t: ReturnType<typeof makeTestApp>;
const problems: string[] = [];
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

beforeAll(async () => {
  await resetDb();
  t = makeTestApp();
  await setupStore(t);
  server = listen(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function watch(page: Page) {
  page.on('console', (msg) => {
    // The deliberately bad submission answers 422: an expected response, not a page error.
    if (msg.type() === 'error' && !/status of 422/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
}

/** Serious/critical axe violations and horizontal overflow of the page as it is now. */
async function quality(page: Page, name: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) problems.push(`${name}: horizontal overflow of ${overflow}px`);
  const violations = await page.evaluate(`${axeSource}; axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))`);
  for (const v of violations as string[]) problems.push(`${name}: axe ${v}`);
}

describe('inventory in a real browser', () => {
  test('add a serialized product and a unit through the UI, then open its passport by serial', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    watch(page);
    await page.goto(`${server.base}/login`);
    await page.fill('input[name="username"]', OWNER.username);
    await page.fill('input[name="password"]', OWNER.password);
    await Promise.all([page.waitForURL(`${server.base}/`), page.click('button:has-text("Sign in")')]);

    await page.click('nav a:has-text("Inventory")');
    await page.waitForURL(`${server.base}/inventory/products`);
    await quality(page, 'products-empty');
    await page.click('a:has-text("New product")');
    await page.waitForURL(`${server.base}/inventory/products/new`);
    await quality(page, 'product-new');
    await page.fill('input[name="sku"]', 'TR-200');
    await page.fill('input[name="name"]', 'Student Trumpet');
    await page.selectOption('select[name="kind"]', 'serialized');
    await page.fill('input[name="price"]', 'twelve');
    await page.click('button:has-text("Create product")');
    await page.waitForSelector('.field-error');
    expect(await page.textContent('body')).toContain('Price must be an amount like 12.50.');
    expect(await page.inputValue('input[name="sku"]')).toBe('TR-200');
    await page.fill('input[name="price"]', '899.00');
    await page.check('input[name="rentable"]');
    await Promise.all([page.waitForURL(/\/inventory\/products\/[0-9a-f-]{36}$/), page.click('button:has-text("Create product")')]);
    expect(await page.textContent('h1')).toContain('Student Trumpet');
    expect(await page.textContent('body')).toContain('$899.00');
    await quality(page, 'product-detail');

    await page.click('a:has-text("Add unit")');
    await page.waitForURL(/\/units\/new$/);
    await page.fill('input[name="serial_number"]', 'SMI-2231');
    await page.selectOption('select[name="condition"]', 'excellent');
    await page.fill('input[name="cost"]', '510');
    await page.fill('input[name="acquired_on"]', '2026-11-20');
    await quality(page, 'unit-new');
    await Promise.all([page.waitForURL(/\/inventory\/units\/[0-9a-f-]{36}$/), page.click('button:has-text("Add unit")')]);
    const unitUrl = page.url();

    // Lists narrow through htmx without a full reload.
    await page.goto(`${server.base}/inventory/units`);
    await page.fill('#unit-q', 'nothing-like-this');
    await page.waitForFunction(() => !document.querySelector('#list')?.textContent?.includes('SMI-2231'));
    await page.fill('#unit-q', 'smi');
    await page.waitForFunction(() => !!document.querySelector('#list')?.textContent?.includes('SMI-2231'));

    await page.goto(`${server.base}/inventory/passport`);
    await page.fill('input[name="serial"]', 'smi-2231');
    await Promise.all([page.waitForURL(unitUrl), page.click('button:has-text("Open passport")')]);
    const passport = await page.textContent('#passport');
    expect(passport).toContain('acquired');
    expect(passport).toContain('Purchased on 2026-11-20 at cost $510.00');
    await quality(page, 'unit-passport');

    await page.goto(`${server.base}/inventory/passport?serial=NOPE`);
    expect(await page.textContent('body')).toContain('No unit with serial “NOPE”');
    expect(problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
    await context.close();
  }, 90_000);
});

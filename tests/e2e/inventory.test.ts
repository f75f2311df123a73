import { describe, expect, test } from 'bun:test';
import type { Page } from 'playwright-core';
import { OWNER } from '../helpers';
import { browserFixture, layoutProblems, signInAs, watchPage } from './browser';

const f = browserFixture({ setup: true });
/** Layout problems are collected with the page errors so the test reports them all at once. */
const quality = async (page: Page, name: string) => f.problems.push(...(await layoutProblems(page, name)));

describe('inventory in a real browser', () => {
  test('add a serialized product and a unit through the UI, then open its passport by serial', async () => {
    const context = await f.browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    watchPage(page, f.problems, /status of 422/);
    await signInAs(page, f.server.base, OWNER.username, OWNER.password);

    await page.click('nav a:has-text("Inventory")');
    await page.waitForURL(`${f.server.base}/inventory/products`);
    await quality(page, 'products-empty');
    await page.click('a:has-text("New product")');
    await page.waitForURL(`${f.server.base}/inventory/products/new`);
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
    await page.goto(`${f.server.base}/inventory/units`);
    await page.fill('#unit-q', 'nothing-like-this');
    await page.waitForFunction(() => !document.querySelector('#list')?.textContent?.includes('SMI-2231'));
    await page.fill('#unit-q', 'smi');
    await page.waitForFunction(() => !!document.querySelector('#list')?.textContent?.includes('SMI-2231'));

    await page.goto(`${f.server.base}/inventory/passport`);
    await page.fill('input[name="serial"]', 'smi-2231');
    await Promise.all([page.waitForURL(unitUrl), page.click('button:has-text("Open passport")')]);
    const passport = await page.textContent('#passport');
    expect(passport).toContain('acquired');
    expect(passport).toContain('Purchased on 2026-11-20 at cost $510.00');
    await quality(page, 'unit-passport');

    await page.goto(`${f.server.base}/inventory/passport?serial=NOPE`);
    expect(await page.textContent('body')).toContain('No unit with serial “NOPE”');
    expect(f.problems.filter((p) => !/status of 404/.test(p))).toEqual([]);
    await context.close();
  }, 90_000);
});

import { describe, expect, test } from 'bun:test';
import { OWNER } from '../helpers';
import { browserFixture, signInAs, watchPage } from './browser';

/**
 * The customers-and-inventory issue's browser line, as one person at the counter would do it: create a
 * family account with a minor, add a product and a serialized unit, find the unit by typing part of its
 * serial in the global search, and open its passport.
 */
const f = browserFixture({ setup: true });

describe('counter flow in a real browser', () => {
  test('family account with a minor -> product + serialized unit -> partial serial in global search -> passport', async () => {
    const page = await (await f.browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    watchPage(page, f.problems);
    await signInAs(page, f.server.base, OWNER.username, OWNER.password);

    // A family account with a parent and a child.
    await page.goto(`${f.server.base}/customers/new`);
    await page.fill('input[name="name"]', 'Okafor family');
    await page.selectOption('select[name="type"]', 'family');
    await page.fill('input[name="phone"]', '(555) 765-4321');
    await Promise.all([page.waitForURL(/\/customers\/[0-9a-f-]{36}$/), page.click('button:has-text("Create account")')]);
    const accountUrl = page.url();
    for (const [first, dob] of [['Ada', '1984-02-11'], ['Chidi', '2015-09-30']]) {
      await page.click('.page-actions a:has-text("Add member")');
      await page.waitForURL(/\/members\/new$/);
      await page.fill('input[name="first_name"]', first);
      await page.fill('input[name="last_name"]', 'Okafor');
      await page.fill('input[name="date_of_birth"]', dob);
      await Promise.all([page.waitForURL(accountUrl), page.click('button:has-text("Add member")')]);
    }
    const members = await page.textContent('main');
    expect(members).toContain('Chidi');
    expect(members).toContain('Minor');
    const minorBadges = await page.locator('main .badge:has-text("Minor")').count();
    expect(minorBadges).toBe(1);

    // A serialized product and one unit.
    await page.goto(`${f.server.base}/inventory/products/new`);
    await page.fill('input[name="sku"]', 'CL-255');
    await page.fill('input[name="name"]', 'Yamaha YCL-255 Clarinet');
    await page.selectOption('select[name="kind"]', 'serialized');
    await page.fill('input[name="price"]', '749.00');
    await Promise.all([page.waitForURL(/\/inventory\/products\/[0-9a-f-]{36}$/), page.click('button:has-text("Create product")')]);
    await page.click('a:has-text("Add unit")');
    await page.waitForURL(/\/units\/new$/);
    await page.fill('input[name="serial_number"]', 'YCL-884213');
    await page.fill('input[name="cost"]', '420');
    await Promise.all([page.waitForURL(/\/inventory\/units\/[0-9a-f-]{36}$/), page.click('button:has-text("Add unit")')]);
    const unitUrl = page.url();

    // Typing part of the serial in the header search shows the unit; choosing it opens its passport.
    await page.goto(`${f.server.base}/`);
    await page.locator('#global-search-q').pressSequentially('8842', { delay: 20 });
    const result = page.locator('#global-search-results [role="option"]', { hasText: 'YCL-884213' });
    await result.waitFor({ state: 'visible', timeout: 10_000 });
    await Promise.all([page.waitForURL(unitUrl), result.click()]);
    const passport = await page.textContent('#passport');
    expect(await page.textContent('main')).toContain('Yamaha YCL-255 Clarinet');
    expect(passport).toContain('YCL-884213');
    expect(passport?.toLowerCase()).toContain('purchased');
    expect(f.problems).toEqual([]);
  }, 90_000);
});

import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Browser, Page } from 'playwright-core';
import { makeTestApp, OWNER, resetDb, setupStore } from '../helpers';
import { launchBrowser, listen, signInAs, watchPage } from './browser';
import { seedSearchRows } from '../http/search-fixtures';

let browser: Browser;
let server: ReturnType<typeof listen>;
let t: ReturnType<typeof makeTestApp>;
let rows: Awaited<ReturnType<typeof seedSearchRows>>;
const problems: string[] = [];

beforeAll(async () => {
  await resetDb();
  t = makeTestApp();
  await setupStore(t);
  rows = await seedSearchRows(t);
  server = listen(t.app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedInPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  // The customer and inventory pages the results link to may not exist in this build yet (404 is fine here).
  watchPage(page, problems, /status of 404/);
  await signInAs(page, server.base, OWNER.username, OWNER.password);
  return page;
}

describe('header search box in a real browser', () => {
  test('type 3 letters, see results, arrow down + Enter opens one; Escape closes; click works', async () => {
    const page = await signedInPage();
    const box = page.locator('#global-search-q');
    await box.click();
    await box.pressSequentially('smi', { delay: 30 });
    const option = page.locator('#global-search-results [role="option"]', { hasText: 'Peter Smithson' });
    await option.waitFor({ state: 'visible', timeout: 5000 });
    expect(await page.locator('#global-search-results').textContent()).toContain('SMI-2231');
    expect(await box.getAttribute('aria-expanded')).toBe('true');

    // Escape closes the dropdown and keeps the typed text.
    await box.press('Escape');
    await page.locator('#global-search-results').waitFor({ state: 'hidden' });
    expect(await box.inputValue()).toBe('smi');

    // Arrow keys highlight; Enter opens the highlighted result.
    await box.press('ArrowDown');
    const first = page.locator('#global-search-results [role="option"][aria-selected="true"]');
    await first.waitFor({ state: 'visible' });
    const href = await first.getAttribute('href');
    expect(href).toMatch(/^\/customers\//);
    await Promise.all([page.waitForURL(`${server.base}${href}`), box.press('Enter')]);

    // Clicking a result follows its link.
    await page.goto(`${server.base}/`);
    await page.locator('#global-search-q').pressSequentially('smith', { delay: 20 });
    const smithson = page.locator('#global-search-results [role="option"]', { hasText: 'Peter Smithson' });
    await smithson.waitFor({ state: 'visible', timeout: 5000 });
    await Promise.all([page.waitForURL(`${server.base}/customers/${rows.osmond.id}`), smithson.click()]);
    expect(problems).toEqual([]);
  }, 60_000);

  test('a scanned serial + Enter goes straight to the instrument passport', async () => {
    const page = await signedInPage();
    await page.fill('#global-search-q', 'SMI-2231');
    // The passport URL; the inventory pages may forward a single match on to the unit's own page.
    const passport = (url: URL) => (url.pathname === '/inventory/passport' && url.searchParams.get('serial') === 'SMI-2231') || url.pathname === `/inventory/units/${rows.smiUnit.id}`;
    const seen: string[] = [];
    page.on('request', (r) => seen.push(r.url()));
    await Promise.all([page.waitForURL(passport), page.press('#global-search-q', 'Enter')]);
    expect(seen).toContain(`${server.base}/inventory/passport?serial=SMI-2231`);
    // A partial scan shows the full results page instead.
    await page.goto(`${server.base}/`);
    await page.fill('#global-search-q', 'smi');
    await Promise.all([page.waitForURL(`${server.base}/search?q=smi`), page.press('#global-search-q', 'Enter')]);
    expect(await page.textContent('main')).toContain('John Smith');
    expect(problems).toEqual([]);
  }, 60_000);
});

import { describe, expect, test } from 'bun:test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { OWNER } from '../helpers';
import { cliActor } from '../../src/features/audit/service';
import { createAccount } from '../../src/features/customers/account-service';
import { addMember } from '../../src/features/customers/member-service';
import { createAccountSchema, createMemberSchema } from '../../src/features/customers/schemas';
import { storeToday } from '../../src/features/settings/service';
import { browserFixture, layoutProblems, signInAs, watchPage } from './browser';

const f = browserFixture({ setup: true });
const SCREENS = join(import.meta.dir, '..', '.tmp', 'screens');

describe('customers in a real browser', () => {
  test('create a family account with a minor through the UI; the account page shows the Minor badge', async () => {
    const context = await f.browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    // The 422 of the deliberately incomplete member form is an expected response, not a page error.
    watchPage(page, f.problems, /status of 422/);
    await signInAs(page, f.server.base, OWNER.username, OWNER.password);

    await page.click('nav a:has-text("Customers")');
    await page.waitForURL(`${f.server.base}/customers`);
    await page.click('a:has-text("New account")');
    await page.waitForURL(`${f.server.base}/customers/new`);
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
    await page.goto(`${f.server.base}/customers`);
    await page.fill('#customer-q', '1234567');
    await page.waitForFunction(() => document.querySelector('#list')?.textContent?.includes('Rivera family'));
    expect(f.problems).toEqual([]);

    // Same bar as page-quality.test.ts for this area's pages: no overflow, no serious/critical axe findings.
    mkdirSync(SCREENS, { recursive: true });
    const [member] = await f.t.deps.db.execute<{ id: string; account_id: string }>(sql`select id, account_id from members limit 1`);
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
        const res = await page.goto(f.server.base + path);
        expect(res!.status()).toBe(200);
        if (process.env.FORTE_SCREENSHOTS === '1') await page.screenshot({ path: join(SCREENS, `${name}-${width}.png`), fullPage: true });
        quality.push(...(await layoutProblems(page, `${name}@${width}`)));
      }
    }
    expect(quality).toEqual([]);
    expect(f.problems).toEqual([]);
    await context.close();
  }, 120_000);

  test('member photo and ID scans: upload, see the thumbnails, a refused file, remove with the confirmation', async () => {
    const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const { db } = f.t.deps;
    const account = await db.transaction((tx) => createAccount(tx, cliActor('test'), createAccountSchema.parse({ name: 'Okafor family', type: 'family' })));
    const today = await storeToday(db, f.t.deps.clock);
    const member = await db.transaction((tx) => addMember(tx, cliActor('test'), account.id, createMemberSchema.parse({ first_name: 'Ada', last_name: 'Okafor' }), { today }));
    const context = await f.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    // The text file sent as a .png is refused with 415 on purpose.
    watchPage(page, f.problems, /status of 415/);
    await signInAs(page, f.server.base, OWNER.username, OWNER.password);
    await page.goto(`${f.server.base}/customers/members/${member.id}`);
    expect(await page.textContent('#photo')).toContain('No photo on file.');

    await page.setInputFiles('input[name="photo"]', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just text') });
    await page.click('button:has-text("Upload photo")');
    await page.waitForSelector('#f-photo-error');
    expect(await page.textContent('#f-photo-error')).toContain('Photo must be a JPEG, PNG or WebP image up to 5 MB.');

    await page.setInputFiles('input[name="photo"]', { name: 'ada.png', mimeType: 'image/png', buffer: PNG });
    await Promise.all([page.waitForURL(`${f.server.base}/customers/members/${member.id}`), page.click('button:has-text("Upload photo")')]);
    await page.waitForSelector('img[data-member-photo]');
    expect(await page.evaluate(() => (document.querySelector('img[data-member-photo]') as HTMLImageElement).naturalWidth)).toBe(1);

    // An identity document, then its front scan.
    await page.fill('#f-doc-number', 'D555-0101');
    await Promise.all([page.waitForURL(`${f.server.base}/customers/members/${member.id}`), page.click('button:has-text("Add document")')]);
    await page.click('summary:has-text("Add scans")');
    await page.setInputFiles('input[name="scan"]', { name: 'front.png', mimeType: 'image/png', buffer: PNG });
    await Promise.all([page.waitForURL(`${f.server.base}/customers/members/${member.id}`), page.click('button:has-text("Upload scan")')]);
    await page.waitForSelector('img[data-scan="front"]');
    expect(await page.evaluate(() => (document.querySelector('img[data-scan="front"]') as HTMLImageElement).naturalWidth)).toBe(1);
    expect(await page.textContent('.scan-upload summary')).toContain('Add the back scan');

    mkdirSync(SCREENS, { recursive: true });
    const quality: string[] = [];
    for (const width of [1366, 820]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [name, path] of [['member-with-photo', `/customers/members/${member.id}`], ['account-with-photo', `/customers/${account.id}`]]) {
        await page.goto(f.server.base + path);
        if (process.env.FORTE_SCREENSHOTS === '1') await page.screenshot({ path: join(SCREENS, `${name}-${width}.png`), fullPage: true });
        quality.push(...(await layoutProblems(page, `${name}@${width}`)));
      }
    }
    expect(quality).toEqual([]);
    // The account page's member row shows the thumbnail.
    expect(await page.evaluate(() => (document.querySelector('tr img.avatar-photo') as HTMLImageElement | null)?.naturalWidth)).toBe(1);

    // Removing asks first; declining keeps the photo, accepting removes it.
    await page.goto(`${f.server.base}/customers/members/${member.id}`);
    const messages: string[] = [];
    page.once('dialog', (d) => {
      messages.push(d.message());
      void d.dismiss();
    });
    await page.click('button:has-text("Remove photo")');
    expect(messages).toEqual(['Remove the photo of Ada Okafor?']);
    expect(await page.locator('img[data-member-photo]').count()).toBe(1);
    page.once('dialog', (d) => void d.accept());
    await Promise.all([page.waitForURL(`${f.server.base}/customers/members/${member.id}`), page.click('button:has-text("Remove photo")')]);
    await page.waitForSelector('text=Photo removed.');
    expect(await page.locator('img[data-member-photo]').count()).toBe(0);
    expect(f.problems).toEqual([]);
    await context.close();
  }, 120_000);
});

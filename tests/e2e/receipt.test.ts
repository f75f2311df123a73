import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { launchBrowser, layoutProblems, listen, signInAs, watchPage } from './browser';
import { posFixture, type PosFixture } from '../pos/fixture';

/**
 * The receipt in real Chromium: the 80 mm slip in print media (≤ 80 mm wide, Print button gone, one page
 * whose height fits the slip), the letter invoice, the detail and return pages at a counter-PC size, with
 * screenshots in /tmp/receipt-*.png for a human look; the return preview updates through htmx.
 */

let f: PosFixture;
let server: ReturnType<typeof listen>;
let browser: Browser;
let saleId = '';
let schoolSaleId = '';
const problems: string[] = [];
const MM = 96 / 25.4;

beforeAll(async () => {
  f = await posFixture();
  await f.t.deps.db.execute(sql`update store_settings set store_name = 'Harmony Music', address = ${'12 Main St\nSpringfield, IL 62701'}, phone = '(555) 010-2000', return_policy = 'Returns within 30 days with receipt. Strings and reeds are final sale once opened.'`);
  const res = await f.api('POST', '/api/v1/sales', {
    register_session_id: f.sessionId,
    account_id: f.accountId,
    lines: [
      { product_id: f.strings.id, quantity: 2 },
      { product_id: f.tuner.id, quantity: 1, discount_percent_millipercent: 10000 },
    ],
    tenders: [{ method: 'cash', amount_cents: 6000 }],
  });
  saleId = res.json().id;
  const school = await f.api('POST', '/api/v1/sales', { register_session_id: f.sessionId, account_id: f.schoolId, lines: [{ product_id: f.strings.id, quantity: 3 }], tenders: [{ method: 'check', amount_cents: 2697, reference: '1042' }] });
  schoolSaleId = school.json().id;
  server = listen(f.t.app);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('receipt printing in Chromium', () => {
  test('the slip prints at most 80 mm wide, without the Print button, on one page as long as the slip', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    watchPage(page, problems);
    await signInAs(page, server.base, 'owner1', 'owner password 1');
    await page.goto(`${server.base}/sales/${saleId}/receipt`);
    expect(await page.isVisible('button[data-print]')).toBe(true);
    expect(await page.textContent('#slip-total')).toBe('$44.02');
    expect(await page.textContent('#slip-change')).toBe('$15.98');
    await page.screenshot({ path: '/tmp/receipt-slip.png', fullPage: true });
    expect(await layoutProblems(page, 'receipt')).toEqual([]);

    await page.emulateMedia({ media: 'print' });
    const slip = await page.locator('#receipt-slip').boundingBox();
    expect(slip).not.toBeNull();
    expect(slip!.width).toBeLessThanOrEqual(80 * MM + 0.5);
    expect(slip!.width).toBeGreaterThan(60 * MM);
    expect(slip!.x).toBeLessThan(8 * MM); // at the paper's left edge, not centred on a desktop-wide page
    expect(await page.isVisible('button[data-print]')).toBe(false);
    expect(await page.isVisible('.sidenav')).toBe(false);
    expect(await page.isVisible('.topbar')).toBe(false);
    // The barcode is drawn and fits the slip.
    const barcode = await page.locator('#slip-barcode').boundingBox();
    expect(barcode!.width).toBeGreaterThan(40 * MM);
    expect(barcode!.x + barcode!.width).toBeLessThanOrEqual(slip!.x + slip!.width + 0.5);
    await page.screenshot({ path: '/tmp/receipt-print.png', fullPage: true });

    // receipt.js sizes the receipt page box to the slip just before printing: one 80 mm page as long as the
    // slip. The slip's text box is the same on screen and on paper, so the screen height (measured when the
    // print dialog opens) is the printed height.
    await page.emulateMedia({ media: null });
    const screenSlip = await page.locator('#receipt-slip').boundingBox();
    expect(Math.abs(screenSlip!.height - slip!.height)).toBeLessThan(3 * MM);
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    const pdf = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1');
    const boxes = [...pdf.matchAll(/MediaBox\s*\[\s*[\d.]+\s+[\d.]+\s+([\d.]+)\s+([\d.]+)/g)].map((m) => [(Number(m[1]) / 72) * 25.4, (Number(m[2]) / 72) * 25.4]);
    expect(boxes.length).toBe(1);
    expect(Math.round(boxes[0][0])).toBe(80);
    expect(Math.abs(boxes[0][1] - slip!.height / MM)).toBeLessThan(6);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('the reprint, the exempt school receipt, the invoice, detail and return pages look right (screenshots)', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    watchPage(page, problems);
    await signInAs(page, server.base, 'owner1', 'owner password 1');

    await page.goto(`${server.base}/sales/${schoolSaleId}/receipt?reprint=1`);
    expect(await page.textContent('#slip-reprint')).toContain('REPRINT');
    expect(await page.textContent('#slip-certificate')).toBe('EX-12345');
    await page.screenshot({ path: '/tmp/receipt-school-reprint.png', fullPage: true });

    await page.goto(`${server.base}/sales/${saleId}/invoice`);
    expect(await page.textContent('#invoice')).toContain('Rivera Family');
    expect(await layoutProblems(page, 'invoice')).toEqual([]);
    await page.screenshot({ path: '/tmp/receipt-invoice.png', fullPage: true });
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('button[data-print]')).toBe(false);
    await page.screenshot({ path: '/tmp/receipt-invoice-print.png', fullPage: true });
    await page.emulateMedia({ media: null });
    const letter = (await page.pdf({ format: 'A4', preferCSSPageSize: true })).toString('latin1');
    const box = /MediaBox\s*\[\s*[\d.]+\s+[\d.]+\s+([\d.]+)\s+([\d.]+)/.exec(letter)!;
    expect([Math.round(Number(box[1])), Math.round(Number(box[2]))]).toEqual([612, 792]);

    await page.goto(`${server.base}/sales/${saleId}`);
    expect(await layoutProblems(page, 'detail')).toEqual([]);
    await page.screenshot({ path: '/tmp/receipt-detail.png', fullPage: true });

    await page.goto(`${server.base}/sales`);
    expect(await layoutProblems(page, 'list')).toEqual([]);
    await page.screenshot({ path: '/tmp/receipt-list.png', fullPage: true });

    // The return screen: typing a quantity updates the refund through htmx, without a page load.
    await page.goto(`${server.base}/sales/${saleId}/return`);
    const qty = page.locator('input[name^="qty_"]').first();
    await qty.fill('1');
    await qty.dispatchEvent('change');
    await page.waitForFunction(() => document.querySelector('#refund-total')?.textContent === '$9.79');
    expect(await page.textContent('#refund-split')).toContain('Cash refund: $9.79');
    expect(await layoutProblems(page, 'return')).toEqual([]);
    await page.screenshot({ path: '/tmp/receipt-return.png', fullPage: true });

    await page.goto(`${server.base}/sales/${saleId}/void`);
    expect(await layoutProblems(page, 'void')).toEqual([]);
    await page.screenshot({ path: '/tmp/receipt-void.png', fullPage: true });

    await page.goto(`${server.base}/returns/new`);
    expect(await layoutProblems(page, 'no-receipt')).toEqual([]);
    await page.screenshot({ path: '/tmp/receipt-no-receipt.png', fullPage: true });

    // Tablet width: the slip and the invoice still fit.
    await page.setViewportSize({ width: 820, height: 1180 });
    for (const path of [`/sales/${saleId}/receipt`, `/sales/${saleId}/invoice`, `/sales/${saleId}/return`]) {
      await page.goto(`${server.base}${path}`);
      expect(await layoutProblems(page, `tablet ${path}`)).toEqual([]);
    }
    await page.screenshot({ path: '/tmp/receipt-return-tablet.png', fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  test('the refund through the browser form lands on the return receipt', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    watchPage(page, problems);
    await signInAs(page, server.base, 'owner1', 'owner password 1');
    await page.goto(`${server.base}/sales/${saleId}/return`);
    await page.locator('input[name^="qty_"]').first().fill('1');
    await Promise.all([page.waitForURL(/\/receipt$/), page.click('button[value="refund"]')]);
    expect(await page.textContent('.receipt-slip .slip-title')).toBe('RETURN RECEIPT');
    expect(await page.textContent('#slip-total')).toBe('$9.79');
    await page.screenshot({ path: '/tmp/receipt-return-slip.png', fullPage: true });
    const [{ n }] = await f.t.deps.db.execute<{ n: number }>(sql`select count(*)::int as n from sales where kind = 'return'`);
    expect(n).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });
});

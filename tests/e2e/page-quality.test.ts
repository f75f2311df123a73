import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Browser, BrowserContext } from 'playwright-core';
import { addStaff, makeTestApp, OWNER, resetDb, setupStore } from '../helpers';
import { launchBrowser, listen } from './browser';

/**
 * Every page at a counter-PC size and a tablet size: no horizontal overflow, no console or CSP errors,
 * no serious/critical axe-core violations. Screenshots go to tests/.tmp/screens for a human look.
 */
const SIZES = [
  { name: 'desktop', width: 1366, height: 768 },
  { name: 'tablet', width: 820, height: 1180 },
];
const SCREENS = join(import.meta.dir, '..', '.tmp', 'screens');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let server: ReturnType<typeof listen>;
let t: ReturnType<typeof makeTestApp>;
let pages: { name: string; path: string; signedIn: boolean }[] = [];

beforeAll(async () => {
  mkdirSync(SCREENS, { recursive: true });
  await resetDb();
  t = makeTestApp();
  const owner = await setupStore(t);
  const staff = await addStaff(t, 'tina_tech', ['technician']);
  await owner.get('/staff/roles/new');
  const [role] = await t.deps.db.execute<{ id: string }>(sql`select id from roles where key = 'manager'`);
  const [audit] = await t.deps.db.execute<{ id: number }>(sql`select id from audit_log order by id limit 1`);
  server = listen(t.app);
  browser = await launchBrowser();
  pages = [
    { name: 'login', path: '/login', signedIn: false },
    { name: 'dashboard', path: '/', signedIn: true },
    { name: 'staff', path: '/staff', signedIn: true },
    { name: 'staff-empty-search', path: '/staff?q=nobody-matches', signedIn: true },
    { name: 'staff-new', path: '/staff/new', signedIn: true },
    { name: 'staff-detail', path: `/staff/${staff.id}`, signedIn: true },
    { name: 'roles', path: '/staff/roles', signedIn: true },
    { name: 'role-new', path: '/staff/roles/new', signedIn: true },
    { name: 'role-builtin', path: `/staff/roles/${role.id}`, signedIn: true },
    { name: 'audit', path: '/audit', signedIn: true },
    { name: 'audit-detail', path: `/audit/${audit.id}`, signedIn: true },
    { name: 'settings', path: '/settings', signedIn: true },
    { name: 'api-tokens', path: '/settings/api-tokens', signedIn: true },
    { name: 'not-found', path: '/no-such-page', signedIn: true },
  ];
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedInContext(size: (typeof SIZES)[number]): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
  const page = await context.newPage();
  await page.goto(`${server.base}/login`);
  await page.fill('input[name="username"]', OWNER.username);
  await page.fill('input[name="password"]', OWNER.password);
  await Promise.all([page.waitForURL(`${server.base}/`), page.click('button:has-text("Sign in")')]);
  await page.close();
  return context;
}

describe('page quality', () => {
  for (const size of SIZES) {
    test(`every page at ${size.width}×${size.height}`, async () => {
      const problems: string[] = [];
      const signedIn = await signedInContext(size);
      const anonymous = await browser.newContext({ viewport: { width: size.width, height: size.height } });
      for (const p of pages) {
        const page = await (p.signedIn ? signedIn : anonymous).newPage();
        page.on('console', (msg) => {
          if (msg.type() === 'error' && !(p.name === 'not-found' && /status of 404/.test(msg.text()))) problems.push(`${p.name}: console ${msg.text()}`);
        });
        page.on('pageerror', (err) => problems.push(`${p.name}: ${err.message}`));
        const res = await page.goto(server.base + p.path);
        expect(res!.status()).toBe(p.name === 'not-found' ? 404 : 200);
        await page.screenshot({ path: join(SCREENS, `${p.name}-${size.name}.png`), fullPage: true });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 0) problems.push(`${p.name}: horizontal overflow of ${overflow}px`);
        // Runs in the page through DevTools, which CSP does not apply to (an injected <script> would be blocked).
        const violations = await page.evaluate(`${axeSource}; axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))`);
        for (const v of violations as string[]) problems.push(`${p.name}: axe ${v}`);
        await page.close();
      }
      await signedIn.close();
      await anonymous.close();
      expect(problems).toEqual([]);
    }, 120_000);
  }
});

import { afterAll, beforeAll } from 'bun:test';
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeTestApp, resetDb, setupStore, type TestContext } from '../helpers';

/** Debian's Chromium, headless, with the flags this closed-network machine needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}

/** Serves the test app on a real loopback port for the browser. */
export function listen(app: { listen(opts: { hostname: string; port: number }): unknown; server?: { port?: number } | null; stop(): unknown }) {
  app.listen({ hostname: '127.0.0.1', port: 0 });
  const port = (app as any).server.port as number;
  return { base: `http://127.0.0.1:${port}`, stop: () => app.stop() };
}

/**
 * Collects console errors and uncaught page errors into `problems`. `expectedStatus` lists HTTP statuses the
 * test provokes on purpose (a 422 form, a 403 page): Chromium logs those as resource errors too.
 */
export function watchPage(page: Page, problems: string[], expectedStatus?: RegExp) {
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !(expectedStatus && expectedStatus.test(msg.text()))) problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
}

export async function signInAs(page: Page, base: string, username: string, password: string) {
  await page.goto(`${base}/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL(`${base}/`), page.click('button:has-text("Sign in")')]);
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Horizontal overflow and serious/critical axe-core violations of the page as it is now. axe runs through
 * DevTools, which CSP does not apply to (an injected <script> would be blocked).
 */
export async function layoutProblems(page: Page, name: string, opts: { axe?: boolean } = {}): Promise<string[]> {
  const problems: string[] = [];
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) problems.push(`${name}: horizontal overflow of ${overflow}px`);
  if (opts.axe === false) return problems;
  const violations = await page.evaluate(
    `${axeSource}; axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))`,
  );
  for (const v of violations as string[]) problems.push(`${name}: axe ${v}`);
  return problems;
}

export interface BrowserFixture {
  browser: Browser;
  server: ReturnType<typeof listen>;
  t: TestContext;
  /** Console and page errors seen by pages given to watchPage. */
  problems: string[];
}

/**
 * The usual browser-test frame: a clean database, the app on a loopback port (optionally already set up),
 * one Chromium for the file; everything is filled in by beforeAll and torn down by afterAll.
 */
export function browserFixture(opts: { setup?: boolean } = {}): BrowserFixture {
  const f = { problems: [] as string[] } as BrowserFixture;
  beforeAll(async () => {
    await resetDb();
    f.t = makeTestApp();
    if (opts.setup) await setupStore(f.t);
    f.server = listen(f.t.app);
    f.browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await f.browser?.close();
    await f.server?.stop();
  });
  return f;
}

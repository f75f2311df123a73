import { chromium, type Browser } from 'playwright-core';

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

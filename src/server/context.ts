import { Elysia } from 'elysia';
import { randomBytes } from 'node:crypto';
import { parseCookies } from './cookies';

export interface HtmxInfo {
  /** The request came from htmx (HX-Request: true). */
  isHtmx: boolean;
  /** htmx 4: "partial" swaps into part of the page, "full" replaces the body. */
  wantsFragment: boolean;
  historyRestore: boolean;
}

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

export const isApiPath = (path: string) => path === '/api/v1' || path.startsWith('/api/');

/**
 * Per-request facts every other plugin uses: request id (shown on error pages and in logs), client IP,
 * cookies, htmx request kind. Also stamps security headers and `Vary: HX-Request` on every response,
 * because one URL serves both a full page and a fragment.
 */
export const contextPlugin = new Elysia({ name: 'forte.context' })
  .derive({ as: 'global' }, ({ request, server, set }) => {
    const requestId = randomBytes(6).toString('hex');
    const url = new URL(request.url);
    Object.assign(set.headers, SECURITY_HEADERS, { 'x-request-id': requestId, vary: 'HX-Request, HX-Request-Type' });
    const hxRequest = request.headers.get('hx-request') === 'true';
    const historyRestore = request.headers.get('hx-history-restore-request') === 'true';
    const htmx: HtmxInfo = {
      isHtmx: hxRequest,
      wantsFragment: hxRequest && !historyRestore && request.headers.get('hx-request-type') !== 'full',
      historyRestore,
    };
    let ip = '127.0.0.1';
    try {
      ip = server?.requestIP(request)?.address ?? ip;
    } catch {
      /* app.handle() in tests has no socket */
    }
    // Elysia's own context already has `path` (read-only for parameterised routes under Bun.serve), so it isn't re-derived here.
    return { requestId, url, ip, htmx, cookies: parseCookies(request.headers.get('cookie')), startedAt: performance.now() };
  })
  // Server-side time to produce the response (performance.md measures server-side latency): browsers show it in
  // the network panel's Timing tab and `bun run bench` reads it. Only a duration, nothing about the content.
  .onAfterHandle({ as: 'global' }, ({ set, startedAt }) => {
    set.headers['server-timing'] = `app;dur=${(performance.now() - startedAt).toFixed(2)}`;
  });

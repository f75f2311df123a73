import type { AppDeps } from './deps';
import { FLASH_COOKIE, serializeCookie } from './cookies';
import { appendSetCookie } from './session';
import { signValue, unsignValue } from '../features/auth/crypto';
import { navFor } from '../ui/nav';
import { getStoreSettings } from '../features/settings/service';
import type { ServiceError } from '../features/service-errors';

export type Flash = { kind: 'success' | 'error' | 'info'; message: string };

/** Store name for the header; read at most every few seconds (settings change rarely, pages render often). */
let storeCache: { at: number; name: string; timeZone: string } | null = null;
export function forgetStoreCache() {
  storeCache = null;
}
async function storeInfo(deps: AppDeps) {
  const now = Date.now();
  if (!storeCache || now - storeCache.at > 5000) {
    const row = await getStoreSettings(deps.db).catch(() => null);
    storeCache = { at: now, name: row?.storeName ?? 'Forte', timeZone: row?.timeZone ?? 'UTC' };
  }
  return storeCache;
}

export function setFlash(deps: AppDeps, ctx: any, flash: Flash) {
  appendSetCookie(ctx.set, serializeCookie(FLASH_COOKIE, signValue(deps.cookieSecret, Buffer.from(JSON.stringify(flash)).toString('base64url')), { secure: deps.config.server.https, maxAgeSeconds: 60 }));
}

function takeFlash(deps: AppDeps, ctx: any): Flash | null {
  const raw = unsignValue(deps.cookieSecret, ctx.cookies?.[FLASH_COOKIE]);
  if (!ctx.cookies?.[FLASH_COOKIE]) return null;
  appendSetCookie(ctx.set, serializeCookie(FLASH_COOKIE, '', { maxAgeSeconds: 0, secure: deps.config.server.https }));
  if (!raw) return null;
  try {
    return JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

export interface PageOptions {
  /** Template of the whole page content (rendered inside the layout). */
  template: string;
  /** Template rendered alone for htmx partial requests (e.g. the list region); defaults to the page. */
  fragment?: string;
  title: string;
  status?: number;
  layout?: 'main' | 'bare';
  data?: Record<string, unknown>;
}

/**
 * Renders a page, or only its fragment for an htmx partial request (HX-Request + HX-Request-Type: partial).
 * History restores and plain navigation get the full page.
 */
export async function renderPage(deps: AppDeps, ctx: any, opts: PageOptions): Promise<string> {
  const store = await storeInfo(deps);
  ctx.set.status = opts.status ?? 200;
  ctx.set.headers['content-type'] = 'text/html; charset=utf-8';
  ctx.set.headers['cache-control'] = 'no-store';
  const base = {
    ...opts.data,
    title: opts.title,
    user: ctx.user ?? null,
    csrfToken: ctx.csrfToken ?? '',
    requestId: ctx.requestId,
    storeName: store.name,
    timeZone: store.timeZone,
    can: (p: string) => !!ctx.user?.permissions?.has(p),
    path: ctx.path,
  };
  if (ctx.htmx?.wantsFragment && opts.fragment) return deps.views.render(opts.fragment, base);
  const flash = takeFlash(deps, ctx);
  const content = deps.views.render(opts.template, base);
  return deps.views.render(`layouts/${opts.layout ?? 'main'}`, {
    ...base,
    content,
    flash,
    nav: navFor(ctx.user?.permissions ?? null, ctx.path ?? '/'),
    version: deps.version.version,
  });
}

export function redirect(ctx: any, location: string, status = 303) {
  // htmx follows a plain redirect with a partial swap; HX-Location makes it navigate properly.
  if (ctx.htmx?.isHtmx) {
    ctx.set.status = 200;
    ctx.set.headers['hx-redirect'] = location;
    return '';
  }
  ctx.set.status = status;
  ctx.set.headers.location = location;
  return '';
}

export function loginRedirect(ctx: any) {
  const next = ctx.request.method === 'GET' ? `?next=${encodeURIComponent(ctx.url.pathname + ctx.url.search)}` : '';
  return redirect(ctx, `/login${next}`, 303);
}

export function apiError(ctx: any, status: number, code: string, message: string, fields?: Record<string, string>, extra: Record<string, unknown> = {}) {
  ctx.set.status = status;
  ctx.set.headers['content-type'] = 'application/json; charset=utf-8';
  return JSON.stringify({ error: { code, message, ...(fields && Object.keys(fields).length ? { fields } : {}), request_id: ctx.requestId, ...extra } });
}

export function apiServiceError(ctx: any, err: ServiceError) {
  return apiError(ctx, err.status, err.code, err.message, err.fields, err.apiDetails());
}

/** Error page (full) or error fragment (htmx) with the request id support will ask for. */
export async function htmlError(deps: AppDeps, ctx: any, status: number, title: string, message: string) {
  if (ctx.htmx?.wantsFragment) {
    ctx.set.status = status;
    ctx.set.headers['content-type'] = 'text/html; charset=utf-8';
    // Errors replace the flash region instead of whatever the request targeted.
    ctx.set.headers['hx-retarget'] = '#flash';
    ctx.set.headers['hx-reswap'] = 'innerHTML';
    return deps.views.render('errors/_fragment', { status, title, message, requestId: ctx.requestId });
  }
  return renderPage(deps, ctx, { template: 'errors/page', title, status, layout: ctx.user ? 'main' : 'bare', data: { status, message } });
}

export function json(ctx: any, status: number, body: unknown) {
  ctx.set.status = status;
  ctx.set.headers['content-type'] = 'application/json; charset=utf-8';
  return JSON.stringify(body);
}

import { Elysia } from 'elysia';
import type { AppDeps } from './deps';
import { contextPlugin, isApiPath } from './context';
import { ANON_COOKIE, SESSION_COOKIE, serializeCookie } from './cookies';
import { hmacB64, randomToken, signValue, unsignValue } from '../features/auth/crypto';
import { resolveSession, type CurrentUser } from '../features/auth/service';

export type SessionInfo = {
  user: CurrentUser | null;
  /** SHA-256 of the session token, when signed in. */
  sessionHash: string | null;
  /** Token to put in forms (`_csrf`) and the `X-CSRF-Token` header; bound to the session or the anonymous cookie. */
  csrfToken: string;
};

/** The CSRF token is an HMAC of the session (or anonymous visitor) id: nothing to store, nothing to guess. */
export function csrfTokenFor(secret: string, binding: string): string {
  return hmacB64(secret, `csrf:${binding}`);
}

/**
 * Resolves the signed-in staff user from the session cookie (pages only: the API ignores cookies).
 * Visitors without a session get a signed anonymous id so that login and setup forms have CSRF tokens too.
 */
export function sessionPlugin(deps: AppDeps) {
  return new Elysia({ name: 'forte.session' })
    .use(contextPlugin)
    .resolve({ as: 'global' }, async ({ cookies, path, set }): Promise<SessionInfo> => {
      if (isApiPath(path) || path.startsWith('/static/') || path === '/healthz' || path === '/version') {
        return { user: null, sessionHash: null, csrfToken: '' };
      }
      const policy = deps.config.session;
      const token = unsignValue(deps.cookieSecret, cookies[SESSION_COOKIE]);
      if (token) {
        const session = await resolveSession(deps.db, token, policy, deps.clock.now());
        if (session) return { user: session.user, sessionHash: session.tokenHash, csrfToken: csrfTokenFor(deps.cookieSecret, session.tokenHash) };
        appendSetCookie(set, serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: deps.config.server.https }));
      }
      let anon = unsignValue(deps.cookieSecret, cookies[ANON_COOKIE]);
      if (!anon) {
        anon = randomToken(18);
        appendSetCookie(set, serializeCookie(ANON_COOKIE, signValue(deps.cookieSecret, anon), { secure: deps.config.server.https, maxAgeSeconds: 60 * 60 * 24 * 30 }));
      }
      return { user: null, sessionHash: null, csrfToken: csrfTokenFor(deps.cookieSecret, `anon:${anon}`) };
    });
}

/** Elysia keeps one value per header name; Set-Cookie needs several, so keep them as an array. */
export function appendSetCookie(set: { headers: Record<string, any> }, cookie: string) {
  const existing = set.headers['set-cookie'];
  if (!existing) set.headers['set-cookie'] = [cookie];
  else if (Array.isArray(existing)) existing.push(cookie);
  else set.headers['set-cookie'] = [existing, cookie];
}

import { Elysia } from 'elysia';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { renderPage, redirect, setFlash } from '../../server/respond';
import { formBody, formString, safeNext } from '../../server/forms';
import { login, logout, logoutEverywhere, TooManyAttemptsError } from './service';
import { ServiceError } from '../service-errors';
import { SESSION_COOKIE, serializeCookie } from '../../server/cookies';
import { appendSetCookie } from '../../server/session';
import { signValue } from './crypto';

export function authRoutes(deps: AppDeps) {
  const loginPage = (ctx: any, values: { username: string; next: string }, error?: string, status = 200) =>
    renderPage(deps, ctx, { template: 'auth/login', title: 'Sign in', layout: 'bare', status, data: { values, error } });
  const clearSession = (ctx: any) => appendSetCookie(ctx.set, serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: deps.config.server.https }));

  return new Elysia({ name: 'feature.auth' })
    .use(authPlugin(deps))
    .get(
      '/login',
      (ctx) => {
        const next = safeNext(typeof ctx.query.next === 'string' ? ctx.query.next : '/');
        if (ctx.user) return redirect(ctx, next);
        return loginPage(ctx, { username: '', next });
      },
      { public: true },
    )
    .post(
      '/login',
      async (ctx) => {
        const body = formBody(ctx.body);
        const username = formString(body, 'username').trim().slice(0, 100);
        const password = formString(body, 'password').slice(0, 500);
        const next = safeNext(formString(body, 'next'));
        if (!username || !password) return loginPage(ctx, { username, next }, 'Enter your username and password.', 422);
        try {
          const { token } = await login(deps.db, { username, password, ip: ctx.ip, userAgent: ctx.request.headers.get('user-agent') }, deps.config.session, deps.clock.now(), ctx.requestId);
          appendSetCookie(ctx.set, serializeCookie(SESSION_COOKIE, signValue(deps.cookieSecret, token), { secure: deps.config.server.https }));
          return redirect(ctx, next);
        } catch (err) {
          if (err instanceof TooManyAttemptsError) ctx.set.headers['retry-after'] = String(err.retryAfterSeconds);
          if (err instanceof ServiceError) return loginPage(ctx, { username, next }, err.message, err.status);
          throw err;
        }
      },
      { public: true },
    )
    .post(
      '/logout',
      async (ctx) => {
        await logout(deps.db, ctx.sessionHash!, { userId: ctx.user!.id, label: ctx.user!.username, requestId: ctx.requestId, ip: ctx.ip });
        clearSession(ctx);
        setFlash(deps, ctx, { kind: 'info', message: 'You are signed out.' });
        return redirect(ctx, '/login');
      },
      { authenticated: true },
    )
    .post(
      '/logout-everywhere',
      async (ctx) => {
        const n = await logoutEverywhere(deps.db, ctx.user!.id, { userId: ctx.user!.id, label: ctx.user!.username, requestId: ctx.requestId, ip: ctx.ip });
        clearSession(ctx);
        setFlash(deps, ctx, { kind: 'info', message: `Signed out of ${n} session${n === 1 ? '' : 's'} on every device.` });
        return redirect(ctx, '/login');
      },
      { authenticated: true },
    );
}

import { Elysia } from 'elysia';
import type { AppDeps } from './deps';
import { sessionPlugin } from './session';
import { safeEqual } from '../features/auth/crypto';
import { authenticateApiToken, type ApiPrincipal } from '../features/auth/service';
import type { Permission } from '../features/auth/permissions';
import { apiError, htmlError, loginRedirect } from './respond';

/** What a route declares about who may call it; introspected by the route-walk and permission-matrix tests. */
export type Access = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'permission'; permission: Permission } | { kind: 'api'; permission: Permission | null };

export type Guard = ((ctx: any) => unknown) & { access: Access };

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Browsers send Origin on state-changing requests; when present it must be this server. A request from
 * another site fails here even before the CSRF token is looked at.
 */
function originAllowed(request: Request, url: URL): boolean {
  const origin = request.headers.get('origin');
  if (origin) return origin === url.origin;
  const referer = request.headers.get('referer');
  if (referer) {
    try {
      return new URL(referer).origin === url.origin;
    } catch {
      return false;
    }
  }
  return true;
}

function csrfFailure(ctx: any): string | null {
  if (!UNSAFE.has(ctx.request.method)) return null;
  if (!originAllowed(ctx.request, ctx.url)) return 'This request came from another site and was refused.';
  const fromHeader = ctx.request.headers.get('x-csrf-token');
  const fromBody = ctx.body && typeof ctx.body === 'object' && typeof ctx.body._csrf === 'string' ? ctx.body._csrf : null;
  const sent = fromHeader ?? fromBody;
  if (!sent || !ctx.csrfToken || !safeEqual(sent, ctx.csrfToken)) return 'Your form expired or was sent from another page. Reload the page and try again.';
  return null;
}

function guard(access: Access, check: (ctx: any) => unknown): { beforeHandle: Guard } {
  const fn = Object.assign(function accessGuard(ctx: any) {
    return check(ctx);
  }, { access });
  return { beforeHandle: fn };
}

/**
 * The one place access is decided. Every route declares exactly one of:
 *   { public: true }            anyone (setup, login, health)
 *   { authenticated: true }     any signed-in staff user
 *   { permission: 'area.action' } signed-in staff user holding that permission
 *   { api: 'area.action' | null } bearer API token (null = any valid token)
 * Page routes also get the Origin + CSRF check on unsafe methods, after the sign-in check so an expired
 * session leads to the login page rather than a CSRF error.
 */
export function authPlugin(deps: AppDeps) {
  return new Elysia({ name: 'forte.auth' })
    .use(sessionPlugin(deps))
    .macro({
      public: (enabled: boolean) =>
        guard({ kind: 'public' }, (ctx) => {
          if (!enabled) return;
          const csrf = csrfFailure(ctx);
          if (csrf) return htmlError(deps, ctx, 403, 'Request refused', csrf);
        }),
      authenticated: (enabled: boolean) =>
        guard({ kind: 'authenticated' }, (ctx) => {
          if (!enabled) return;
          if (!ctx.user) return loginRedirect(ctx);
          const csrf = csrfFailure(ctx);
          if (csrf) return htmlError(deps, ctx, 403, 'Request refused', csrf);
        }),
      permission: (permission: Permission) =>
        guard({ kind: 'permission', permission }, (ctx) => {
          if (!ctx.user) return loginRedirect(ctx);
          if (!ctx.user.permissions.has(permission)) return htmlError(deps, ctx, 403, 'Not allowed', `Your role doesn't include “${permission}”. Ask the owner or a manager if you need it.`);
          const csrf = csrfFailure(ctx);
          if (csrf) return htmlError(deps, ctx, 403, 'Request refused', csrf);
        }),
      api: (permission: Permission | null) =>
        guard({ kind: 'api', permission }, async (ctx) => {
          const header = ctx.request.headers.get('authorization') ?? '';
          const match = /^Bearer\s+(\S+)$/i.exec(header);
          if (!match) return apiError(ctx, 401, 'unauthorized', 'Send an API token as "Authorization: Bearer <token>".');
          const principal = await authenticateApiToken(deps.db, match[1], deps.clock.now());
          if (!principal) return apiError(ctx, 401, 'unauthorized', 'The API token is unknown or revoked.');
          if (permission && !principal.user.permissions.has(permission)) return apiError(ctx, 403, 'forbidden', `This token lacks the "${permission}" permission.`);
          ctx.apiPrincipal = principal;
        }),
    })
    .resolve({ as: 'global' }, () => ({ apiPrincipal: null as ApiPrincipal | null }));
}

/** Reads the access declaration of a registered route (for tests and the OpenAPI generator). */
export function routeAccess(route: { hooks?: any }): Access[] {
  const hooks = route.hooks?.beforeHandle ?? [];
  const list = Array.isArray(hooks) ? hooks : [hooks];
  return list.map((h: any) => (h?.fn ?? h)?.access).filter(Boolean);
}

import { Elysia } from 'elysia';
import type { AppDeps } from './deps';
import { authPlugin } from './auth';

/**
 * Serves public/ from the layered asset store at /static/*. Files are embedded in the binary, so they're
 * cached by the browser for an hour; a custom/public override takes effect after that (or a hard reload).
 */
export function staticPlugin(deps: AppDeps) {
  return new Elysia({ name: 'forte.static' }).use(authPlugin(deps)).get(
    '/static/*',
    (ctx: any) => {
      const rel = ctx.params['*'] as string;
      const path = `public/${rel}`;
      const bytes = deps.assets.readBytes(path);
      if (!bytes) {
        ctx.set.status = 404;
        ctx.set.headers['content-type'] = 'text/plain; charset=utf-8';
        return 'Not found';
      }
      ctx.set.headers['content-type'] = deps.assets.contentType(path);
      ctx.set.headers['cache-control'] = 'public, max-age=3600';
      return new Response(bytes as unknown as BodyInit, { headers: ctx.set.headers as any });
    },
    { public: true },
  );
}

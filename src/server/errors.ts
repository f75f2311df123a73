import { Elysia } from 'elysia';
import { randomBytes } from 'node:crypto';
import type { AppDeps } from './deps';
import { contextPlugin, isApiPath, SECURITY_HEADERS } from './context';
import { ServiceError } from '../features/service-errors';
import { apiError, htmlError } from './respond';

/**
 * Last line of defence: unknown routes get a 404 page or JSON, bad JSON a 400, a ServiceError that escaped
 * a route its own status, and anything else a logged 500 that shows the request id (never a stack trace).
 */
export function errorsPlugin(deps: AppDeps) {
  return new Elysia({ name: 'forte.errors' }).use(contextPlugin).onError({ as: 'global' }, async (ctx: any) => {
    const { code, error, request, set } = ctx;
    const path = new URL(request.url).pathname;
    // Unknown routes fail before the context plugin runs, so the request facts are filled in here.
    const requestId = ctx.requestId ?? randomBytes(6).toString('hex');
    ctx.requestId = requestId;
    ctx.url ??= new URL(request.url);
    if (!ctx.htmx) {
      const hx = request.headers.get('hx-request') === 'true';
      ctx.htmx = { isHtmx: hx, wantsFragment: hx && request.headers.get('hx-request-type') !== 'full', historyRestore: false };
    }
    Object.assign(set.headers, SECURITY_HEADERS, { 'x-request-id': requestId });
    const api = isApiPath(path);
    let status = 500;
    let errCode = 'internal_error';
    let message = `Something went wrong on our side. Quote request id ${requestId} to support.`;
    let fields: Record<string, string> | undefined;
    if (code === 'NOT_FOUND') {
      status = 404;
      errCode = 'not_found';
      message = api ? `No API route ${request.method} ${path}.` : 'There is no page at this address.';
    } else if (code === 'PARSE') {
      status = 400;
      errCode = 'invalid_body';
      message = 'The request body could not be parsed (check the JSON syntax and Content-Type).';
    } else if (code === 'VALIDATION') {
      status = 400;
      errCode = 'validation_failed';
      message = 'The request is invalid.';
    } else if (error instanceof ServiceError) {
      status = error.status;
      errCode = error.code;
      message = error.message;
      fields = error.fields;
    } else {
      deps.logger.error('request failed', { requestId, method: request.method, path, error: error instanceof Error ? error.stack ?? error.message : String(error) });
    }
    if (api) return apiError(ctx, status, errCode, message, fields);
    try {
      return await htmlError(deps, ctx, status, status === 404 ? 'Page not found' : status >= 500 ? 'Something went wrong' : 'Request refused', message);
    } catch (renderErr) {
      deps.logger.error('error page failed to render', { requestId, error: String(renderErr) });
      set.status = status;
      set.headers['content-type'] = 'text/plain; charset=utf-8';
      return `${status} — ${message}`;
    }
  });
}

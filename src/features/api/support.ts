import { apiError, apiServiceError } from '../../server/respond';
import { ListQueryError } from '../../ui/list';
import { ServiceError, zodFieldErrors } from '../service-errors';
import type { Actor } from '../audit/service';
import type { z } from 'zod';

/** Shared by every /api/v1 feature: JSON-only bodies, ServiceError -> api.md error body, API-token actor. */

export const apiActor = (ctx: any): Actor => ({ userId: ctx.apiPrincipal.user.id, label: `api:${ctx.apiPrincipal.tokenName}`, requestId: ctx.requestId, ip: ctx.ip });

export function jsonBody(ctx: any): unknown {
  const type = ctx.request.headers.get('content-type') ?? '';
  if (!type.includes('application/json')) throw new ServiceError('validation_failed', 'Send a JSON body with Content-Type: application/json.', 400);
  if (ctx.body === undefined || ctx.body === null || typeof ctx.body !== 'object' || Array.isArray(ctx.body)) throw new ServiceError('validation_failed', 'The body must be a JSON object.', 400);
  return ctx.body;
}

/** Parses a JSON body with a schema; a failure becomes a 422 ValidationError-like ServiceError with fields. */
export function parseBody<T extends z.ZodType>(ctx: any, schema: T): z.infer<T> {
  const parsed = schema.safeParse(jsonBody(ctx));
  if (!parsed.success) throw new ServiceError('validation_failed', 'Some fields are invalid.', 422, zodFieldErrors(parsed.error));
  return parsed.data;
}

export async function handle(ctx: any, fn: () => Promise<string>) {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ListQueryError) return apiError(ctx, 400, 'validation_failed', 'Invalid list parameters.', err.fields);
    if (err instanceof ServiceError) return apiServiceError(ctx, err);
    throw err;
  }
}

export const iso = (d: Date | string | null) => (d === null ? null : typeof d === 'string' ? new Date(d).toISOString() : d.toISOString());

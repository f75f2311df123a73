import type { z } from 'zod';

/** Errors services throw; routes turn them into a form re-render (HTML) or a 4xx JSON body (API). */
export class ServiceError extends Error {
  constructor(
    public readonly code: 'validation_failed' | 'not_found' | 'conflict' | 'forbidden' | 'unauthorized' | 'too_many_requests' | 'setup_required' | 'idempotency_mismatch' | 'in_progress' | 'approval_failed',
    message: string,
    public readonly status: number,
    public readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
  /** More machine-readable facts for the API error body (e.g. the matching accounts of a duplicate). */
  apiDetails(): Record<string, unknown> {
    return {};
  }
}

export class ValidationError extends ServiceError {
  constructor(fields: Record<string, string>, message = 'Please correct the highlighted fields.') {
    super('validation_failed', message, 422, fields);
  }
}
export class NotFoundError extends ServiceError {
  constructor(what: string) {
    super('not_found', `${what} was not found.`, 404);
  }
}
export class ConflictError extends ServiceError {
  constructor(message: string, fields: Record<string, string> = {}) {
    super('conflict', message, 409, fields);
  }
}
export class ForbiddenError extends ServiceError {
  constructor(message = 'You do not have permission to do that.') {
    super('forbidden', message, 403);
  }
}

/** Flattens Zod issues into one message per field (first issue wins), the shape forms and the API show. */
export function zodFieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    // An error on one element of a list (role_ids.2) belongs next to the list's field.
    const path = issue.path.filter((p) => typeof p !== 'number');
    const key = path.length ? path.join('.') : '_';
    if (!fields[key]) fields[key] = issue.message;
  }
  return fields;
}

/** safeParse that throws a ValidationError with per-field messages. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(zodFieldErrors(result.error));
  return result.data;
}

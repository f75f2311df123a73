/** Helpers for urlencoded form bodies as Elysia parses them (repeated keys arrive as arrays). */
export type FormBody = Record<string, unknown>;

export function formBody(body: unknown): FormBody {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as FormBody) : {};
}

export function formString(body: FormBody, key: string): string {
  const v = body[key];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : '';
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

export function formList(body: FormBody, key: string): string[] {
  const v = body[key];
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).map(String).filter((s) => s !== '');
}

/** A `next` parameter may only point back into this site (no open redirects). */
export function safeNext(next: string | undefined | null, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}

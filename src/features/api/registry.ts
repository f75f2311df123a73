import { z } from 'zod';
import type { Permission } from '../auth/permissions';

/**
 * Documentation of every /api/v1 route, declared next to the route from the same Zod schemas the handler
 * validates with. The OpenAPI document is generated from this list, and a test checks that its paths are
 * exactly the registered /api/v1 routes.
 */
export interface ApiDoc {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Elysia path, e.g. /api/v1/staff/:id */
  path: string;
  summary: string;
  tag: string;
  permission: Permission | null | 'public';
  body?: z.ZodType;
  query?: z.ZodObject<any>;
  response: z.ZodType;
  responseStatus?: number;
  list?: boolean;
  idempotent?: boolean;
}

export const apiDocs: ApiDoc[] = [];

export function documentApi(doc: ApiDoc): ApiDoc {
  const existing = apiDocs.findIndex((d) => d.method === doc.method && d.path === doc.path);
  if (existing >= 0) apiDocs[existing] = doc;
  else apiDocs.push(doc);
  return doc;
}

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
    request_id: z.string().optional(),
  }),
});

export const paginationSchema = z.object({ page: z.number().int(), limit: z.number().int(), total: z.number().int(), total_pages: z.number().int() });

export const listQuerySchema = z.object({
  page: z.string().optional().describe('Page number, from 1'),
  limit: z.string().optional().describe('Rows per page, 1–100 (default 25)'),
  q: z.string().optional().describe('Search text'),
  sort: z.string().optional(),
  order: z.enum(['asc', 'desc']).optional(),
});

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}');

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  const s = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}

export function buildOpenApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const doc of [...apiDocs].sort((a, b) => a.path.localeCompare(b.path))) {
    const path = toOpenApiPath(doc.path);
    const parameters: unknown[] = [];
    for (const m of doc.path.matchAll(/:([A-Za-z_]+)/g)) parameters.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
    if (doc.query) {
      for (const [name, field] of Object.entries(doc.query.shape)) {
        parameters.push({ name, in: 'query', required: false, schema: jsonSchema(field as z.ZodType, 'input'), ...((field as any).description ? { description: (field as any).description } : {}) });
      }
    }
    if (doc.idempotent) parameters.push({ name: 'Idempotency-Key', in: 'header', required: false, description: 'Recommended on every money-moving POST: a retry with the same key returns the first response.', schema: { type: 'string', maxLength: 200 } });
    const successSchema = doc.list ? z.object({ data: z.array(doc.response), pagination: paginationSchema }) : doc.response;
    const responses: Record<string, unknown> = {
      [String(doc.responseStatus ?? 200)]: { description: 'Success', content: { 'application/json': { schema: jsonSchema(successSchema, 'output') } } },
    };
    const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: jsonSchema(errorSchema, 'output') } } });
    if (doc.permission !== 'public') {
      responses['401'] = errorResponse('Missing, unknown or revoked API token');
      responses['403'] = errorResponse('The token lacks the permission');
      responses['503'] = errorResponse('Setup not completed');
    }
    if (doc.body || doc.query) responses['400'] = errorResponse('Invalid request');
    if (doc.body) responses['422'] = errorResponse('Validation failed');
    if (doc.path.includes(':')) responses['404'] = errorResponse('Not found');
    if (doc.method === 'post') responses['409'] = errorResponse('Conflict');
    paths[path] ??= {};
    paths[path][doc.method] = {
      summary: doc.summary,
      tags: [doc.tag],
      operationId: `${doc.method}${doc.path.replace('/api/v1', '').replace(/[:/{}_-]+(\w)/g, (_m, c: string) => c.toUpperCase())}`,
      ...(parameters.length ? { parameters } : {}),
      ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(doc.body, 'input') } } } } : {}),
      responses,
      ...(doc.permission === 'public' ? { security: [] } : {}),
      ...(doc.permission && doc.permission !== 'public' ? { 'x-permission': doc.permission } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Forte API', version, description: 'JSON API of the Forte store appliance. Money is integer cents in *_cents fields; dates are YYYY-MM-DD.' },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API token from `forte admin token create` or Settings → API tokens' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

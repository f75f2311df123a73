import { Elysia } from 'elysia';
import { z } from 'zod';
import type { AppDeps } from '../../server/deps';
import { authPlugin } from '../../server/auth';
import { apiServiceError, json } from '../../server/respond';
import { documentApi } from '../api/registry';
import { apiActor, iso } from '../api/support';
import { ServiceError } from '../service-errors';
import { getMember } from './member-service';
import { ImageRejectedError, memberPhoto, removeMemberPhoto, setMemberPhoto, type ImageMeta } from './images';
import { imageRuleMessage, MAX_IMAGE_BYTES } from './image-format';
import { imageResponse } from './image-response';

export const photoOut = z.object({
  member_id: z.uuid(),
  content_type: z.enum(['image/jpeg', 'image/png', 'image/webp']).describe('Read from the magic bytes, not from the Content-Type sent'),
  byte_size: z.number().int(),
  sha256: z.string().describe('Hex SHA-256 of the bytes; the ETag of GET .../photo'),
  created_at: z.string(),
  created_by: z.string(),
  url: z.string().describe('GET this path (same token) for the image bytes'),
});

const photoJson = (memberId: string, m: ImageMeta) => ({
  member_id: memberId,
  content_type: m.contentType,
  byte_size: m.byteSize,
  sha256: m.sha256,
  created_at: iso(m.createdAt),
  created_by: m.createdByLabel,
  url: `/api/v1/members/${memberId}/photo`,
});

const tag = 'customers';
documentApi({
  method: 'put',
  path: '/api/v1/members/:id/photo',
  summary:
    'Set or replace the member photo. Send the raw image bytes as the body with Content-Type image/jpeg, image/png or image/webp (not JSON, not multipart). The format is checked by its magic bytes; max 5 MB (413), other formats 415, empty body 422. Replacing deletes the old photo.',
  tag,
  permission: 'customers.manage',
  response: photoOut,
});
documentApi({
  method: 'get',
  path: '/api/v1/members/:id/photo',
  summary: 'The member photo as image bytes (Content-Type image/jpeg|png|webp, ETag = "sha256", If-None-Match gives 304); 404 JSON when the member has none. The schema below is the JSON of PUT, for reference.',
  tag,
  permission: 'customers.view',
  response: photoOut,
});
documentApi({ method: 'delete', path: '/api/v1/members/:id/photo', summary: 'Remove the member photo; answers the removed photo\'s details, 404 when there is none', tag, permission: 'customers.manage', response: photoOut });

const ACCEPTED_BODY_TYPES = /^(image\/[a-z0-9.+-]+|application\/octet-stream)$/i;

/** Reads a raw request body, refusing (413) as soon as it passes the limit instead of buffering all of it. */
async function readImageBody(request: Request): Promise<Uint8Array> {
  const tooLarge = () => new ImageRejectedError('photo', imageRuleMessage('Photo'), 413);
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_IMAGE_BYTES) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_IMAGE_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

/** Like api/support's `handle`, for handlers that answer with a Response (image bytes) as well as JSON. */
async function handleAny(ctx: any, fn: () => Promise<unknown>) {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ServiceError) return apiServiceError(ctx, err);
    throw err;
  }
}

/** JSON API of member photos; mounted by customersRoutes. Bodies are raw bytes, so Elysia's parser stays off (parse: 'none'). */
export function customerImagesApi(deps: AppDeps) {
  return new Elysia({ name: 'feature.customers.images.api' })
    .use(authPlugin(deps))
    .put(
      '/api/v1/members/:id/photo',
      (ctx) =>
        handleAny(ctx, async () => {
          const member = await getMember(deps.db, ctx.params.id);
          const type = (ctx.request.headers.get('content-type') ?? '').split(';')[0].trim();
          if (!ACCEPTED_BODY_TYPES.test(type)) throw new ImageRejectedError('photo', `Send the image bytes as the body with Content-Type image/jpeg, image/png or image/webp. ${imageRuleMessage('Photo')}`, 415);
          const bytes = await readImageBody(ctx.request);
          const change = await deps.db.transaction((tx) => setMemberPhoto(tx, apiActor(ctx), member.id, bytes));
          return json(ctx, 200, photoJson(member.id, change.image));
        }),
      { api: 'customers.manage', parse: 'none' },
    )
    .get('/api/v1/members/:id/photo', (ctx) => handleAny(ctx, async () => imageResponse(ctx, await memberPhoto(deps.db, ctx.params.id), 'member-photo')), { api: 'customers.view' })
    .delete(
      '/api/v1/members/:id/photo',
      (ctx) =>
        handleAny(ctx, async () => {
          const member = await getMember(deps.db, ctx.params.id);
          const removed = await deps.db.transaction((tx) => removeMemberPhoto(tx, apiActor(ctx), member.id));
          return json(ctx, 200, photoJson(member.id, removed));
        }),
      { api: 'customers.manage' },
    );
}

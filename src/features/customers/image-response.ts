import type { StoredImage } from './images';
import { IMAGE_EXTENSIONS } from './image-format';

/**
 * Browsers may keep a picture for 10 minutes without asking again; after that a conditional request costs a
 * 304. Pages link images with `?v=<sha prefix>`, so a replaced photo shows at once; a removed one is no
 * longer linked. `private`: these are pictures of people and their IDs, never for shared caches.
 */
export const IMAGE_CACHE_CONTROL = 'private, max-age=600';

const etagOf = (image: StoredImage) => `"${image.sha256}"`;

function matchesIfNoneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/** The image bytes with their sniffed Content-Type, an ETag from the SHA-256, and 304 on a matching If-None-Match. */
export function imageResponse(ctx: any, image: StoredImage, filenameBase: string): Response {
  const etag = etagOf(image);
  const headers: Record<string, string> = {
    ...(ctx.set.headers as Record<string, string>),
    etag,
    'cache-control': IMAGE_CACHE_CONTROL,
    'x-content-type-options': 'nosniff',
  };
  if (matchesIfNoneMatch(ctx.request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
  headers['content-type'] = image.contentType;
  headers['content-length'] = String(image.byteSize);
  headers['content-disposition'] = `inline; filename="${filenameBase}.${IMAGE_EXTENSIONS[image.contentType]}"`;
  return new Response(image.data as unknown as BodyInit, { status: 200, headers });
}

/** First uploaded file of a multipart field (Elysia parses file parts into File objects); empty when none was chosen. */
export async function uploadedBytes(value: unknown): Promise<Uint8Array> {
  const file = Array.isArray(value) ? value.find((v) => v instanceof Blob) : value;
  if (!(file instanceof Blob)) return new Uint8Array();
  return new Uint8Array(await file.arrayBuffer());
}

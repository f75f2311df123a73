/**
 * What counts as an acceptable customer image (member photo, identity-document scan). The format is read
 * from the file's first bytes: a file name or a browser's Content-Type says what the sender claims, the
 * magic bytes say what the browser will actually decode when the image is served back.
 */

export type ImageContentType = 'image/jpeg' | 'image/png' | 'image/webp';

/** 5 MB: a phone photo of a licence fits; the bytes live in the database and in every backup. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export const IMAGE_EXTENSIONS: Record<ImageContentType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, prefix: number[], at = 0) => bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The image format of `bytes` by signature, or null when it is none of JPEG, PNG, WebP. */
export function sniffImageType(bytes: Uint8Array): ImageContentType | null {
  // JPEG: SOI marker followed by the start of another marker (FF D8 FF).
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  // WebP: a RIFF container whose form type is WEBP (bytes 4-7 are the chunk size).
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return null;
}

export type ImageProblem = 'empty' | 'too_large' | 'unsupported_type';

/** Why `bytes` can't be stored as a customer image, or null when it can. */
export function imageProblem(bytes: Uint8Array): ImageProblem | null {
  if (bytes.length === 0) return 'empty';
  if (bytes.length > MAX_IMAGE_BYTES) return 'too_large';
  if (!sniffImageType(bytes)) return 'unsupported_type';
  return null;
}

/** The one sentence staff and API clients see for a refused file (`what` is "Photo" or "Scan"). */
export const imageRuleMessage = (what: string) => `${what} must be a JPEG, PNG or WebP image up to 5 MB.`;

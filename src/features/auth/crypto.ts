import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');
export const hmacB64 = (key: string, value: string): string => createHmac('sha256', key).update(value).digest('base64url');

/** Constant-time string comparison (length leaks, content doesn't). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) return false;
  return timingSafeEqual(ab, bb);
}

/** `value.signature` cookies: tampering with the value invalidates the signature. */
export function signValue(key: string, value: string): string {
  return `${value}.${hmacB64(key, value)}`;
}
export function unsignValue(key: string, signed: string | undefined | null): string | null {
  if (!signed) return null;
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  return safeEqual(signed.slice(dot + 1), hmacB64(key, value)) ? value : null;
}

export async function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: 'argon2id' });
}
/** A fixed hash verified against when the username is unknown, so timing doesn't reveal which usernames exist. */
let dummyHash: Promise<string> | null = null;
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (!hash) {
    dummyHash ??= hashPassword('forte-dummy-password-for-timing');
    await Bun.password.verify(password, await dummyHash);
    return false;
  }
  try {
    return await Bun.password.verify(password, hash);
  } catch {
    return false;
  }
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A URL-safe random secret with `bytes` of entropy. */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Tokens and API keys carry 256 bits of entropy, so a fast hash is enough to store them. */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * The same UUID for the same key, every time (sha-256, shaped as a name-based UUID): an id that makes a
 * delivery repeated by a queue, a webhook or a retry land on the row or job the first one made.
 */
export function stableUuid(key: string): string {
  const hex = sha256(key);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

import { createHmac } from 'node:crypto';
import { safeEqual } from '../crypto/tokens';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (several v1 while a secret rotates). */
export const SIGNATURE_HEADER = 'x-crescendo-signature';
/** Deliveries older (or further in the future) than this are refused, so a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function computeSignature(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The header value a sender puts on a delivery. */
export function signatureHeader(secret: string, rawBody: string | Buffer, now = Date.now()): string {
  const timestamp = Math.floor(now / 1000);
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, rawBody)}`;
}

export type SignatureCheck =
  { ok: true; timestamp: number } | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'mismatch' };

/** Checks a signature header against one or more secrets (the current one and, while rotating, the previous). */
export function verifySignature(
  header: string | undefined,
  rawBody: string | Buffer,
  secrets: string[],
  now = Date.now(),
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  const signatures = parts
    .filter(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? ''))
    .map(([, v]) => v);
  if (!Number.isInteger(timestamp) || signatures.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'expired' };
  const expected = secrets.map((secret) => computeSignature(secret, timestamp, rawBody));
  const match = signatures.some((given) => expected.some((want) => safeEqual(given, want)));
  return match ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}

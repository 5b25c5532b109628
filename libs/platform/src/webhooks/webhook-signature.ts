import { createHmac } from 'node:crypto';
import { safeEqual } from '../crypto/tokens';

/**
 * Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256>` (several v1 while a secret rotates). The HMAC covers
 * `<t>.<raw body>`, or `<t>.<event id>.<raw body>` when the sender signs the X-Crescendo-Event-Id it sends.
 */
export const SIGNATURE_HEADER = 'x-crescendo-signature';
/** Deliveries older (or further in the future) than this are refused, so a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function computeSignature(
  secret: string,
  timestamp: number,
  rawBody: string | Buffer,
  eventId?: string,
): string {
  const prefix = eventId === undefined ? `${timestamp}.` : `${timestamp}.${eventId}.`;
  return createHmac('sha256', secret).update(prefix).update(rawBody).digest('hex');
}

/** The header value a sender puts on a delivery; with `eventId`, the signature covers that event id too. */
export function signatureHeader(secret: string, rawBody: string | Buffer, now = Date.now(), eventId?: string): string {
  const timestamp = Math.floor(now / 1000);
  return `t=${timestamp},v1=${computeSignature(secret, timestamp, rawBody, eventId)}`;
}

export type SignatureCheck =
  | { ok: true; timestamp: number; eventIdSigned: boolean }
  | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'mismatch' };

/**
 * Checks a signature header against one or more secrets (the current one and, while rotating, the previous).
 * Given the event id that came with the delivery, a signature over `<t>.<event id>.<raw body>` is accepted
 * too, and `eventIdSigned` says which form matched: an id outside the signature proves nothing.
 */
export function verifySignature(
  header: string | undefined,
  rawBody: string | Buffer,
  secrets: string[],
  now = Date.now(),
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
  eventId?: string,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  const signatures = parts
    .filter(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? ''))
    .map(([, v]) => v);
  if (!Number.isInteger(timestamp) || signatures.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'expired' };
  const matches = (id?: string) => {
    const expected = secrets.map((secret) => computeSignature(secret, timestamp, rawBody, id));
    return signatures.some((given) => expected.some((want) => safeEqual(given, want)));
  };
  if (eventId !== undefined && matches(eventId)) return { ok: true, timestamp, eventIdSigned: true };
  return matches() ? { ok: true, timestamp, eventIdSigned: false } : { ok: false, reason: 'mismatch' };
}

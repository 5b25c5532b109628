import { signatureHeader } from '@crescendo/platform';
import { TestApp, TestUser } from '../helpers/test-app';
import { randomBytes } from 'node:crypto';

export const newEventId = () => `evt_${randomBytes(8).toString('hex')}`;

export interface SignedOptions {
  secret?: string;
  workspaceId?: string;
  eventId?: string | null;
  /** Signing time (ms), to forge a stale delivery. */
  at?: number;
  /** Replaces the signature header (null: none). */
  signature?: string | null;
  /** Sends these bytes instead of the signed ones (tampering). */
  sendInstead?: string;
  /** Leaves the X-Crescendo-Event-Id header out of the signature (signs "t.body" only). */
  unsignedEventId?: boolean;
}

/** POSTs a JSON body signed like a sender would: HMAC over the event id header (when sent) and the exact bytes. */
export function sendSigned(t: TestApp, path: string, body: unknown, options: SignedOptions & { secret: string }) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const req = t.http().post(path).set('Content-Type', 'application/json');
  if (options.workspaceId) req.set('X-Crescendo-Workspace', options.workspaceId);
  if (options.eventId) req.set('X-Crescendo-Event-Id', options.eventId);
  const signature =
    options.signature === undefined
      ? signatureHeader(
          options.secret,
          raw,
          options.at ?? Date.now(),
          options.eventId && !options.unsignedEventId ? options.eventId : undefined,
        )
      : options.signature;
  if (signature !== null) req.set('X-Crescendo-Signature', signature);
  return req.send(options.sendInstead ?? raw);
}

/** Stores an inbound signing secret through the settings API. */
export async function setSigningSecret(t: TestApp, owner: TestUser, secret: string): Promise<void> {
  await t.http().put('/api/settings/integrations').set(owner.auth).send({ webhookSigningSecret: secret }).expect(200);
}

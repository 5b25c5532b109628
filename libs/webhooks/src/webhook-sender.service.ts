import { Injectable } from '@nestjs/common';
import { AppConfig, safePost, SecretBox, signatureHeader, SIGNATURE_HEADER, UnsafeUrlError } from '@crescendo/platform';
import { DeliveryAttemptEntity, WebhookEndpointEntity } from './webhooks.entity';
import { AttemptStatus } from './webhooks.types';
import { DeliveryAttemptRepository } from './webhooks.repository';

export const EVENT_ID_HEADER = 'x-crescendo-event-id';
export const DELIVERY_TIMEOUT_MS = 10_000;

/** What a receiver gets: the domain event, without internal fields. */
export interface OutgoingEvent {
  id: string;
  type: string;
  occurredAt: string;
  workspaceId: string;
  data: object;
}

export interface SendResult {
  ok: boolean;
  responseStatus: number | null;
  durationMs: number | null;
  error: string | null;
  /** Retrying cannot help (the URL is refused). */
  permanent: boolean;
}

/** Signs and POSTs one event to one endpoint, and records the attempt. */
@Injectable()
export class WebhookSender {
  constructor(
    private readonly config: AppConfig,
    private readonly box: SecretBox,
    private readonly attempts: DeliveryAttemptRepository,
  ) {}

  async send(endpoint: WebhookEndpointEntity, event: OutgoingEvent): Promise<SendResult> {
    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt,
      workspaceId: event.workspaceId,
      data: event.data,
    });
    const started = Date.now();
    try {
      const res = await safePost(
        endpoint.url,
        body,
        {
          [SIGNATURE_HEADER]: signatureHeader(this.box.decrypt(endpoint.secret), body),
          [EVENT_ID_HEADER]: event.id,
          'x-crescendo-event-type': event.type,
          'user-agent': 'Crescendo-Webhooks/1',
        },
        { allowPrivate: this.config.env.WEBHOOKS_ALLOW_PRIVATE_URLS, timeoutMs: DELIVERY_TIMEOUT_MS },
      );
      const ok = res.status >= 200 && res.status < 300;
      return {
        ok,
        responseStatus: res.status,
        durationMs: res.durationMs,
        error: ok ? null : `HTTP ${res.status}: ${res.body.slice(0, 200)}`,
        permanent: false,
      };
    } catch (error) {
      return {
        ok: false,
        responseStatus: null,
        durationMs: Date.now() - started,
        error: (error as Error).message.slice(0, 1000),
        permanent: error instanceof UnsafeUrlError,
      };
    }
  }

  async record(
    endpoint: WebhookEndpointEntity,
    event: OutgoingEvent,
    attempt: number,
    result: SendResult,
    status: AttemptStatus,
    nextRetryAt: Date | null,
  ): Promise<DeliveryAttemptEntity> {
    return this.attempts.insert({
      workspaceId: endpoint.workspaceId,
      endpointId: endpoint.id,
      eventId: event.id,
      eventType: event.type,
      attempt,
      status,
      responseStatus: result.responseStatus,
      durationMs: result.durationMs,
      error: result.error,
      nextRetryAt,
    });
  }
}

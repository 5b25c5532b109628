import { Injectable } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { AppConfig, DomainEvent, OnDomainEvent, OnJob, QueueRegistry } from '@crescendo/platform';
import { WebhookSender } from './webhook-sender.service';
import { AttemptStatus } from './webhooks.types';
import { WebhookEndpointRepository } from './webhooks.repository';
import { DeliverWebhookPayload, WebhooksJobs } from './webhooks.jobs';

/** Deterministic, so a re-delivered domain event never queues a second delivery to the same endpoint. */
export const deliveryJobId = (eventId: string, endpointId: string) => `webhook-${eventId}-${endpointId}`;

/** When BullMQ's exponential backoff runs attempt `attempt + 1`: delay × 2^(attempt − 1) after this one. */
export const nextRetryDelay = (baseDelayMs: number, attempt: number) => baseDelayMs * 2 ** (attempt - 1);

/** Worker side of outgoing webhooks: fans each domain event out to the endpoints that want it, then delivers. */
@Injectable()
export class WebhookDeliveryHandler {
  constructor(
    private readonly config: AppConfig,
    private readonly queues: QueueRegistry,
    private readonly sender: WebhookSender,
    private readonly endpoints: WebhookEndpointRepository,
  ) {}

  /** Quick and idempotent: one job per (event, endpoint); the deliveries themselves run as their own jobs. */
  @OnDomainEvent()
  async fanOut(event: DomainEvent): Promise<void> {
    const targets = await this.endpoints.subscribedTo(event.workspaceId, event.type);
    const { WEBHOOK_DELIVERY_ATTEMPTS: attempts, WEBHOOK_RETRY_DELAY_MS: delay } = this.config.env;
    await Promise.all(
      targets.map((endpoint) =>
        this.queues.enqueue(
          WebhooksJobs.DeliverWebhook,
          { workspaceId: event.workspaceId, endpointId: endpoint.id, event },
          { jobId: deliveryJobId(event.id, endpoint.id), attempts, backoff: { type: 'exponential', delay } },
        ),
      ),
    );
  }

  /**
   * One attempt: non-2xx and timeouts throw so BullMQ retries with backoff; the last failure counts
   * against the endpoint, which is disabled after WEBHOOK_ENDPOINT_FAILURE_LIMIT in a row.
   */
  @OnJob(WebhooksJobs.DeliverWebhook)
  async deliver(payload: DeliverWebhookPayload, job: Job): Promise<{ delivered: boolean }> {
    const endpoint = await this.endpoints.findInWorkspace(payload.workspaceId, payload.endpointId);
    // Deleted or disabled since the event: nothing to do, and nothing to retry.
    if (!endpoint?.active) return { delivered: false };

    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    const result = await this.sender.send(endpoint, payload.event);
    const final = result.ok || result.permanent || attempt >= maxAttempts;
    const backoff = job.opts.backoff;
    const baseDelay = typeof backoff === 'number' ? backoff : (backoff?.delay ?? 0);
    const status = result.ok ? AttemptStatus.Succeeded : final ? AttemptStatus.Failed : AttemptStatus.Retrying;
    const nextRetryAt = final ? null : new Date(Date.now() + nextRetryDelay(baseDelay, attempt));
    await this.sender.record(endpoint, payload.event, attempt, result, status, nextRetryAt);

    if (result.ok) {
      if (endpoint.consecutiveFailures > 0) await this.endpoints.resetFailures(endpoint.id);
      return { delivered: true };
    }
    if (final) await this.countFailure(endpoint.id);
    const message = `Delivery to ${endpoint.id} failed (attempt ${attempt}/${maxAttempts}): ${result.error}`;
    throw result.permanent ? new UnrecoverableError(message) : new Error(message);
  }

  private countFailure(endpointId: string): Promise<void> {
    const limit = this.config.env.WEBHOOK_ENDPOINT_FAILURE_LIMIT;
    return this.endpoints.countFailure(endpointId, limit, `Disabled after ${limit} failed deliveries in a row`);
  }
}

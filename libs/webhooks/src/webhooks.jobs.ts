import { defineJobs, type DomainEvent, QueueName, type TriggeredJob } from '@crescendo/platform';

/** One domain event to one outgoing endpoint (the event is immutable, so it travels whole). */
export interface DeliverWebhookPayload {
  workspaceId: string;
  endpointId: string;
  event: DomainEvent;
}

/** Outgoing webhooks' jobs. */
export const WebhooksJobs = {
  DeliverWebhook: 'webhooks.deliver',
  PurgeWebhookDeliveries: 'maintenance.purge-webhook-deliveries',
} as const;

declare module '@crescendo/platform' {
  interface JobPayloads {
    [WebhooksJobs.DeliverWebhook]: DeliverWebhookPayload;
    [WebhooksJobs.PurgeWebhookDeliveries]: TriggeredJob;
  }
}

defineJobs(WebhooksJobs, {
  [WebhooksJobs.DeliverWebhook]: { queue: QueueName.Webhooks },
  [WebhooksJobs.PurgeWebhookDeliveries]: {
    queue: QueueName.Maintenance,
    schedule: { pattern: '50 3 * * *', data: { trigger: 'schedule' } },
  },
});

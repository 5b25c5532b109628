import type { MissingDomainEvents } from '@crescendo/platform';
import { AiToolsEvents } from '@crescendo/ai-tools';
import { CampaignsEvents } from '@crescendo/campaigns';
import { JobsEvents } from '@crescendo/jobs';
import { LeadsEvents } from '@crescendo/leads';
import type { InboundSource } from './webhooks.types';

/** The webhooks' domain events. */
export const WebhooksEvents = { WebhookReceived: 'webhook.received' } as const;

/** A signed inbound webhook was applied: what it created or changed, if anything. */
export interface WebhookReceivedData {
  source: InboundSource;
  eventId: string;
  deliveryId: string;
  leadId?: string;
  campaignId?: string;
}

declare module '@crescendo/platform' {
  interface DomainEventPayloads {
    [WebhooksEvents.WebhookReceived]: WebhookReceivedData;
  }
}

/** Every domain event, as endpoints (and agents) may subscribe to them: outgoing webhooks deliver them all. */
export const everyDomainEvent = [
  LeadsEvents.LeadCreated,
  LeadsEvents.LeadUpdated,
  LeadsEvents.LeadStatusChanged,
  LeadsEvents.LeadTagAdded,
  LeadsEvents.LeadDeleted,
  CampaignsEvents.CampaignStatusChanged,
  LeadsEvents.ImportCompleted,
  WebhooksEvents.WebhookReceived,
  JobsEvents.JobCompleted,
  JobsEvents.JobFailed,
  AiToolsEvents.AiQuotaReached,
  // AutomationEvents.AutomationRunFailed, by its name: automation imports this feature (its triggers).
  'automation.run_failed',
] as const;
// Compile-time: a feature that declares an event adds it above, or this line fails (npx tsc).
const _everyEventListed: [MissingDomainEvents<typeof everyDomainEvent>] extends [never] ? true : never = true;

import { defineJobs, type DomainEvent, type DomainEventOf, QueueName } from '@crescendo/platform';
import { LeadsEvents } from '@crescendo/leads';
import { WebhooksEvents } from '@crescendo/webhooks';
import { AutomationTriggerType } from './automation.types';

/** The domain events a rule can be triggered by (its AutomationTriggerType besides schedule). */
export const automationEvents = [
  LeadsEvents.LeadCreated,
  LeadsEvents.LeadStatusChanged,
  LeadsEvents.LeadTagAdded,
  WebhooksEvents.WebhookReceived,
] as const;
export type AutomationEventName = (typeof automationEvents)[number];

/**
 * A tick of a schedule rule, for one lead, in the shape of the events a run starts from (automation's own:
 * never published, no other feature sees it).
 */
export interface ScheduleTick extends Omit<DomainEventOf<AutomationEventName>, 'type' | 'data' | 'cause'> {
  type: AutomationTriggerType.Schedule;
  data: { leadId: string; cron: string | undefined };
  cause?: undefined;
}

/** One rule on one trigger (an event, or a schedule tick) for one lead (null: the event names no lead). */
export interface AutomationRunRulePayload {
  workspaceId: string;
  ruleId: string;
  leadId: string | null;
  event: DomainEvent<AutomationEventName> | ScheduleTick;
}

/** A tick of a schedule rule's job scheduler: runs the rule over the leads matching its conditions. */
export interface AutomationScheduledRulePayload {
  workspaceId: string;
  ruleId: string;
}

/** Automation's jobs. */
export const AutomationJobs = {
  AutomationRunRule: 'automation.run-rule',
  AutomationScheduledRule: 'automation.scheduled-rule',
} as const;

declare module '@crescendo/platform' {
  interface JobPayloads {
    [AutomationJobs.AutomationRunRule]: AutomationRunRulePayload;
    [AutomationJobs.AutomationScheduledRule]: AutomationScheduledRulePayload;
  }
}

defineJobs(AutomationJobs, {
  [AutomationJobs.AutomationRunRule]: { queue: QueueName.Automation },
  [AutomationJobs.AutomationScheduledRule]: { queue: QueueName.Automation },
});

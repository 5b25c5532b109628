import { defineJobs, type DomainEvent, QueueName } from '@crescendo/platform';

/** One rule on one trigger (an event, or a schedule tick) for one lead (null: the event names no lead). */
export interface AutomationRunRulePayload {
  workspaceId: string;
  ruleId: string;
  leadId: string | null;
  event: DomainEvent;
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

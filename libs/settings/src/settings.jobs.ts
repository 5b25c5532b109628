import { defineJobs, type DomainEvent, QueueName } from '@crescendo/platform';

/** One domain event posted to the workspace's Slack incoming webhook (settings › notifications › slack). */
export interface NotifySlackPayload {
  workspaceId: string;
  event: DomainEvent;
}

/** Settings' jobs. */
export const SettingsJobs = {
  NotifySlack: 'webhooks.notify-slack',
} as const;

declare module '@crescendo/platform' {
  interface JobPayloads {
    [SettingsJobs.NotifySlack]: NotifySlackPayload;
  }
}

defineJobs(SettingsJobs, {
  [SettingsJobs.NotifySlack]: { queue: QueueName.Webhooks },
});

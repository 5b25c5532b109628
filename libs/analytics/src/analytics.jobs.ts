import { defineJobs, QueueName, type TriggeredJob } from '@crescendo/platform';

/** Builds or brings up to date one workspace's analytics rollups. */
export interface RefreshAnalyticsRollupPayload {
  workspaceId: string;
  rebuild: boolean;
}

/** The analytics rollups' jobs. */
export const AnalyticsJobs = {
  RefreshAnalyticsRollup: 'analytics.refresh-rollup',
  RefreshAnalyticsRollups: 'maintenance.refresh-analytics-rollups',
  SendNotificationDigests: 'maintenance.send-notification-digests',
} as const;

declare module '@crescendo/platform' {
  interface JobPayloads {
    [AnalyticsJobs.RefreshAnalyticsRollup]: RefreshAnalyticsRollupPayload;
    [AnalyticsJobs.RefreshAnalyticsRollups]: TriggeredJob;
    [AnalyticsJobs.SendNotificationDigests]: TriggeredJob;
  }
}

defineJobs(AnalyticsJobs, {
  [AnalyticsJobs.RefreshAnalyticsRollup]: { queue: QueueName.Maintenance },
  [AnalyticsJobs.RefreshAnalyticsRollups]: {
    queue: QueueName.Maintenance,
    schedule: { pattern: '*/5 * * * *', data: { trigger: 'schedule' } },
  },
  // Hourly: each workspace gets its digest at DIGEST_HOUR in its own time zone.
  [AnalyticsJobs.SendNotificationDigests]: {
    queue: QueueName.Maintenance,
    schedule: { pattern: '2 * * * *', data: { trigger: 'schedule' } },
  },
});

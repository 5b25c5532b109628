import { defineJobs, QueueName, type TriggeredJob } from '@crescendo/platform';

/** The tracked jobs' own maintenance. */
export const TrackedJobsJobs = {
  PurgeFinishedJobs: 'maintenance.purge-finished-jobs',
} as const;

declare module '@crescendo/platform' {
  interface JobPayloads {
    [TrackedJobsJobs.PurgeFinishedJobs]: TriggeredJob;
  }
}

defineJobs(TrackedJobsJobs, {
  [TrackedJobsJobs.PurgeFinishedJobs]: {
    queue: QueueName.Maintenance,
    schedule: { pattern: '30 3 * * *', data: { trigger: 'schedule' } },
  },
});

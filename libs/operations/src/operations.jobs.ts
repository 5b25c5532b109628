import { defineJobs, QueueName, type TriggeredJob } from '@crescendo/platform';

/** Operations' maintenance jobs. */
export const OperationsJobs = {
  Cleanup: 'maintenance.cleanup',
  CollectMetrics: 'maintenance.collect-metrics',
} as const;

declare module '@crescendo/platform' {
  interface JobPayloads {
    [OperationsJobs.Cleanup]: TriggeredJob;
    [OperationsJobs.CollectMetrics]: TriggeredJob;
  }
}

defineJobs(OperationsJobs, {
  [OperationsJobs.Cleanup]: {
    queue: QueueName.Maintenance,
    schedule: { pattern: '0 3 * * *', data: { trigger: 'schedule' } },
  },
  [OperationsJobs.CollectMetrics]: {
    queue: QueueName.Maintenance,
    schedule: { pattern: '*/15 * * * *', data: { trigger: 'schedule' } },
  },
});

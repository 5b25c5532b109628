import { defineJobs, QueueName, type TriggeredJob } from '@crescendo/platform';

/** A user's personal-data export written as a file (a tracked job), its link mailed to them. */
export interface GdprExportPayload {
  jobId: string;
  workspaceId: string;
  userId: string;
}

/** GDPR's jobs. */
export const GdprJobs = {
  GdprExport: 'gdpr.export',
  GdprRetention: 'maintenance.gdpr-retention',
} as const;

declare module '@crescendo/platform' {
  interface JobPayloads {
    [GdprJobs.GdprExport]: GdprExportPayload;
    [GdprJobs.GdprRetention]: TriggeredJob;
  }
}

defineJobs(GdprJobs, {
  [GdprJobs.GdprExport]: { queue: QueueName.Exports },
  [GdprJobs.GdprRetention]: {
    queue: QueueName.Maintenance,
    schedule: { pattern: '10 4 * * *', data: { trigger: 'schedule' } },
  },
});

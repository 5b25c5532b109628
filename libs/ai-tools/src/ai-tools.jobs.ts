import { defineJobs, QueueName, type TriggeredJob } from '@crescendo/platform';

/** An AI tool `operation` on `input`, the request body as validated by the API, run as a tracked job. */
export interface AiGeneratePayload {
  jobId: string;
  workspaceId: string;
  userId: string | null;
  /** The id of the request that queued it: the result's meta.requestId. */
  requestId: string;
  operation: string;
  input: Record<string, unknown>;
}

/** The AI tools' jobs. */
export const AiToolsJobs = {
  AiGenerate: 'ai.generate',
  ReleaseAbandonedAiQuota: 'maintenance.release-abandoned-ai-quota',
} as const;

declare module '@crescendo/platform' {
  interface JobPayloads {
    [AiToolsJobs.AiGenerate]: AiGeneratePayload;
    [AiToolsJobs.ReleaseAbandonedAiQuota]: TriggeredJob;
  }
}

defineJobs(AiToolsJobs, {
  [AiToolsJobs.AiGenerate]: { queue: QueueName.Ai },
  [AiToolsJobs.ReleaseAbandonedAiQuota]: {
    queue: QueueName.Maintenance,
    schedule: { pattern: '20 * * * *', data: { trigger: 'schedule' } },
  },
});

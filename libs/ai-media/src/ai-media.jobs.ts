import { defineJobs, QueueName } from '@crescendo/platform';

/** An AI media `operation` (image, voice, subtitles) on `input`, the validated request body, run as a tracked job. */
export interface AiMediaPayload {
  jobId: string;
  workspaceId: string;
  userId: string | null;
  operation: string;
  input: Record<string, unknown>;
}

/** The AI media jobs: long inputs, or Prefer: respond-async. */
export const AiMediaJobs = {
  AiMedia: 'ai.media',
} as const;

declare module '@crescendo/platform' {
  interface JobPayloads {
    [AiMediaJobs.AiMedia]: AiMediaPayload;
  }
}

defineJobs(AiMediaJobs, {
  [AiMediaJobs.AiMedia]: { queue: QueueName.Ai },
});

import type { TrackedJobName } from './jobs.types';

/** The tracked jobs' domain events: a job a person waits for (import, export, generation, composition…) ended. */
export const JobsEvents = {
  /** A tracked background job succeeded. */
  JobCompleted: 'job.completed',
  /** A tracked background job failed for good (no attempt left). */
  JobFailed: 'job.failed',
} as const;

/** Which job ended: its tracked id and queue name, and the agent when it was an agent run (agents skip their own). */
export interface JobEndedData {
  jobId: string;
  name: TrackedJobName;
  agentId?: string;
}

export interface JobFailedData extends JobEndedData {
  code: string;
  message: string;
}

declare module '@crescendo/platform' {
  interface DomainEventPayloads {
    [JobsEvents.JobCompleted]: JobEndedData;
    [JobsEvents.JobFailed]: JobFailedData;
  }
}

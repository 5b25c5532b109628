import type { JobName, JobPayloads } from '@crescendo/platform';

export enum JobStatus {
  Pending = 'PENDING',
  Processing = 'PROCESSING',
  Completed = 'COMPLETED',
  Failed = 'FAILED',
  /** Stopped at its user's request (POST …/cancel): not retried. */
  Cancelled = 'CANCELLED',
}

/** A job in one of these states will not change any more. */
export const finishedJobStatuses: readonly JobStatus[] = [JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled];

export const jobStatuses = Object.values(JobStatus);

export interface JobFile {
  /** File name inside the job's folder, as offered for download. */
  name: string;
  contentType: string;
  size: number;
}

export interface JobListFilters {
  userId: string | null;
  /** Job names to list (a feature lists its own). */
  names: readonly string[];
  status?: JobStatus;
}

/** Anything that runs SQL on a transaction's connection: a pg client, a TypeORM EntityManager or QueryRunner. */
export interface SqlExecutor {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Payload fields every tracked job carries: the record to report on, and the tenant. */
export interface TrackedJobData {
  jobId: string;
  workspaceId: string;
}

/** The jobs a person follows (their payloads carry a job record's id): imports, exports, generations, agent runs. */
export type TrackedJobName = { [N in JobName]: JobPayloads[N] extends TrackedJobData ? N : never }[JobName];

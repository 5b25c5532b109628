export enum JobStatus {
  Pending = 'PENDING',
  Processing = 'PROCESSING',
  Completed = 'COMPLETED',
  Failed = 'FAILED',
}

export const jobStatuses = Object.values(JobStatus);

export interface JobFile {
  /** File name inside the job's folder, as offered for download. */
  name: string;
  contentType: string;
  size: number;
}

import { Injectable } from '@nestjs/common';
import { AppConfig, OnJob } from '@crescendo/platform';
import { JobTrackerService } from './job-tracker.service';
import { TrackedJobsJobs } from './jobs.jobs';

/** Deletes finished jobs, and the files they produced, past JOB_FILES_RETENTION_DAYS. */
@Injectable()
export class JobsRetentionHandler {
  constructor(
    private readonly tracker: JobTrackerService,
    private readonly config: AppConfig,
  ) {}

  @OnJob(TrackedJobsJobs.PurgeFinishedJobs)
  async purgeFinishedJobs(): Promise<{ deleted: number }> {
    return { deleted: await this.tracker.purgeFinished(this.config.env.JOB_FILES_RETENTION_DAYS) };
  }
}

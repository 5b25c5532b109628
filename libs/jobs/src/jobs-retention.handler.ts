import { Injectable } from '@nestjs/common';
import { AppConfig, JobName, OnJob } from '@crescendo/platform';
import { JobTrackerService } from './job-tracker.service';

/** Deletes finished jobs, and the files they produced, past JOB_FILES_RETENTION_DAYS. */
@Injectable()
export class JobsRetentionHandler {
  constructor(
    private readonly tracker: JobTrackerService,
    private readonly config: AppConfig,
  ) {}

  @OnJob(JobName.PurgeFinishedJobs)
  async purgeFinishedJobs(): Promise<{ deleted: number }> {
    return { deleted: await this.tracker.purgeFinished(this.config.env.JOB_FILES_RETENTION_DAYS) };
  }
}

import { Injectable } from '@nestjs/common';
import { JobName, JobPayloads, OnJob } from '@crescendo/platform';
import { CleanupResult, CleanupService } from '../cleanup/cleanup.service';

/** The daily cleanup, as a job: same work as GET /api/cron/cleanup. */
@Injectable()
export class CleanupHandler {
  constructor(private readonly cleanup: CleanupService) {}

  @OnJob(JobName.Cleanup)
  handleCleanup(_data: JobPayloads[JobName.Cleanup]): Promise<CleanupResult> {
    return this.cleanup.run();
  }
}

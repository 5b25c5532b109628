import { Injectable } from '@nestjs/common';
import { OnJob, type TriggeredJob } from '@crescendo/platform';
import { CleanupResult, CleanupService } from '../cleanup/cleanup.service';
import { OperationsJobs } from '../operations.jobs';

/** The daily cleanup, as a job: same work as GET /api/cron/cleanup. */
@Injectable()
export class CleanupHandler {
  constructor(private readonly cleanup: CleanupService) {}

  @OnJob(OperationsJobs.Cleanup)
  handleCleanup(_data: TriggeredJob): Promise<CleanupResult> {
    return this.cleanup.run();
  }
}

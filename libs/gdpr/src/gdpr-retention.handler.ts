import { Injectable } from '@nestjs/common';
import { OnJob, type TriggeredJob } from '@crescendo/platform';
import { RetentionService } from './retention.service';
import { GdprJobs } from './gdpr.jobs';

/** The nightly retention pass (worker side). */
@Injectable()
export class GdprRetentionHandler {
  constructor(private readonly retention: RetentionService) {}

  @OnJob(GdprJobs.GdprRetention)
  applyRetention(_data: TriggeredJob): Promise<Record<string, unknown>> {
    return this.retention.applyAll();
  }
}

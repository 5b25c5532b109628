import { Injectable } from '@nestjs/common';
import { JobName, JobPayloads, OnJob } from '@crescendo/platform';
import { RetentionService } from './retention.service';

/** The nightly retention pass (worker side). */
@Injectable()
export class GdprRetentionHandler {
  constructor(private readonly retention: RetentionService) {}

  @OnJob(JobName.GdprRetention)
  applyRetention(_data: JobPayloads[JobName.GdprRetention]): Promise<Record<string, unknown>> {
    return this.retention.applyAll();
  }
}

import { Injectable } from '@nestjs/common';
import { OnJob } from '@crescendo/platform';
import { AiQuotaService } from './ai-quota.service';
import { AiToolsJobs } from './ai-tools.jobs';

/** Hourly: quota units held by generation jobs that ended without settling them go back (see releaseAbandoned). */
@Injectable()
export class AiQuotaSweepHandler {
  constructor(private readonly quota: AiQuotaService) {}

  @OnJob(AiToolsJobs.ReleaseAbandonedAiQuota)
  releaseAbandonedAiQuota(): Promise<{ released: number; settled: number }> {
    return this.quota.releaseAbandoned();
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { OnJob } from '@crescendo/platform';
import { type RefreshResult, RollupService } from './rollup.service';
import { AnalyticsJobs, RefreshAnalyticsRollupPayload } from './analytics.jobs';

/** Worker side of the rollups: one workspace on request, and every built one on a schedule. */
@Injectable()
export class RollupJobsHandler {
  private readonly logger = new Logger(RollupJobsHandler.name);

  constructor(private readonly rollup: RollupService) {}

  @OnJob(AnalyticsJobs.RefreshAnalyticsRollup)
  refreshOne(data: RefreshAnalyticsRollupPayload): Promise<RefreshResult> {
    return this.rollup.refresh(data.workspaceId, { rebuild: data.rebuild });
  }

  /** Closes the days that ended and applies the changes since the last run, workspace by workspace. */
  @OnJob(AnalyticsJobs.RefreshAnalyticsRollups)
  async refreshAll(): Promise<{ workspaces: number; failed: number }> {
    const workspaces = await this.rollup.workspaces();
    let failed = 0;
    for (const workspaceId of workspaces) {
      try {
        await this.rollup.refresh(workspaceId);
      } catch (error) {
        failed += 1;
        this.logger.warn({ err: error, workspaceId }, 'Rollup refresh failed');
      }
    }
    return { workspaces: workspaces.length, failed };
  }
}

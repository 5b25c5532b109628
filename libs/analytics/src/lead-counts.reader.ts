import { Injectable, Logger } from '@nestjs/common';
import { type LocalDateWindow, QueueRegistry } from '@crescendo/platform';
import { type LeadCountRow, type LeadStatsDimension, type LeadStatsFilters, LeadStatsService } from '@crescendo/leads';
import { addDays } from './analytics-window';
import { LeadRollupService, ROLLUP_EPOCH } from './lead-rollup.service';
import { AnalyticsJobs } from './analytics.jobs';

const FAR_FUTURE = '9999-12-31';

/**
 * Lead counts as LeadStatsService.countCreated answers them, read from the daily rollup for the days it
 * holds and live for the rest (today, or everything while a workspace's rollup is not built yet).
 */
@Injectable()
export class LeadCountsReader {
  private readonly logger = new Logger(LeadCountsReader.name);

  constructor(
    private readonly leads: LeadStatsService,
    private readonly rollup: LeadRollupService,
    private readonly queues: QueueRegistry,
  ) {}

  /** `window` null: leads created ever. */
  async countCreated(
    workspaceId: string,
    window: LocalDateWindow | null,
    groupBy: LeadStatsDimension[],
    filters: LeadStatsFilters = {},
    timeZone?: string,
  ): Promise<LeadCountRow[]> {
    const state = await this.rollup.state(workspaceId);
    const zone = window?.timeZone ?? timeZone;
    if (!state || state.timeZone !== zone) {
      await this.requestBuild(workspaceId);
      return this.leads.countCreated(workspaceId, window, groupBy, filters);
    }
    const span = window ?? { from: ROLLUP_EPOCH, to: FAR_FUTURE, timeZone: state.timeZone };
    const held = span.to < state.builtThrough ? span.to : state.builtThrough;
    const liveFrom = span.from > state.builtThrough ? span.from : addDays(state.builtThrough, 1);
    const parts = await Promise.all([
      span.from <= held ? this.rollup.read(workspaceId, { ...span, to: held }, groupBy, filters) : [],
      liveFrom <= span.to ? this.leads.countCreated(workspaceId, { ...span, from: liveFrom }, groupBy, filters) : [],
    ]);
    return merge(parts.flat(), groupBy);
  }

  /** Asks the worker to build the workspace's rollup (at most one request per workspace every 10 minutes). */
  private async requestBuild(workspaceId: string): Promise<void> {
    const slot = Math.floor(Date.now() / 600_000);
    await this.queues
      .enqueue(
        AnalyticsJobs.RefreshAnalyticsRollup,
        { workspaceId, rebuild: false },
        { jobId: `rollup-${workspaceId}-${slot}` },
      )
      .catch((error: Error) => this.logger.warn(`rollup build not requested: ${error.message}`));
  }
}

function merge(rows: LeadCountRow[], groupBy: LeadStatsDimension[]): LeadCountRow[] {
  const byKey = new Map<string, LeadCountRow>();
  for (const row of rows) {
    const key = JSON.stringify(groupBy.map((d) => row[d] ?? null));
    const existing = byKey.get(key);
    if (existing) existing.count += row.count;
    else byKey.set(key, { ...row });
  }
  return [...byKey.values()];
}

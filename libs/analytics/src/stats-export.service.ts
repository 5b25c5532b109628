import { Injectable } from '@nestjs/common';
import { AnalyticsAnswers } from './analytics-answers.service';
import type { ExportView, StatsExportQueryDto } from './analytics.dto';
import { InsightsService } from './insights.service';
import { StatsService } from './stats.service';
import { statsCsv } from './stats-csv';
import type { AnalyticsScope } from './analytics-context.service';
import type { ResolvedWindows } from './analytics-window';

type Producer = (scope: AnalyticsScope, windows: ResolvedWindows, query: StatsExportQueryDto) => Promise<unknown>;

/** Every stats and analytics view as a CSV file: the same figures as the JSON routes, one row each. */
@Injectable()
export class StatsExportService {
  private readonly views: Record<ExportView, Producer>;

  constructor(
    private readonly answers: AnalyticsAnswers,
    stats: StatsService,
    insights: InsightsService,
  ) {
    this.views = {
      overview: (s, w) => stats.overview(s, w),
      leads: (s, w, q) => stats.leadStats(s, w, q),
      campaigns: (s, w, q) => stats.campaignStats(s, w, q),
      niches: (s, w) => stats.nicheStats(s, w),
      conversion: (s, w) => stats.conversion(s, w),
      revenue: (s, w) => insights.revenueReport(s, w),
      engagement: (s, w) => insights.engagement(s, w),
      performance: (s, w) => insights.performance(s, w),
    };
  }

  async csv(
    workspaceId: string,
    view: ExportView,
    query: StatsExportQueryDto,
  ): Promise<{ fileName: string; body: string }> {
    return this.answers.range(
      workspaceId,
      query,
      async (scope, windows) => ({
        fileName: `${view}-${windows.current.from}-${windows.current.to}.csv`,
        body: statsCsv(await this.views[view](scope, windows, query)),
      }),
      `stats/export/${view}`,
    );
  }
}

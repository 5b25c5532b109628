import { Injectable } from '@nestjs/common';
import { AiUsageService } from '@crescendo/ai';
import { CampaignStatsService } from '@crescendo/campaigns';
import { LeadStatsService } from '@crescendo/leads';
import { RevenueStatsService } from '@crescendo/subscribers';
import type { AnalyticsScope } from './analytics-context.service';
import { RollupReader } from './rollup.reader';
import type {
  AnalyticsOverviewDataDto,
  EngagementResponseDto,
  PerformanceResponseDto,
  RevenueResponseDto,
} from './analytics.dto';
import { daysOf, type ResolvedWindows } from './analytics-window';
import { metric, periodOf, rate, sum } from './metrics';
import { campaignRows, StatsService } from './stats.service';

/** Revenue sources the product knows of but cannot read on this instance. */
export const UNAVAILABLE_REVENUE_SOURCES = [
  { source: 'stripe', reason: 'Billing (Stripe payments) is not part of this instance yet' },
];

/** Platform ids (lower-case ASCII) sort the same by code unit as by locale, at a fraction of the cost. */
const codeUnitOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const byKey = <T>(rows: T[], key: (row: T) => string, value: (row: T) => number) => {
  const out: Record<string, number> = {};
  for (const row of rows) out[key(row)] = (out[key(row)] ?? 0) + value(row);
  return out;
};

/** The figures of /api/analytics/*: revenue, engagement, performance and the overview. */
@Injectable()
export class InsightsService {
  constructor(
    private readonly stats: StatsService,
    private readonly leads: LeadStatsService,
    private readonly rollups: RollupReader,
    private readonly campaigns: CampaignStatsService,
    private readonly revenue: RevenueStatsService,
    private readonly aiUsage: AiUsageService,
  ) {}

  async revenueReport(scope: AnalyticsScope, windows: ResolvedWindows): Promise<RevenueResponseDto> {
    const { workspaceId, currency } = scope;
    // Three narrow reads rather than one by day × platform × type × currency: the series (day × platform, in the
    // workspace currency: ≤ 5 rows a day), the types and the currencies (whole months from the monthly rollup).
    const [series, types, currencies, previousTotal] = await Promise.all([
      this.rollups.earnings(workspaceId, windows.current, ['day', 'platform'], { currency }),
      this.rollups.earnings(workspaceId, windows.current, ['type'], { currency }),
      this.rollups.earnings(workspaceId, windows.current, ['currency']),
      this.stats.netRevenue(scope, windows.previous),
    ]);
    const total = sum(series, (r) => r.amount);
    const days = daysOf(windows.current);
    const dayIndex = new Map(days.map((date, i) => [date, i]));
    const perDay = new Array<number>(days.length).fill(0);
    // Per source, one number per day of the period (the order of revenueByDay): a year by day and source as
    // rows of {date, source, revenue} was 100 kB to serialise, send and parse at every request.
    const perSourceDay: Record<string, number[]> = {};
    for (const source of [...new Set(series.map((r) => r.platform!))].sort(codeUnitOrder)) {
      perSourceDay[source] = new Array<number>(days.length).fill(0);
    }
    for (const r of series) {
      const i = dayIndex.get(r.day!)!;
      perDay[i] += r.amount;
      perSourceDay[r.platform!][i] += r.amount;
    }
    const change = total - previousTotal;
    return {
      totalRevenue: total,
      revenueByDay: days.map((date, i) => ({ date, revenue: perDay[i] })),
      revenueBySource: byKey(
        series,
        (r) => r.platform!,
        (r) => r.amount,
      ),
      revenueBySourceByDay: perSourceDay,
      growth: {
        percentage: previousTotal ? Math.round((change / Math.abs(previousTotal)) * 1000) / 10 : null,
        trend: change > 0 ? 'up' : change < 0 ? 'down' : 'stable',
      },
      currency,
      period: periodOf(windows),
      previousTotalRevenue: previousTotal,
      revenueByType: byKey(
        types,
        (r) => r.type!,
        (r) => r.amount,
      ),
      otherCurrencies: currencies
        .filter((r) => r.currency !== currency)
        .sort((a, b) => a.currency!.localeCompare(b.currency!))
        .map((r) => ({ currency: r.currency!, amount: r.amount })),
      unavailableSources: UNAVAILABLE_REVENUE_SOURCES,
    };
  }

  async engagement(scope: AnalyticsScope, windows: ResolvedWindows): Promise<EngagementResponseDto> {
    const { workspaceId } = scope;
    const [subsCur, subsPrev, eventsCur, eventsPrev, funnelCur, funnelPrev, aiCur, aiPrev] = await Promise.all([
      this.revenue.subscriberCounts(workspaceId, windows.current),
      this.revenue.subscriberCounts(workspaceId, windows.previous),
      this.rollups.eventCounts(workspaceId, windows.current, ['type']),
      this.rollups.eventCounts(workspaceId, windows.previous, ['type']),
      this.rollups.campaignFunnel(workspaceId, windows.current),
      this.rollups.campaignFunnel(workspaceId, windows.previous),
      this.aiUsage.totalsInWindow(workspaceId, windows.current),
      this.aiUsage.totalsInWindow(workspaceId, windows.previous),
    ]);
    const replied = (rows: typeof funnelCur) => sum(rows, (r) => r.replied);
    const contacted = (rows: typeof funnelCur) => sum(rows, (r) => r.contacted);
    return {
      period: periodOf(windows),
      subscribers: { new: metric(subsCur.new, subsPrev.new), active: subsCur.active },
      leadActivity: metric(
        sum(eventsCur, (r) => r.count),
        sum(eventsPrev, (r) => r.count),
      ),
      leadActivityByType: byKey(
        eventsCur,
        (r) => r.type!,
        (r) => r.count,
      ),
      campaignReplies: metric(replied(funnelCur), replied(funnelPrev)),
      replyRate: metric(
        rate(replied(funnelCur), contacted(funnelCur)),
        rate(replied(funnelPrev), contacted(funnelPrev)),
      ),
      aiRequests: metric(aiCur.requests, aiPrev.requests),
    };
  }

  async performance(scope: AnalyticsScope, windows: ResolvedWindows): Promise<PerformanceResponseDto> {
    const { workspaceId } = scope;
    const [leadsCur, leadsPrev, funnelCur, funnelPrev, aiCur, aiPrev] = await Promise.all([
      this.rollups.leadCounts(workspaceId, windows.current, ['status']),
      this.rollups.leadCounts(workspaceId, windows.previous, ['status']),
      this.rollups.campaignFunnel(workspaceId, windows.current),
      this.rollups.campaignFunnel(workspaceId, windows.previous),
      this.aiUsage.totalsInWindow(workspaceId, windows.current),
      this.aiUsage.totalsInWindow(workspaceId, windows.previous),
    ]);
    const leadRate = (rows: typeof leadsCur) =>
      rate(
        sum(
          rows.filter((r) => r.status === 'converted'),
          (r) => r.count,
        ),
        sum(rows, (r) => r.count),
      );
    const campaignRate = (rows: typeof funnelCur) =>
      rate(
        sum(rows, (r) => r.converted),
        sum(rows, (r) => r.enrolled),
      );
    const top = campaignRows(funnelCur, funnelPrev)
      .filter((r) => r.enrolled > 0)
      .sort((a, b) => b.converted - a.converted || b.enrolled - a.enrolled || a.name.localeCompare(b.name))
      .slice(0, 5);
    return {
      period: periodOf(windows),
      leadConversionRate: metric(leadRate(leadsCur), leadRate(leadsPrev)),
      campaignConversionRate: metric(campaignRate(funnelCur), campaignRate(funnelPrev)),
      topCampaigns: top,
      ai: {
        requests: metric(aiCur.requests, aiPrev.requests),
        costUsd: metric(aiCur.costUsd, aiPrev.costUsd),
        errorRate: metric(rate(aiCur.errors, aiCur.requests), rate(aiPrev.errors, aiPrev.requests)),
      },
    };
  }

  async overview(scope: AnalyticsScope, windows: ResolvedWindows): Promise<AnalyticsOverviewDataDto> {
    const [overview, leadsByDay, revenueByDay] = await Promise.all([
      this.stats.overview(scope, windows),
      this.rollups.leadCounts(scope.workspaceId, windows.current, ['day']),
      this.rollups.earnings(scope.workspaceId, windows.current, ['day'], { currency: scope.currency }),
    ]);
    const leads = new Map(leadsByDay.map((r) => [r.day, r.count]));
    const revenue = new Map(revenueByDay.map((r) => [r.day, r.amount]));
    return {
      ...overview,
      byDay: daysOf(windows.current).map((date) => ({
        date,
        leads: leads.get(date) ?? 0,
        revenue: revenue.get(date) ?? 0,
      })),
    };
  }
}

import { Injectable } from '@nestjs/common';
import type { LocalDateWindow } from '@crescendo/platform';
import { AiUsageService } from '@crescendo/ai';
import { campaignStatuses, type CampaignFunnelRow, CampaignStatsService } from '@crescendo/campaigns';
import { type LeadCountRow, LeadStatsService, leadStatuses } from '@crescendo/leads';
import { RevenueStatsService } from '@crescendo/subscribers';
import type { AnalyticsScope } from './analytics-context.service';
import { RollupReader } from './rollup.reader';
import type {
  BreakdownRowDto,
  CampaignPerformanceDto,
  StatsCampaignsQueryDto,
  StatsCampaignsResponseDto,
  StatsConversionResponseDto,
  FunnelStageDto,
  StatsLeadsQueryDto,
  StatsLeadsResponseDto,
  StatsNichesResponseDto,
  StatsNicheRowDto,
  StatsOverviewResponseDto,
  StatsPeriodResponseDto,
} from './analytics.dto';
import { type CalendarPeriod, daysOf, type ResolvedWindows } from './analytics-window';
import { metric, periodOf, rate, sum } from './metrics';

const countOf = (rows: LeadCountRow[], status?: string) =>
  sum(
    rows.filter((r) => status === undefined || r.status === status),
    (r) => r.count,
  );

/** Enrollment counts of campaign rows, stage by stage. */
const funnelTotals = (rows: CampaignFunnelRow[]) => ({
  enrolled: sum(rows, (r) => r.enrolled),
  contacted: sum(rows, (r) => r.contacted),
  replied: sum(rows, (r) => r.replied),
  converted: sum(rows, (r) => r.converted),
});

/** Funnel stages from counts, each with its rate from the stage before and from the first. */
export function funnelStages(stages: [string, number][]): FunnelStageDto[] {
  return stages.map(([stage, count], i) => ({
    stage,
    count,
    rateFromPrevious: i === 0 ? rate(count, count) : rate(count, stages[i - 1][1]),
    rateFromStart: rate(count, stages[0][1]),
  }));
}

/** Lead statuses in funnel order; lost is off the path. */
const leadFunnelOrder = ['new', 'contacted', 'qualified', 'converted'];

/**
 * The figures of /api/stats/*: each asks the owning feature's read interface (leads, campaigns,
 * subscribers, AI usage) for aggregates over the period and the previous equal period.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly leads: LeadStatsService,
    private readonly rollups: RollupReader,
    private readonly campaigns: CampaignStatsService,
    private readonly revenue: RevenueStatsService,
    private readonly aiUsage: AiUsageService,
  ) {}

  async overview(scope: AnalyticsScope, windows: ResolvedWindows): Promise<StatsOverviewResponseDto> {
    const { workspaceId } = scope;
    const { current, previous } = windows;
    const [
      leadsNow,
      leadsCur,
      leadsPrev,
      byStatus,
      funnelCur,
      funnelPrev,
      niches,
      revCur,
      revPrev,
      subsCur,
      subsPrev,
      aiCur,
      aiPrev,
    ] = await Promise.all([
      this.rollups.leadCounts(workspaceId, null, [], {}, scope.timeZone),
      this.rollups.leadCounts(workspaceId, current, ['status']),
      this.rollups.leadCounts(workspaceId, previous, ['status']),
      this.campaigns.countByStatus(workspaceId),
      this.rollups.campaignFunnel(workspaceId, current),
      this.rollups.campaignFunnel(workspaceId, previous),
      this.leads.niches(workspaceId),
      this.netRevenue(scope, current),
      this.netRevenue(scope, previous),
      this.revenue.subscriberCounts(workspaceId, current),
      this.revenue.subscriberCounts(workspaceId, previous),
      this.aiUsage.totalsInWindow(workspaceId, current),
      this.aiUsage.totalsInWindow(workspaceId, previous),
    ]);
    const newCur = countOf(leadsCur);
    const newPrev = countOf(leadsPrev);
    const convCur = countOf(leadsCur, 'converted');
    const convPrev = countOf(leadsPrev, 'converted');
    const enrolCur = funnelTotals(funnelCur);
    const enrolPrev = funnelTotals(funnelPrev);
    return {
      period: periodOf(windows),
      currency: scope.currency,
      leads: {
        total: countOf(leadsNow),
        new: metric(newCur, newPrev),
        converted: metric(convCur, convPrev),
        conversionRate: metric(rate(convCur, newCur), rate(convPrev, newPrev)),
      },
      campaigns: {
        total: sum(byStatus, (r) => r.count),
        active: sum(
          byStatus.filter((r) => r.status === 'active'),
          (r) => r.count,
        ),
        enrollments: metric(enrolCur.enrolled, enrolPrev.enrolled),
        conversions: metric(enrolCur.converted, enrolPrev.converted),
      },
      niches: niches.length,
      subscribers: { active: subsCur.active, new: metric(subsCur.new, subsPrev.new) },
      revenue: metric(revCur, revPrev),
      aiCostUsd: metric(aiCur.costUsd, aiPrev.costUsd),
    };
  }

  async period(
    scope: AnalyticsScope,
    windows: ResolvedWindows,
    calendarPeriod: CalendarPeriod,
  ): Promise<StatsPeriodResponseDto> {
    const [overview, byDay] = await Promise.all([
      this.overview(scope, windows),
      this.rollups.leadCounts(scope.workspaceId, windows.current, ['day']),
    ]);
    return { ...overview, calendarPeriod, leadsByDay: fillDays(windows.current, byDay) };
  }

  async leadStats(
    scope: AnalyticsScope,
    windows: ResolvedWindows,
    query: StatsLeadsQueryDto,
  ): Promise<StatsLeadsResponseDto> {
    const filters = { nicheId: query.nicheId, source: query.source };
    const { workspaceId } = scope;
    const dims = ['status', 'source', 'nicheId'] as const;
    const [cur, prev, byDay, niches] = await Promise.all([
      this.rollups.leadCounts(workspaceId, windows.current, [...dims], filters),
      this.rollups.leadCounts(workspaceId, windows.previous, [...dims], filters),
      this.rollups.leadCounts(workspaceId, windows.current, ['day'], filters),
      this.leads.niches(workspaceId),
    ]);
    const names = new Map(niches.map((n) => [n.id, n.name]));
    return {
      period: periodOf(windows),
      total: metric(countOf(cur), countOf(prev)),
      byStatus: breakdown(cur, prev, (r) => r.status ?? null, leadStatuses),
      bySource: breakdown(cur, prev, (r) => r.source ?? null),
      byNiche: breakdown(cur, prev, (r) => r.nicheId ?? null).map((row) => ({
        ...row,
        label: row.key ? (names.get(row.key) ?? null) : null,
      })),
      byDay: fillDays(windows.current, byDay),
    };
  }

  async campaignStats(
    scope: AnalyticsScope,
    windows: ResolvedWindows,
    query: StatsCampaignsQueryDto,
  ): Promise<StatsCampaignsResponseDto> {
    const filters = { campaignId: query.campaignId, nicheId: query.nicheId };
    const [byStatus, cur, prev] = await Promise.all([
      this.campaigns.countByStatus(scope.workspaceId),
      this.rollups.campaignFunnel(scope.workspaceId, windows.current, filters),
      this.rollups.campaignFunnel(scope.workspaceId, windows.previous, filters),
    ]);
    const t = funnelTotals(cur);
    const p = funnelTotals(prev);
    return {
      period: periodOf(windows),
      byStatus: campaignStatuses.map((status) => ({
        status,
        count: byStatus.find((r) => r.status === status)?.count ?? 0,
      })),
      totals: {
        enrolled: metric(t.enrolled, p.enrolled),
        contacted: metric(t.contacted, p.contacted),
        replied: metric(t.replied, p.replied),
        converted: metric(t.converted, p.converted),
        conversionRate: metric(rate(t.converted, t.enrolled), rate(p.converted, p.enrolled)),
      },
      campaigns: campaignRows(cur, prev),
    };
  }

  async nicheStats(scope: AnalyticsScope, windows: ResolvedWindows): Promise<StatsNichesResponseDto> {
    const [niches, cur, prev] = await Promise.all([
      this.leads.niches(scope.workspaceId),
      this.rollups.leadCounts(scope.workspaceId, windows.current, ['nicheId', 'status']),
      this.rollups.leadCounts(scope.workspaceId, windows.previous, ['nicheId']),
    ]);
    const row = (id: string | null, name: string | null): StatsNicheRowDto => {
      const mine = cur.filter((r) => (r.nicheId ?? null) === id);
      const leads = countOf(mine);
      const converted = countOf(mine, 'converted');
      return {
        id,
        name,
        leads,
        previousLeads: countOf(prev.filter((r) => (r.nicheId ?? null) === id)),
        converted,
        conversionRate: rate(converted, leads),
      };
    };
    const rows = niches.map((n) => row(n.id, n.name));
    const none = row(null, null);
    if (none.leads || none.previousLeads) rows.push(none);
    return { period: periodOf(windows), niches: rows };
  }

  async conversion(scope: AnalyticsScope, windows: ResolvedWindows): Promise<StatsConversionResponseDto> {
    const [cur, prev, funnelCur, funnelPrev] = await Promise.all([
      this.rollups.leadCounts(scope.workspaceId, windows.current, ['status']),
      this.rollups.leadCounts(scope.workspaceId, windows.previous, ['status']),
      this.rollups.campaignFunnel(scope.workspaceId, windows.current),
      this.rollups.campaignFunnel(scope.workspaceId, windows.previous),
    ]);
    const reached = (rows: LeadCountRow[], stage: string) =>
      stage === 'new'
        ? countOf(rows)
        : sum(
            rows.filter((r) => leadFunnelOrder.indexOf(r.status ?? '') >= leadFunnelOrder.indexOf(stage)),
            (r) => r.count,
          );
    const t = funnelTotals(funnelCur);
    const p = funnelTotals(funnelPrev);
    return {
      period: periodOf(windows),
      leadFunnel: funnelStages(leadFunnelOrder.map((stage) => [stage, reached(cur, stage)])),
      lost: countOf(cur, 'lost'),
      conversionRate: metric(
        rate(countOf(cur, 'converted'), countOf(cur)),
        rate(countOf(prev, 'converted'), countOf(prev)),
      ),
      campaignFunnel: funnelStages([
        ['enrolled', t.enrolled],
        ['contacted', t.contacted],
        ['replied', t.replied],
        ['converted', t.converted],
      ]),
      campaignConversionRate: metric(rate(t.converted, t.enrolled), rate(p.converted, p.enrolled)),
    };
  }

  /** Net earnings in the workspace currency over a window, minor units. */
  async netRevenue(scope: AnalyticsScope, window: LocalDateWindow): Promise<number> {
    const rows = await this.rollups.earnings(scope.workspaceId, window, [], { currency: scope.currency });
    return sum(rows, (r) => r.amount);
  }
}

/** Per-campaign rows of the period with the previous period's enrollments beside them. */
export function campaignRows(cur: CampaignFunnelRow[], prev: CampaignFunnelRow[]): CampaignPerformanceDto[] {
  const before = new Map(prev.map((r) => [r.id, r]));
  return cur.map((r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    type: r.type,
    currency: r.currency,
    enrolled: r.enrolled,
    contacted: r.contacted,
    replied: r.replied,
    converted: r.converted,
    conversionRate: rate(r.converted, r.enrolled),
    revenue: r.revenue,
    previousEnrolled: before.get(r.id)?.enrolled ?? 0,
    previousConverted: before.get(r.id)?.converted ?? 0,
  }));
}

/** Every day of the window with its count, zeros included. */
export function fillDays(window: LocalDateWindow, rows: LeadCountRow[]): { date: string; count: number }[] {
  const byDay = new Map(rows.map((r) => [r.day, r.count]));
  return daysOf(window).map((date) => ({ date, count: byDay.get(date) ?? 0 }));
}

/** Counts per key in both periods; `every` lists keys that always appear, else most first. */
function breakdown(
  cur: LeadCountRow[],
  prev: LeadCountRow[],
  key: (row: LeadCountRow) => string | null,
  every?: readonly string[],
): BreakdownRowDto[] {
  const totals = new Map<string | null, { current: number; previous: number }>();
  for (const k of every ?? []) totals.set(k, { current: 0, previous: 0 });
  const add = (rows: LeadCountRow[], field: 'current' | 'previous') => {
    for (const r of rows) {
      const k = key(r);
      const entry = totals.get(k) ?? { current: 0, previous: 0 };
      entry[field] += r.count;
      totals.set(k, entry);
    }
  };
  add(cur, 'current');
  add(prev, 'previous');
  const rows = [...totals].map(([k, v]) => ({ key: k, label: null, ...v }));
  if (every) return rows;
  return rows.sort(
    (a, b) => b.current - a.current || b.previous - a.previous || String(a.key).localeCompare(String(b.key)),
  );
}

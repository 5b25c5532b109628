import { Injectable } from '@nestjs/common';
import { AgentStatsService } from '@crescendo/agents';
import { CampaignStatsService } from '@crescendo/campaigns';
import { LeadStatsService } from '@crescendo/leads';
import { RevenueStatsService } from '@crescendo/subscribers';
import type { AnalyticsScope } from './analytics-context.service';
import type { AttributionResponseDto, AttributionRowDto } from './analytics.dto';
import type { ResolvedWindows } from './analytics-window';
import { attribute, type AttributionModel } from './attribution';
import { UNAVAILABLE_REVENUE_SOURCES } from './insights.service';
import { periodOf } from './metrics';

const NO_CAMPAIGN_COST = 'AI calls and spend are not linked to campaigns';
const OTHER_CURRENCY = (currency: string) => `revenue is in ${currency}, AI cost in USD; no exchange rates`;

/**
 * Revenue attribution: the period's earnings, through the subscribers' leads, to the campaigns those leads
 * were enrolled in and the agents that worked them, with the agents' AI cost beside it.
 */
@Injectable()
export class AttributionService {
  constructor(
    private readonly revenue: RevenueStatsService,
    private readonly campaigns: CampaignStatsService,
    private readonly leads: LeadStatsService,
    private readonly agents: AgentStatsService,
  ) {}

  async attribution(
    scope: AnalyticsScope,
    windows: ResolvedWindows,
    model: AttributionModel,
  ): Promise<AttributionResponseDto> {
    const { workspaceId } = scope;
    const [byLead, agentCosts] = await Promise.all([
      this.revenue.revenueByLead(workspaceId, windows.current, scope.currency),
      this.agents.costByAgent(workspaceId, windows.current),
    ]);
    const revenueByLead = new Map(byLead.filter((r) => r.leadId).map((r) => [r.leadId!, r.amount]));
    const leadIds = [...revenueByLead.keys()];
    const [enrollments, agentTouches] = await Promise.all([
      leadIds.length ? this.campaigns.enrollmentsOf(workspaceId, leadIds) : [],
      leadIds.length ? this.leads.agentTouches(workspaceId, leadIds) : [],
    ]);
    const total = byLead.reduce((sum, r) => sum + r.amount, 0);

    const campaignNames = new Map(enrollments.map((e) => [e.campaignId, e.name]));
    const byCampaign = attribute(
      revenueByLead,
      enrollments.map((e) => ({ leadId: e.leadId, targetId: e.campaignId, at: new Date(e.at) })),
      model,
    );
    const byAgent = attribute(
      revenueByLead,
      agentTouches.map((t) => ({ leadId: t.leadId, targetId: t.agentId, at: new Date(t.at) })),
      model,
    );
    const sumOf = (m: typeof byCampaign) => [...m.values()].reduce((s, v) => s + v.revenue, 0);
    const sameCurrency = scope.currency === 'USD';

    const campaigns: AttributionRowDto[] = [...byCampaign].map(([id, v]) => ({
      id,
      name: campaignNames.get(id) ?? '',
      revenue: Math.round(v.revenue),
      leads: v.leads.size,
      costUsd: null,
      roi: null,
      unavailableReason: NO_CAMPAIGN_COST,
    }));
    const agentNames = new Map(agentTouches.map((t) => [t.agentId, t.agentName]));
    const agentIds = new Set([...byAgent.keys(), ...agentCosts.filter((a) => a.runs > 0).map((a) => a.agentId)]);
    const agents: AttributionRowDto[] = [...agentIds].map((id) => {
      const cost = agentCosts.find((a) => a.agentId === id);
      const revenue = Math.round(byAgent.get(id)?.revenue ?? 0);
      const costUsd = cost ? cost.costUsd : 0;
      // Minor units to dollars for the ratio.
      const roi =
        sameCurrency && costUsd > 0 ? Math.round(((revenue / 100 - costUsd) / costUsd) * 10_000) / 10_000 : null;
      return {
        id,
        name: cost?.name ?? agentNames.get(id) ?? '',
        revenue,
        leads: byAgent.get(id)?.leads.size ?? 0,
        costUsd,
        roi,
        unavailableReason: sameCurrency
          ? costUsd > 0
            ? null
            : 'no AI cost in the period'
          : OTHER_CURRENCY(scope.currency),
      };
    });
    const order = (a: AttributionRowDto, b: AttributionRowDto) => b.revenue - a.revenue || a.name.localeCompare(b.name);
    return {
      period: periodOf(windows),
      model,
      currency: scope.currency,
      totalRevenue: total,
      unattributedToCampaigns: Math.round(total - sumOf(byCampaign)),
      unattributedToAgents: Math.round(total - sumOf(byAgent)),
      campaigns: campaigns.sort(order),
      agents: agents.sort(order),
      unavailableSources: UNAVAILABLE_REVENUE_SOURCES,
    };
  }
}

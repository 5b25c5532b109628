import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ATTRIBUTION_MODELS, type AttributionModel } from './attribution';
import { CALENDAR_PERIODS, type CalendarPeriod, ROLLING_PERIODS, type RollingPeriod } from './analytics-window';

const money = 'minor units (cents) of `currency`';

/** A date range: a rolling period ending today, or explicit local days. */
export class AnalyticsRangeQueryDto {
  @ApiPropertyOptional({
    enum: ROLLING_PERIODS,
    default: '30d',
    description: 'Rolling window ending today in the workspace time zone; ignored when startDate/endDate are given',
  })
  // Checked when the range is resolved: the 400 names the allowed values in its message.
  @IsOptional()
  @IsString()
  period?: RollingPeriod;

  @ApiPropertyOptional({
    example: '2026-11-01',
    description: 'First day (YYYY-MM-DD, workspace time zone); with endDate, replaces period',
  })
  @IsOptional()
  @IsString()
  startDate?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last day, included (YYYY-MM-DD); at most 731 days' })
  @IsOptional()
  @IsString()
  endDate?: string;
}

export class StatsLeadsQueryDto extends AnalyticsRangeQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only leads of this niche' })
  @IsOptional()
  @IsUUID()
  nicheId?: string;

  @ApiPropertyOptional({ example: 'webhook', description: 'Only leads from this source' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  source?: string;
}

export class StatsCampaignsQueryDto extends AnalyticsRangeQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this campaign' })
  @IsOptional()
  @IsUUID()
  campaignId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only campaigns targeting this niche' })
  @IsOptional()
  @IsUUID()
  nicheId?: string;
}

export class CalendarPeriodParamDto {
  @ApiProperty({ enum: CALENDAR_PERIODS, description: 'Calendar period containing today, to date' })
  @IsString()
  period: CalendarPeriod;
}

export class AnalyticsPeriodDto {
  @ApiProperty({ example: '2026-11-01', description: 'First day (workspace time zone)' }) from: string;
  @ApiProperty({ example: '2026-11-30', description: 'Last day, included' }) to: string;
  @ApiProperty({ example: 'Europe/Paris', description: 'The workspace time zone the days are cut in' })
  timeZone: string;
  @ApiProperty({ example: '2026-10-02', description: 'First day of the previous equal period' }) previousFrom: string;
  @ApiProperty({ example: '2026-10-31', description: 'Last day of the previous equal period' }) previousTo: string;
}

/** A figure over the period beside the same figure over the previous equal period. */
export class MetricDto {
  @ApiProperty({ type: Number, nullable: true, description: 'Over the period; null when undefined or unavailable' })
  current: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Over the previous equal period' })
  previous: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'current − previous' })
  change: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'change / previous × 100, one decimal; null when previous is 0 or null',
  })
  changePercent: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the figure is null when its source does not exist (yet); null otherwise',
  })
  unavailableReason: string | null;
}

export class DayCountDto {
  @ApiProperty({ example: '2026-11-05' }) date: string;
  @ApiProperty() count: number;
}

export class BreakdownRowDto {
  @ApiProperty({ type: String, nullable: true, description: 'Status, source or niche id; null: none set' })
  key: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Human name (niche name), when the key is an id' })
  label: string | null;
  @ApiProperty() current: number;
  @ApiProperty() previous: number;
}

export class LeadsOverviewDto {
  @ApiProperty({ description: 'Live leads of the workspace now (any creation date)' }) total: number;
  @ApiProperty({ type: MetricDto, description: 'Leads created in the period' }) new: MetricDto;
  @ApiProperty({ type: MetricDto, description: 'Of those, leads whose status is now converted' }) converted: MetricDto;
  @ApiProperty({ type: MetricDto, description: 'converted / new (0..1); null without new leads' })
  conversionRate: MetricDto;
}

export class CampaignsOverviewDto {
  @ApiProperty() total: number;
  @ApiProperty({ description: 'Campaigns in status active now' }) active: number;
  @ApiProperty({ type: MetricDto, description: 'Leads enrolled in a campaign during the period' })
  enrollments: MetricDto;
  @ApiProperty({ type: MetricDto, description: 'Of those enrollments, how many reached converted' })
  conversions: MetricDto;
}

export class SubscribersOverviewDto {
  @ApiProperty({ description: 'Subscribers in status active now' }) active: number;
  @ApiProperty({ type: MetricDto, description: 'Subscribers whose subscription started in the period' })
  new: MetricDto;
}

export class StatsOverviewResponseDto {
  @ApiProperty({ type: AnalyticsPeriodDto }) period: AnalyticsPeriodDto;
  @ApiProperty({ example: 'EUR', description: 'The workspace currency (general settings): revenue figures use it' })
  currency: string;
  @ApiProperty({ type: LeadsOverviewDto }) leads: LeadsOverviewDto;
  @ApiProperty({ type: CampaignsOverviewDto }) campaigns: CampaignsOverviewDto;
  @ApiProperty({ example: 5, description: 'Niches of the workspace' }) niches: number;
  @ApiProperty({ type: SubscribersOverviewDto }) subscribers: SubscribersOverviewDto;
  @ApiProperty({
    type: MetricDto,
    description: `Net earnings (refunds subtracted) in the workspace currency, ${money}`,
  })
  revenue: MetricDto;
  @ApiProperty({ type: MetricDto, description: 'AI spend from the usage ledger, US dollars' })
  aiCostUsd: MetricDto;
}

export class StatsPeriodResponseDto extends StatsOverviewResponseDto {
  @ApiProperty({ enum: CALENDAR_PERIODS, description: 'The calendar period, from its first day to today' })
  calendarPeriod: CalendarPeriod;
  @ApiProperty({ type: [DayCountDto], description: 'Leads created per day of the period' })
  leadsByDay: DayCountDto[];
}

export class StatsLeadsResponseDto {
  @ApiProperty({ type: AnalyticsPeriodDto }) period: AnalyticsPeriodDto;
  @ApiProperty({ type: MetricDto, description: 'Leads created in the period (matching the filters)' })
  total: MetricDto;
  @ApiProperty({ type: [BreakdownRowDto], description: 'By current status; every status listed' })
  byStatus: BreakdownRowDto[];
  @ApiProperty({ type: [BreakdownRowDto], description: 'By source, most first' }) bySource: BreakdownRowDto[];
  @ApiProperty({ type: [BreakdownRowDto], description: 'By niche (key: niche id, label: its name), most first' })
  byNiche: BreakdownRowDto[];
  @ApiProperty({ type: [DayCountDto], description: 'Every day of the period, zeros included' })
  byDay: DayCountDto[];
}

export class StatusCountDto {
  @ApiProperty({ example: 'active' }) status: string;
  @ApiProperty() count: number;
}

export class CampaignPerformanceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'active' }) status: string;
  @ApiProperty({ example: 'email' }) type: string;
  @ApiProperty({ type: String, nullable: true, example: 'EUR', description: 'Currency of revenue' })
  currency: string | null;
  @ApiProperty({ description: 'Leads enrolled during the period' }) enrolled: number;
  @ApiProperty({ description: 'Of those, reached contacted (so far)' }) contacted: number;
  @ApiProperty({ description: 'Of those, replied' }) replied: number;
  @ApiProperty({ description: 'Of those, converted' }) converted: number;
  @ApiProperty({ type: Number, nullable: true, description: 'converted / enrolled; null without enrollments' })
  conversionRate: number | null;
  @ApiProperty({ description: `Revenue attributed to those enrollments, ${money}` }) revenue: number;
  @ApiProperty({ description: 'Enrolled during the previous equal period' }) previousEnrolled: number;
  @ApiProperty({ description: 'Of those, converted' }) previousConverted: number;
}

export class CampaignTotalsDto {
  @ApiProperty({ type: MetricDto }) enrolled: MetricDto;
  @ApiProperty({ type: MetricDto }) contacted: MetricDto;
  @ApiProperty({ type: MetricDto }) replied: MetricDto;
  @ApiProperty({ type: MetricDto }) converted: MetricDto;
  @ApiProperty({ type: MetricDto, description: 'converted / enrolled' }) conversionRate: MetricDto;
}

export class StatsCampaignsResponseDto {
  @ApiProperty({ type: AnalyticsPeriodDto }) period: AnalyticsPeriodDto;
  @ApiProperty({ type: [StatusCountDto], description: 'Campaigns per status now; every status listed' })
  byStatus: StatusCountDto[];
  @ApiProperty({ type: CampaignTotalsDto, description: 'Enrollments of the period across the listed campaigns' })
  totals: CampaignTotalsDto;
  @ApiProperty({ type: [CampaignPerformanceDto], description: 'By name' }) campaigns: CampaignPerformanceDto[];
}

export class StatsNicheRowDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null: leads without a niche' })
  id: string | null;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ description: 'Leads created in the period' }) leads: number;
  @ApiProperty({ description: 'Leads created in the previous equal period' }) previousLeads: number;
  @ApiProperty({ description: 'Of the period’s leads, now converted' }) converted: number;
  @ApiProperty({ type: Number, nullable: true, description: 'converted / leads; null without leads' })
  conversionRate: number | null;
}

export class StatsNichesResponseDto {
  @ApiProperty({ type: AnalyticsPeriodDto }) period: AnalyticsPeriodDto;
  @ApiProperty({
    type: [StatsNicheRowDto],
    description: 'Every niche (zeros included) by name, then a row for leads without niche when there are any',
  })
  niches: StatsNicheRowDto[];
}

export class FunnelStageDto {
  @ApiProperty({ example: 'contacted' }) stage: string;
  @ApiProperty() count: number;
  @ApiProperty({ type: Number, nullable: true, description: 'count / the previous stage’s count (0..1)' })
  rateFromPrevious: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'count / the first stage’s count (0..1)' })
  rateFromStart: number | null;
}

export class StatsConversionResponseDto {
  @ApiProperty({ type: AnalyticsPeriodDto }) period: AnalyticsPeriodDto;
  @ApiProperty({
    type: [FunnelStageDto],
    description:
      'Leads created in the period by how far their current status goes: new (all), contacted (contacted, ' +
      'qualified or converted), qualified (qualified or converted), converted. Lost leads count only in new.',
  })
  leadFunnel: FunnelStageDto[];
  @ApiProperty({ description: 'Leads of the period now lost' }) lost: number;
  @ApiProperty({ type: MetricDto, description: 'converted / new leads' }) conversionRate: MetricDto;
  @ApiProperty({
    type: [FunnelStageDto],
    description:
      'Enrollments of the period (all campaigns) by the furthest stage reached: enrolled, contacted, replied, converted',
  })
  campaignFunnel: FunnelStageDto[];
  @ApiProperty({ type: MetricDto, description: 'converted / enrolled' }) campaignConversionRate: MetricDto;
}

export class AmountByCurrencyDto {
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ description: 'minor units of currency' }) amount: number;
}

export class UnavailableSourceDto {
  @ApiProperty({ example: 'stripe' }) source: string;
  @ApiProperty({ example: 'Billing (Stripe payments) is not part of this instance yet' }) reason: string;
}

export class RevenueDayDto {
  @ApiProperty({ example: '2026-11-05' }) date: string;
  @ApiProperty({ description: money }) revenue: number;
}

export class GrowthDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 12.5,
    description: 'Change against the previous equal period, percent, one decimal; null when it had no revenue',
  })
  percentage: number | null;
  @ApiProperty({ enum: ['up', 'down', 'stable'] }) trend: 'up' | 'down' | 'stable';
}

export class RevenueResponseDto {
  @ApiProperty({ description: `Net earnings of the period in the workspace currency, ${money}` })
  totalRevenue: number;
  @ApiProperty({ type: [RevenueDayDto], description: 'Every day of the period, zeros included' })
  revenueByDay: RevenueDayDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { onlyfans: 120000, patreon: 4500 },
    description: 'By source: the platform of the subscriber who paid (unknown: deleted subscriber)',
  })
  revenueBySource: Record<string, number>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'number' } },
    example: { onlyfans: [1200, 0, 3500], patreon: [0, 450, 0] },
    description:
      'Revenue over time by source: per source of revenueBySource (sorted), the revenue of each day of ' +
      `revenueByDay, in the same order, ${money}`,
  })
  revenueBySourceByDay: Record<string, number[]>;
  @ApiProperty({ type: GrowthDto }) growth: GrowthDto;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ type: AnalyticsPeriodDto }) period: AnalyticsPeriodDto;
  @ApiProperty({ description: `The previous equal period’s net earnings, ${money}` }) previousTotalRevenue: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { subscription: 100000, tip: 25000, refund: -500 },
    description: 'By earning type (refunds negative)',
  })
  revenueByType: Record<string, number>;
  @ApiProperty({
    type: [AmountByCurrencyDto],
    description: 'Earnings of the period in other currencies: not converted, not in the totals',
  })
  otherCurrencies: AmountByCurrencyDto[];
  @ApiProperty({ type: [UnavailableSourceDto], description: 'Revenue sources this instance cannot read yet' })
  unavailableSources: UnavailableSourceDto[];
}

export class EngagementSubscribersDto {
  @ApiProperty({ type: MetricDto, description: 'Subscriptions started in the period' }) new: MetricDto;
  @ApiProperty({ description: 'Active subscribers now' }) active: number;
}

export class EngagementResponseDto {
  @ApiProperty({ type: AnalyticsPeriodDto }) period: AnalyticsPeriodDto;
  @ApiProperty({ type: EngagementSubscribersDto }) subscribers: EngagementSubscribersDto;
  @ApiProperty({ type: MetricDto, description: 'Entries written on live leads’ timelines in the period' })
  leadActivity: MetricDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { status_changed: 12, enrolled: 30 },
    description: 'The period’s timeline entries by type',
  })
  leadActivityByType: Record<string, number>;
  @ApiProperty({ type: MetricDto, description: 'Enrollments of the period that replied' }) campaignReplies: MetricDto;
  @ApiProperty({ type: MetricDto, description: 'replied / contacted among the period’s enrollments' })
  replyRate: MetricDto;
  @ApiProperty({ type: MetricDto, description: 'AI calls made in the period' }) aiRequests: MetricDto;
}

export class AiPerformanceDto {
  @ApiProperty({ type: MetricDto }) requests: MetricDto;
  @ApiProperty({ type: MetricDto, description: 'US dollars' }) costUsd: MetricDto;
  @ApiProperty({ type: MetricDto, description: 'Failed calls / calls (0..1)' }) errorRate: MetricDto;
}

export class PerformanceResponseDto {
  @ApiProperty({ type: AnalyticsPeriodDto }) period: AnalyticsPeriodDto;
  @ApiProperty({ type: MetricDto, description: 'Leads of the period now converted / leads of the period' })
  leadConversionRate: MetricDto;
  @ApiProperty({ type: MetricDto, description: 'Converted / enrolled among the period’s enrollments' })
  campaignConversionRate: MetricDto;
  @ApiProperty({
    type: [CampaignPerformanceDto],
    description: 'Up to 5 campaigns with the most conversions in the period (then most enrollments, then name)',
  })
  topCampaigns: CampaignPerformanceDto[];
  @ApiProperty({ type: AiPerformanceDto }) ai: AiPerformanceDto;
}

export class RevenueDayCountDto {
  @ApiProperty({ example: '2026-11-05' }) date: string;
  @ApiProperty() leads: number;
  @ApiProperty({ description: money }) revenue: number;
}

export class AnalyticsOverviewDataDto extends StatsOverviewResponseDto {
  @ApiProperty({ type: [RevenueDayCountDto], description: 'Leads created and net revenue per day of the period' })
  byDay: RevenueDayCountDto[];
}

export class AnalyticsOverviewResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: AnalyticsOverviewDataDto }) data: AnalyticsOverviewDataDto;
}

export class RollupRebuildResponseDto {
  @ApiProperty({
    example: '2026-11-06',
    description: 'Last day the rollup now holds (yesterday); later days are read live',
  })
  builtThrough: string;
  @ApiProperty({ example: 'Europe/Paris', description: 'The time zone the days were cut in' }) timeZone: string;
}

export const EXPORT_VIEWS = [
  'overview',
  'leads',
  'campaigns',
  'niches',
  'conversion',
  'revenue',
  'engagement',
  'performance',
] as const;
export type ExportView = (typeof EXPORT_VIEWS)[number];

export class StatsExportParamDto {
  @ApiProperty({ enum: EXPORT_VIEWS, description: 'The stats or analytics view to export' })
  @IsIn(EXPORT_VIEWS)
  view: ExportView;
}

export class StatsExportQueryDto extends StatsLeadsQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'campaigns view: only this campaign' })
  @IsOptional()
  @IsUUID()
  campaignId?: string;
}

export class AttributionQueryDto extends AnalyticsRangeQueryDto {
  @ApiPropertyOptional({
    enum: ATTRIBUTION_MODELS,
    default: 'linear',
    description:
      'first_touch: all of a lead’s revenue to the first campaign (agent) that touched it; last_touch: to the ' +
      'last; linear: equal parts to each',
  })
  @IsOptional()
  @IsIn(ATTRIBUTION_MODELS)
  model?: AttributionModel;
}

export class AttributionRowDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: `Revenue attributed under the model, ${money} (rounded)` }) revenue: number;
  @ApiProperty({ description: 'Paying leads it touched' }) leads: number;
  @ApiProperty({ type: Number, nullable: true, description: 'AI cost in the period, US dollars; null if unknown' })
  costUsd: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: '(revenue − cost) / cost; null when there is no cost or revenue and cost differ in currency',
  })
  roi: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why cost or ROI is null' })
  unavailableReason: string | null;
}

export class AttributionResponseDto {
  @ApiProperty({ type: AnalyticsPeriodDto }) period: AnalyticsPeriodDto;
  @ApiProperty({ enum: ATTRIBUTION_MODELS }) model: AttributionModel;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ description: `Net earnings of the period in the workspace currency, ${money}` })
  totalRevenue: number;
  @ApiProperty({
    description: 'Earnings of subscribers linked to no lead, or whose lead no campaign touched',
  })
  unattributedToCampaigns: number;
  @ApiProperty({ description: 'Earnings whose lead no agent worked' }) unattributedToAgents: number;
  @ApiProperty({ type: [AttributionRowDto], description: 'Campaigns that earned something, most first' })
  campaigns: AttributionRowDto[];
  @ApiProperty({ type: [AttributionRowDto], description: 'Every agent with revenue or AI cost, most revenue first' })
  agents: AttributionRowDto[];
  @ApiProperty({ type: [UnavailableSourceDto], description: 'Revenue sources this instance cannot read yet' })
  unavailableSources: UnavailableSourceDto[];
}

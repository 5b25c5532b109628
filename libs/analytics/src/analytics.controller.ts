import { Controller, UseInterceptors, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, CurrentPrincipal, Permission, Principal, RequirePermissions } from '@crescendo/platform';
import { ANSWER_FRESHNESS, AnalyticsAnswers } from './analytics-answers.service';
import { KeptJsonInterceptor } from './kept-json.interceptor';
import {
  AnalyticsOverviewResponseDto,
  AnalyticsRangeQueryDto,
  EngagementResponseDto,
  PerformanceResponseDto,
  RevenueResponseDto,
  RollupRebuildResponseDto,
  AttributionQueryDto,
  AttributionResponseDto,
} from './analytics.dto';
import { AttributionService } from './attribution.service';
import { RollupService } from './rollup.service';
import { InsightsService } from './insights.service';

const RANGE =
  '`period` (7d, 30d, 90d, 1y; default 30d) ends today in the workspace time zone, or `startDate`/`endDate` ' +
  'give the days; the previous equal period is beside each figure. 400 for an unknown period (naming the ' +
  'allowed values) or a bad range.' +
  ANSWER_FRESHNESS;

@ApiTags('analytics')
@Controller('analytics')
@UseInterceptors(KeptJsonInterceptor)
@RequirePermissions(Permission.AnalyticsRead)
export class AnalyticsController {
  constructor(
    private readonly answers: AnalyticsAnswers,
    private readonly insights: InsightsService,
    private readonly rollup: RollupService,
    private readonly attributions: AttributionService,
  ) {}

  @Get('attribution')
  @ApiOperation({
    summary: 'Revenue attribution: revenue, AI cost and ROI per campaign and per agent',
    description:
      `${RANGE} The period's earnings (workspace currency) reach a lead through its subscriber's lead link, then ` +
      'the campaigns the lead was enrolled in and the agents that acted on it, shared by `model`. Agents carry ' +
      'the AI cost of their runs in the period; ROI needs the workspace currency to be USD.',
  })
  @ApiOkResponse({ type: AttributionResponseDto })
  @ApiErrors(400)
  async analyticsAttribution(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AttributionQueryDto,
  ): Promise<AttributionResponseDto> {
    return this.answers.range(principal.workspaceId, query, (scope, windows) =>
      this.attributions.attribution(scope, windows, query.model ?? 'linear'),
    );
  }

  @Post('rollups/rebuild')
  @HttpCode(200)
  @RequirePermissions(Permission.SettingsWrite)
  @ApiOperation({
    summary: 'Recompute the workspace’s daily rollups from the raw data',
    description:
      'Stats read closed days from rollups the worker keeps up to date (every 5 minutes: closed days, and the days ' +
      'of leads changed since); this recomputes them all now, e.g. after data was changed outside the API.',
  })
  @ApiOkResponse({ type: RollupRebuildResponseDto })
  async rebuildAnalyticsRollups(@CurrentPrincipal() principal: Principal): Promise<RollupRebuildResponseDto> {
    const result = await this.rollup.refresh(principal.workspaceId, { rebuild: true });
    const state = await this.rollup.state(principal.workspaceId);
    return { builtThrough: result.builtThrough, timeZone: state!.timeZone };
  }

  @Get('overview')
  @ApiOperation({
    summary: 'Dashboard overview: key figures with deltas and leads/revenue per day',
    description: RANGE,
  })
  @ApiOkResponse({ type: AnalyticsOverviewResponseDto })
  @ApiErrors(400)
  async analyticsOverview(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AnalyticsRangeQueryDto,
  ): Promise<AnalyticsOverviewResponseDto> {
    return this.answers.range(
      principal.workspaceId,
      query,
      async (scope, windows) => ({
        success: true,
        data: await this.insights.overview(scope, windows),
      }),
      'analytics/overview',
    );
  }

  @Get('revenue')
  @ApiOperation({
    summary: 'Revenue of the period: total, per day, per source and type, growth against the previous period',
    description:
      `${RANGE} Revenue is the earnings ledger (subscriptions, tips, messages, pay-per-view, minus refunds) in ` +
      'the workspace currency, in minor units; earnings in other currencies are listed apart, unconverted. ' +
      'Stripe payments are listed in unavailableSources until billing exists.',
  })
  @ApiOkResponse({ type: RevenueResponseDto })
  @ApiErrors(400)
  async analyticsRevenue(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AnalyticsRangeQueryDto,
  ): Promise<RevenueResponseDto> {
    return this.answers.range(
      principal.workspaceId,
      query,
      (scope, windows) => this.insights.revenueReport(scope, windows),
      'analytics/revenue',
    );
  }

  @Get('engagement')
  @ApiOperation({
    summary: 'Engagement: new and active subscribers, lead activity, campaign replies, AI calls',
    description: RANGE,
  })
  @ApiOkResponse({ type: EngagementResponseDto })
  @ApiErrors(400)
  async analyticsEngagement(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AnalyticsRangeQueryDto,
  ): Promise<EngagementResponseDto> {
    return this.answers.range(
      principal.workspaceId,
      query,
      (scope, windows) => this.insights.engagement(scope, windows),
      'analytics/engagement',
    );
  }

  @Get('performance')
  @ApiOperation({
    summary: 'Performance: conversion rates, top campaigns, AI spend and error rate',
    description: RANGE,
  })
  @ApiOkResponse({ type: PerformanceResponseDto })
  @ApiErrors(400)
  async analyticsPerformance(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AnalyticsRangeQueryDto,
  ): Promise<PerformanceResponseDto> {
    return this.answers.range(
      principal.workspaceId,
      query,
      (scope, windows) => this.insights.performance(scope, windows),
      'analytics/performance',
    );
  }
}

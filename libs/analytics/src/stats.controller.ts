import { Controller, UseInterceptors, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, CurrentPrincipal, Permission, Principal, RequirePermissions } from '@crescendo/platform';
import { ANSWER_FRESHNESS, AnalyticsAnswers } from './analytics-answers.service';
import { KeptJsonInterceptor } from './kept-json.interceptor';
import {
  AnalyticsRangeQueryDto,
  CalendarPeriodParamDto,
  StatsCampaignsQueryDto,
  StatsCampaignsResponseDto,
  StatsConversionResponseDto,
  StatsLeadsQueryDto,
  StatsLeadsResponseDto,
  StatsNichesResponseDto,
  StatsOverviewResponseDto,
  StatsPeriodResponseDto,
  StatsExportParamDto,
  StatsExportQueryDto,
} from './analytics.dto';
import { StatsExportService } from './stats-export.service';
import { StatsService } from './stats.service';

const RANGE =
  'Days are cut in the workspace time zone (general settings); every figure has the previous equal period ' +
  'beside it. 400 INVALID_DATE_RANGE for half a range, a start after its end or more than 731 days.' +
  ANSWER_FRESHNESS;

@ApiTags('stats')
@Controller('stats')
@UseInterceptors(KeptJsonInterceptor)
@RequirePermissions(Permission.AnalyticsRead)
export class StatsController {
  constructor(
    private readonly answers: AnalyticsAnswers,
    private readonly stats: StatsService,
    private readonly exports: StatsExportService,
  ) {}

  @Get('export/:view')
  @ApiOperation({
    summary: 'A stats or analytics view as CSV: one row per figure, with the previous period beside it',
    description:
      `${RANGE} Columns: field (the JSON path of the figure), current, previous, change, changePercent, note. ` +
      'Text cells that a spreadsheet would run as a formula are prefixed with a quote.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV file', schema: { type: 'string' } })
  @ApiErrors(400)
  async exportStats(
    @CurrentPrincipal() principal: Principal,
    @Param() params: StatsExportParamDto,
    @Query() query: StatsExportQueryDto,
  ): Promise<StreamableFile> {
    const file = await this.exports.csv(principal.workspaceId, params.view, query);
    return new StreamableFile(Buffer.from(file.body, 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${file.fileName}"`,
    });
  }

  @Get('overview')
  @ApiOperation({
    summary: 'Key figures of the period: leads, conversions, campaigns, subscribers, revenue, AI spend',
    description: RANGE,
  })
  @ApiOkResponse({ type: StatsOverviewResponseDto })
  @ApiErrors(400)
  async statsOverview(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AnalyticsRangeQueryDto,
  ): Promise<StatsOverviewResponseDto> {
    return this.answers.range(
      principal.workspaceId,
      query,
      (scope, windows) => this.stats.overview(scope, windows),
      'stats/overview',
    );
  }

  @Get('campaigns')
  @ApiOperation({
    summary: 'Campaign performance: the period’s enrollments per campaign by the furthest stage reached',
    description: RANGE,
  })
  @ApiOkResponse({ type: StatsCampaignsResponseDto })
  @ApiErrors(400)
  async statsCampaigns(
    @CurrentPrincipal() principal: Principal,
    @Query() query: StatsCampaignsQueryDto,
  ): Promise<StatsCampaignsResponseDto> {
    return this.answers.range(
      principal.workspaceId,
      query,
      (scope, windows) => this.stats.campaignStats(scope, windows, query),
      'stats/campaigns',
    );
  }

  @Get('leads')
  @ApiOperation({ summary: 'Leads created in the period by status, source, niche and day', description: RANGE })
  @ApiOkResponse({ type: StatsLeadsResponseDto })
  @ApiErrors(400)
  async statsLeads(
    @CurrentPrincipal() principal: Principal,
    @Query() query: StatsLeadsQueryDto,
  ): Promise<StatsLeadsResponseDto> {
    return this.answers.range(
      principal.workspaceId,
      query,
      (scope, windows) => this.stats.leadStats(scope, windows, query),
      'stats/leads',
    );
  }

  @Get('niches')
  @ApiOperation({
    summary: 'Niche comparison: leads created in the period and their conversion per niche',
    description: RANGE,
  })
  @ApiOkResponse({ type: StatsNichesResponseDto })
  @ApiErrors(400)
  async statsNiches(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AnalyticsRangeQueryDto,
  ): Promise<StatsNichesResponseDto> {
    return this.answers.range(
      principal.workspaceId,
      query,
      (scope, windows) => this.stats.nicheStats(scope, windows),
      'stats/niches',
    );
  }

  @Get('conversion')
  @ApiOperation({
    summary: 'Conversion funnels: lead statuses and campaign stages, counts and rates',
    description: RANGE,
  })
  @ApiOkResponse({ type: StatsConversionResponseDto })
  @ApiErrors(400)
  async statsConversion(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AnalyticsRangeQueryDto,
  ): Promise<StatsConversionResponseDto> {
    return this.answers.range(
      principal.workspaceId,
      query,
      (scope, windows) => this.stats.conversion(scope, windows),
      'stats/conversion',
    );
  }

  @Get('period/:period')
  @ApiOperation({
    summary: 'The overview for a calendar period to date (day, week, month, quarter, year)',
    description:
      'From the first day of the period containing today (weeks start on the workspace’s weekStartsOn) to today, ' +
      'against as many days from the start of the previous period. 400 VALIDATION_FAILED names the allowed ' +
      'periods for any other value.',
  })
  @ApiOkResponse({ type: StatsPeriodResponseDto })
  @ApiErrors(400)
  async statsPeriod(
    @CurrentPrincipal() principal: Principal,
    @Param() params: CalendarPeriodParamDto,
  ): Promise<StatsPeriodResponseDto> {
    return this.answers.calendar(
      principal.workspaceId,
      params.period,
      (scope, windows) => this.stats.period(scope, windows, params.period),
      'stats/period',
    );
  }
}

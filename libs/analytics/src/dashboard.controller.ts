import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Permission, Principal, RequirePermissions } from '@crescendo/platform';
import { memberOf } from './notifications.controller';
import { AnalyticsAnswers } from './analytics-answers.service';
import { AnalyticsContextService } from './analytics-context.service';
import {
  DashboardNotificationsResponseDto,
  DashboardRecentActivityResponseDto,
  DashboardRecentProjectsResponseDto,
  DashboardStatsResponseDto,
} from './dashboard.dto';
import { presentActivity, presentNotification, presentProjects, presentStats } from './dashboard.presenter';
import { DashboardService } from './dashboard.service';

@ApiTags('dashboard')
@Controller('dashboard')
export class DashboardController {
  constructor(
    private readonly context: AnalyticsContextService,
    private readonly answers: AnalyticsAnswers,
    private readonly dashboard: DashboardService,
  ) {}

  @Get('stats')
  @RequirePermissions(Permission.AnalyticsRead)
  @ApiOperation({
    summary: 'Dashboard counters (snake_case)',
    description:
      'funnels = campaigns, conversations = AI chat conversations, generations = answered AI calls; websites, ' +
      'storage_used and storage_total have no counterpart in Crescendo and are always null.',
  })
  @ApiOkResponse({ type: DashboardStatsResponseDto })
  async dashboardStats(@CurrentPrincipal() principal: Principal): Promise<DashboardStatsResponseDto> {
    return this.answers.answer(principal.workspaceId, async (scope) => presentStats(await this.dashboard.stats(scope)));
  }

  @Get('recent-projects')
  @RequirePermissions(Permission.AnalyticsRead)
  @ApiOperation({ summary: 'Projects (= campaigns) changed most recently (snake_case)' })
  @ApiOkResponse({ type: DashboardRecentProjectsResponseDto })
  async dashboardRecentProjects(@CurrentPrincipal() principal: Principal): Promise<DashboardRecentProjectsResponseDto> {
    const scope = await this.context.readerScope(principal.workspaceId, memberOf(principal));
    return presentProjects(await this.dashboard.recentCampaigns(scope), scope.now, scope.language);
  }

  @Get('recent-activity')
  @RequirePermissions(Permission.LogsRead)
  @ApiOperation({
    summary: 'Latest activity of the workspace from its audit log, humanised in the reader’s language',
  })
  @ApiOkResponse({ type: DashboardRecentActivityResponseDto })
  async dashboardRecentActivity(@CurrentPrincipal() principal: Principal): Promise<DashboardRecentActivityResponseDto> {
    const scope = await this.context.readerScope(principal.workspaceId, memberOf(principal));
    return presentActivity(await this.dashboard.recentActivity(scope), scope.now, scope.language);
  }

  @Get('notifications')
  @RequirePermissions(Permission.AnalyticsRead)
  @ApiOperation({
    summary: 'Latest in-app notifications and the unread count (snake_case)',
    description:
      'Written from domain events (import finished, lead from a webhook, lead converted, campaign status, tracked ' +
      'jobs finished or failed — exports, GDPR export, studio compositions, AI generations —, agent runs failed) ' +
      'and billing (payment succeeded or failed, plan changed) when the in-app switch of the notification ' +
      'settings is on, and the signed-in member’s own (forum mentions, unless their preferences turn them off). ' +
      'Live: GET /api/notifications/stream; all of them, paged: GET /api/notifications.',
  })
  @ApiOkResponse({ type: DashboardNotificationsResponseDto })
  async dashboardNotifications(@CurrentPrincipal() principal: Principal): Promise<DashboardNotificationsResponseDto> {
    const scope = await this.context.readerScope(principal.workspaceId, memberOf(principal));
    const { notifications, unread } = await this.dashboard.notificationsOf(scope, memberOf(principal));
    return {
      notifications: notifications.map((n) => presentNotification(n, scope.now, scope.language)),
      unread_count: unread,
    };
  }
}

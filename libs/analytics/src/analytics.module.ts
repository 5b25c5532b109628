import { Module } from '@nestjs/common';
import { AgentsModule } from '@crescendo/agents';
import { AiModule } from '@crescendo/ai';
import { AuditModule } from '@crescendo/audit';
import { CampaignsModule } from '@crescendo/campaigns';
import { ChatModule } from '@crescendo/chat';
import { LeadsModule } from '@crescendo/leads';
import { SettingsModule } from '@crescendo/settings';
import { SubscribersModule } from '@crescendo/subscribers';
import { AnalyticsController } from './analytics.controller';
import { AttributionService } from './attribution.service';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { InsightsService } from './insights.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsModule } from './notifications.module';
import { RollupModule } from './rollup.module';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';
import { StatsExportService } from './stats-export.service';

/**
 * Stats, analytics and the dashboard. It reads no other feature's tables: each owner exports a narrow
 * read service (LeadStatsService, CampaignStatsService, RevenueStatsService, AI usage totals, chat counts).
 */
@Module({
  imports: [
    LeadsModule,
    CampaignsModule,
    SubscribersModule,
    AiModule,
    AgentsModule,
    ChatModule,
    AuditModule,
    SettingsModule,
    NotificationsModule,
    RollupModule,
  ],
  controllers: [StatsController, AnalyticsController, DashboardController, NotificationsController],
  providers: [StatsService, InsightsService, DashboardService, StatsExportService, AttributionService],
})
export class AnalyticsModule {}

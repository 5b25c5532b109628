import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CampaignsModule } from '@crescendo/campaigns';
import { LeadsModule } from '@crescendo/leads';
import { SettingsModule } from '@crescendo/settings';
import { SubscribersModule } from '@crescendo/subscribers';
import { AnalyticsAnswers } from './analytics-answers.service';
import { AnalyticsContextService } from './analytics-context.service';
import { AnalyticsClock } from './analytics-window';
import {
  CampaignDayRollupEntity,
  EarningDayRollupEntity,
  EventDayRollupEntity,
  LeadDayRollupEntity,
  RollupStateEntity,
} from './rollup.entity';
import { RollupJobsHandler } from './rollup-jobs.handler';
import { RollupReader } from './rollup.reader';
import { RollupService } from './rollup.service';

/** The daily rollups analytics reads, their maintenance jobs (bound by the worker) and the workspace context. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      LeadDayRollupEntity,
      EventDayRollupEntity,
      EarningDayRollupEntity,
      CampaignDayRollupEntity,
      RollupStateEntity,
    ]),
    LeadsModule,
    CampaignsModule,
    SubscribersModule,
    SettingsModule,
  ],
  providers: [
    AnalyticsClock,
    AnalyticsContextService,
    RollupService,
    RollupReader,
    RollupJobsHandler,
    AnalyticsAnswers,
  ],
  exports: [AnalyticsClock, AnalyticsContextService, RollupService, RollupReader, AnalyticsAnswers],
})
export class RollupModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LeadsModule } from '@crescendo/leads';
import { SettingsModule } from '@crescendo/settings';
import { AnalyticsContextService } from './analytics-context.service';
import { AnalyticsClock } from './analytics-window';
import { LeadCountsReader } from './lead-counts.reader';
import { LeadRollupService } from './lead-rollup.service';
import { LeadDayRollupEntity, RollupStateEntity } from './rollup.entity';
import { RollupJobsHandler } from './rollup-jobs.handler';

/** The daily rollups analytics reads, their maintenance jobs (bound by the worker) and the workspace context. */
@Module({
  imports: [TypeOrmModule.forFeature([LeadDayRollupEntity, RollupStateEntity]), LeadsModule, SettingsModule],
  providers: [AnalyticsClock, AnalyticsContextService, LeadRollupService, LeadCountsReader, RollupJobsHandler],
  exports: [AnalyticsClock, AnalyticsContextService, LeadRollupService, LeadCountsReader],
})
export class RollupModule {}

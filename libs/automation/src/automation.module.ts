import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule } from '@crescendo/platform';
import { AuditModule } from '@crescendo/audit';
import { CampaignEntity, CampaignsModule } from '@crescendo/campaigns';
import { MembershipEntity } from '@crescendo/identity';
import { LeadEntity, LeadsModule } from '@crescendo/leads';
import { SegmentsModule } from '@crescendo/segments';
import { SettingsModule } from '@crescendo/settings';
import { AutomationRuleEntity } from './automation-rule.entity';
import { AutomationRunEntity } from './automation-run.entity';
import { AutomationRunner } from './automation-runner';
import { AutomationScheduler } from './automation-scheduler';
import { AutomationController } from './automation.controller';
import { AutomationService } from './automation.service';
import { AutomationPersonalData } from './automation-personal-data.provider';

/**
 * Automation rules (seed 000 /api/marketing/automation). The API manages rules and their schedulers; the
 * worker's AutomationRunner reacts to domain events and schedule ticks.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([AutomationRuleEntity, AutomationRunEntity, CampaignEntity, LeadEntity, MembershipEntity]),
    CampaignsModule,
    AuditModule,
    MailModule,
    LeadsModule,
    SegmentsModule,
    SettingsModule,
  ],
  controllers: [AutomationController],
  providers: [AutomationPersonalData, AutomationService, AutomationScheduler, AutomationRunner],
  exports: [AutomationService],
})
export class AutomationModule {}

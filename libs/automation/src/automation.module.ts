import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule } from '@crescendo/platform';
import { AuditModule } from '@crescendo/audit';
import { CampaignsModule } from '@crescendo/campaigns';
import { IdentityModule } from '@crescendo/identity';
import { LeadsModule } from '@crescendo/leads';
import { SegmentsModule } from '@crescendo/segments';
import { SettingsModule } from '@crescendo/settings';
import { AutomationActionRegistry, automationActionProviders } from './actions';
import { AutomationRuleEntity } from './automation-rule.entity';
import { AutomationRunEntity } from './automation-run.entity';
import { AutomationExecutor } from './automation-executor';
import { AutomationFanOut } from './automation-fan-out';
import { AutomationScheduler } from './automation-scheduler';
import { AutomationController } from './automation.controller';
import { AutomationRepository } from './automation.repository';
import { AutomationService } from './automation.service';
import { AutomationPersonalData } from './automation-personal-data.provider';

/**
 * Automation rules (/api/marketing/automation). The API manages rules and their schedulers; in the worker,
 * AutomationFanOut turns domain events and schedule ticks into runs, AutomationExecutor runs them, and each
 * action type has its handler (actions/, registered under AUTOMATION_ACTIONS).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([AutomationRuleEntity, AutomationRunEntity]),
    CampaignsModule,
    AuditModule,
    MailModule,
    IdentityModule,
    LeadsModule,
    SegmentsModule,
    SettingsModule,
  ],
  controllers: [AutomationController],
  providers: [
    AutomationPersonalData,
    AutomationService,
    AutomationRepository,
    AutomationScheduler,
    AutomationFanOut,
    AutomationExecutor,
    AutomationActionRegistry,
    ...automationActionProviders,
  ],
  exports: [AutomationService],
})
export class AutomationModule {}

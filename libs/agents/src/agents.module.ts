import { Module } from '@nestjs/common';
import { WorkspacePlanService } from '@crescendo/identity';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AiModule } from '@crescendo/ai';
import { AuditModule } from '@crescendo/audit';
import { TrackedJobsModule } from '@crescendo/jobs';
import { LeadsModule } from '@crescendo/leads';
import { AgentLogEntity } from './agent-log.entity';
import { AgentLogRepository } from './agent-log.repository';
import { AgentRunEntity } from './agent-run.entity';
import { AgentRunRepository } from './agent-run.repository';
import { AgentEntity } from './agent.entity';
import { AgentRepository } from './agent.repository';
import { AgentRunner } from './agent-run.handler';
import { AgentRunsQueue } from './agent-runs.queue';
import { AgentTriggers } from './agent-triggers.handler';
import { AgentsController } from './agents.controller';
import { AgentStatsService } from './agent-stats.service';
import { AgentsService } from './agents.service';
import { agentTaskProviders } from './tasks';

/**
 * AI agents: the routes (API), and the runner, one task class per agent type, schedules and event triggers
 * (worker: the API never runs @OnJob / @OnDomainEvent methods).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([AgentEntity, AgentRunEntity, AgentLogEntity]),
    AiModule,
    AuditModule,
    TrackedJobsModule,
    LeadsModule,
  ],
  controllers: [AgentsController],
  providers: [
    // Stateless (config and SQL): provided here so the worker need not load the whole identity module.
    WorkspacePlanService,
    AgentRepository,
    AgentRunRepository,
    AgentLogRepository,
    AgentsService,
    AgentRunsQueue,
    ...agentTaskProviders,
    AgentRunner,
    AgentTriggers,
    AgentStatsService,
  ],
  exports: [AgentsService, AgentRunsQueue, AgentStatsService],
})
export class AgentsModule {}

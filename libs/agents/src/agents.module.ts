import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AiModule } from '@crescendo/ai';
import { AuditModule } from '@crescendo/audit';
import { TrackedJobsModule } from '@crescendo/jobs';
import { LeadsModule } from '@crescendo/leads';
import { AgentEntity } from './agent.entity';
import { AgentLogEntity } from './agent-log.entity';
import { AgentRunEntity } from './agent-run.entity';
import { AgentRunner } from './agent-runner';
import { AgentRunsQueue } from './agent-runs.queue';
import { AgentTasks } from './agent-tasks';
import { AgentTriggers } from './agent-triggers';
import { AgentsController } from './agents.controller';
import { AgentsService } from './agents.service';

/**
 * AI agents (seed 004): the routes (API), and the runner, schedules and event triggers (worker: the API
 * never runs @OnJob / @OnDomainEvent methods).
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
  providers: [AgentsService, AgentRunsQueue, AgentTasks, AgentRunner, AgentTriggers],
  exports: [AgentsService, AgentRunsQueue],
})
export class AgentsModule {}

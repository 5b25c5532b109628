import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainEvent, JobName, JobPayloads, OnDomainEvent, OnJob } from '@crescendo/platform';
import { AgentEntity, AgentStatus, AgentTriggerType } from './agent.entity';
import { AgentRunTrigger } from './agent-run.entity';
import { AgentRunsQueue, eventRunId } from './agent-runs.queue';

/** Worker side: turns schedules and domain events into queued runs. */
@Injectable()
export class AgentTriggers {
  constructor(
    @InjectRepository(AgentEntity) private readonly agents: Repository<AgentEntity>,
    private readonly runs: AgentRunsQueue,
  ) {}

  /** Quick and idempotent: one run per (event, listening agent), its id derived from both. */
  @OnDomainEvent()
  async onDomainEvent(event: DomainEvent): Promise<void> {
    // An agent's own changes never trigger agents: no loops between (or within) agents.
    if (event.data.agentId) return;
    const listening = await this.agents.findBy({
      workspaceId: event.workspaceId,
      triggerType: AgentTriggerType.Event,
      eventType: event.type,
      status: AgentStatus.Active,
    });
    for (const agent of listening) {
      await this.runs.queue(agent, {
        trigger: AgentRunTrigger.Event,
        eventId: event.id,
        triggerData: { ...event.data, eventType: event.type },
        runId: eventRunId(event.id, agent.id),
      });
    }
  }

  /** Fired by the agent's cron scheduler; a scheduler left behind by a deleted or stopped agent is removed. */
  @OnJob(JobName.ScheduledAgentRun)
  async onSchedule(data: JobPayloads[JobName.ScheduledAgentRun]): Promise<{ runId: string | null }> {
    const agent = await this.agents.findOneBy({ id: data.agentId, workspaceId: data.workspaceId });
    if (!agent || agent.status !== AgentStatus.Active || agent.triggerType !== AgentTriggerType.Schedule) {
      await this.runs.unschedule(data.agentId);
      return { runId: null };
    }
    const accepted = await this.runs.queue(agent, { trigger: AgentRunTrigger.Schedule });
    return { runId: accepted?.jobId ?? null };
  }
}

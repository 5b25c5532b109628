import { Injectable } from '@nestjs/common';
import { DomainEvent, OnDomainEvent, OnJob } from '@crescendo/platform';
import { AgentRepository } from './agent.repository';
import { AgentRunsQueue, eventRunId } from './agent-runs.queue';
import { AgentRunTrigger, AgentStatus, AgentTriggerType } from './agents.types';
import { AgentsJobs, ScheduledAgentRunPayload } from './agents.jobs';

/** Worker side: turns schedules and domain events into queued runs. */
@Injectable()
export class AgentTriggers {
  constructor(
    private readonly agents: AgentRepository,
    private readonly runs: AgentRunsQueue,
  ) {}

  /** Quick and idempotent: one run per (event, listening agent), its id derived from both. */
  @OnDomainEvent()
  async onDomainEvent(event: DomainEvent): Promise<void> {
    // An agent's own changes never trigger agents: no loops between (or within) agents.
    if ('agentId' in event.data && event.data.agentId) return;
    const listening = await this.agents.findListening(event.workspaceId, event.type);
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
  @OnJob(AgentsJobs.ScheduledAgentRun)
  async onSchedule(data: ScheduledAgentRunPayload): Promise<{ runId: string | null }> {
    const agent = await this.agents.findOne(data.workspaceId, data.agentId);
    if (!agent || agent.status !== AgentStatus.Active || agent.triggerType !== AgentTriggerType.Schedule) {
      await this.runs.unschedule(data.agentId);
      return { runId: null };
    }
    const accepted = await this.runs.queue(agent, { trigger: AgentRunTrigger.Schedule });
    return { runId: accepted?.jobId ?? null };
  }
}

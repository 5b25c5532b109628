import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JobAcceptedResponseDto, JobTrackerService } from '@crescendo/jobs';
import { QueueName, QueueRegistry, stableUuid } from '@crescendo/platform';
import { AgentRunRepository } from './agent-run.repository';
import { AgentRunTrigger, AgentStatus, AgentTriggerType } from './agents.types';
import { AgentsJobs } from './agents.jobs';

/** What queueing and scheduling read of an agent. */
export interface SchedulableAgent {
  id: string;
  workspaceId: string;
  status: AgentStatus;
  triggerType: AgentTriggerType;
  schedule: string | null;
}

export interface QueueRunInput {
  trigger: AgentRunTrigger;
  userId?: string | null;
  eventId?: string | null;
  triggerData?: Record<string, unknown>;
  /** A fixed id makes queueing idempotent (an event delivered twice queues one run). */
  runId?: string;
}

/** The id of the run an event starts for an agent: the same for every delivery of the event. */
export function eventRunId(eventId: string, agentId: string): string {
  return stableUuid(`${eventId}:${agentId}`);
}

// No colon: BullMQ reads a colon-separated key as a legacy repeat key.
const schedulerId = (agentId: string) => `agent-${agentId}`;

/** Queues agent runs (API and worker alike) and keeps each scheduled agent's BullMQ job scheduler in step. */
@Injectable()
export class AgentRunsQueue {
  constructor(
    private readonly runs: AgentRunRepository,
    private readonly tracker: JobTrackerService,
    private readonly queues: QueueRegistry,
  ) {}

  /** A queued run row and its tracked job (same id); null when that run id was already queued. */
  async queue(agent: SchedulableAgent, input: QueueRunInput): Promise<JobAcceptedResponseDto | null> {
    const id = input.runId ?? randomUUID();
    const inserted = await this.runs.insertQueued({
      id,
      workspaceId: agent.workspaceId,
      agentId: agent.id,
      trigger: input.trigger,
      eventId: input.eventId ?? null,
      triggerData: input.triggerData ?? {},
    });
    if (!inserted) return null;
    try {
      return await this.tracker.submit(
        AgentsJobs.RunAgent,
        { workspaceId: agent.workspaceId, agentId: agent.id },
        input.userId ?? null,
        id,
      );
    } catch (error) {
      await this.runs.delete(id);
      throw error;
    }
  }

  /** Registers, replaces or removes the agent's cron scheduler to match its current state. */
  async sync(agent: SchedulableAgent): Promise<void> {
    const queue = this.queues.get(QueueName.Agents);
    if (agent.status === AgentStatus.Active && agent.triggerType === AgentTriggerType.Schedule && agent.schedule) {
      await queue.upsertJobScheduler(
        schedulerId(agent.id),
        { pattern: agent.schedule, tz: 'UTC' },
        {
          name: AgentsJobs.ScheduledAgentRun,
          data: { workspaceId: agent.workspaceId, agentId: agent.id },
          opts: { attempts: 1 },
        },
      );
    } else {
      await queue.removeJobScheduler(schedulerId(agent.id));
    }
  }

  async unschedule(agentId: string): Promise<void> {
    await this.queues.get(QueueName.Agents).removeJobScheduler(schedulerId(agentId));
  }

  /** The scheduler of an agent, if one is registered (for checks and tests). */
  async scheduler(agentId: string) {
    return this.queues.get(QueueName.Agents).getJobScheduler(schedulerId(agentId));
  }
}

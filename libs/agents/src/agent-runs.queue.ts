import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { JobAcceptedResponseDto, JobTrackerService } from '@crescendo/jobs';
import { JobName, QueueName, QueueRegistry } from '@crescendo/platform';
import { AgentEntity, AgentStatus, AgentTriggerType } from './agent.entity';
import { AgentRunEntity, AgentRunTrigger } from './agent-run.entity';

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
  const hex = createHash('sha256').update(`${eventId}:${agentId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// No colon: BullMQ reads a colon-separated key as a legacy repeat key.
const schedulerId = (agentId: string) => `agent-${agentId}`;

/** Queues agent runs (API and worker alike) and keeps each scheduled agent's BullMQ job scheduler in step. */
@Injectable()
export class AgentRunsQueue {
  constructor(
    @InjectRepository(AgentRunEntity) private readonly runs: Repository<AgentRunEntity>,
    private readonly tracker: JobTrackerService,
    private readonly queues: QueueRegistry,
  ) {}

  /** A queued run row and its tracked job (same id); null when that run id was already queued. */
  async queue(agent: AgentEntity, input: QueueRunInput): Promise<JobAcceptedResponseDto | null> {
    const id = input.runId ?? randomUUID();
    const inserted: unknown[] = await this.runs.query(
      `INSERT INTO agent_runs (id, workspace_id, agent_id, trigger, event_id, trigger_data)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [id, agent.workspaceId, agent.id, input.trigger, input.eventId ?? null, JSON.stringify(input.triggerData ?? {})],
    );
    if (!inserted.length) return null;
    try {
      return await this.tracker.submit(
        JobName.RunAgent,
        { workspaceId: agent.workspaceId, agentId: agent.id },
        input.userId ?? null,
        id,
      );
    } catch (error) {
      await this.runs.delete({ id });
      throw error;
    }
  }

  /** Registers, replaces or removes the agent's cron scheduler to match its current state. */
  async sync(agent: AgentEntity): Promise<void> {
    const queue = this.queues.get(QueueName.Agents);
    if (agent.status === AgentStatus.Active && agent.triggerType === AgentTriggerType.Schedule && agent.schedule) {
      await queue.upsertJobScheduler(
        schedulerId(agent.id),
        { pattern: agent.schedule, tz: 'UTC' },
        {
          name: JobName.ScheduledAgentRun,
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

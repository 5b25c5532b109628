import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AgentRunEntity } from './agent-run.entity';
import { AgentRunStatus, AgentRunTrigger } from './agents.types';

export interface NewAgentRun {
  id: string;
  workspaceId: string;
  agentId: string;
  trigger: AgentRunTrigger;
  eventId: string | null;
  triggerData: Record<string, unknown>;
}

export interface RunSpending {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Storage of the `agent_runs` table. Methods that take a manager run inside the caller's transaction. */
@Injectable()
export class AgentRunRepository {
  constructor(@InjectRepository(AgentRunEntity) private readonly repo: Repository<AgentRunEntity>) {}

  private of(manager?: EntityManager): Repository<AgentRunEntity> {
    return manager?.getRepository(AgentRunEntity) ?? this.repo;
  }

  /** Inserts a queued run; false when a run with this id exists already. */
  async insertQueued(run: NewAgentRun): Promise<boolean> {
    const inserted: unknown[] = await this.repo.query(
      `INSERT INTO agent_runs (id, workspace_id, agent_id, trigger, event_id, trigger_data)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [run.id, run.workspaceId, run.agentId, run.trigger, run.eventId, JSON.stringify(run.triggerData)],
    );
    return inserted.length > 0;
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  findOne(agentId: string, id: string, manager?: EntityManager): Promise<AgentRunEntity | null> {
    return this.of(manager).findOneBy({ id, agentId });
  }

  /** Runs of the agent started since midnight UTC. */
  async countStartedToday(agentId: string, manager?: EntityManager): Promise<number> {
    const [{ count }] = await this.of(manager).query(
      `SELECT count(*)::int AS count FROM agent_runs
        WHERE agent_id = $1 AND started_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
      [agentId],
    );
    return count;
  }

  async markRunning(id: string, at: Date, manager?: EntityManager): Promise<void> {
    await this.of(manager).update({ id }, { status: AgentRunStatus.Running, startedAt: at });
  }

  /** Ends a run that never started (a limit, or the agent stopped meanwhile). */
  async markSkipped(id: string, error: { code: string; message: string }, at: Date, manager?: EntityManager) {
    await this.of(manager).update({ id }, { status: AgentRunStatus.Failed, error, finishedAt: at });
  }

  async markSucceeded(id: string, summary: Record<string, unknown>, spent: RunSpending): Promise<void> {
    await this.repo.update(
      { id },
      {
        status: AgentRunStatus.Succeeded,
        summary: summary as QueryDeepPartialEntity<Record<string, unknown>>,
        finishedAt: new Date(),
        ...spent,
      },
    );
  }

  async markFailed(id: string, error: { code: string; message: string }, spent: RunSpending): Promise<void> {
    await this.repo.update({ id }, { status: AgentRunStatus.Failed, error, finishedAt: new Date(), ...spent });
  }
}

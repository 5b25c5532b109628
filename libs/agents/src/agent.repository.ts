import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { conflict, type KeysetOrder } from '@crescendo/platform';
import { AgentEntity } from './agent.entity';
import { AgentStatus, AgentTriggerType, AgentType } from './agents.types';

export interface AgentFilter {
  status?: AgentStatus;
  type?: AgentType;
}

/** Oldest first, the id breaking ties (agents (workspace_id, created_at, id)). */
export const AGENT_ORDER: KeysetOrder = { columns: ['a.created_at', 'a.id'], descending: false };

/** Storage of the `agents` table. Methods that take a manager run inside the caller's transaction. */
@Injectable()
export class AgentRepository {
  constructor(@InjectRepository(AgentEntity) private readonly repo: Repository<AgentEntity>) {}

  /** The workspace's agents matching the filter, for queryBuilderList (which adds the order and the seek). */
  listQuery(workspaceId: string, filter: AgentFilter): SelectQueryBuilder<AgentEntity> {
    const qb = this.repo.createQueryBuilder('a').where('a.workspace_id = :ws', { ws: workspaceId });
    if (filter.status) qb.andWhere('a.status = :status', { status: filter.status });
    if (filter.type) qb.andWhere('a.type = :type', { type: filter.type });
    return qb;
  }

  findOne(workspaceId: string, id: string): Promise<AgentEntity | null> {
    return this.repo.findOneBy({ id, workspaceId });
  }

  /** The active agents of a workspace listening for an event type. */
  findListening(workspaceId: string, eventType: string): Promise<AgentEntity[]> {
    return this.repo.findBy({
      workspaceId,
      triggerType: AgentTriggerType.Event,
      eventType,
      status: AgentStatus.Active,
    });
  }

  /**
   * The ids of the workspace's agents past its first `allowed` (oldest first): those a smaller plan makes
   * read-only. A workspace has few agents (the plan caps how many are created).
   */
  async pastLimit(workspaceId: string, allowed: number): Promise<Set<string>> {
    const rows = await this.repo.query<{ id: string }[]>(
      `SELECT id FROM agents WHERE workspace_id = $1 ORDER BY created_at, id OFFSET $2`,
      [workspaceId, allowed],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Whether the agent is past its workspace's first `allowed` agents (oldest first). */
  async isPastLimit(workspaceId: string, id: string, allowed: number, manager?: EntityManager): Promise<boolean> {
    const [row] = await (manager ?? this.repo.manager).query<{ older: number }[]>(
      `SELECT count(o.id)::int AS older
         FROM agents a JOIN agents o ON o.workspace_id = a.workspace_id AND (o.created_at, o.id) < (a.created_at, a.id)
        WHERE a.id = $2 AND a.workspace_id = $1`,
      [workspaceId, id],
    );
    return (row?.older ?? 0) >= allowed;
  }

  count(workspaceId: string): Promise<number> {
    return this.repo.countBy({ workspaceId });
  }

  create(fields: Partial<AgentEntity>): AgentEntity {
    return this.repo.create(fields);
  }

  /** Inserts or updates; a second agent of the workspace with the same name is a 409. */
  async save(agent: AgentEntity): Promise<AgentEntity> {
    try {
      return await this.repo.save(agent);
    } catch (error) {
      const pg = error as { code?: string; constraint?: string; driverError?: { constraint?: string } };
      if (pg.code === '23505' && (pg.constraint ?? pg.driverError?.constraint) === 'UQ_agents_workspace_name') {
        throw conflict('AGENT_NAME_TAKEN', 'Another agent of this workspace has this name', [
          { field: 'name', message: 'already used in this workspace' },
        ]);
      }
      throw error;
    }
  }

  async update(
    id: string,
    fields: Partial<Pick<AgentEntity, 'status' | 'errorReason' | 'consecutiveFailures' | 'lastRunAt'>>,
    manager?: EntityManager,
  ): Promise<void> {
    await (manager?.getRepository(AgentEntity) ?? this.repo).update({ id }, fields);
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    await this.repo.delete({ id, workspaceId });
  }

  /** The agent, its row locked until the transaction ends (runs of one agent start one at a time). */
  lockForRun(manager: EntityManager, workspaceId: string, id: string): Promise<AgentEntity | null> {
    return manager.getRepository(AgentEntity).findOne({
      where: { id, workspaceId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async resetFailures(id: string): Promise<void> {
    await this.repo.query('UPDATE agents SET consecutive_failures = 0 WHERE id = $1', [id]);
  }

  /** Counts a failed run; the `max`th in a row puts the agent in error with `reason`. */
  async countFailure(
    id: string,
    max: number,
    reason: string,
  ): Promise<{ consecutiveFailures: number; status: AgentStatus } | undefined> {
    const [rows] = (await this.repo.query(
      `UPDATE agents SET consecutive_failures = consecutive_failures + 1,
              status = CASE WHEN consecutive_failures + 1 >= $2 THEN 'error' ELSE status END,
              error_reason = CASE WHEN consecutive_failures + 1 >= $2 THEN $3 ELSE error_reason END,
              updated_at = now()
        WHERE id = $1
        RETURNING consecutive_failures, status`,
      [id, max, reason],
    )) as [Array<{ consecutive_failures: number; status: AgentStatus }>, number];
    const row = rows[0];
    return row && { consecutiveFailures: row.consecutive_failures, status: row.status };
  }
}

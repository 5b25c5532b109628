import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, Repository } from 'typeorm';
import { conflict, findPage } from '@crescendo/platform';
import { AgentEntity } from './agent.entity';
import { AgentStatus, AgentTriggerType, AgentType } from './agents.types';

export interface AgentFilter {
  status?: AgentStatus;
  type?: AgentType;
}

/** Storage of the `agents` table. Methods that take a manager run inside the caller's transaction. */
@Injectable()
export class AgentRepository {
  constructor(@InjectRepository(AgentEntity) private readonly repo: Repository<AgentEntity>) {}

  findPage(workspaceId: string, filter: AgentFilter, page: { page: number; limit: number }) {
    const where: FindOptionsWhere<AgentEntity> = { workspaceId };
    if (filter.status) where.status = filter.status;
    if (filter.type) where.type = filter.type;
    return findPage(this.repo, { where, order: { createdAt: 'ASC', id: 'ASC' } }, page);
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

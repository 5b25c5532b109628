import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import type { KeysetOrder } from '@crescendo/platform';
import { AgentLogEntity } from './agent-log.entity';
import { AgentLogLevel } from './agents.types';

export interface AgentLogLine {
  workspaceId: string;
  agentId: string;
  runId: string;
  level: AgentLogLevel;
  message: string;
  data: Record<string, unknown>;
}

/** Newest first, the id breaking ties (agent_logs (agent_id, created_at, id)). */
export const AGENT_LOG_ORDER: KeysetOrder = { columns: ['l.created_at', 'l.id'], descending: true };

/** Storage of the `agent_logs` table. */
@Injectable()
export class AgentLogRepository {
  constructor(@InjectRepository(AgentLogEntity) private readonly repo: Repository<AgentLogEntity>) {}

  async insert(line: AgentLogLine): Promise<void> {
    await this.repo.insert({
      ...line,
      message: line.message.slice(0, 2000),
      // Lines of one run keep their order.
      createdAt: () => 'clock_timestamp()',
    } as never);
  }

  /** An agent's lines matching the filter, for queryBuilderList (which adds the order and the seek). */
  listQuery(
    workspaceId: string,
    agentId: string,
    filter: { level?: AgentLogLevel; runId?: string },
  ): SelectQueryBuilder<AgentLogEntity> {
    const qb = this.repo
      .createQueryBuilder('l')
      .where('l.agent_id = :agentId AND l.workspace_id = :ws', { agentId, ws: workspaceId });
    if (filter.level) qb.andWhere('l.level = :level', { level: filter.level });
    if (filter.runId) qb.andWhere('l.run_id = :runId', { runId: filter.runId });
    return qb;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, Repository } from 'typeorm';
import { findPage } from '@crescendo/platform';
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

  /** An agent's lines, newest first. */
  findPage(
    workspaceId: string,
    agentId: string,
    filter: { level?: AgentLogLevel; runId?: string },
    page: { page: number; limit: number },
  ) {
    const where: FindOptionsWhere<AgentLogEntity> = { agentId, workspaceId };
    if (filter.level) where.level = filter.level;
    if (filter.runId) where.runId = filter.runId;
    return findPage(this.repo, { where, order: { createdAt: 'DESC', id: 'DESC' } }, page);
  }
}

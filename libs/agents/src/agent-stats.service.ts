import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { inLocalWindowSql, type LocalDateWindow } from '@crescendo/platform';

/** The agents feature's narrow read interface for cross-cutting readers (analytics). */
@Injectable()
export class AgentStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every agent of the workspace with its runs started inside the window and their AI cost (US dollars). */
  async costByAgent(
    workspaceId: string,
    window: LocalDateWindow,
  ): Promise<{ agentId: string; name: string; runs: number; costUsd: number }[]> {
    const params: unknown[] = [workspaceId];
    const inWindow = inLocalWindowSql('r.created_at', window, params);
    const rows = (await this.dataSource.query(
      `SELECT a.id AS "agentId", a.name, count(r.id)::int AS runs, coalesce(sum(r.cost_usd), 0)::text AS "costUsd"
         FROM agents a LEFT JOIN agent_runs r ON r.agent_id = a.id AND ${inWindow}
        WHERE a.workspace_id = $1
        GROUP BY a.id
        ORDER BY a.name, a.id`,
      params,
    )) as { agentId: string; name: string; runs: number; costUsd: string }[];
    return rows.map((r) => ({ ...r, costUsd: Number(r.costUsd) }));
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  batchedRead,
  inLocalWindowSql,
  type LocalDateWindow,
  boundedCount,
  CursorPosition,
  CursorValues,
  KeyedRow,
  keysetPageSql,
  keysetSql,
  type KeysetOrder,
} from '@crescendo/platform';
import { AiUsageEntity } from './ai-usage.entity';
import type { AiUsageStatus } from './ai.types';

export interface AiUsageRecord {
  workspaceId: string;
  userId: string | null;
  provider: string;
  model: string;
  feature: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  status: AiUsageStatus;
  errorCode: string | null;
  /** The kinds of personal data the call carried (see AiChatRequest.dataCategories). */
  dataCategories: string[];
}

export interface AiUsageFilter {
  from: Date;
  to: Date;
  provider?: string;
  feature?: string;
}

/** Totals of a set of calls, as Postgres answers them (bigint and numeric as strings). */
export type AiUsageTotalsRow = Record<string, unknown>;
/** A raw ai_usage row (snake_case columns). */
export type AiUsageRow = Record<string, unknown>;

/** The calls list: newest first, the id breaking ties (ai_usage (workspace_id, created_at, id)). */
export const AI_USAGE_ORDER: KeysetOrder = { columns: ['u.created_at', 'u.id'], descending: true };

const totalsSql = `count(*)::int AS requests,
  (count(*) FILTER (WHERE status = 'error'))::int AS errors,
  (count(*) FILTER (WHERE status = 'cached'))::int AS cached,
  coalesce(sum(input_tokens), 0)::bigint AS input_tokens,
  coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
  coalesce(sum(cost_usd), 0)::numeric(14, 6) AS cost_usd`;

/** Storage of the `ai_usage` ledger. */
@Injectable()
export class AiUsageRepository {
  constructor(@InjectRepository(AiUsageEntity) private readonly usage: Repository<AiUsageEntity>) {}

  async insert(row: AiUsageRecord): Promise<void> {
    await this.usage.insert({ ...row, costUsd: row.costUsd.toFixed(6) });
  }

  private where(workspaceId: string, filter: AiUsageFilter): { where: string; params: unknown[] } {
    const params: unknown[] = [workspaceId, filter.from, filter.to];
    let where = 'u.workspace_id = $1 AND u.created_at >= $2 AND u.created_at < $3';
    if (filter.provider) where += ` AND u.provider = $${params.push(filter.provider)}`;
    if (filter.feature) where += ` AND u.feature = $${params.push(filter.feature)}`;
    return { where, params };
  }

  /** Totals of the period's calls, and the same by provider, by model and by feature (most expensive first). */
  async totals(workspaceId: string, filter: AiUsageFilter) {
    const { where, params } = this.where(workspaceId, filter);
    const grouped = (select: string, group: string) =>
      this.usage.query(
        `SELECT ${select}, ${totalsSql} FROM ai_usage u WHERE ${where} GROUP BY ${group}
          ORDER BY cost_usd DESC, requests DESC`,
        params,
      ) as Promise<AiUsageTotalsRow[]>;
    const [[all], byProvider, byModel, byFeature] = await Promise.all([
      this.usage.query(`SELECT ${totalsSql} FROM ai_usage u WHERE ${where}`, params) as Promise<AiUsageTotalsRow[]>,
      grouped('provider AS name', 'provider'),
      grouped('model AS name, provider', 'provider, model'),
      grouped('feature AS name', 'feature'),
    ]);
    return { all, byProvider, byModel, byFeature };
  }

  /** Totals over calendar days of a time zone (null: ever). */
  async totalsInWindow(workspaceId: string, window: LocalDateWindow | null): Promise<AiUsageTotalsRow> {
    const params: unknown[] = [workspaceId];
    const inWindow = window ? `AND ${inLocalWindowSql('created_at', window, params)}` : '';
    // Batched with the other figures of a stats answer: the bigint and numeric totals as text (see batchedRead).
    const [row] = await batchedRead<AiUsageTotalsRow>(
      this.usage.manager.connection,
      `SELECT requests, errors, cached, input_tokens::text, output_tokens::text, cost_usd::text
         FROM (SELECT ${totalsSql} FROM ai_usage WHERE workspace_id = $1 ${inWindow}) t`,
      params,
    );
    return row;
  }

  /** `take` calls after `position` (or `offset` in), newest first, each with its cursor values. */
  async listPage(
    workspaceId: string,
    filter: AiUsageFilter,
    position: CursorPosition | null,
    take: number,
    offset: number,
  ): Promise<KeyedRow<AiUsageRow>[]> {
    const { where, params } = this.where(workspaceId, filter);
    const seek = keysetSql(AI_USAGE_ORDER, position, params.length + 1);
    const values = [...params, ...seek.params, take, offset];
    const rows: (AiUsageRow & { cursor_key: CursorValues })[] = await this.usage.query(
      keysetPageSql({
        from: `ai_usage u WHERE ${where}${seek.where ? ` AND ${seek.where}` : ''}`,
        alias: 'u',
        outputs: 'u.*',
        order: AI_USAGE_ORDER,
        orderBy: seek.orderBy,
        paging: `LIMIT $${values.length - 1} OFFSET $${values.length}`,
      }),
      values,
    );
    return rows.map(({ cursor_key, ...row }) => ({ row, key: cursor_key }));
  }

  listTotal(workspaceId: string, filter: AiUsageFilter): Promise<{ total: number; totalIsEstimate: boolean }> {
    const { where, params } = this.where(workspaceId, filter);
    return boundedCount(
      (text, values) => this.usage.query(text, values).then((rows: Record<string, unknown>[]) => ({ rows })),
      `ai_usage u WHERE ${where}`,
      params,
    );
  }
}

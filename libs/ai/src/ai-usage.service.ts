import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { badRequest, inLocalWindowSql, type LocalDateWindow, paginate, skipOf } from '@crescendo/platform';
import { AiUsageGroupDto, AiUsageQueryDto, AiUsageResponseDto, AiUsageRowDto, AiUsageTotalsDto } from './ai.dto';
import { AiUsageEntity, AiUsageStatus } from './ai-usage.entity';

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
}

const DEFAULT_PERIOD_MS = 30 * 24 * 3600 * 1000;
const totalsSql = `count(*)::int AS requests,
  (count(*) FILTER (WHERE status = 'error'))::int AS errors,
  (count(*) FILTER (WHERE status = 'cached'))::int AS cached,
  coalesce(sum(input_tokens), 0)::bigint AS input_tokens,
  coalesce(sum(output_tokens), 0)::bigint AS output_tokens,
  coalesce(sum(cost_usd), 0)::numeric(14, 6) AS cost_usd`;

/** The AI cost ledger: one row per call, and its totals per workspace. */
@Injectable()
export class AiUsageService {
  private readonly logger = new Logger(AiUsageService.name);

  constructor(@InjectRepository(AiUsageEntity) private readonly usage: Repository<AiUsageEntity>) {}

  /** Never throws: a ledger write that fails is logged, the answer still goes out. */
  async record(row: AiUsageRecord): Promise<void> {
    try {
      await this.usage.insert({ ...row, costUsd: row.costUsd.toFixed(6) });
    } catch (error) {
      this.logger.error({ err: error, row }, 'AI usage row not written');
    }
  }

  async summary(workspaceId: string, query: AiUsageQueryDto): Promise<AiUsageResponseDto> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_PERIOD_MS);
    if (from > to)
      throw badRequest('VALIDATION_FAILED', 'from must be before to', [
        { field: 'from', message: 'must be before to' },
      ]);

    const params: unknown[] = [workspaceId, from, to];
    let where = 'workspace_id = $1 AND created_at >= $2 AND created_at < $3';
    if (query.provider) where += ` AND provider = $${params.push(query.provider)}`;
    if (query.feature) where += ` AND feature = $${params.push(query.feature)}`;
    const grouped = (select: string, group: string) =>
      this.usage.query(
        `SELECT ${select}, ${totalsSql} FROM ai_usage WHERE ${where} GROUP BY ${group} ORDER BY cost_usd DESC, requests DESC`,
        params,
      ) as Promise<Record<string, unknown>[]>;

    const [[totals], byProvider, byModel, byFeature, rows, total] = await Promise.all([
      this.usage.query(`SELECT ${totalsSql} FROM ai_usage WHERE ${where}`, params) as Promise<
        Record<string, unknown>[]
      >,
      grouped('provider AS name', 'provider'),
      grouped('model AS name, provider', 'provider, model'),
      grouped('feature AS name', 'feature'),
      this.usage.query(
        `SELECT * FROM ai_usage WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${query.limit} OFFSET ${skipOf(query)}`,
        params,
      ) as Promise<Record<string, unknown>[]>,
      this.usage.query(`SELECT count(*)::int AS n FROM ai_usage WHERE ${where}`, params) as Promise<{ n: number }[]>,
    ]);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      totals: toTotals(totals),
      byProvider: byProvider.map(toGroup),
      byModel: byModel.map(toGroup),
      byFeature: byFeature.map(toGroup),
      ...paginate(rows.map(toRow), total[0].n, query),
    };
  }

  /** The ledger's totals over calendar days of a time zone (null: ever), analytics' view of AI spend. */
  async totalsInWindow(workspaceId: string, window: LocalDateWindow | null): Promise<AiUsageTotalsDto> {
    const params: unknown[] = [workspaceId];
    const inWindow = window ? `AND ${inLocalWindowSql('created_at', window, params)}` : '';
    const [row] = (await this.usage.query(
      `SELECT ${totalsSql} FROM ai_usage WHERE workspace_id = $1 ${inWindow}`,
      params,
    )) as Record<string, unknown>[];
    return toTotals(row);
  }
}

function toTotals(raw: Record<string, unknown>): AiUsageTotalsDto {
  return {
    requests: Number(raw.requests),
    errors: Number(raw.errors),
    cached: Number(raw.cached),
    inputTokens: Number(raw.input_tokens),
    outputTokens: Number(raw.output_tokens),
    costUsd: Number(raw.cost_usd),
  };
}

function toGroup(raw: Record<string, unknown>): AiUsageGroupDto {
  return {
    name: String(raw.name),
    ...(raw.provider !== undefined ? { provider: String(raw.provider) } : {}),
    ...toTotals(raw),
  };
}

/** A raw ai_usage row (snake_case columns) → its answer. */
function toRow(u: Record<string, unknown>): AiUsageRowDto {
  return {
    id: u.id as string,
    userId: (u.user_id as string | null) ?? null,
    provider: u.provider as string,
    model: u.model as string,
    feature: u.feature as string,
    inputTokens: Number(u.input_tokens),
    outputTokens: Number(u.output_tokens),
    costUsd: Number(u.cost_usd),
    latencyMs: Number(u.latency_ms),
    status: u.status as AiUsageStatus,
    errorCode: (u.error_code as string | null) ?? null,
    createdAt: (u.created_at as Date).toISOString(),
  };
}

import { Injectable, Logger } from '@nestjs/common';
import { badRequest, CursorCodec, keysetList, type LocalDateWindow } from '@crescendo/platform';
import { AiUsageGroupDto, AiUsageQueryDto, AiUsageResponseDto, AiUsageRowDto, AiUsageTotalsDto } from './ai.dto';
import { AI_USAGE_ORDER, AiUsageRecord, AiUsageRepository } from './ai-usage.repository';
import type { AiUsageStatus } from './ai.types';

export type { AiUsageRecord } from './ai-usage.repository';

const DEFAULT_PERIOD_MS = 30 * 24 * 3600 * 1000;

/** The AI cost ledger: one row per call, and its totals per workspace. */
@Injectable()
export class AiUsageService {
  private readonly logger = new Logger(AiUsageService.name);

  constructor(
    private readonly usage: AiUsageRepository,
    private readonly cursors: CursorCodec,
  ) {}

  /** Never throws: a ledger write that fails is logged, the answer still goes out. */
  async record(row: AiUsageRecord): Promise<void> {
    try {
      await this.usage.insert(row);
    } catch (error) {
      this.logger.error({ err: error, row }, 'AI usage row not written');
    }
  }

  /** The period's totals, and its calls newest first, by cursor or page number with a bounded total. */
  async summary(workspaceId: string, query: AiUsageQueryDto): Promise<AiUsageResponseDto> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_PERIOD_MS);
    if (from > to)
      throw badRequest('VALIDATION_FAILED', 'from must be before to', [
        { field: 'from', message: 'must be before to' },
      ]);
    const filter = { from, to, provider: query.provider, feature: query.feature };
    const [totals, page] = await Promise.all([
      this.usage.totals(workspaceId, filter),
      keysetList({
        codec: this.cursors,
        scope: `${workspaceId}:ai-usage:createdAt:desc`,
        request: query,
        order: AI_USAGE_ORDER,
        fetch: (position, take, offset) => this.usage.listPage(workspaceId, filter, position, take, offset),
        count: () => this.usage.listTotal(workspaceId, filter),
        map: toRow,
      }),
    ]);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      totals: toTotals(totals.all),
      byProvider: totals.byProvider.map(toGroup),
      byModel: totals.byModel.map(toGroup),
      byFeature: totals.byFeature.map(toGroup),
      ...page,
    };
  }

  /** The ledger's totals over calendar days of a time zone (null: ever), analytics' view of AI spend. */
  async totalsInWindow(workspaceId: string, window: LocalDateWindow | null): Promise<AiUsageTotalsDto> {
    return toTotals(await this.usage.totalsInWindow(workspaceId, window));
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
    dataCategories: (u.data_categories as string[] | null) ?? [],
    createdAt: (u.created_at as Date).toISOString(),
  };
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  badRequest,
  conflict,
  CursorCodec,
  cursorPageMetadata,
  CursorPaginated,
  pageSizeRequest,
  referenceNotFound,
} from '@crescendo/platform';
import { EarningsRepository, EarningsScope, toEarningDto } from './earnings.repository';
import { SubscribersRepository } from './subscribers.repository';
import { SubscribersService } from './subscribers.service';
import { EarningType, earningTypes } from './subscribers.types';
import {
  CreateEarningDto,
  EarningDto,
  EarningGranularity,
  EarningResponseDto,
  EarningsQueryDto,
  EarningsReportResponseDto,
  EarningsTotalsDto,
  PeriodTotalDto,
  TypeTotalsDto,
} from './earnings.dto';

const DAY_MS = 86_400_000;
const DEFAULT_RANGE_DAYS = 30;
/** A report holds at most this many byPeriod buckets (a year of days). */
const MAX_BUCKETS = 366;
const bucketDays: Record<EarningGranularity, number> = { day: 1, week: 7, month: 31 };
/** Clock skew tolerated on occurredAt; further ahead is a typo. */
const FUTURE_TOLERANCE_MS = DAY_MS;

/** The earnings ledger: record events (updating the subscriber's figures) and report over a date range. */
@Injectable()
export class EarningsService {
  constructor(
    private readonly cursors: CursorCodec,
    private readonly subscribers: SubscribersService,
    private readonly subscriberFigures: SubscribersRepository,
    private readonly repository: EarningsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Entries (one page) and totals of one currency over [from, to). Totals are summed in SQL per type and per
   * UTC bucket (date_trunc); every bucket of the range is listed, empty ones at 0.
   */
  async report(workspaceId: string, query: EarningsQueryDto): Promise<EarningsReportResponseDto> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
    if (from >= to)
      throw badRequest('INVALID_RANGE', 'from must be before to', [{ field: 'from', message: 'must be before to' }]);
    if (to.getTime() - from.getTime() > MAX_BUCKETS * bucketDays[query.period] * DAY_MS)
      throw badRequest('RANGE_TOO_LARGE', `At most ${MAX_BUCKETS} ${query.period} periods per report`, [
        { field: 'from', message: `range too large for period=${query.period}` },
      ]);
    if (query.subscriberId) await this.subscribers.find(workspaceId, query.subscriberId);
    const scope: EarningsScope = { workspaceId, from, to, subscriberId: query.subscriberId };

    const currencies = await this.repository.currencies(scope);
    const currency = query.currency ?? currencies[0]?.currency ?? null;
    const [page, byType, byPeriod] = await Promise.all([
      currency
        ? this.repository.entries(scope, currency, {
            codec: this.cursors,
            scope: `${workspaceId}:earnings:occurredAt:desc`,
            request: pageSizeRequest(query),
          })
        : Promise.resolve(emptyPage<EarningDto>(query)),
      currency ? this.repository.totalsByType(scope, currency) : Promise.resolve([]),
      currency ? this.repository.totalsByPeriod(scope, currency, query.period) : Promise.resolve([]),
    ]);
    return {
      success: true,
      data: {
        entries: page.data,
        totals: summarize(byType, byPeriod),
        currency,
        currencies: currencies.map((c) => c.currency).sort(),
        from: from.toISOString(),
        to: to.toISOString(),
        period: query.period,
      },
      metadata: cursorPageMetadata(page.pagination),
    };
  }

  /**
   * Records one event and, in the same transaction, adds it to the subscriber's lifetime spend (and counts a
   * renewal for a subscription). A known externalId with the same figures returns the existing entry.
   */
  async record(workspaceId: string, dto: CreateEarningDto): Promise<{ created: boolean; body: EarningResponseDto }> {
    const refund = dto.type === EarningType.Refund;
    if (refund ? dto.amount >= 0 : dto.amount <= 0)
      throw badRequest('INVALID_AMOUNT', 'Amounts are positive, except refunds which are negative', [
        { field: 'amount', message: refund ? 'a refund amount must be negative' : 'amount must be positive' },
      ]);
    const occurredAt = dto.occurredAt ? new Date(dto.occurredAt) : new Date();
    if (occurredAt.getTime() > Date.now() + FUTURE_TOLERANCE_MS)
      throw badRequest('OCCURRED_IN_FUTURE', 'occurredAt is in the future', [
        { field: 'occurredAt', message: 'must not be in the future' },
      ]);

    return this.dataSource.transaction(async (manager) => {
      // Locked: concurrent events for one subscriber add up instead of racing, and its currency holds still.
      const subscriber = dto.subscriberId
        ? await this.subscriberFigures.find(workspaceId, dto.subscriberId, { manager, lock: true })
        : null;
      if (dto.subscriberId && !subscriber)
        throw referenceNotFound('SUBSCRIBER_NOT_FOUND', 'subscriberId', 'subscriber', [dto.subscriberId]);
      const currency = dto.currency ?? subscriber?.currency;
      if (!currency)
        throw badRequest('CURRENCY_REQUIRED', 'currency is required for an entry without a subscriber', [
          { field: 'currency', message: 'required without subscriberId' },
        ]);
      if (subscriber && currency !== subscriber.currency)
        throw badRequest('CURRENCY_MISMATCH', `This subscriber pays in ${subscriber.currency}`, [
          { field: 'currency', message: `must be ${subscriber.currency}, the subscriber's currency` },
        ]);

      // ON CONFLICT DO NOTHING: a replayed externalId neither aborts the transaction nor counts twice.
      const id = await this.repository.insert(manager, {
        workspaceId,
        subscriberId: subscriber?.id ?? null,
        type: dto.type,
        amount: dto.amount,
        currency,
        occurredAt,
        description: dto.description || null,
        externalId: dto.externalId ?? null,
      });
      if (id) {
        if (subscriber)
          await this.subscriberFigures.addToFigures(
            manager,
            subscriber.id,
            dto.amount,
            dto.type === EarningType.Subscription,
          );
        return {
          created: true,
          body: { success: true, data: toEarningDto(await this.repository.findById(manager, id)) },
        };
      }

      const existing = await this.repository.findByExternalId(manager, workspaceId, dto.externalId!);
      const same =
        existing.type === dto.type &&
        existing.amount === dto.amount &&
        existing.currency === currency &&
        existing.subscriberId === (subscriber?.id ?? null) &&
        (!dto.occurredAt || existing.occurredAt.getTime() === occurredAt.getTime());
      if (!same)
        throw conflict('EARNING_EXTERNAL_ID_TAKEN', 'Another entry of this workspace has this externalId', [
          { field: 'externalId', message: `already recorded as entry ${existing.id} with other figures` },
        ]);
      return { created: false, body: { success: true, data: toEarningDto(existing) } };
    });
  }
}

/** Folds the per-type sums into gross (all but refunds), refunds, net and the byType object. */
export function summarize(
  byType: { type: EarningType; amount: string | number; count: number }[],
  byPeriod: PeriodTotalDto[],
): EarningsTotalsDto {
  const types = Object.fromEntries(earningTypes.map((t) => [t, { amount: 0, count: 0 }])) as unknown as TypeTotalsDto;
  for (const row of byType) types[row.type] = { amount: Number(row.amount), count: row.count };
  const refunds = types.refund.amount;
  const net = earningTypes.reduce((sum, t) => sum + types[t].amount, 0);
  const count = earningTypes.reduce((sum, t) => sum + types[t].count, 0);
  return { gross: net - refunds, refunds, net, count, byType: types, byPeriod };
}

/** No currency, no entries: the first (and last) page of nothing. */
function emptyPage<T>(query: { page: number; pageSize: number }): CursorPaginated<T> {
  return {
    data: [],
    pagination: {
      page: query.page,
      limit: query.pageSize,
      total: 0,
      pages: 0,
      totalIsEstimate: false,
      nextCursor: null,
      prevCursor: null,
    },
  };
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import { asLimitPage, assertInWorkspace, badRequest, conflict, pageMetadata, queryPage } from '@crescendo/platform';
import { EarningEntity, EarningType, earningTypes } from './earning.entity';
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
import { findSubscriber } from './subscribers.service';

const DAY_MS = 86_400_000;
const DEFAULT_RANGE_DAYS = 30;
/** A report holds at most this many byPeriod buckets (a year of days). */
const MAX_BUCKETS = 366;
const bucketDays: Record<EarningGranularity, number> = { day: 1, week: 7, month: 31 };
/** Clock skew tolerated on occurredAt; further ahead is a typo. */
const FUTURE_TOLERANCE_MS = DAY_MS;

interface Scope {
  workspaceId: string;
  from: Date;
  to: Date;
  subscriberId?: string;
}

/** The earnings ledger: record events (updating the subscriber's figures) and report over a date range. */
@Injectable()
export class EarningsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(EarningEntity) private readonly earnings: Repository<EarningEntity>,
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
    if (query.subscriberId) await findSubscriber(this.dataSource.manager, workspaceId, query.subscriberId);
    const scope: Scope = { workspaceId, from, to, subscriberId: query.subscriberId };

    const currencies = await this.currencies(scope);
    const currency = query.currency ?? currencies[0]?.currency ?? null;
    const [[rows, total], byType, byPeriod] = await Promise.all([
      currency
        ? queryPage(
            this.scoped(scope, currency).orderBy('e.occurredAt', 'DESC').addOrderBy('e.id', 'ASC'),
            asLimitPage(query),
          )
        : Promise.resolve<[EarningEntity[], number]>([[], 0]),
      this.totalsByType(scope, currency),
      this.totalsByPeriod(scope, currency, query.period),
    ]);
    return {
      success: true,
      data: {
        entries: rows.map(toEarningDto),
        totals: summarize(byType, byPeriod),
        currency,
        currencies: currencies.map((c) => c.currency).sort(),
        from: from.toISOString(),
        to: to.toISOString(),
        period: query.period,
      },
      metadata: pageMetadata(total, query),
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
      await assertInWorkspace(manager, workspaceId, {
        table: 'subscribers',
        ids: dto.subscriberId ? [dto.subscriberId] : [],
        field: 'subscriberId',
        code: 'SUBSCRIBER_NOT_FOUND',
        noun: 'subscriber',
      });
      // Locked: concurrent events for one subscriber add up instead of racing, and its currency holds still.
      const subscriber = dto.subscriberId ? await findSubscriber(manager, workspaceId, dto.subscriberId, true) : null;
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
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(EarningEntity)
        .values({
          workspaceId,
          subscriberId: subscriber?.id ?? null,
          type: dto.type,
          amount: dto.amount,
          currency,
          occurredAt,
          description: dto.description || null,
          externalId: dto.externalId ?? null,
        })
        .orIgnore()
        .returning('id')
        .execute();
      const id = (inserted.raw as { id: string }[])[0]?.id;
      const repo = manager.getRepository(EarningEntity);
      if (id) {
        if (subscriber) {
          await manager.query(
            `UPDATE subscribers SET lifetime_spend = lifetime_spend + $1, renewals = renewals + $2, updated_at = now()
             WHERE id = $3`,
            [dto.amount, dto.type === EarningType.Subscription ? 1 : 0, subscriber.id],
          );
        }
        return { created: true, body: { success: true, data: toEarningDto(await repo.findOneByOrFail({ id })) } };
      }

      const existing = await repo.findOneByOrFail({ workspaceId, externalId: dto.externalId });
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

  /** Currencies with entries in the scope, most entries first. */
  private async currencies(scope: Scope): Promise<{ currency: string; count: number }[]> {
    const rows = await this.scoped(scope)
      .select('e.currency', 'currency')
      .addSelect('count(*)::int', 'count')
      .groupBy('e.currency')
      .orderBy('count', 'DESC')
      .addOrderBy('e.currency', 'ASC')
      .getRawMany<{ currency: string; count: number }>();
    return rows;
  }

  private scoped(scope: Scope, currency?: string): SelectQueryBuilder<EarningEntity> {
    const qb = this.earnings
      .createQueryBuilder('e')
      .where('e.workspaceId = :workspaceId', { workspaceId: scope.workspaceId })
      .andWhere('e.occurredAt >= :from AND e.occurredAt < :to', { from: scope.from, to: scope.to });
    if (scope.subscriberId) qb.andWhere('e.subscriberId = :subscriberId', { subscriberId: scope.subscriberId });
    if (currency) qb.andWhere('e.currency = :currency', { currency });
    return qb;
  }

  private async totalsByType(scope: Scope, currency: string | null) {
    if (!currency) return [];
    return this.scoped(scope, currency)
      .select('e.type', 'type')
      .addSelect('sum(e.amount)::bigint', 'amount')
      .addSelect('count(*)::int', 'count')
      .groupBy('e.type')
      .getRawMany<{ type: EarningType; amount: string; count: number }>();
  }

  /** Every UTC bucket from the one holding `from` to the one holding the last instant before `to`. */
  private async totalsByPeriod(scope: Scope, currency: string | null, period: EarningGranularity) {
    const rows: { period: string; amount: string; count: number }[] = await this.dataSource.query(
      `WITH buckets AS (
         SELECT generate_series(
           date_trunc($1, $2::timestamptz AT TIME ZONE 'UTC'),
           date_trunc($1, ($3::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC'),
           ('1 ' || $1)::interval
         ) AS period
       ), sums AS (
         SELECT date_trunc($1, occurred_at AT TIME ZONE 'UTC') AS period, sum(amount) AS amount, count(*) AS count
         FROM earnings
         WHERE workspace_id = $4 AND currency = $5 AND occurred_at >= $2 AND occurred_at < $3
           AND ($6::uuid IS NULL OR subscriber_id = $6)
         GROUP BY 1
       )
       SELECT to_char(b.period, 'YYYY-MM-DD') AS period,
              COALESCE(s.amount, 0)::bigint AS amount, COALESCE(s.count, 0)::int AS count
       FROM buckets b LEFT JOIN sums s USING (period)
       ORDER BY b.period`,
      [period, scope.from, scope.to, scope.workspaceId, currency, scope.subscriberId ?? null],
    );
    return rows.map((r) => ({ period: r.period, amount: Number(r.amount), count: r.count }));
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

export function toEarningDto(e: EarningEntity): EarningDto {
  return {
    id: e.id,
    subscriberId: e.subscriberId,
    type: e.type,
    amount: e.amount,
    currency: e.currency,
    occurredAt: e.occurredAt.toISOString(),
    description: e.description,
    externalId: e.externalId,
    createdAt: e.createdAt.toISOString(),
  };
}

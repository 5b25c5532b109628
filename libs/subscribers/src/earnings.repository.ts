import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { type CursorCodec, type CursorPaginated, type ListPageRequest, queryBuilderList } from '@crescendo/platform';
import { EarningEntity } from './earning.entity';
import type { EarningDto, EarningGranularity } from './earnings.dto';
import type { EarningType } from './subscribers.types';

export interface EarningsScope {
  workspaceId: string;
  from: Date;
  to: Date;
  subscriberId?: string;
}

/** The earnings ledger's SQL: the entries page, the per-currency, per-type and per-period sums, and inserts. */
@Injectable()
export class EarningsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The scope's entries in one currency, newest first, the id breaking ties (IDX_earnings_list_currency, or
   * IDX_earnings_list_subscriber for one subscriber).
   */
  entries(
    scope: EarningsScope,
    currency: string,
    page: { codec: CursorCodec; scope: string; request: ListPageRequest },
  ): Promise<CursorPaginated<EarningDto>> {
    return queryBuilderList(this.scoped(scope, currency), {
      ...page,
      order: { columns: ['e.occurred_at', 'e.id'], descending: true },
      map: toEarningDto,
    });
  }

  /** Currencies with entries in the scope, most entries first. */
  currencies(scope: EarningsScope): Promise<{ currency: string; count: number }[]> {
    return this.scoped(scope)
      .select('e.currency', 'currency')
      .addSelect('count(*)::int', 'count')
      .groupBy('e.currency')
      .orderBy('count', 'DESC')
      .addOrderBy('e.currency', 'ASC')
      .getRawMany<{ currency: string; count: number }>();
  }

  totalsByType(scope: EarningsScope, currency: string) {
    return this.scoped(scope, currency)
      .select('e.type', 'type')
      .addSelect('sum(e.amount)::bigint', 'amount')
      .addSelect('count(*)::int', 'count')
      .groupBy('e.type')
      .getRawMany<{ type: EarningType; amount: string; count: number }>();
  }

  /** Every UTC bucket from the one holding `from` to the one holding the last instant before `to`. */
  async totalsByPeriod(scope: EarningsScope, currency: string, period: EarningGranularity) {
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

  /** Inserts the entry unless its externalId is known (ON CONFLICT DO NOTHING); answers its id, or null. */
  async insert(
    manager: EntityManager,
    values: Omit<Partial<EarningEntity>, 'subscriber' | 'workspace'>,
  ): Promise<string | null> {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(EarningEntity)
      .values(values)
      .orIgnore()
      .returning('id')
      .execute();
    return (inserted.raw as { id: string }[])[0]?.id ?? null;
  }

  findById(manager: EntityManager, id: string): Promise<EarningEntity> {
    return manager.getRepository(EarningEntity).findOneByOrFail({ id });
  }

  findByExternalId(manager: EntityManager, workspaceId: string, externalId: string): Promise<EarningEntity> {
    return manager.getRepository(EarningEntity).findOneByOrFail({ workspaceId, externalId });
  }

  private scoped(scope: EarningsScope, currency?: string): SelectQueryBuilder<EarningEntity> {
    const qb = this.dataSource
      .getRepository(EarningEntity)
      .createQueryBuilder('e')
      .where('e.workspaceId = :workspaceId', { workspaceId: scope.workspaceId })
      .andWhere('e.occurredAt >= :from AND e.occurredAt < :to', { from: scope.from, to: scope.to });
    if (scope.subscriberId) qb.andWhere('e.subscriberId = :subscriberId', { subscriberId: scope.subscriberId });
    if (currency) qb.andWhere('e.currency = :currency', { currency });
    return qb;
  }
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

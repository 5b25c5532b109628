import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { SubscriberEntity } from './subscriber.entity';
import { SubscriberPlatform } from './subscribers.types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Subscriber and earnings figures of one currency over a period (the pricing optimizer's input). */
export interface SubscriberPricingFigures {
  subscribers: {
    total: number;
    active: number;
    expired: number;
    cancelled: number;
    paused: number;
    newInPeriod: number;
  };
  mrr: number;
  averagePrice: number | null;
  minPrice: number | null;
  maxPrice: number | null;
  priceDistribution: { price: number; subscribers: number }[];
  periodEarnings: number;
  earningsByType: { type: string; amount: number; count: number }[];
  payingSubscribers: number;
  revenuePerPayingSubscriber: number | null;
}

/**
 * The narrow reads other features make of subscribers and earnings (the chatbot links a fan to its subscriber,
 * the pricing optimizer reads the figures).
 */
@Injectable()
export class SubscriberLookupsService {
  constructor(
    @InjectRepository(SubscriberEntity) private readonly subscribers: Repository<SubscriberEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** The id of the workspace's subscriber with this platform and (normalised) handle, if any. */
  async findIdByHandle(
    workspaceId: string,
    platform: SubscriberPlatform,
    handle: string,
    manager?: EntityManager,
  ): Promise<string | null> {
    const repo = manager?.getRepository(SubscriberEntity) ?? this.subscribers;
    const row = await repo.findOne({ where: { workspaceId, platform, handle }, select: { id: true } });
    return row?.id ?? null;
  }

  /** The currency most of the workspace's subscribers pay in (then earnings), else USD. */
  async mainCurrency(workspaceId: string): Promise<string> {
    const [row] = await this.dataSource.query<{ currency: string }[]>(
      `SELECT currency FROM (
          SELECT currency, count(*) AS n, 0 AS rank FROM subscribers WHERE workspace_id = $1 GROUP BY currency
          UNION ALL
          SELECT currency, count(*) AS n, 1 AS rank FROM earnings WHERE workspace_id = $1 GROUP BY currency
        ) c ORDER BY rank, n DESC, currency LIMIT 1`,
      [workspaceId],
    );
    return row?.currency ?? 'USD';
  }

  /** Subscriber and earnings figures of one currency, all computed in SQL. */
  async pricingFigures(workspaceId: string, currency: string, periodDays: number): Promise<SubscriberPricingFigures> {
    const since = new Date(Date.now() - periodDays * DAY_MS);
    const [subs] = await this.dataSource.query<Record<string, string | null>[]>(
      `SELECT count(*) AS total,
              count(*) FILTER (WHERE status = 'active') AS active,
              count(*) FILTER (WHERE status = 'expired') AS expired,
              count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
              count(*) FILTER (WHERE status = 'paused') AS paused,
              count(*) FILTER (WHERE subscribed_since >= $3) AS new_in_period,
              coalesce(sum(monthly_price) FILTER (WHERE status = 'active'), 0) AS mrr,
              round(avg(monthly_price) FILTER (WHERE status = 'active')) AS average_price,
              min(monthly_price) FILTER (WHERE status = 'active') AS min_price,
              max(monthly_price) FILTER (WHERE status = 'active') AS max_price
         FROM subscribers WHERE workspace_id = $1 AND currency = $2`,
      [workspaceId, currency, since],
    );
    const distribution = await this.dataSource.query<{ price: number; subscribers: string }[]>(
      `SELECT monthly_price AS price, count(*) AS subscribers
         FROM subscribers WHERE workspace_id = $1 AND currency = $2 AND status = 'active'
        GROUP BY monthly_price ORDER BY count(*) DESC, monthly_price LIMIT 10`,
      [workspaceId, currency],
    );
    const byType = await this.dataSource.query<{ type: string; amount: string; count: string }[]>(
      `SELECT type, sum(amount) AS amount, count(*) AS count
         FROM earnings WHERE workspace_id = $1 AND currency = $2 AND occurred_at >= $3
        GROUP BY type ORDER BY type`,
      [workspaceId, currency, since],
    );
    const [paying] = await this.dataSource.query<{ paying: string }[]>(
      `SELECT count(DISTINCT subscriber_id) AS paying
         FROM earnings WHERE workspace_id = $1 AND currency = $2 AND occurred_at >= $3 AND amount > 0`,
      [workspaceId, currency, since],
    );
    const num = (v: string | null | undefined) => (v === null || v === undefined ? null : Number(v));
    const periodEarnings = byType.reduce((sum, r) => sum + Number(r.amount), 0);
    const payingSubscribers = Number(paying.paying);
    return {
      subscribers: {
        total: Number(subs.total),
        active: Number(subs.active),
        expired: Number(subs.expired),
        cancelled: Number(subs.cancelled),
        paused: Number(subs.paused),
        newInPeriod: Number(subs.new_in_period),
      },
      mrr: Number(subs.mrr),
      averagePrice: num(subs.average_price),
      minPrice: num(subs.min_price),
      maxPrice: num(subs.max_price),
      priceDistribution: distribution.map((d) => ({ price: Number(d.price), subscribers: Number(d.subscribers) })),
      periodEarnings,
      earningsByType: byType.map((r) => ({ type: r.type, amount: Number(r.amount), count: Number(r.count) })),
      payingSubscribers,
      revenuePerPayingSubscriber: payingSubscribers ? Math.round(periodEarnings / payingSubscribers) : null,
    };
  }
}

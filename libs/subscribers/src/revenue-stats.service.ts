import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { batchedRead, inLocalWindowSql, isLiveSized, type LocalDateWindow, localDaysSql } from '@crescendo/platform';

export type EarningsDimension = 'day' | 'type' | 'platform' | 'currency';

export interface EarningsSumRow {
  day?: string;
  type?: string;
  /** The subscriber's platform; 'unknown' once the subscriber was deleted (its earnings stay). */
  platform?: string;
  currency?: string;
  /** Minor units; refunds are negative entries, so this is net. */
  amount: number;
  count: number;
}

/**
 * The subscribers feature's narrow read interface for cross-cutting readers (analytics): sums of the
 * earnings ledger and subscriber counts of one workspace.
 */
@Injectable()
export class RevenueStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async sumEarnings(
    workspaceId: string,
    window: LocalDateWindow,
    groupBy: EarningsDimension[],
    filters: { currency?: string; days?: string[] } = {},
  ): Promise<EarningsSumRow[]> {
    const params: unknown[] = [workspaceId];
    const span = localDaysSql('e.occurred_at', window, filters.days, params);
    const where = ['e.workspace_id = $1', span.where];
    if (filters.currency) where.push(`e.currency = $${params.push(filters.currency)}`);
    // The live part of the stats (a day or two: a hundred entries) probes each subscriber by key; longer windows
    // (rollup builds) join them, which the planner hashes (it would hash all subscribers for a few entries too).
    const probe = isLiveSized(window, filters.days);
    const columns = groupBy.map((dimension) => {
      switch (dimension) {
        case 'day':
          return `${span.day} AS "day"`;
        case 'type':
          return 'e.type AS "type"';
        case 'platform':
          return probe
            ? `coalesce((SELECT s.platform FROM subscribers s WHERE s.id = e.subscriber_id), 'unknown') AS "platform"`
            : `coalesce(s.platform, 'unknown') AS "platform"`;
        case 'currency':
          return 'e.currency AS "currency"';
      }
    });
    const join = groupBy.includes('platform') && !probe ? 'LEFT JOIN subscribers s ON s.id = e.subscriber_id' : '';
    const group = groupBy.length ? `GROUP BY ${groupBy.map((_, i) => i + 1).join(', ')}` : '';
    const rows = await batchedRead<Omit<EarningsSumRow, 'amount'> & { amount: string }>(
      this.dataSource,
      `SELECT ${[...columns, 'coalesce(sum(e.amount), 0)::text AS "amount"', 'count(*)::int AS "count"'].join(', ')}
         FROM ${span.from}earnings e ${join}
        WHERE ${where.join(' AND ')}
        ${group}`,
      params,
    );
    return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
  }

  /**
   * The local days (in `timeZone`) whose sums may have changed in (after, upTo]: days of entries recorded
   * then (late entries included), and every day with entries of subscribers changed then (their platform).
   */
  async earningDaysTouchedBetween(workspaceId: string, after: Date, upTo: Date, timeZone: string): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT to_char(e.occurred_at AT TIME ZONE $4::text, 'YYYY-MM-DD') AS day
         FROM earnings e
        WHERE e.workspace_id = $1
          AND ((e.created_at > $2 AND e.created_at <= $3)
            OR e.subscriber_id IN (SELECT s.id FROM subscribers s
                                    WHERE s.workspace_id = $1 AND s.updated_at > $2 AND s.updated_at <= $3))
        ORDER BY 1`,
      [workspaceId, after, upTo, timeZone],
    )) as { day: string }[];
    return rows.map((r) => r.day);
  }

  /**
   * Entries per local day whose subscriber is gone (platform 'unknown'): a deleted subscriber leaves no
   * trace to follow, so a reader compares these counts with its own.
   */
  orphanEntriesByDay(workspaceId: string, timeZone: string): Promise<{ day: string; count: number }[]> {
    return this.dataSource.query(
      `SELECT to_char(e.occurred_at AT TIME ZONE $2::text, 'YYYY-MM-DD') AS day, count(*)::int AS count
         FROM earnings e WHERE e.workspace_id = $1 AND e.subscriber_id IS NULL GROUP BY 1`,
      [workspaceId, timeZone],
    ) as Promise<{ day: string; count: number }[]>;
  }

  /** Subscribers who subscribed inside the window, and how many are active now. */
  async subscriberCounts(workspaceId: string, window: LocalDateWindow): Promise<{ new: number; active: number }> {
    const params: unknown[] = [workspaceId];
    const inWindow = inLocalWindowSql('subscribed_since', window, params);
    const [row] = await batchedRead<{ new: number; active: number }>(
      this.dataSource,
      `SELECT count(*) FILTER (WHERE ${inWindow})::int AS "new",
              count(*) FILTER (WHERE status = 'active')::int AS "active"
         FROM subscribers WHERE workspace_id = $1`,
      params,
    );
    return row;
  }

  /**
   * Net earnings inside the window in one currency, per lead of the paying subscriber (leadId null: the
   * subscriber is linked to no lead, or was deleted).
   */
  async revenueByLead(
    workspaceId: string,
    window: LocalDateWindow,
    currency: string,
  ): Promise<{ leadId: string | null; amount: number }[]> {
    const params: unknown[] = [workspaceId, currency];
    const rows = (await this.dataSource.query(
      `SELECT s.lead_id AS "leadId", sum(e.amount)::text AS amount
         FROM earnings e LEFT JOIN subscribers s ON s.id = e.subscriber_id
        WHERE e.workspace_id = $1 AND e.currency = $2 AND ${inLocalWindowSql('e.occurred_at', window, params)}
        GROUP BY s.lead_id`,
      params,
    )) as { leadId: string | null; amount: string }[];
    return rows.map((r) => ({ leadId: r.leadId, amount: Number(r.amount) }));
  }
}

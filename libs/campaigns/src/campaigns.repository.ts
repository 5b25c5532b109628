import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  containsPattern,
  type CursorCodec,
  type CursorPaginated,
  type KeysetOrder,
  type ListPageRequest,
  queryBuilderList,
} from '@crescendo/platform';
import { liveLeadSql } from '@crescendo/leads';
import { CampaignEntity } from './campaign.entity';
import type { CampaignSortField } from './campaigns.dto';
import type { CampaignStatus, CampaignType } from './campaigns.types';

export interface CampaignFilters {
  status?: CampaignStatus;
  type?: CampaignType;
  channel?: string;
  nicheId?: string;
  q?: string;
  sortBy?: CampaignSortField;
  order?: 'asc' | 'desc';
}

/**
 * Each sort's key as indexed (migration campaigns-list-indexes). Open ends sort as 'infinity', so a missing
 * start or end comes last ascending and first descending, as before, and the key is never NULL.
 */
const sortKeys: Record<CampaignSortField, string> = {
  createdAt: 'c.created_at',
  updatedAt: 'c.updated_at',
  name: 'c.name',
  startAt: "COALESCE(c.start_at, 'infinity'::timestamptz)",
  endAt: "COALESCE(c.end_at, 'infinity'::timestamptz)",
};

export const campaignKeysetOrder = (filters: CampaignFilters): KeysetOrder => ({
  columns: [sortKeys[filters.sortBy ?? 'createdAt'], 'c.id'],
  descending: filters.order !== 'asc',
});

type CampaignChanges = QueryDeepPartialEntity<CampaignEntity>;

/** The campaigns table: the list, reads and writes (a transaction passes its manager), and the stats queries. */
@Injectable()
export class CampaignsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(
    workspaceId: string,
    filters: CampaignFilters,
    page: { codec: CursorCodec; scope: string; request: ListPageRequest },
  ): Promise<CursorPaginated<CampaignEntity>> {
    const qb = this.dataSource
      .getRepository(CampaignEntity)
      .createQueryBuilder('c')
      .where('c.workspaceId = :workspaceId', { workspaceId });
    if (filters.status) qb.andWhere('c.status = :status', { status: filters.status });
    if (filters.type) qb.andWhere('c.type = :type', { type: filters.type });
    if (filters.channel) qb.andWhere('c.channel = :channel', { channel: filters.channel });
    if (filters.nicheId) qb.andWhere('c.targetNicheIds @> ARRAY[:nicheId]::uuid[]', { nicheId: filters.nicheId });
    if (filters.q) qb.andWhere('c.name ILIKE :pattern', { pattern: containsPattern(filters.q) });
    return queryBuilderList(qb, { ...page, order: campaignKeysetOrder(filters), map: (c) => c });
  }

  find(
    workspaceId: string,
    campaignId: string,
    options: { manager?: EntityManager; lock?: boolean } = {},
  ): Promise<CampaignEntity | null> {
    return (options.manager ?? this.dataSource.manager).getRepository(CampaignEntity).findOne({
      where: { id: campaignId, workspaceId },
      ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  async existingIds(workspaceId: string, ids: string[]): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(CampaignEntity)
      .find({ where: { workspaceId, id: In(ids) }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  async idByName(manager: EntityManager, workspaceId: string, name: string): Promise<string | null> {
    const row = await manager
      .getRepository(CampaignEntity)
      .findOne({ where: { workspaceId, name }, select: { id: true } });
    return row?.id ?? null;
  }

  async insert(manager: EntityManager, values: Partial<CampaignEntity>): Promise<string> {
    const repo = manager.getRepository(CampaignEntity);
    return (await repo.save(repo.create(values))).id;
  }

  async update(manager: EntityManager, campaignId: string, patch: Partial<CampaignEntity>): Promise<void> {
    await manager.getRepository(CampaignEntity).update({ id: campaignId }, patch as CampaignChanges);
  }

  async delete(manager: EntityManager, campaignId: string): Promise<void> {
    await manager.getRepository(CampaignEntity).delete({ id: campaignId });
  }

  /** Funnel totals of a campaign's enrollments whose lead is live (a restore brings them back). */
  async totals(workspaceId: string, campaignId: string): Promise<CampaignTotalsRow> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS enrolled,
              count(contacted_at)::int AS contacted,
              count(replied_at)::int AS replied,
              count(converted_at)::int AS converted,
              coalesce(sum(revenue), 0)::text AS revenue
         FROM campaign_leads cl
        WHERE cl.campaign_id = $1 AND cl.workspace_id = $2 AND EXISTS (${liveLeadSql('cl.lead_id', 'cl.workspace_id')})`,
      [campaignId, workspaceId],
    )) as CampaignTotalsRow[];
    return row;
  }

  /** One row per day of [from, to]: what happened to the campaign's enrollments that day. */
  series(workspaceId: string, campaignId: string, from: string, to: string): Promise<CampaignDayRow[]> {
    return this.dataSource.query(
      `WITH days AS (SELECT d::date AS day FROM generate_series($3::date, $4::date, interval '1 day') AS d),
            cl AS (
              SELECT (enrolled_at AT TIME ZONE 'UTC')::date AS enrolled_day,
                     (contacted_at AT TIME ZONE 'UTC')::date AS contacted_day,
                     (replied_at AT TIME ZONE 'UTC')::date AS replied_day,
                     (converted_at AT TIME ZONE 'UTC')::date AS converted_day,
                     revenue
                FROM campaign_leads cl
               WHERE cl.campaign_id = $1 AND cl.workspace_id = $2 AND EXISTS (${liveLeadSql('cl.lead_id', 'cl.workspace_id')})
            )
       SELECT to_char(days.day, 'YYYY-MM-DD') AS date,
              count(*) FILTER (WHERE cl.enrolled_day = days.day)::int AS enrolled,
              count(*) FILTER (WHERE cl.contacted_day = days.day)::int AS contacted,
              count(*) FILTER (WHERE cl.replied_day = days.day)::int AS replied,
              count(*) FILTER (WHERE cl.converted_day = days.day)::int AS converted,
              coalesce(sum(cl.revenue) FILTER (WHERE cl.converted_day = days.day), 0)::text AS revenue
         FROM days
         LEFT JOIN cl ON days.day IN (cl.enrolled_day, cl.contacted_day, cl.replied_day, cl.converted_day)
        GROUP BY days.day
        ORDER BY days.day`,
      [campaignId, workspaceId, from, to],
    );
  }
}

export interface CampaignTotalsRow {
  enrolled: number;
  contacted: number;
  replied: number;
  converted: number;
  revenue: string;
}

export interface CampaignDayRow extends CampaignTotalsRow {
  date: string;
}

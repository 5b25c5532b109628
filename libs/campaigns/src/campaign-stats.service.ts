import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { batchedRead, inLocalWindowSql, isLiveSized, type LocalDateWindow, localDaysSql } from '@crescendo/platform';

export interface CampaignStatsFilters {
  campaignId?: string;
  /** Campaigns that target this niche. */
  nicheId?: string;
}

/** One campaign's enrollments made inside a window, by the furthest stage each has reached so far. */
export interface CampaignFunnelRow {
  id: string;
  name: string;
  status: string;
  type: string;
  currency: string | null;
  enrolled: number;
  contacted: number;
  replied: number;
  converted: number;
  /** Minor units of `currency`, attributed to those enrollments. */
  revenue: number;
}

/** Enrollments of one campaign made on one local day, by the furthest stage reached so far. */
export interface EnrollmentDayRow {
  day: string;
  campaignId: string;
  enrolled: number;
  contacted: number;
  replied: number;
  converted: number;
  revenue: number;
}

/** A campaign as the stats list it (no figures). */
export interface CampaignStatsInfo {
  id: string;
  name: string;
  status: string;
  type: string;
  currency: string | null;
}

export interface RecentCampaignRow {
  id: string;
  name: string;
  status: string;
  type: string;
  updatedAt: string;
}

/**
 * The campaigns feature's narrow read interface for cross-cutting readers (analytics): aggregates per
 * campaign of one workspace; enrollments of deleted leads do not count.
 */
@Injectable()
export class CampaignStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async funnel(
    workspaceId: string,
    window: LocalDateWindow,
    filters: CampaignStatsFilters = {},
  ): Promise<CampaignFunnelRow[]> {
    const params: unknown[] = [workspaceId];
    const where = ['c.workspace_id = $1'];
    if (filters.campaignId) where.push(`c.id = $${params.push(filters.campaignId)}`);
    if (filters.nicheId) where.push(`$${params.push(filters.nicheId)}::uuid = ANY(c.target_niche_ids)`);
    const enrolledInWindow = inLocalWindowSql('cl.enrolled_at', window, params);
    const rows = await batchedRead<Omit<CampaignFunnelRow, 'revenue'> & { revenue: string }>(
      this.dataSource,
      `SELECT c.id, c.name, c.status, c.type, c.currency,
              count(cl.id)::int AS enrolled,
              count(*) FILTER (WHERE cl.stage IN ('contacted', 'replied', 'converted'))::int AS contacted,
              count(*) FILTER (WHERE cl.stage IN ('replied', 'converted'))::int AS replied,
              count(*) FILTER (WHERE cl.stage = 'converted')::int AS converted,
              coalesce(sum(cl.revenue), 0)::text AS revenue
         FROM campaigns c
         LEFT JOIN campaign_leads cl
           ON cl.campaign_id = c.id AND cl.workspace_id = c.workspace_id AND ${enrolledInWindow}
          AND EXISTS (SELECT 1 FROM leads l WHERE l.id = cl.lead_id AND l.deleted_at IS NULL)
        WHERE ${where.join(' AND ')}
        GROUP BY c.id
        ORDER BY c.name, c.id`,
      params,
    );
    return rows.map((r) => ({ ...r, revenue: Number(r.revenue) }));
  }

  /** The workspace's campaigns (filtered), by name: the rows `funnel` answers, without figures. */
  list(workspaceId: string, filters: CampaignStatsFilters = {}): Promise<CampaignStatsInfo[]> {
    const params: unknown[] = [workspaceId];
    const where = ['c.workspace_id = $1'];
    if (filters.campaignId) where.push(`c.id = $${params.push(filters.campaignId)}`);
    if (filters.nicheId) where.push(`$${params.push(filters.nicheId)}::uuid = ANY(c.target_niche_ids)`);
    return batchedRead<CampaignStatsInfo>(
      this.dataSource,
      `SELECT c.id, c.name, c.status, c.type, c.currency FROM campaigns c
        WHERE ${where.join(' AND ')} ORDER BY c.name, c.id`,
      params,
    );
  }

  /**
   * Enrollments of live leads made inside the window (or only on some of its local `days`), per local day
   * and campaign, by the furthest stage reached so far.
   */
  async enrollmentsByDay(
    workspaceId: string,
    window: LocalDateWindow,
    filters: { days?: string[] } = {},
  ): Promise<EnrollmentDayRow[]> {
    const params: unknown[] = [workspaceId];
    const span = localDaysSql('cl.enrolled_at', window, filters.days, params);
    // A day or two (the live part of the stats, by IDX_campaign_leads_enrolled) probes each lead by key; over
    // longer windows (rollup builds) the planner's hash of the leads is the right plan.
    const live = isLiveSized(window, filters.days)
      ? '(SELECT l.deleted_at IS NULL FROM leads l WHERE l.id = cl.lead_id)'
      : 'EXISTS (SELECT 1 FROM leads l WHERE l.id = cl.lead_id AND l.deleted_at IS NULL)';
    const rows = await batchedRead<Omit<EnrollmentDayRow, 'revenue'> & { revenue: string }>(
      this.dataSource,
      `SELECT ${span.day} AS "day", cl.campaign_id AS "campaignId",
              count(*)::int AS enrolled,
              count(*) FILTER (WHERE cl.stage IN ('contacted', 'replied', 'converted'))::int AS contacted,
              count(*) FILTER (WHERE cl.stage IN ('replied', 'converted'))::int AS replied,
              count(*) FILTER (WHERE cl.stage = 'converted')::int AS converted,
              coalesce(sum(cl.revenue), 0)::text AS revenue
         FROM ${span.from}campaign_leads cl
        WHERE cl.workspace_id = $1 AND ${span.where} AND ${live}
        GROUP BY 1, 2`,
      params,
    );
    return rows.map((r) => ({ ...r, revenue: Number(r.revenue) }));
  }

  /**
   * The local enrollment days (in `timeZone`) whose figures may have changed in (after, upTo]: enrollments
   * made or moved then, and every enrollment of `leadIds` (leads deleted or restored then); and the campaigns
   * of the enrollments changed then (an enrollment moved to another day also changed the day it left, which
   * only the caller's rollup still knows).
   */
  async enrollmentDaysTouchedBetween(
    workspaceId: string,
    after: Date,
    upTo: Date,
    leadIds: string[],
    timeZone: string,
  ): Promise<{ days: string[]; changedCampaignIds: string[] }> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT to_char(cl.enrolled_at AT TIME ZONE $5::text, 'YYYY-MM-DD') AS day, cl.campaign_id AS "campaignId",
              (cl.updated_at > $2 AND cl.updated_at <= $3) AS changed
         FROM campaign_leads cl
        WHERE cl.workspace_id = $1
          AND ((cl.updated_at > $2 AND cl.updated_at <= $3) OR cl.lead_id = ANY($4::uuid[]))`,
      [workspaceId, after, upTo, leadIds, timeZone],
    )) as { day: string; campaignId: string; changed: boolean }[];
    return {
      days: [...new Set(rows.map((r) => r.day))].sort(),
      changedCampaignIds: [...new Set(rows.filter((r) => r.changed).map((r) => r.campaignId))],
    };
  }

  /** How many campaigns the workspace has in each status (now). */
  countByStatus(workspaceId: string): Promise<{ status: string; count: number }[]> {
    return batchedRead<{ status: string; count: number }>(
      this.dataSource,
      'SELECT status, count(*)::int AS count FROM campaigns WHERE workspace_id = $1 GROUP BY status',
      [workspaceId],
    );
  }

  /** The campaigns changed most recently. */
  recent(workspaceId: string, limit: number): Promise<RecentCampaignRow[]> {
    return this.dataSource.query(
      `SELECT id, name, status, type, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"
         FROM campaigns WHERE workspace_id = $1 ORDER BY updated_at DESC, id DESC LIMIT $2`,
      [workspaceId, limit],
    ) as Promise<RecentCampaignRow[]>;
  }

  /** The campaigns these leads were enrolled in, and when (touches for revenue attribution). */
  enrollmentsOf(
    workspaceId: string,
    leadIds: string[],
  ): Promise<{ leadId: string; campaignId: string; name: string; at: Date }[]> {
    return this.dataSource.query(
      `SELECT cl.lead_id AS "leadId", c.id AS "campaignId", c.name, cl.enrolled_at AS at
         FROM campaign_leads cl JOIN campaigns c ON c.id = cl.campaign_id
        WHERE cl.workspace_id = $1 AND cl.lead_id = ANY($2::uuid[])`,
      [workspaceId, leadIds],
    ) as Promise<{ leadId: string; campaignId: string; name: string; at: Date }[]>;
  }
}

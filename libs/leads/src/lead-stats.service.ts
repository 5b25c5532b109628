import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { inLocalWindowSql, type LocalDateWindow, localDaySql } from '@crescendo/platform';

export type LeadStatsDimension = 'day' | 'status' | 'source' | 'nicheId';

export interface LeadStatsFilters {
  nicheId?: string;
  source?: string;
  /** Only leads created on these local days (YYYY-MM-DD in the window's time zone). */
  days?: string[];
}

export interface LeadCountRow {
  day?: string;
  status?: string;
  source?: string | null;
  nicheId?: string | null;
  count: number;
}

/**
 * The leads feature's narrow read interface for cross-cutting readers (analytics): aggregate counts only,
 * never rows, always scoped to one workspace and to live (not deleted) leads.
 */
@Injectable()
export class LeadStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Live leads created inside `window` (null: ever), counted per combination of `groupBy`, by their
   * current status.
   */
  async countCreated(
    workspaceId: string,
    window: LocalDateWindow | null,
    groupBy: LeadStatsDimension[],
    filters: LeadStatsFilters = {},
  ): Promise<LeadCountRow[]> {
    const params: unknown[] = [workspaceId];
    const where = ['l.workspace_id = $1', 'l.deleted_at IS NULL'];
    if (window) where.push(inLocalWindowSql('l.created_at', window, params));
    if (filters.nicheId) where.push(`l.niche_id = $${params.push(filters.nicheId)}`);
    if (filters.source) where.push(`l.source = $${params.push(filters.source)}`);
    if (filters.days) {
      if (!window) throw new Error('filtering by days needs a window');
      where.push(`${localDaySql('l.created_at', window, params)} = ANY($${params.push(filters.days)}::text[])`);
    }
    const columns = groupBy.map((dimension) => {
      switch (dimension) {
        case 'day':
          if (!window) throw new Error('grouping by day needs a window');
          return `${localDaySql('l.created_at', window, params)} AS "day"`;
        case 'status':
          return 'l.status AS "status"';
        case 'source':
          return 'l.source AS "source"';
        case 'nicheId':
          return 'l.niche_id AS "nicheId"';
      }
    });
    const group = groupBy.length ? `GROUP BY ${groupBy.map((_, i) => i + 1).join(', ')}` : '';
    return this.dataSource.query(
      `SELECT ${[...columns, 'count(*)::int AS "count"'].join(', ')}
         FROM leads l
        WHERE ${where.join(' AND ')}
        ${group}`,
      params,
    ) as Promise<LeadCountRow[]>;
  }

  /** Timeline entries of live leads inside the window, per entry type (how much was done with leads). */
  async countEvents(workspaceId: string, window: LocalDateWindow): Promise<{ type: string; count: number }[]> {
    const params: unknown[] = [workspaceId];
    const inWindow = inLocalWindowSql('e.created_at', window, params);
    return this.dataSource.query(
      `SELECT e.type AS "type", count(*)::int AS "count"
         FROM lead_events e
        WHERE e.workspace_id = $1 AND ${inWindow}
          AND EXISTS (SELECT 1 FROM leads l WHERE l.id = e.lead_id AND l.deleted_at IS NULL)
        GROUP BY e.type`,
      params,
    ) as Promise<{ type: string; count: number }[]>;
  }

  /**
   * The local days (in `timeZone`) on which the leads whose timeline got an entry in (after, upTo] were
   * created, deleted leads included: every change to a lead writes such an entry, so these are the days
   * whose counts may have changed.
   */
  async createdDaysTouchedBetween(workspaceId: string, after: Date, upTo: Date, timeZone: string): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT to_char(l.created_at AT TIME ZONE $4::text, 'YYYY-MM-DD') AS day
         FROM lead_events e
         JOIN leads l ON l.id = e.lead_id
        WHERE e.workspace_id = $1 AND e.created_at > $2 AND e.created_at <= $3
        ORDER BY 1`,
      [workspaceId, after, upTo, timeZone],
    )) as { day: string }[];
    return rows.map((r) => r.day);
  }

  /** Every niche of the workspace (id and name), by name. */
  niches(workspaceId: string): Promise<{ id: string; name: string }[]> {
    return this.dataSource.query('SELECT id, name FROM niches WHERE workspace_id = $1 ORDER BY name, id', [
      workspaceId,
    ]) as Promise<{ id: string; name: string }[]>;
  }

  /** When AI agents acted on these leads (their timelines' agent entries): touches for revenue attribution. */
  agentTouches(
    workspaceId: string,
    leadIds: string[],
  ): Promise<{ leadId: string; agentId: string; agentName: string; at: Date }[]> {
    return this.dataSource.query(
      `SELECT e.lead_id AS "leadId", e.data->>'agentId' AS "agentId", coalesce(e.data->>'agentName', '') AS "agentName",
              e.created_at AS at
         FROM lead_events e
        WHERE e.workspace_id = $1 AND e.lead_id = ANY($2::uuid[]) AND e.type = 'agent_action'
          AND e.data ? 'agentId'`,
      [workspaceId, leadIds],
    ) as Promise<{ leadId: string; agentId: string; agentName: string; at: Date }[]>;
  }
}

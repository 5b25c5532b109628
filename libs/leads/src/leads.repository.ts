import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  boundedCount,
  type CursorPosition,
  type CursorValues,
  type KeyedRow,
  keysetPageSql,
  keysetSql,
  pgPool,
  preparedStatement,
} from '@crescendo/platform';
import { leadFilterSql, leadKeysetOrder, type LeadFilterQuery } from './lead-filters';
import type { LeadStatus } from './leads.types';
import type { LeadResponseDto } from './leads.dto';

/**
 * A timestamp as Date.toISOString() writes it (UTC, milliseconds, microseconds truncated as pg's Date
 * parsing does), formatted by Postgres: parsing then formatting 60 dates a page took ~8 % of the list's CPU.
 */
const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** LEAD_COLUMNS of a list page (aliased `l`) with its dates as ISO text; sorting still uses the timestamps. */
export const LEAD_OUTPUT_COLUMNS = `l.id, l.name, l.email, l.phone, l.company, l.job_title, l.source, l.status, l.niche_id,
  l.tags, l.score, l.notes, l.custom_fields, l.owner_id, ${isoText('l.last_contacted_at')} AS last_contacted_at,
  ${isoText('l.created_at')} AS created_at, ${isoText('l.updated_at')} AS updated_at`;

export interface LeadRow {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  job_title: string | null;
  source: string | null;
  status: LeadStatus;
  niche_id: string | null;
  tags: string[];
  score: number;
  notes: string | null;
  custom_fields: Record<string, unknown>;
  owner_id: string | null;
  last_contacted_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A lead locked by a bulk action, as it was before. */
export interface LockedLeadRow {
  id: string;
  name: string;
  status: LeadStatus;
  last_contacted_at: string | null;
  deleted: boolean;
  /** Days since it was deleted (0 when it is not). */
  deleted_days: number;
}

/** The API's lead, from a row of LEAD_OUTPUT_COLUMNS. */
export function rowToLeadResponse(r: LeadRow): LeadResponseDto {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    company: r.company,
    jobTitle: r.job_title,
    source: r.source,
    status: r.status,
    nicheId: r.niche_id,
    tags: r.tags,
    score: r.score,
    notes: r.notes,
    customFields: r.custom_fields,
    ownerId: r.owner_id,
    lastContactedAt: r.last_contacted_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The SQL of the leads list: one page by seek or offset, and the filtered set's bounded total. */
@Injectable()
export class LeadsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The hottest read of the app: plain SQL on the pg pool (no query builder, no entities), prepared (each pooled
   * connection parses one text per shape of filters, sort and seek once), dates as ISO text from Postgres.
   */
  async listPage(
    workspaceId: string,
    filters: LeadFilterQuery,
    position: CursorPosition | null,
    take: number,
    offset: number,
  ): Promise<KeyedRow<LeadRow>[]> {
    const { where, params } = leadFilterSql(workspaceId, filters);
    const order = leadKeysetOrder(filters);
    const seek = keysetSql(order, position, params.length + 1);
    const values = [...params, ...seek.params, take];
    const paging = offset > 0 ? ` OFFSET $${values.push(offset)}` : '';
    const { rows } = await pgPool(this.dataSource).query<LeadRow & { cursor_key: CursorValues }>(
      preparedStatement(
        keysetPageSql({
          from: `leads l WHERE ${where}${seek.where ? ` AND ${seek.where}` : ''}`,
          alias: 'l',
          outputs: LEAD_OUTPUT_COLUMNS,
          order,
          orderBy: seek.orderBy,
          paging: `LIMIT $${params.length + seek.params.length + 1}${paging}`,
        }),
        values,
      ),
    );
    // The row keeps its cursor_key (rowToLeadResponse picks its fields): a rest copy of each row cost more.
    return rows.map((row) => ({ row, key: row.cursor_key }));
  }

  /**
   * Locks the workspace's leads among `ids` for a bulk action (in id order: two bulk actions on overlapping
   * sets take their locks in the same order), with what the action needs of each before it changes them.
   * Deleted leads are included only with `withDeleted` (restore), with their age in days.
   */
  async lockForBulk(
    manager: EntityManager,
    workspaceId: string,
    ids: string[],
    withDeleted = false,
  ): Promise<LockedLeadRow[]> {
    return (await manager.query(
      `SELECT id, name, status, ${isoText('last_contacted_at')} AS last_contacted_at,
              deleted_at IS NOT NULL AS deleted,
              COALESCE(extract(epoch FROM now() - deleted_at) / 86400, 0)::float8 AS deleted_days
         FROM leads
        WHERE workspace_id = $1 AND id = ANY($2::uuid[])${withDeleted ? '' : ' AND deleted_at IS NULL'}
        ORDER BY id
          FOR UPDATE`,
      [workspaceId, ids],
    )) as LockedLeadRow[];
  }

  /** Sets one status on the (locked, live) leads; becoming contacted sets last_contacted_at to now, as PUT does. */
  async setStatus(manager: EntityManager, workspaceId: string, ids: string[], status: LeadStatus): Promise<LeadRow[]> {
    if (!ids.length) return [];
    const [rows] = (await manager.query(
      `UPDATE leads AS l
          SET status = $3::varchar,
              last_contacted_at = CASE WHEN $3::varchar = 'contacted' THEN date_trunc('milliseconds', now())
                                       ELSE l.last_contacted_at END,
              updated_at = now()
        WHERE l.workspace_id = $1 AND l.id = ANY($2::uuid[]) AND l.deleted_at IS NULL
        RETURNING ${LEAD_OUTPUT_COLUMNS}`,
      [workspaceId, ids, status],
    )) as [LeadRow[], number];
    return rows;
  }

  /** Soft-deletes (deleted) or brings back (restored) the locked leads. */
  async setDeleted(manager: EntityManager, workspaceId: string, ids: string[], deleted: boolean): Promise<void> {
    if (!ids.length) return;
    await manager.query(
      `UPDATE leads SET deleted_at = ${deleted ? 'now()' : 'NULL'}, updated_at = now()
        WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS ${deleted ? 'NULL' : 'NOT NULL'}`,
      [workspaceId, ids],
    );
  }

  /**
   * Among deleted leads about to be restored, those whose e-mail a live lead of the workspace now has, or
   * another of them has too (the unique index on live e-mails would refuse the restore).
   */
  async emailClashes(manager: EntityManager, workspaceId: string, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = (await manager.query(
      `SELECT d.id FROM leads d
        WHERE d.workspace_id = $1 AND d.id = ANY($2::uuid[]) AND d.email IS NOT NULL
          AND EXISTS (SELECT 1 FROM leads o
                       WHERE o.workspace_id = $1 AND o.email = d.email AND o.id <> d.id
                         AND (o.deleted_at IS NULL OR o.id = ANY($2::uuid[])))
        ORDER BY d.id`,
      [workspaceId, ids],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** The campaigns each lead is enrolled in (as GET /api/leads/:id lists them), for the events of a bulk change. */
  async campaignIds(manager: EntityManager, workspaceId: string, ids: string[]): Promise<Map<string, string[]>> {
    if (!ids.length) return new Map();
    const rows = (await manager.query(
      `SELECT lead_id, array_agg(campaign_id::text ORDER BY enrolled_at, campaign_id) AS ids
         FROM campaign_leads WHERE workspace_id = $1 AND lead_id = ANY($2::uuid[])
        GROUP BY lead_id`,
      [workspaceId, ids],
    )) as { lead_id: string; ids: string[] }[];
    return new Map(rows.map((r) => [r.lead_id, r.ids]));
  }

  listTotal(workspaceId: string, filters: LeadFilterQuery): Promise<{ total: number; totalIsEstimate: boolean }> {
    const { where, params } = leadFilterSql(workspaceId, filters);
    return boundedCount(
      (text, values) => pgPool(this.dataSource).query(text, values),
      `leads l WHERE ${where}`,
      params,
    );
  }
}

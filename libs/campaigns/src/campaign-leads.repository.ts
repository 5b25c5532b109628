import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  boundedCount,
  type CursorPosition,
  type CursorValues,
  type KeyedRow,
  type KeysetOrder,
  keysetPageSql,
  keysetSql,
} from '@crescendo/platform';
import { liveLeadSql, type LeadStatus } from '@crescendo/leads';
import { CampaignLeadEntity } from './campaign-lead.entity';
import type { CampaignLeadResponseDto } from './campaign-leads.dto';
import type { CampaignLeadStage } from './campaigns.types';

/** Newest enrollments first; the lead id breaks ties (index IDX_campaign_leads_list). */
export const campaignLeadsOrder: KeysetOrder = { columns: ['cl.enrolled_at', 'cl.lead_id'], descending: true };

/** An enrollment joined to its live lead (a deleted lead's enrollment is kept but hidden, restorable). */
const fromEnrollments = `campaign_leads cl JOIN LATERAL (${liveLeadSql('cl.lead_id', 'cl.workspace_id')}) l ON true`;

/** An EnrollmentRow's columns, the enrollment's aliased `cl` and the lead's `l` (`cl` too over a page's rows). */
const enrollmentColumns = (l = 'l') => `cl.lead_id AS "leadId", cl.campaign_id AS "campaignId", ${l}.name, ${l}.email,
  ${l}.company, ${l}.status AS "leadStatus", cl.stage, cl.enrolled_at AS "enrolledAt", cl.contacted_at AS "contactedAt",
  cl.replied_at AS "repliedAt", cl.converted_at AS "convertedAt", cl.revenue::text AS revenue`;

export interface EnrollmentRow {
  leadId: string;
  campaignId: string;
  name: string;
  email: string | null;
  company: string | null;
  leadStatus: LeadStatus;
  stage: CampaignLeadStage;
  enrolledAt: Date;
  contactedAt: Date | null;
  repliedAt: Date | null;
  convertedAt: Date | null;
  revenue: string;
}

type Stamps = Pick<CampaignLeadEntity, 'stage' | 'contactedAt' | 'repliedAt' | 'convertedAt' | 'revenue'>;

/** The campaign_leads table: the enrollment list, enrolling, moving and removing enrollments. */
@Injectable()
export class CampaignLeadsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private where(workspaceId: string, campaignId: string, stage?: CampaignLeadStage) {
    const params: unknown[] = [campaignId, workspaceId];
    let where = 'cl.campaign_id = $1 AND cl.workspace_id = $2';
    if (stage) where += ` AND cl.stage = $${params.push(stage)}`;
    return { where, params };
  }

  async listPage(
    workspaceId: string,
    campaignId: string,
    stage: CampaignLeadStage | undefined,
    position: CursorPosition | null,
    take: number,
    offset: number,
  ): Promise<KeyedRow<EnrollmentRow>[]> {
    const { where, params } = this.where(workspaceId, campaignId, stage);
    const seek = keysetSql(campaignLeadsOrder, position, params.length + 1);
    const values = [...params, ...seek.params, take, offset];
    const rows = (await this.dataSource.query(
      keysetPageSql({
        from: `${fromEnrollments} WHERE ${where}${seek.where ? ` AND ${seek.where}` : ''}`,
        alias: 'cl',
        rowColumns: 'cl.*, l.*',
        outputs: enrollmentColumns('cl'),
        order: campaignLeadsOrder,
        orderBy: seek.orderBy,
        paging: `LIMIT $${values.length - 1} OFFSET $${values.length}`,
      }),
      values,
    )) as (EnrollmentRow & { cursor_key: CursorValues })[];
    return rows.map(({ cursor_key, ...row }) => ({ row, key: cursor_key }));
  }

  listTotal(workspaceId: string, campaignId: string, stage?: CampaignLeadStage) {
    const { where, params } = this.where(workspaceId, campaignId, stage);
    return boundedCount(
      (text, values) => this.dataSource.query(text, values).then((rows: Record<string, unknown>[]) => ({ rows })),
      `${fromEnrollments} WHERE ${where}`,
      params,
    );
  }

  async detail(
    manager: EntityManager,
    workspaceId: string,
    campaignId: string,
    leadId: string,
  ): Promise<EnrollmentRow | null> {
    const [row] = (await manager.query(
      `SELECT ${enrollmentColumns()} FROM ${fromEnrollments}
        WHERE cl.campaign_id = $1 AND cl.lead_id = $2 AND cl.workspace_id = $3`,
      [campaignId, leadId, workspaceId],
    )) as EnrollmentRow[];
    return row ?? null;
  }

  /** Of these leads, those that are not live leads of the workspace. */
  async missingLeads(manager: EntityManager, workspaceId: string, leadIds: string[]): Promise<string[]> {
    const rows = (await manager.query(
      `SELECT lead_id FROM unnest($2::uuid[]) AS lead_id WHERE NOT EXISTS (${liveLeadSql('lead_id', '$1')})`,
      [workspaceId, leadIds],
    )) as { lead_id: string }[];
    return rows.map((r) => r.lead_id);
  }

  /** Enrolls the leads not enrolled yet; answers those it enrolled. */
  async enroll(manager: EntityManager, workspaceId: string, campaignId: string, leadIds: string[]): Promise<string[]> {
    const inserted = (await manager.query(
      `INSERT INTO campaign_leads (campaign_id, lead_id, workspace_id)
       SELECT $1, lead_id, $2 FROM unnest($3::uuid[]) AS lead_id
       ON CONFLICT ON CONSTRAINT "UQ_campaign_leads_campaign_lead" DO NOTHING
       RETURNING lead_id`,
      [campaignId, workspaceId, leadIds],
    )) as { lead_id: string }[];
    return inserted.map((r) => r.lead_id);
  }

  findLocked(manager: EntityManager, workspaceId: string, campaignId: string, leadId: string) {
    return manager.getRepository(CampaignLeadEntity).findOne({
      where: { campaignId, leadId, workspaceId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async update(manager: EntityManager, id: string, patch: Partial<Stamps>): Promise<void> {
    await manager.getRepository(CampaignLeadEntity).update({ id }, patch);
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.getRepository(CampaignLeadEntity).delete({ id });
  }
}

export function toCampaignLeadResponse(r: EnrollmentRow): CampaignLeadResponseDto {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    leadId: r.leadId,
    campaignId: r.campaignId,
    name: r.name,
    email: r.email,
    company: r.company,
    leadStatus: r.leadStatus,
    stage: r.stage,
    enrolledAt: new Date(r.enrolledAt).toISOString(),
    contactedAt: iso(r.contactedAt),
    repliedAt: iso(r.repliedAt),
    convertedAt: iso(r.convertedAt),
    revenue: Number(r.revenue),
  };
}

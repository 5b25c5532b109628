import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { insertLeadEvent, LeadEntity, LeadEventType, LeadStatus, toLeadResponse } from '@crescendo/leads';
import {
  AppException,
  badRequest,
  conflict,
  DomainEventType,
  EventPublisher,
  notFound,
  paginate,
  Paginated,
  Principal,
  skipOf,
} from '@crescendo/platform';
import { CampaignLeadEntity, CampaignLeadStage, campaignLeadStages } from './campaign-lead.entity';
import { isEnrollableStatus } from './campaign-status';
import {
  CampaignLeadResponseDto,
  EnrollLeadsDto,
  EnrollLeadsResponseDto,
  ListCampaignLeadsQueryDto,
  UpdateCampaignLeadDto,
} from './campaign-leads.dto';
import { findCampaign } from './campaigns.service';

/** The timestamp column each stage sets when it is reached. */
const stageColumn = {
  [CampaignLeadStage.Enrolled]: 'enrolledAt',
  [CampaignLeadStage.Contacted]: 'contactedAt',
  [CampaignLeadStage.Replied]: 'repliedAt',
  [CampaignLeadStage.Converted]: 'convertedAt',
} as const;

const selectEnrollment = `
  SELECT cl.lead_id AS "leadId", cl.campaign_id AS "campaignId", l.name, l.email, l.company,
         l.status AS "leadStatus", cl.stage, cl.enrolled_at AS "enrolledAt", cl.contacted_at AS "contactedAt",
         cl.replied_at AS "repliedAt", cl.converted_at AS "convertedAt", cl.revenue::text AS revenue
    FROM campaign_leads cl
    JOIN leads l ON l.id = cl.lead_id AND l.deleted_at IS NULL`;

interface EnrollmentRow {
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

/** Leads enrolled in a campaign and their progress through its funnel. */
@Injectable()
export class CampaignLeadsService {
  constructor(
    private readonly events: EventPublisher,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async list(
    workspaceId: string,
    campaignId: string,
    query: ListCampaignLeadsQueryDto,
  ): Promise<Paginated<CampaignLeadResponseDto>> {
    await findCampaign(this.dataSource.manager, workspaceId, campaignId);
    const params: unknown[] = [campaignId, workspaceId];
    let where = 'cl.campaign_id = $1 AND cl.workspace_id = $2';
    if (query.stage) {
      params.push(query.stage);
      where += ` AND cl.stage = $${params.length}`;
    }
    const [rows, [{ count }]] = await Promise.all([
      this.dataSource.query(
        `${selectEnrollment} WHERE ${where} ORDER BY cl.enrolled_at DESC, cl.lead_id ASC LIMIT ${query.limit} OFFSET ${skipOf(query)}`,
        params,
      ) as Promise<EnrollmentRow[]>,
      this.dataSource.query(
        `SELECT count(*)::int AS count FROM campaign_leads cl
           JOIN leads l ON l.id = cl.lead_id AND l.deleted_at IS NULL WHERE ${where}`,
        params,
      ) as Promise<{ count: number }[]>,
    ]);
    return paginate(rows.map(toCampaignLeadResponse), count, query);
  }

  /** Enrolls every lead or none: an unknown lead fails the whole request; one already enrolled is skipped. */
  async enroll(principal: Principal, campaignId: string, dto: EnrollLeadsDto): Promise<EnrollLeadsResponseDto> {
    const { workspaceId } = principal;
    return this.dataSource.transaction(async (manager) => {
      const campaign = await findCampaign(manager, workspaceId, campaignId, true);
      if (!isEnrollableStatus(campaign.status)) {
        throw conflict('CAMPAIGN_NOT_ENROLLABLE', `Leads cannot be enrolled in a ${campaign.status} campaign`);
      }
      const found: { id: string }[] = await manager.query(
        'SELECT id FROM leads WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL',
        [workspaceId, dto.leadIds],
      );
      const known = new Set(found.map((r) => r.id));
      const missing = dto.leadIds.filter((id) => !known.has(id));
      if (missing.length) {
        throw new AppException(
          HttpStatus.NOT_FOUND,
          'LEAD_NOT_FOUND',
          `${missing.length} lead(s) not found in this workspace; nothing was enrolled`,
          missing.map((id) => ({ field: 'leadIds', message: `lead ${id} not found` })),
        );
      }
      const inserted: { lead_id: string }[] = await manager.query(
        `INSERT INTO campaign_leads (campaign_id, lead_id, workspace_id)
         SELECT $1, lead_id, $2 FROM unnest($3::uuid[]) AS lead_id
         ON CONFLICT ON CONSTRAINT "UQ_campaign_leads_campaign_lead" DO NOTHING
         RETURNING lead_id`,
        [campaign.id, workspaceId, dto.leadIds],
      );
      const enrolled = new Set(inserted.map((r) => r.lead_id));
      const enrolledLeadIds = dto.leadIds.filter((id) => enrolled.has(id));
      await insertLeadEvent(
        manager,
        enrolledLeadIds.map((leadId) => ({
          leadId,
          workspaceId,
          type: LeadEventType.Enrolled,
          data: { campaignId: campaign.id, campaignName: campaign.name },
          actorUserId: principal.userId || null,
        })),
      );
      const skippedLeadIds = dto.leadIds.filter((id) => !enrolled.has(id));
      return { enrolled: enrolledLeadIds.length, skipped: skippedLeadIds.length, enrolledLeadIds, skippedLeadIds };
    });
  }

  /** Moves an enrollment forward and/or sets its revenue; the lead follows (contacted, converted). */
  async update(
    principal: Principal,
    campaignId: string,
    leadId: string,
    dto: UpdateCampaignLeadDto,
  ): Promise<CampaignLeadResponseDto> {
    const { workspaceId } = principal;
    let convertedFrom: LeadStatus | undefined;
    const result = await this.dataSource.transaction(async (manager) => {
      const campaign = await findCampaign(manager, workspaceId, campaignId);
      const enrollment = await findEnrollment(manager, workspaceId, campaign.id, leadId);
      const leads = manager.getRepository(LeadEntity);
      // A deleted lead keeps its enrollment (restorable) but is hidden like everywhere else.
      const lead = await leads.findOne({ where: { id: leadId, workspaceId } });
      if (!lead) throw enrollmentNotFound();
      const current = campaignLeadStages.indexOf(enrollment.stage);
      const target = dto.stage ? campaignLeadStages.indexOf(dto.stage) : current;
      if (target < current) {
        throw conflict(
          'INVALID_STAGE_TRANSITION',
          `An enrollment only moves forward: it is ${enrollment.stage}, it cannot go back to ${dto.stage}`,
        );
      }
      const finalStage = campaignLeadStages[target];
      if (dto.revenue !== undefined && finalStage !== CampaignLeadStage.Converted) {
        throw badRequest('REVENUE_REQUIRES_CONVERSION', 'Revenue is attributed to converted enrollments only', [
          { field: 'revenue', message: 'the enrollment must be (or become) converted' },
        ]);
      }
      const now = new Date();
      const patch: Partial<
        Pick<CampaignLeadEntity, 'stage' | 'contactedAt' | 'repliedAt' | 'convertedAt' | 'revenue'>
      > = {};
      if (target > current) {
        patch.stage = finalStage;
        // Reaching a stage implies the skipped ones: they get the same time, so funnel counts stay cumulative.
        for (const stage of campaignLeadStages.slice(current + 1, target + 1)) {
          const column = stageColumn[stage];
          if (column !== 'enrolledAt' && !enrollment[column]) patch[column] = now;
        }
      }
      if (dto.revenue !== undefined) patch.revenue = dto.revenue;
      if (Object.keys(patch).length)
        await manager.getRepository(CampaignLeadEntity).update({ id: enrollment.id }, patch);

      if (patch.contactedAt) await leads.update({ id: leadId, workspaceId }, { lastContactedAt: now });
      if (patch.convertedAt) {
        if (lead.status !== LeadStatus.Converted) {
          convertedFrom = lead.status;
          await leads.update({ id: leadId }, { status: LeadStatus.Converted });
          await insertLeadEvent(manager, {
            leadId,
            workspaceId,
            type: LeadEventType.StatusChanged,
            data: { from: lead.status, to: LeadStatus.Converted, campaignId: campaign.id },
            actorUserId: principal.userId || null,
          });
        }
      }
      return this.detail(manager, workspaceId, campaign.id, leadId);
    });
    if (convertedFrom) {
      // The lead changed status: same event as PUT /api/leads/:id sends, after commit.
      const lead = await this.dataSource.getRepository(LeadEntity).findOneByOrFail({ id: leadId, workspaceId });
      await this.events.publish({
        type: DomainEventType.LeadStatusChanged,
        workspaceId,
        actorUserId: principal.userId || null,
        data: { leadId, lead: toLeadResponse(lead), from: convertedFrom, to: LeadStatus.Converted, campaignId },
      });
    }
    return result;
  }

  async remove(principal: Principal, campaignId: string, leadId: string): Promise<void> {
    const { workspaceId } = principal;
    await this.dataSource.transaction(async (manager) => {
      const campaign = await findCampaign(manager, workspaceId, campaignId);
      const enrollment = await findEnrollment(manager, workspaceId, campaign.id, leadId);
      await manager.getRepository(CampaignLeadEntity).delete({ id: enrollment.id });
      await insertLeadEvent(manager, {
        leadId,
        workspaceId,
        type: LeadEventType.Unenrolled,
        data: { campaignId: campaign.id, campaignName: campaign.name, stage: enrollment.stage },
        actorUserId: principal.userId || null,
      });
    });
  }

  private async detail(
    manager: EntityManager,
    workspaceId: string,
    campaignId: string,
    leadId: string,
  ): Promise<CampaignLeadResponseDto> {
    const [row]: EnrollmentRow[] = await manager.query(
      `${selectEnrollment} WHERE cl.campaign_id = $1 AND cl.lead_id = $2 AND cl.workspace_id = $3`,
      [campaignId, leadId, workspaceId],
    );
    if (!row) throw enrollmentNotFound();
    return toCampaignLeadResponse(row);
  }
}

async function findEnrollment(manager: EntityManager, workspaceId: string, campaignId: string, leadId: string) {
  const enrollment = await manager.getRepository(CampaignLeadEntity).findOne({
    where: { campaignId, leadId, workspaceId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!enrollment) throw enrollmentNotFound();
  return enrollment;
}

function toCampaignLeadResponse(r: EnrollmentRow): CampaignLeadResponseDto {
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

const enrollmentNotFound = () => notFound('CAMPAIGN_LEAD_NOT_FOUND', 'This lead is not enrolled in the campaign');

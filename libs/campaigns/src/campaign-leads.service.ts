import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { LeadEventType, LeadsEvents, LeadsService, LeadStatus } from '@crescendo/leads';
import {
  AppException,
  badRequest,
  conflict,
  CursorCodec,
  CursorPaginated,
  EventPublisher,
  keysetList,
  notFound,
  Principal,
} from '@crescendo/platform';
import type { CampaignLeadEntity } from './campaign-lead.entity';
import { CampaignLeadsRepository, toCampaignLeadResponse } from './campaign-leads.repository';
import { isEnrollableStatus } from './campaign-status';
import {
  CampaignLeadResponseDto,
  EnrollLeadsDto,
  EnrollLeadsResponseDto,
  ListCampaignLeadsQueryDto,
  UpdateCampaignLeadDto,
} from './campaign-leads.dto';
import { CampaignsService } from './campaigns.service';
import { CampaignLeadStage, campaignLeadStages } from './campaigns.types';

/** The timestamp column each stage sets when it is reached. */
const stageColumn = {
  [CampaignLeadStage.Enrolled]: 'enrolledAt',
  [CampaignLeadStage.Contacted]: 'contactedAt',
  [CampaignLeadStage.Replied]: 'repliedAt',
  [CampaignLeadStage.Converted]: 'convertedAt',
} as const;

/** Leads enrolled in a campaign and their progress through its funnel; the leads' side goes through LeadsService. */
@Injectable()
export class CampaignLeadsService {
  constructor(
    private readonly events: EventPublisher,
    private readonly cursors: CursorCodec,
    private readonly campaigns: CampaignsService,
    private readonly leads: LeadsService,
    private readonly repository: CampaignLeadsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Newest enrollments first, by cursor or page number, with a bounded total. */
  async list(
    workspaceId: string,
    campaignId: string,
    query: ListCampaignLeadsQueryDto,
  ): Promise<CursorPaginated<CampaignLeadResponseDto>> {
    await this.campaigns.find(workspaceId, campaignId);
    return keysetList({
      codec: this.cursors,
      // The campaign is part of the scope: a cursor of one campaign's list is refused by another's.
      scope: `${workspaceId}:campaign-leads:${campaignId}:enrolledAt:desc`,
      request: query,
      order: { columns: ['cl.enrolled_at', 'cl.lead_id'], descending: true },
      fetch: (position, take, offset) =>
        this.repository.listPage(workspaceId, campaignId, query.stage, position, take, offset),
      count: () => this.repository.listTotal(workspaceId, campaignId, query.stage),
      map: toCampaignLeadResponse,
    });
  }

  /** Enrolls every lead or none: an unknown lead fails the whole request; one already enrolled is skipped. */
  async enroll(principal: Principal, campaignId: string, dto: EnrollLeadsDto): Promise<EnrollLeadsResponseDto> {
    const { workspaceId } = principal;
    return this.dataSource.transaction(async (manager) => {
      const campaign = await this.campaigns.find(workspaceId, campaignId, { manager, lock: true });
      if (!isEnrollableStatus(campaign.status)) {
        throw conflict('CAMPAIGN_NOT_ENROLLABLE', `Leads cannot be enrolled in a ${campaign.status} campaign`);
      }
      const missing = await this.repository.missingLeads(manager, workspaceId, dto.leadIds);
      if (missing.length) {
        throw new AppException(
          HttpStatus.NOT_FOUND,
          'LEAD_NOT_FOUND',
          `${missing.length} lead(s) not found in this workspace; nothing was enrolled`,
          missing.map((id) => ({ field: 'leadIds', message: `lead ${id} not found` })),
        );
      }
      const enrolled = new Set(await this.repository.enroll(manager, workspaceId, campaign.id, dto.leadIds));
      const enrolledLeadIds = dto.leadIds.filter((id) => enrolled.has(id));
      await this.leads.applyInTransaction(
        manager,
        principal,
        enrolledLeadIds.map((leadId) => ({
          leadId,
          note: { type: LeadEventType.Enrolled, data: { campaignId: campaign.id, campaignName: campaign.name } },
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
    const { result, converted } = await this.dataSource.transaction(async (manager) => {
      const campaign = await this.campaigns.find(workspaceId, campaignId, { manager });
      const enrollment = await this.findEnrollment(manager, workspaceId, campaign.id, leadId);
      // A deleted lead keeps its enrollment (restorable) but is hidden like everywhere else.
      if ((await this.repository.missingLeads(manager, workspaceId, [leadId])).length) throw enrollmentNotFound();
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
      if (Object.keys(patch).length) await this.repository.update(manager, enrollment.id, patch);

      const converted =
        patch.contactedAt || patch.convertedAt
          ? await this.leads.applyInTransaction(manager, principal, [
              {
                leadId,
                contactedAt: patch.contactedAt ? now : undefined,
                status: patch.convertedAt ? { to: LeadStatus.Converted, data: { campaignId: campaign.id } } : undefined,
              },
            ])
          : [];
      const row = await this.repository.detail(manager, workspaceId, campaign.id, leadId);
      if (!row) throw enrollmentNotFound();
      return { result: toCampaignLeadResponse(row), converted };
    });
    for (const { from, lead } of converted) {
      // The lead changed status: same event as PUT /api/leads/:id sends, after commit.
      await this.events.publish({
        type: LeadsEvents.LeadStatusChanged,
        workspaceId,
        actorUserId: principal.userId || null,
        data: { leadId, lead, from, to: LeadStatus.Converted, campaignId },
      });
    }
    return result;
  }

  async remove(principal: Principal, campaignId: string, leadId: string): Promise<void> {
    const { workspaceId } = principal;
    await this.dataSource.transaction(async (manager) => {
      const campaign = await this.campaigns.find(workspaceId, campaignId, { manager });
      const enrollment = await this.findEnrollment(manager, workspaceId, campaign.id, leadId);
      await this.repository.delete(manager, enrollment.id);
      await this.leads.applyInTransaction(manager, principal, [
        {
          leadId,
          note: {
            type: LeadEventType.Unenrolled,
            data: { campaignId: campaign.id, campaignName: campaign.name, stage: enrollment.stage },
          },
        },
      ]);
    });
  }

  private async findEnrollment(manager: EntityManager, workspaceId: string, campaignId: string, leadId: string) {
    const enrollment = await this.repository.findLocked(manager, workspaceId, campaignId, leadId);
    if (!enrollment) throw enrollmentNotFound();
    return enrollment;
  }
}

const enrollmentNotFound = () => notFound('CAMPAIGN_LEAD_NOT_FOUND', 'This lead is not enrolled in the campaign');

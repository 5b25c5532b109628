import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, LogType } from '@crescendo/audit';
import { WorkspaceMembersService } from '@crescendo/identity';
import { NichesService } from '@crescendo/leads';
import { SegmentsService } from '@crescendo/segments';
import {
  badRequest,
  conflict,
  CursorCodec,
  CursorPaginated,
  EventPublisher,
  notFound,
  Principal,
} from '@crescendo/platform';
import type { CampaignEntity } from './campaign.entity';
import { CampaignsRepository } from './campaigns.repository';
import { CampaignStatus } from './campaigns.types';
import { CampaignsEvents } from './campaigns.events';
import {
  campaignTransitions,
  canTransition,
  deletableStatuses,
  isDeletableStatus,
  isEnrollableStatus,
} from './campaign-status';
import {
  CampaignResponseDto,
  CampaignStatsResponseDto,
  CreateCampaignDto,
  ListCampaignsQueryDto,
  UpdateCampaignDto,
} from './campaigns.dto';

/** Days of the stats series when the campaign has no full window, and the most it ever has. */
const DEFAULT_SERIES_DAYS = 30;
const MAX_SERIES_DAYS = 366;

/** A workspace's campaigns: CRUD, the status machine and statistics computed in SQL. */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly audit: AuditService,
    private readonly events: EventPublisher,
    private readonly cursors: CursorCodec,
    private readonly repository: CampaignsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly niches: NichesService,
    private readonly segments: SegmentsService,
    private readonly members: WorkspaceMembersService,
  ) {}

  /** By cursor or page number, every sort served by an index (campaigns-list-indexes), with a bounded total. */
  async list(workspaceId: string, query: ListCampaignsQueryDto): Promise<CursorPaginated<CampaignResponseDto>> {
    const page = await this.repository.list(workspaceId, query, {
      codec: this.cursors,
      scope: `${workspaceId}:campaigns:${query.sortBy}:${query.order}`,
      request: query,
    });
    return { data: page.data.map(toCampaignResponse), pagination: page.pagination };
  }

  async get(workspaceId: string, campaignId: string): Promise<CampaignResponseDto> {
    return toCampaignResponse(await this.find(workspaceId, campaignId));
  }

  async create(principal: Principal, dto: CreateCampaignDto): Promise<CampaignResponseDto> {
    return this.write(async (manager) => {
      const { workspaceId } = principal;
      const values = {
        workspaceId,
        name: dto.name,
        description: dto.description ?? null,
        type: dto.type,
        channel: dto.channel ?? null,
        status: CampaignStatus.Draft,
        startAt: dto.startAt ? new Date(dto.startAt) : null,
        endAt: dto.endAt ? new Date(dto.endAt) : null,
        budget: dto.budget ?? null,
        currency: dto.currency ?? null,
        goals: { ...(dto.goals ?? {}) },
        targetNicheIds: dto.targetNicheIds ?? [],
        targetSegmentIds: dto.targetSegmentIds ?? [],
        ownerId: dto.ownerId === undefined ? principal.userId || null : dto.ownerId,
      };
      checkConsistency(values);
      await this.checkReferences(manager, workspaceId, values);
      await this.assertNameFree(manager, workspaceId, values.name);
      const id = await this.repository.insert(manager, values);
      return toCampaignResponse(await this.find(workspaceId, id, { manager }));
    });
  }

  /** Partial update: only the fields sent change; the merged result must still be consistent. */
  async update(principal: Principal, campaignId: string, dto: UpdateCampaignDto): Promise<CampaignResponseDto> {
    return this.write(async (manager) => {
      const { workspaceId } = principal;
      const campaign = await this.find(workspaceId, campaignId, { manager, lock: true });
      const patch: Partial<CampaignEntity> = {};
      if (dto.name !== undefined) patch.name = dto.name;
      if (dto.description !== undefined) patch.description = dto.description;
      if (dto.type !== undefined) patch.type = dto.type;
      if (dto.channel !== undefined) patch.channel = dto.channel;
      if (dto.startAt !== undefined) patch.startAt = dto.startAt ? new Date(dto.startAt) : null;
      if (dto.endAt !== undefined) patch.endAt = dto.endAt ? new Date(dto.endAt) : null;
      if (dto.budget !== undefined) patch.budget = dto.budget;
      if (dto.currency !== undefined) patch.currency = dto.currency;
      if (dto.goals !== undefined) patch.goals = { ...dto.goals };
      if (dto.targetNicheIds !== undefined) patch.targetNicheIds = dto.targetNicheIds;
      if (dto.targetSegmentIds !== undefined) patch.targetSegmentIds = dto.targetSegmentIds;
      if (dto.ownerId !== undefined) patch.ownerId = dto.ownerId;
      const merged = { ...campaign, ...patch };
      checkConsistency(merged);
      await this.checkReferences(manager, workspaceId, patch);
      if (patch.name !== undefined && patch.name !== campaign.name)
        await this.assertNameFree(manager, workspaceId, patch.name, campaign.id);
      if (Object.keys(patch).length) await this.repository.update(manager, campaign.id, patch);
      return toCampaignResponse(await this.find(workspaceId, campaign.id, { manager }));
    });
  }

  /** Moves the campaign along the transition table (409 INVALID_STATUS_TRANSITION names the allowed targets). */
  async setStatus(principal: Principal, campaignId: string, to: CampaignStatus): Promise<CampaignResponseDto> {
    const { campaign, from } = await this.write(async (manager) => {
      const campaign = await this.find(principal.workspaceId, campaignId, { manager, lock: true });
      const from = campaign.status;
      if (!canTransition(from, to)) {
        const allowed = campaignTransitions[from];
        throw conflict(
          'INVALID_STATUS_TRANSITION',
          `A ${from} campaign cannot become ${to}; allowed: ${allowed.length ? allowed.join(', ') : 'none'}`,
          allowed.map((status) => ({ field: 'status', message: `allowed: ${status}` })),
        );
      }
      if (to === CampaignStatus.Scheduled && !campaign.startAt) {
        throw badRequest('CAMPAIGN_START_REQUIRED', 'Set startAt before scheduling the campaign', [
          { field: 'startAt', message: 'required to schedule' },
        ]);
      }
      await this.repository.update(manager, campaign.id, { status: to });
      await this.audit.record(
        {
          type: LogType.Admin,
          action: 'campaign_status_changed',
          message: `Campaign ${campaign.name}: ${from} → ${to}`,
          workspaceId: principal.workspaceId,
          userId: principal.userId || null,
          metadata: { campaignId: campaign.id, from, to },
        },
        manager,
      );
      return {
        campaign: toCampaignResponse(await this.find(principal.workspaceId, campaign.id, { manager })),
        from,
      };
    });
    // After commit: subscribers never see a change that was rolled back.
    await this.events.publish({
      type: CampaignsEvents.CampaignStatusChanged,
      workspaceId: principal.workspaceId,
      actorUserId: principal.userId || null,
      data: { campaignId: campaign.id, from, to },
    });
    return campaign;
  }

  async remove(principal: Principal, campaignId: string): Promise<void> {
    await this.write(async (manager) => {
      const campaign = await this.find(principal.workspaceId, campaignId, { manager, lock: true });
      if (!isDeletableStatus(campaign.status)) {
        throw conflict(
          'CAMPAIGN_NOT_DELETABLE',
          `A ${campaign.status} campaign cannot be deleted; pause, complete and archive it, or delete it while ${deletableStatuses.join(', ')}`,
        );
      }
      await this.repository.delete(manager, campaign.id);
      await this.audit.record(
        {
          type: LogType.Admin,
          action: 'campaign_deleted',
          message: `Campaign ${campaign.name} deleted`,
          metadata: { campaignId: campaign.id, status: campaign.status },
        },
        manager,
      );
    });
  }

  /** Funnel totals and a per-day series, each one aggregate query over the campaign's enrollments. */
  async stats(workspaceId: string, campaignId: string): Promise<CampaignStatsResponseDto> {
    const campaign = await this.find(workspaceId, campaignId);
    const { from, to } = seriesWindow(campaign);
    const [totals, days] = await Promise.all([
      this.repository.totals(workspaceId, campaign.id),
      this.repository.series(workspaceId, campaign.id, from, to),
    ]);
    return {
      campaignId: campaign.id,
      enrolled: totals.enrolled,
      contacted: totals.contacted,
      replied: totals.replied,
      converted: totals.converted,
      conversionRate: totals.enrolled ? Math.round((totals.converted / totals.enrolled) * 10_000) / 10_000 : 0,
      attributedRevenue: Number(totals.revenue),
      currency: campaign.currency,
      from,
      to,
      series: days.map((d) => ({ ...d, revenue: Number(d.revenue) })),
    };
  }

  private write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work).catch((error: unknown) => {
      // Two requests creating the same name at once: the unique index answers for the loser.
      const pg = error as { code?: string; constraint?: string; driverError?: { constraint?: string } };
      if (pg.code === '23505') throw nameTaken();
      throw error;
    });
  }

  private async assertNameFree(manager: EntityManager, workspaceId: string, name: string, exceptId?: string) {
    const other = await this.repository.idByName(manager, workspaceId, name);
    if (other && other !== exceptId) throw nameTaken();
  }

  /** Of these ids, those that are not campaigns of the workspace (for other features' references). */
  async missingIds(workspaceId: string, ids: string[]): Promise<string[]> {
    const found = new Set(await this.repository.existingIds(workspaceId, ids));
    return ids.filter((id) => !found.has(id));
  }

  /** The campaign or 404; a transaction passes its manager (and locks the row before changing it). */
  async find(
    workspaceId: string,
    campaignId: string,
    options: { manager?: EntityManager; lock?: boolean } = {},
  ): Promise<CampaignEntity> {
    const campaign = await this.repository.find(workspaceId, campaignId, options);
    if (!campaign) throw notFound('CAMPAIGN_NOT_FOUND', 'Campaign not found in this workspace');
    return campaign;
  }

  /** Target niches, target segments and the owner must belong to the workspace (404 otherwise). */
  private async checkReferences(
    manager: EntityManager,
    workspaceId: string,
    values: { targetNicheIds?: string[]; targetSegmentIds?: string[]; ownerId?: string | null },
  ): Promise<void> {
    await this.niches.assertInWorkspace(workspaceId, values.targetNicheIds ?? [], 'targetNicheIds', manager);
    await this.segments.assertInWorkspace(workspaceId, values.targetSegmentIds ?? [], 'targetSegmentIds', manager);
    if (values.ownerId) await this.members.assertMember(workspaceId, values.ownerId, 'ownerId', manager);
  }
}

/** Rules across fields, checked on the merged values of a create or an update. */
function checkConsistency(values: {
  startAt: Date | null;
  endAt: Date | null;
  budget: number | null;
  currency: string | null;
}): void {
  if (values.startAt && values.endAt && values.endAt < values.startAt) {
    throw badRequest('INVALID_CAMPAIGN_WINDOW', 'endAt must be at or after startAt', [
      { field: 'endAt', message: 'must be at or after startAt' },
    ]);
  }
  if (values.budget !== null && !values.currency) {
    throw badRequest('CURRENCY_REQUIRED', 'A budget needs a currency', [
      { field: 'currency', message: 'required with a budget' },
    ]);
  }
}

/** The campaign's window when both ends are set (its last 366 days at most), else the last 30 days. */
export function seriesWindow(
  campaign: Pick<CampaignEntity, 'startAt' | 'endAt'>,
  now = new Date(),
): { from: string; to: string } {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const minus = (d: Date, days: number) => new Date(d.getTime() - days * 86_400_000);
  if (campaign.startAt && campaign.endAt) {
    const from =
      campaign.startAt < minus(campaign.endAt, MAX_SERIES_DAYS - 1)
        ? minus(campaign.endAt, MAX_SERIES_DAYS - 1)
        : campaign.startAt;
    return { from: day(from), to: day(campaign.endAt) };
  }
  return { from: day(minus(now, DEFAULT_SERIES_DAYS - 1)), to: day(now) };
}

export function toCampaignResponse(c: CampaignEntity): CampaignResponseDto {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    type: c.type,
    channel: c.channel,
    status: c.status,
    allowedTransitions: [...campaignTransitions[c.status]],
    canDelete: isDeletableStatus(c.status),
    acceptsEnrollments: isEnrollableStatus(c.status),
    startAt: c.startAt?.toISOString() ?? null,
    endAt: c.endAt?.toISOString() ?? null,
    budget: c.budget,
    currency: c.currency,
    goals: c.goals,
    targetNicheIds: c.targetNicheIds,
    targetSegmentIds: c.targetSegmentIds,
    ownerId: c.ownerId,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

const nameTaken = () => conflict('CAMPAIGN_NAME_TAKEN', 'Another campaign of this workspace has this name');

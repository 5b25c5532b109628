import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditService, LogType } from '@crescendo/audit';
import {
  assertInWorkspace,
  assertMember,
  badRequest,
  conflict,
  containsPattern,
  DomainEventType,
  EventPublisher,
  notFound,
  paginate,
  Paginated,
  Principal,
  queryPage,
} from '@crescendo/platform';
import { CampaignEntity, CampaignStatus } from './campaign.entity';
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

const sortColumns = {
  createdAt: 'c.createdAt',
  updatedAt: 'c.updatedAt',
  name: 'c.name',
  startAt: 'c.startAt',
  endAt: 'c.endAt',
} as const;

/** Days of the stats series when the campaign has no full window, and the most it ever has. */
const DEFAULT_SERIES_DAYS = 30;
const MAX_SERIES_DAYS = 366;

/** Deleted leads are hidden from a campaign's figures as from its lead list (a restore brings them back). */
const liveLead = 'EXISTS (SELECT 1 FROM leads l WHERE l.id = cl.lead_id AND l.deleted_at IS NULL)';

type CampaignChanges = QueryDeepPartialEntity<CampaignEntity>;

/** A workspace's campaigns: CRUD, the status machine and statistics computed in SQL. */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly audit: AuditService,
    private readonly events: EventPublisher,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(CampaignEntity) private readonly campaigns: Repository<CampaignEntity>,
  ) {}

  async list(workspaceId: string, query: ListCampaignsQueryDto): Promise<Paginated<CampaignResponseDto>> {
    const qb = this.campaigns.createQueryBuilder('c').where('c.workspaceId = :workspaceId', { workspaceId });
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.type) qb.andWhere('c.type = :type', { type: query.type });
    if (query.channel) qb.andWhere('c.channel = :channel', { channel: query.channel });
    if (query.nicheId) qb.andWhere('c.targetNicheIds @> ARRAY[:nicheId]::uuid[]', { nicheId: query.nicheId });
    if (query.q) qb.andWhere('c.name ILIKE :pattern', { pattern: containsPattern(query.q) });
    const direction = query.order === 'asc' ? 'ASC' : 'DESC';
    qb.orderBy(sortColumns[query.sortBy], direction, direction === 'ASC' ? 'NULLS LAST' : 'NULLS FIRST');
    qb.addOrderBy('c.id', 'ASC');
    const [rows, total] = await queryPage(qb, query);
    return paginate(rows.map(toCampaignResponse), total, query);
  }

  async get(workspaceId: string, campaignId: string): Promise<CampaignResponseDto> {
    return toCampaignResponse(await findCampaign(this.dataSource.manager, workspaceId, campaignId));
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
      const repo = manager.getRepository(CampaignEntity);
      const saved = await repo.save(repo.create(values));
      return toCampaignResponse(await findCampaign(manager, workspaceId, saved.id));
    });
  }

  /** Partial update: only the fields sent change; the merged result must still be consistent. */
  async update(principal: Principal, campaignId: string, dto: UpdateCampaignDto): Promise<CampaignResponseDto> {
    return this.write(async (manager) => {
      const { workspaceId } = principal;
      const campaign = await findCampaign(manager, workspaceId, campaignId, true);
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
      if (Object.keys(patch).length)
        await manager.getRepository(CampaignEntity).update({ id: campaign.id }, patch as CampaignChanges);
      return toCampaignResponse(await findCampaign(manager, workspaceId, campaign.id));
    });
  }

  /** Moves the campaign along the transition table (409 INVALID_STATUS_TRANSITION names the allowed targets). */
  async setStatus(
    principal: Principal,
    campaignId: string,
    to: CampaignStatus,
    request?: FastifyRequest,
  ): Promise<CampaignResponseDto> {
    const { campaign, from } = await this.write(async (manager) => {
      const campaign = await findCampaign(manager, principal.workspaceId, campaignId, true);
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
      await manager.getRepository(CampaignEntity).update({ id: campaign.id }, { status: to });
      await this.audit.record(
        {
          type: LogType.Admin,
          action: 'campaign_status_changed',
          message: `Campaign ${campaign.name}: ${from} → ${to}`,
          workspaceId: principal.workspaceId,
          userId: principal.userId || null,
          metadata: { campaignId: campaign.id, from, to },
          request,
        },
        manager,
      );
      return { campaign: toCampaignResponse(await findCampaign(manager, principal.workspaceId, campaign.id)), from };
    });
    // After commit: subscribers never see a change that was rolled back.
    await this.events.publish({
      type: DomainEventType.CampaignStatusChanged,
      workspaceId: principal.workspaceId,
      actorUserId: principal.userId || null,
      data: { campaignId: campaign.id, from, to },
    });
    return campaign;
  }

  async remove(principal: Principal, campaignId: string, request: FastifyRequest): Promise<void> {
    await this.write(async (manager) => {
      const campaign = await findCampaign(manager, principal.workspaceId, campaignId, true);
      if (!isDeletableStatus(campaign.status)) {
        throw conflict(
          'CAMPAIGN_NOT_DELETABLE',
          `A ${campaign.status} campaign cannot be deleted; pause, complete and archive it, or delete it while ${deletableStatuses.join(', ')}`,
        );
      }
      await manager.getRepository(CampaignEntity).delete({ id: campaign.id });
      await this.audit.record(
        {
          type: LogType.Admin,
          action: 'campaign_deleted',
          message: `Campaign ${campaign.name} deleted`,
          metadata: { campaignId: campaign.id, status: campaign.status },
          request,
        },
        manager,
      );
    });
  }

  /** Funnel totals and a per-day series, each one aggregate query over the campaign's enrollments. */
  async stats(workspaceId: string, campaignId: string): Promise<CampaignStatsResponseDto> {
    const campaign = await findCampaign(this.dataSource.manager, workspaceId, campaignId);
    const { from, to } = seriesWindow(campaign);
    const [[totals], days] = await Promise.all([
      this.dataSource.query(
        `SELECT count(*)::int AS enrolled,
                count(contacted_at)::int AS contacted,
                count(replied_at)::int AS replied,
                count(converted_at)::int AS converted,
                coalesce(sum(revenue), 0)::text AS revenue
           FROM campaign_leads cl
          WHERE cl.campaign_id = $1 AND cl.workspace_id = $2 AND ${liveLead}`,
        [campaign.id, workspaceId],
      ) as Promise<{ enrolled: number; contacted: number; replied: number; converted: number; revenue: string }[]>,
      this.dataSource.query(
        `WITH days AS (SELECT d::date AS day FROM generate_series($3::date, $4::date, interval '1 day') AS d),
              cl AS (
                SELECT (enrolled_at AT TIME ZONE 'UTC')::date AS enrolled_day,
                       (contacted_at AT TIME ZONE 'UTC')::date AS contacted_day,
                       (replied_at AT TIME ZONE 'UTC')::date AS replied_day,
                       (converted_at AT TIME ZONE 'UTC')::date AS converted_day,
                       revenue
                  FROM campaign_leads cl
                 WHERE cl.campaign_id = $1 AND cl.workspace_id = $2 AND ${liveLead}
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
        [campaign.id, workspaceId, from, to],
      ) as Promise<
        { date: string; enrolled: number; contacted: number; replied: number; converted: number; revenue: string }[]
      >,
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
    const other = await manager
      .getRepository(CampaignEntity)
      .findOne({ where: { workspaceId, name }, select: { id: true } });
    if (other && other.id !== exceptId) throw nameTaken();
  }

  /** Target niches, target segments and the owner must belong to the workspace (404 otherwise). */
  private async checkReferences(
    manager: EntityManager,
    workspaceId: string,
    values: { targetNicheIds?: string[]; targetSegmentIds?: string[]; ownerId?: string | null },
  ): Promise<void> {
    await assertInWorkspace(manager, workspaceId, {
      table: 'niches',
      ids: values.targetNicheIds ?? [],
      field: 'targetNicheIds',
      code: 'NICHE_NOT_FOUND',
      noun: 'niche',
    });
    await assertInWorkspace(manager, workspaceId, {
      table: 'segments',
      ids: values.targetSegmentIds ?? [],
      field: 'targetSegmentIds',
      code: 'SEGMENT_NOT_FOUND',
      noun: 'segment',
    });
    if (values.ownerId) await assertMember(manager, workspaceId, values.ownerId);
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

export async function findCampaign(
  manager: EntityManager,
  workspaceId: string,
  campaignId: string,
  lock = false,
): Promise<CampaignEntity> {
  const campaign = await manager.getRepository(CampaignEntity).findOne({
    where: { id: campaignId, workspaceId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!campaign) throw notFound('CAMPAIGN_NOT_FOUND', 'Campaign not found in this workspace');
  return campaign;
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

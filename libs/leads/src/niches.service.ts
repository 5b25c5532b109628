import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { assertReferences, conflict, CursorCodec, CursorPaginated, notFound } from '@crescendo/platform';
import { AuditService, LogType } from '@crescendo/audit';
import { LeadEntity } from './lead.entity';
import { LeadStatus } from './leads.types';
import { NicheEntity } from './niche.entity';
import { NichesRepository } from './niches.repository';
import {
  CreateNicheDto,
  ListNichesQueryDto,
  NicheRecommendationsResponseDto,
  NicheResponseDto,
  NicheStatsResponseDto,
  RecommendedActionDto,
  SourcePerformanceDto,
  StaleLeadDto,
  UpdateNicheDto,
} from './niches.dto';

/** An open lead with no contact for this long is stale. */
export const STALE_AFTER_DAYS = 30;
/** A source needs this many leads before a zero conversion is worth a remark. */
const MIN_LEADS_TO_REVIEW_SOURCE = 3;

const round = (value: number, decimals: number) => Number(value.toFixed(decimals));
const percent = (rate: number) => `${round(rate * 100, 1)}%`;

/** A workspace's niches, and the figures and advice computed from the niche's own leads. */
@Injectable()
export class NichesService {
  constructor(
    private readonly audit: AuditService,
    private readonly cursors: CursorCodec,
    private readonly repository: NichesRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(NicheEntity) private readonly niches: Repository<NicheEntity>,
    @InjectRepository(LeadEntity) private readonly leads: Repository<LeadEntity>,
  ) {}

  /** By cursor or page number, every sort served by an index, with a bounded total. */
  /**
   * Ids in a body (`field`) must be niches of the workspace: 404 NICHE_NOT_FOUND naming each other one.
   * `manager`: the caller's transaction, so the check never waits for a second connection.
   */
  assertInWorkspace(
    workspaceId: string,
    ids: readonly string[],
    field: string,
    manager?: EntityManager,
  ): Promise<void> {
    return assertReferences({ ids, field, code: 'NICHE_NOT_FOUND', noun: 'niche' }, (distinct) =>
      this.repository.knownIds(workspaceId, distinct, manager),
    );
  }

  async list(workspaceId: string, query: ListNichesQueryDto): Promise<CursorPaginated<NicheResponseDto>> {
    const page = await this.repository.list(workspaceId, query, {
      codec: this.cursors,
      scope: `${workspaceId}:niches:${query.sortBy}:${query.order}`,
      request: query,
    });
    const counts = await this.leadCounts(
      workspaceId,
      page.data.map((n) => n.id),
    );
    return { data: page.data.map((n) => toNicheResponse(n, counts.get(n.id) ?? 0)), pagination: page.pagination };
  }

  async get(workspaceId: string, nicheId: string): Promise<NicheResponseDto> {
    const niche = await this.findNiche(this.dataSource.manager, workspaceId, nicheId);
    return toNicheResponse(niche, (await this.leadCounts(workspaceId, [niche.id])).get(niche.id) ?? 0);
  }

  async create(workspaceId: string, dto: CreateNicheDto): Promise<NicheResponseDto> {
    const niche = await this.write(async (manager) => {
      await this.assertNameFree(manager, workspaceId, dto.name);
      const repo = manager.getRepository(NicheEntity);
      return repo.save(
        repo.create({
          workspaceId,
          name: dto.name,
          description: dto.description ?? null,
          keywords: dto.keywords ?? [],
        }),
      );
    });
    return toNicheResponse(niche, 0);
  }

  async update(workspaceId: string, nicheId: string, dto: UpdateNicheDto): Promise<NicheResponseDto> {
    await this.write(async (manager) => {
      const niche = await this.findNiche(manager, workspaceId, nicheId, true);
      if (dto.name !== undefined && dto.name !== niche.name) {
        await this.assertNameFree(manager, workspaceId, dto.name, niche.id);
      }
      const patch: Partial<NicheEntity> = {};
      if (dto.name !== undefined) patch.name = dto.name;
      if (dto.description !== undefined) patch.description = dto.description;
      if (dto.keywords !== undefined) patch.keywords = dto.keywords;
      if (Object.keys(patch).length) await manager.getRepository(NicheEntity).update({ id: niche.id }, patch);
    });
    return this.get(workspaceId, nicheId);
  }

  /** Deletes the niche; its leads stay, with no niche (ON DELETE SET NULL). */
  async remove(workspaceId: string, nicheId: string): Promise<void> {
    await this.write(async (manager) => {
      const niche = await this.findNiche(manager, workspaceId, nicheId, true);
      await manager.getRepository(NicheEntity).delete({ id: niche.id });
      await this.audit.record(
        {
          type: LogType.Admin,
          action: 'niche_deleted',
          message: `Niche ${niche.name} deleted`,
          metadata: { nicheId: niche.id },
        },
        manager,
      );
    });
  }

  async stats(workspaceId: string, nicheId: string): Promise<NicheStatsResponseDto> {
    await this.findNiche(this.dataSource.manager, workspaceId, nicheId);
    return this.computeStats(workspaceId, nicheId);
  }

  /** Advice computed from the niche's own leads; every action carries the figures it rests on. */
  async recommendations(workspaceId: string, nicheId: string): Promise<NicheRecommendationsResponseDto> {
    await this.findNiche(this.dataSource.manager, workspaceId, nicheId);
    const [stats, sources, stale] = await Promise.all([
      this.computeStats(workspaceId, nicheId),
      this.sourcePerformance(workspaceId, nicheId),
      this.staleLeads(workspaceId, nicheId),
    ]);
    return {
      nicheId,
      generatedAt: new Date().toISOString(),
      stats,
      staleAfterDays: STALE_AFTER_DAYS,
      bestSources: sources.slice(0, 5),
      staleLeadCount: stale.count,
      staleLeads: stale.leads,
      actions: recommendActions(stats, sources, stale),
    };
  }

  private async computeStats(workspaceId: string, nicheId: string): Promise<NicheStatsResponseDto> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE status = 'new')::int AS "new",
              count(*) FILTER (WHERE status = 'contacted')::int AS contacted,
              count(*) FILTER (WHERE status = 'qualified')::int AS qualified,
              count(*) FILTER (WHERE status = 'converted')::int AS converted,
              count(*) FILTER (WHERE status = 'lost')::int AS lost,
              avg(score)::float8 AS "averageScore"
         FROM leads
        WHERE workspace_id = $1 AND niche_id = $2 AND deleted_at IS NULL`,
      [workspaceId, nicheId],
    );
    const total = row.total as number;
    return {
      nicheId,
      total,
      byStatus: {
        new: row.new,
        contacted: row.contacted,
        qualified: row.qualified,
        converted: row.converted,
        lost: row.lost,
      },
      conversionRate: total ? round(row.converted / total, 4) : 0,
      averageScore: row.averageScore === null ? null : round(row.averageScore, 2),
    };
  }

  /** Every source of the niche's leads, best conversion rate first (then most leads). */
  private async sourcePerformance(workspaceId: string, nicheId: string): Promise<SourcePerformanceDto[]> {
    const rows: { source: string | null; total: number; converted: number; averageScore: number }[] =
      await this.dataSource.query(
        `SELECT source,
                count(*)::int AS total,
                count(*) FILTER (WHERE status = 'converted')::int AS converted,
                avg(score)::float8 AS "averageScore"
           FROM leads
          WHERE workspace_id = $1 AND niche_id = $2 AND deleted_at IS NULL
          GROUP BY source
          ORDER BY count(*) FILTER (WHERE status = 'converted')::float8 / count(*) DESC, count(*) DESC,
                   source ASC NULLS LAST`,
        [workspaceId, nicheId],
      );
    return rows.map((r) => ({
      source: r.source,
      total: r.total,
      converted: r.converted,
      conversionRate: round(r.converted / r.total, 4),
      averageScore: round(r.averageScore, 2),
    }));
  }

  private async staleLeads(workspaceId: string, nicheId: string): Promise<{ count: number; leads: StaleLeadDto[] }> {
    const where = `workspace_id = $1 AND niche_id = $2 AND deleted_at IS NULL AND status NOT IN ('converted', 'lost')
                   AND coalesce(last_contacted_at, created_at) < now() - make_interval(days => $3)`;
    const params = [workspaceId, nicheId, STALE_AFTER_DAYS];
    const [[{ count }], rows] = await Promise.all([
      this.dataSource.query(`SELECT count(*)::int AS count FROM leads WHERE ${where}`, params),
      this.dataSource.query(
        `SELECT id, name, status, score, last_contacted_at AS "lastContactedAt",
                floor(extract(epoch FROM now() - coalesce(last_contacted_at, created_at)) / 86400)::int AS "days"
           FROM leads WHERE ${where}
          ORDER BY score DESC, coalesce(last_contacted_at, created_at) ASC, id ASC
          LIMIT 10`,
        params,
      ),
    ]);
    return {
      count,
      leads: (
        rows as {
          id: string;
          name: string;
          status: LeadStatus;
          score: number;
          lastContactedAt: Date | null;
          days: number;
        }[]
      ).map((r) => ({
        id: r.id,
        name: r.name,
        status: r.status,
        score: r.score,
        lastContactedAt: r.lastContactedAt ? new Date(r.lastContactedAt).toISOString() : null,
        daysSinceContact: r.days,
      })),
    };
  }

  private leadCounts(workspaceId: string, nicheIds: string[]): Promise<Map<string, number>> {
    return this.repository.leadCounts(workspaceId, nicheIds);
  }

  private write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work).catch((error: unknown) => {
      // Two requests creating the same name at once: the unique index answers for the loser.
      if ((error as { code?: string }).code === '23505') throw nameTaken();
      throw error;
    });
  }

  private async findNiche(manager: EntityManager, workspaceId: string, nicheId: string, lock = false) {
    const niche = await manager.getRepository(NicheEntity).findOne({
      where: { id: nicheId, workspaceId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!niche) throw notFound('NICHE_NOT_FOUND', 'Niche not found in this workspace');
    return niche;
  }

  private async assertNameFree(manager: EntityManager, workspaceId: string, name: string, exceptId?: string) {
    const other = await manager
      .getRepository(NicheEntity)
      .createQueryBuilder('n')
      .select('n.id')
      .where('n.workspaceId = :workspaceId AND lower(n.name) = lower(:name)', { workspaceId, name })
      .getOne();
    if (other && other.id !== exceptId) throw nameTaken();
  }
}

/** Turns the figures into advice; each message quotes the numbers it is derived from. */
export function recommendActions(
  stats: NicheStatsResponseDto,
  sources: SourcePerformanceDto[],
  stale: { count: number; leads: StaleLeadDto[] },
): RecommendedActionDto[] {
  const actions: RecommendedActionDto[] = [];
  if (stats.total === 0) {
    actions.push({
      type: 'add_leads',
      priority: 'high',
      message: 'This niche has 0 leads: add or import leads before any other figure can guide you.',
      figures: { total: 0 },
    });
    return actions;
  }
  const open = stats.byStatus.new + stats.byStatus.contacted + stats.byStatus.qualified;
  if (stale.count > 0) {
    const top = stale.leads[0];
    actions.push({
      type: 'recontact_stale',
      priority: 'high',
      message:
        `${stale.count} of ${open} open leads have had no contact for ${STALE_AFTER_DAYS}+ days; re-contact them, ` +
        `starting with ${top.name} (score ${top.score}, ${top.daysSinceContact} days without contact).`,
      figures: {
        staleLeadCount: stale.count,
        openLeads: open,
        staleAfterDays: STALE_AFTER_DAYS,
        firstLeadId: top.id,
        firstLeadScore: top.score,
        firstLeadDaysSinceContact: top.daysSinceContact,
      },
    });
  }
  const best = sources[0];
  if (best && best.converted > 0) {
    actions.push({
      type: 'focus_source',
      priority: 'medium',
      message:
        `Source ${best.source === null ? '(none)' : `"${best.source}"`} converts ${percent(best.conversionRate)} ` +
        `(${best.converted} of ${best.total}) against ${percent(stats.conversionRate)} for the whole niche; ` +
        'put more acquisition effort there.',
      figures: {
        source: best.source,
        converted: best.converted,
        total: best.total,
        conversionRate: best.conversionRate,
        nicheConversionRate: stats.conversionRate,
      },
    });
  }
  for (const source of sources) {
    if (source.converted === 0 && source.total >= MIN_LEADS_TO_REVIEW_SOURCE && source !== best) {
      actions.push({
        type: 'review_source',
        priority: 'low',
        message:
          `Source ${source.source === null ? '(none)' : `"${source.source}"`} brought ${source.total} leads and ` +
          `none converted, against ${percent(stats.conversionRate)} for the niche; review its targeting or drop it.`,
        figures: {
          source: source.source,
          total: source.total,
          converted: 0,
          nicheConversionRate: stats.conversionRate,
        },
      });
    }
  }
  if (stats.byStatus.new > 0) {
    actions.push({
      type: 'qualify_new',
      priority: 'medium',
      message:
        `${stats.byStatus.new} of ${stats.total} leads (${percent(stats.byStatus.new / stats.total)}) are still new: ` +
        'make a first contact and qualify them.',
      figures: { newLeads: stats.byStatus.new, total: stats.total },
    });
  }
  if (stats.byStatus.qualified > 0) {
    actions.push({
      type: 'follow_up_qualified',
      priority: 'medium',
      message:
        `${stats.byStatus.qualified} qualified leads are waiting for a decision; ${stats.byStatus.converted} of ` +
        `${stats.total} leads of this niche converted so far (${percent(stats.conversionRate)}).`,
      figures: {
        qualifiedLeads: stats.byStatus.qualified,
        converted: stats.byStatus.converted,
        total: stats.total,
        conversionRate: stats.conversionRate,
      },
    });
  }
  return actions;
}

export function toNicheResponse(niche: NicheEntity, leadCount: number): NicheResponseDto {
  return {
    id: niche.id,
    name: niche.name,
    description: niche.description,
    keywords: niche.keywords,
    leadCount,
    createdAt: niche.createdAt.toISOString(),
    updatedAt: niche.updatedAt.toISOString(),
  };
}

const nameTaken = () => conflict('NICHE_NAME_TAKEN', 'Another niche of this workspace already has this name');

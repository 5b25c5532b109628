import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import {
  asLimitPage,
  assertInWorkspace,
  assertMember,
  badRequest,
  conflict,
  containsPattern,
  notFound,
  pageMetadata,
  Principal,
  queryPage,
} from '@crescendo/platform';
import { LeadEntity, leadStatuses, toLeadResponse } from '@crescendo/leads';
import {
  compileRuleTree,
  CUSTOM_FIELD_KEY,
  CUSTOM_FIELD_PREFIX,
  namedParams,
  operatorsByType,
  positionalParams,
  segmentFields,
  segmentListOperators,
  segmentNoValueOperators,
  segmentPairOperators,
  segmentFieldTypes,
  ruleTreeIds,
  SegmentRuleGroup,
  validateRuleTree,
} from './segment-rules';
import { SegmentEntity } from './segment.entity';
import {
  CreateSegmentDto,
  ListSegmentsQueryDto,
  PreviewSegmentDto,
  SegmentDto,
  SegmentFieldsResponseDto,
  SegmentLeadsResponseDto,
  SegmentListResponseDto,
  SegmentPreviewResponseDto,
  SegmentResponseDto,
  UpdateSegmentDto,
} from './segments.dto';

/** 400 INVALID_SEGMENT_RULES with one detail per bad rule, `field` being its path in the body. */
export function assertValidRuleTree(tree: unknown, path = 'rules'): asserts tree is SegmentRuleGroup {
  const problems = validateRuleTree(tree, path);
  if (problems.length) {
    throw badRequest(
      'INVALID_SEGMENT_RULES',
      `Invalid rules: ${[...new Set(problems.map((p) => p.field))].join(', ')}`,
      problems,
    );
  }
}

/**
 * The niches and owners a rule tree compares with must be the workspace's (404 NICHE_NOT_FOUND,
 * OWNER_NOT_MEMBER), as for any id in a body: a stored rule never names another workspace's records.
 */
export async function assertRuleReferences(
  manager: EntityManager,
  workspaceId: string,
  tree: SegmentRuleGroup,
  path = 'rules',
): Promise<void> {
  await assertInWorkspace(manager, workspaceId, {
    table: 'niches',
    ids: ruleTreeIds(tree, 'nicheId'),
    field: path,
    code: 'NICHE_NOT_FOUND',
    noun: 'niche',
  });
  for (const ownerId of ruleTreeIds(tree, 'ownerId')) await assertMember(manager, workspaceId, ownerId, path);
}

/** Saved dynamic filters over leads; their members are computed on every read, never stored. */
@Injectable()
export class SegmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(SegmentEntity) private readonly segments: Repository<SegmentEntity>,
    @InjectRepository(LeadEntity) private readonly leads: Repository<LeadEntity>,
  ) {}

  async list(workspaceId: string, query: ListSegmentsQueryDto): Promise<SegmentListResponseDto> {
    const where = query.q
      ? this.segments
          .createQueryBuilder('s')
          .where('s.workspaceId = :workspaceId', { workspaceId })
          .andWhere('s.name ILIKE :pattern', { pattern: containsPattern(query.q) })
      : this.segments.createQueryBuilder('s').where('s.workspaceId = :workspaceId', { workspaceId });
    where.orderBy('s.name', 'ASC').addOrderBy('s.id', 'ASC');
    const [rows, total] = await queryPage(where, asLimitPage(query));
    const counts = await this.countMany(
      workspaceId,
      rows.map((r) => r.rules),
    );
    return {
      success: true,
      data: rows.map((row, i) => toSegmentDto(row, counts[i])),
      metadata: pageMetadata(total, query),
    };
  }

  /** What a rule may test (the catalogue validateRuleTree checks against), with this workspace's custom fields. */
  async fields(workspaceId: string): Promise<SegmentFieldsResponseDto> {
    const keys: { key: string }[] = await this.dataSource.query(
      `SELECT DISTINCT jsonb_object_keys(custom_fields) AS key FROM leads
        WHERE workspace_id = $1 AND deleted_at IS NULL AND custom_fields <> '{}'::jsonb
        ORDER BY key LIMIT 200`,
      [workspaceId],
    );
    return {
      success: true,
      data: {
        fields: Object.entries(segmentFields).map(([field, { type, label }]) => ({
          field,
          label,
          type,
          values: type === 'status' ? [...leadStatuses] : null,
        })),
        types: segmentFieldTypes.map((type) => ({ type, operators: [...operatorsByType[type]] })),
        listOperators: [...segmentListOperators],
        noValueOperators: [...segmentNoValueOperators],
        pairOperators: [...segmentPairOperators],
        customFieldPrefix: CUSTOM_FIELD_PREFIX,
        customFields: keys.map((k) => k.key).filter((key) => CUSTOM_FIELD_KEY.test(key)),
      },
    };
  }

  async get(workspaceId: string, id: string): Promise<SegmentResponseDto> {
    const segment = await this.find(workspaceId, id);
    return { success: true, data: toSegmentDto(segment, await this.count(workspaceId, segment.rules)) };
  }

  async create(principal: Principal, dto: CreateSegmentDto): Promise<SegmentResponseDto> {
    assertValidRuleTree(dto.rules);
    await assertRuleReferences(this.dataSource.manager, principal.workspaceId, dto.rules);
    const segment = await this.save(
      this.segments.create({
        workspaceId: principal.workspaceId,
        name: dto.name,
        description: dto.description ?? null,
        rules: dto.rules as SegmentRuleGroup,
        createdById: principal.userId || null,
      }),
    );
    return { success: true, data: toSegmentDto(segment, await this.count(principal.workspaceId, segment.rules)) };
  }

  async update(principal: Principal, id: string, dto: UpdateSegmentDto): Promise<SegmentResponseDto> {
    if (dto.rules !== undefined) assertValidRuleTree(dto.rules);
    const segment = await this.find(principal.workspaceId, id);
    if (dto.rules !== undefined) await assertRuleReferences(this.dataSource.manager, principal.workspaceId, dto.rules);
    if (dto.name !== undefined) segment.name = dto.name;
    if (dto.description !== undefined) segment.description = dto.description;
    if (dto.rules !== undefined) segment.rules = dto.rules as SegmentRuleGroup;
    const saved = await this.save(segment);
    return { success: true, data: toSegmentDto(saved, await this.count(principal.workspaceId, saved.rules)) };
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const result = await this.segments.delete({ id, workspaceId: principal.workspaceId });
    if (!result.affected) throw segmentNotFound();
  }

  async leadsOf(workspaceId: string, id: string, query: ListSegmentsQueryDto): Promise<SegmentLeadsResponseDto> {
    const segment = await this.find(workspaceId, id);
    const qb = this.matchingLeads(workspaceId, segment.rules);
    if (query.q) {
      const pattern = containsPattern(query.q);
      qb.andWhere(new Brackets((w) => w.where('l.name ILIKE :q', { q: pattern }).orWhere('l.email ILIKE :q')));
    }
    const [rows, total] = await queryPage(
      qb.orderBy('l.createdAt', 'DESC').addOrderBy('l.id', 'ASC'),
      asLimitPage(query),
    );
    return { success: true, data: rows.map(toLeadResponse), metadata: pageMetadata(total, query) };
  }

  async preview(workspaceId: string, dto: PreviewSegmentDto): Promise<SegmentPreviewResponseDto> {
    assertValidRuleTree(dto.rules);
    const qb = this.matchingLeads(workspaceId, dto.rules as SegmentRuleGroup)
      .orderBy('l.createdAt', 'DESC')
      .addOrderBy('l.id', 'ASC');
    const [rows, count] = await queryPage(qb, { page: 1, limit: dto.limit });
    return { success: true, data: { count, leads: rows.map(toLeadResponse) } };
  }

  /** Whether one lead (not deleted) of the workspace matches a rule tree; used by automation conditions. */
  async matches(workspaceId: string, rules: SegmentRuleGroup, leadId: string): Promise<boolean> {
    return this.matchingLeads(workspaceId, rules).andWhere('l.id = :leadId', { leadId }).getExists();
  }

  /** A query builder over the workspace's leads (alias `l`, deleted ones excluded) matching a rule tree. */
  matchingLeads(workspaceId: string, rules: SegmentRuleGroup): SelectQueryBuilder<LeadEntity> {
    const params = namedParams();
    const sql = compileRuleTree(rules, params.bind, 'l');
    return this.leads
      .createQueryBuilder('l')
      .where('l.workspaceId = :workspaceId', { workspaceId })
      .andWhere(sql, params.values);
  }

  private async count(workspaceId: string, rules: SegmentRuleGroup): Promise<number> {
    return (await this.countMany(workspaceId, [rules]))[0];
  }

  /** Live counts of several trees in one round trip: one scalar subquery per tree. */
  private async countMany(workspaceId: string, trees: SegmentRuleGroup[]): Promise<number[]> {
    if (!trees.length) return [];
    const params = positionalParams(1);
    const columns = trees.map(
      (tree, i) =>
        `(SELECT count(*)::int FROM leads l WHERE l.workspace_id = $1 AND l.deleted_at IS NULL AND ${compileRuleTree(
          tree,
          params.bind,
          'l',
        )}) AS c${i}`,
    );
    const [row] = await this.dataSource.query(`SELECT ${columns.join(', ')}`, [workspaceId, ...params.values]);
    return trees.map((_, i) => Number(row[`c${i}`]));
  }

  private async find(workspaceId: string, id: string): Promise<SegmentEntity> {
    const segment = await this.segments.findOne({ where: { id, workspaceId } });
    if (!segment) throw segmentNotFound();
    return segment;
  }

  private async save(segment: SegmentEntity): Promise<SegmentEntity> {
    try {
      return await this.segments.save(segment);
    } catch (error) {
      const pg = error as { code?: string; constraint?: string; driverError?: { constraint?: string } };
      if (pg.code === '23505' && (pg.constraint ?? pg.driverError?.constraint) === 'UQ_segments_workspace_name') {
        throw conflict('SEGMENT_NAME_TAKEN', 'Another segment of this workspace has this name', [
          { field: 'name', message: 'already used in this workspace' },
        ]);
      }
      throw error;
    }
  }
}

function toSegmentDto(segment: SegmentEntity, leadCount: number): SegmentDto {
  return {
    id: segment.id,
    name: segment.name,
    description: segment.description,
    rules: segment.rules,
    leadCount,
    createdById: segment.createdById,
    createdAt: segment.createdAt.toISOString(),
    updatedAt: segment.updatedAt.toISOString(),
  };
}

const segmentNotFound = () => notFound('SEGMENT_NOT_FOUND', 'Segment not found in this workspace');

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  assertReferences,
  badRequest,
  conflict,
  CursorCodec,
  cursorPageMetadata,
  notFound,
  pageSizeRequest,
  Principal,
} from '@crescendo/platform';
import { WorkspaceMembersService } from '@crescendo/identity';
import { leadStatuses, NichesService } from '@crescendo/leads';
import {
  CUSTOM_FIELD_KEY,
  CUSTOM_FIELD_PREFIX,
  operatorsByType,
  segmentFields,
  segmentListOperators,
  segmentNoValueOperators,
  segmentPairOperators,
  segmentFieldTypes,
  ruleTreeIds,
  SegmentRuleGroup,
  validateRuleTree,
} from './segment-rules';
import type { SegmentEntity } from './segment.entity';
import { SegmentsRepository } from './segments.repository';
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

/** Saved dynamic filters over leads; their members are computed on every read, never stored. */
@Injectable()
export class SegmentsService {
  constructor(
    private readonly cursors: CursorCodec,
    private readonly repository: SegmentsRepository,
    private readonly niches: NichesService,
    private readonly members: WorkspaceMembersService,
  ) {}

  /**
   * The niches and owners a rule tree compares with must be the workspace's (404 NICHE_NOT_FOUND,
   * OWNER_NOT_MEMBER), as for any id in a body: a stored rule never names another workspace's records.
   */
  async assertRuleReferences(workspaceId: string, tree: SegmentRuleGroup, path = 'rules'): Promise<void> {
    await this.niches.assertInWorkspace(workspaceId, ruleTreeIds(tree, 'nicheId'), path);
    for (const ownerId of ruleTreeIds(tree, 'ownerId')) await this.members.assertMember(workspaceId, ownerId, path);
  }

  /** Ids in a body (`field`) must be segments of the workspace: 404 SEGMENT_NOT_FOUND naming each other one. */
  assertInWorkspace(
    workspaceId: string,
    ids: readonly string[],
    field: string,
    manager?: EntityManager,
  ): Promise<void> {
    return assertReferences({ ids, field, code: 'SEGMENT_NOT_FOUND', noun: 'segment' }, (distinct) =>
      this.repository.knownIds(workspaceId, distinct, manager),
    );
  }

  /** By name, by cursor or page/pageSize, with a bounded total; each with its live lead count. */
  async list(workspaceId: string, query: ListSegmentsQueryDto): Promise<SegmentListResponseDto> {
    const page = await this.repository.list(workspaceId, query.q, {
      codec: this.cursors,
      scope: `${workspaceId}:segments:name:asc`,
      request: pageSizeRequest(query),
    });
    const counts = await Promise.all(page.data.map((r) => this.repository.countMatching(workspaceId, r.rules)));
    return {
      success: true,
      data: page.data.map((row, i) => toSegmentDto(row, counts[i])),
      metadata: cursorPageMetadata(page.pagination),
    };
  }

  /** What a rule may test (the catalogue validateRuleTree checks against), with this workspace's custom fields. */
  async fields(workspaceId: string): Promise<SegmentFieldsResponseDto> {
    const keys = await this.repository.customFieldKeys(workspaceId);
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
        customFields: keys.filter((key) => CUSTOM_FIELD_KEY.test(key)),
      },
    };
  }

  async get(workspaceId: string, id: string): Promise<SegmentResponseDto> {
    const segment = await this.find(workspaceId, id);
    return { success: true, data: toSegmentDto(segment, await this.count(workspaceId, segment.rules)) };
  }

  async create(principal: Principal, dto: CreateSegmentDto): Promise<SegmentResponseDto> {
    assertValidRuleTree(dto.rules);
    await this.assertRuleReferences(principal.workspaceId, dto.rules);
    const segment = await this.save(
      this.repository.create({
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
    if (dto.rules !== undefined) await this.assertRuleReferences(principal.workspaceId, dto.rules);
    if (dto.name !== undefined) segment.name = dto.name;
    if (dto.description !== undefined) segment.description = dto.description;
    if (dto.rules !== undefined) segment.rules = dto.rules as SegmentRuleGroup;
    const saved = await this.save(segment);
    return { success: true, data: toSegmentDto(saved, await this.count(principal.workspaceId, saved.rules)) };
  }

  async remove(principal: Principal, id: string): Promise<void> {
    if (!(await this.repository.delete(principal.workspaceId, id))) throw segmentNotFound();
  }

  /** The segment's live leads, newest first, by cursor or page/pageSize, with a bounded total. */
  async leadsOf(workspaceId: string, id: string, query: ListSegmentsQueryDto): Promise<SegmentLeadsResponseDto> {
    const segment = await this.find(workspaceId, id);
    const page = await this.repository.matchingLeads(workspaceId, segment.rules, query.q, {
      codec: this.cursors,
      // The segment is part of the scope: a cursor of one segment's members is refused by another's.
      scope: `${workspaceId}:segment-leads:${segment.id}:createdAt:desc`,
      request: pageSizeRequest(query),
    });
    return { success: true, data: page.data, metadata: cursorPageMetadata(page.pagination) };
  }

  /** The first leads a tree matches and how many match (exact up to 10 000, then the planner's estimate). */
  async preview(workspaceId: string, dto: PreviewSegmentDto): Promise<SegmentPreviewResponseDto> {
    assertValidRuleTree(dto.rules);
    const page = await this.repository.matchingLeads(workspaceId, dto.rules as SegmentRuleGroup, undefined, {
      codec: this.cursors,
      scope: `${workspaceId}:segment-preview`,
      request: { page: 1, limit: dto.limit },
    });
    return { success: true, data: { count: page.pagination.total, leads: page.data } };
  }

  /** Whether one live lead of the workspace matches a rule tree (any live lead without one): automation conditions. */
  matches(workspaceId: string, rules: SegmentRuleGroup | null, leadId: string): Promise<boolean> {
    return this.repository.matches(workspaceId, rules, leadId);
  }

  /** Ids of the live leads a tree matches (every live lead without one), newest first: scheduled automation. */
  matchingLeadIds(workspaceId: string, rules: SegmentRuleGroup | null, limit: number): Promise<string[]> {
    return this.repository.matchingLeadIds(workspaceId, rules, limit);
  }

  private count(workspaceId: string, rules: SegmentRuleGroup): Promise<LeadCount> {
    return this.repository.countMatching(workspaceId, rules);
  }

  private async find(workspaceId: string, id: string): Promise<SegmentEntity> {
    const segment = await this.repository.find(workspaceId, id);
    if (!segment) throw segmentNotFound();
    return segment;
  }

  private async save(segment: SegmentEntity): Promise<SegmentEntity> {
    try {
      return await this.repository.save(segment);
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

type LeadCount = { total: number; totalIsEstimate: boolean };

function toSegmentDto(segment: SegmentEntity, count: LeadCount): SegmentDto {
  return {
    id: segment.id,
    name: segment.name,
    description: segment.description,
    rules: segment.rules,
    leadCount: count.total,
    leadCountIsEstimate: count.totalIsEstimate,
    createdById: segment.createdById,
    createdAt: segment.createdAt.toISOString(),
    updatedAt: segment.updatedAt.toISOString(),
  };
}

const segmentNotFound = () => notFound('SEGMENT_NOT_FOUND', 'Segment not found in this workspace');

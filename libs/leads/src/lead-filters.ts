import { Brackets, SelectQueryBuilder } from 'typeorm';
import { containsPattern } from '@crescendo/platform';
import type { LeadEntity } from './lead.entity';
import type { ListLeadsQueryDto } from './leads.dto';

/** The filters and sort of GET /api/leads, without the page: what the list and the export share. */
export type LeadFilterQuery = Omit<ListLeadsQueryDto, 'page' | 'limit'>;

const sortColumns = {
  createdAt: 'l.createdAt',
  updatedAt: 'l.updatedAt',
  score: 'l.score',
  name: 'l.name',
} as const;

/**
 * Restricts a query builder over leads aliased `l` to one workspace and the list filters. The one place
 * a list filter is written: the list, the export (and anything else that selects "the leads the user
 * sees") call it, so a new filter is one line here plus its field in ListLeadsQueryDto.
 */
export function applyLeadFilters<T extends SelectQueryBuilder<LeadEntity>>(
  qb: T,
  workspaceId: string,
  query: LeadFilterQuery,
): T {
  qb.andWhere('l.workspaceId = :workspaceId', { workspaceId });
  if (query.status) qb.andWhere('l.status = :status', { status: query.status });
  if (query.nicheId) qb.andWhere('l.nicheId = :nicheId', { nicheId: query.nicheId });
  if (query.campaignId) {
    // By table name: campaigns depends on leads, never the reverse.
    qb.andWhere('EXISTS (SELECT 1 FROM campaign_leads cl WHERE cl.lead_id = l.id AND cl.campaign_id = :campaignId)', {
      campaignId: query.campaignId,
    });
  }
  if (query.tag) qb.andWhere('l.tags @> ARRAY[:tag]::text[]', { tag: query.tag });
  if (query.source) qb.andWhere('l.source = :source', { source: query.source });
  if (query.scoreMin !== undefined) qb.andWhere('l.score >= :scoreMin', { scoreMin: query.scoreMin });
  if (query.scoreMax !== undefined) qb.andWhere('l.score <= :scoreMax', { scoreMax: query.scoreMax });
  if (query.createdFrom) qb.andWhere('l.createdAt >= :createdFrom', { createdFrom: new Date(query.createdFrom) });
  if (query.createdTo) qb.andWhere('l.createdAt < :createdTo', { createdTo: new Date(query.createdTo) });
  if (query.q) {
    const pattern = containsPattern(query.q);
    qb.andWhere(
      new Brackets((w) =>
        w
          .where('l.name ILIKE :pattern', { pattern })
          .orWhere('l.email ILIKE :pattern')
          .orWhere('l.company ILIKE :pattern'),
      ),
    );
  }
  return qb;
}

/** The list's order (sortBy, order), with the id as tie-breaker so pages and exports are stable. */
export function applyLeadSort<T extends SelectQueryBuilder<LeadEntity>>(qb: T, query: LeadFilterQuery): T {
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  qb.orderBy(sortColumns[query.sortBy ?? 'createdAt'], direction).addOrderBy('l.id', 'ASC');
  return qb;
}

import { SelectQueryBuilder } from 'typeorm';
import { containsPattern, type KeysetOrder } from '@crescendo/platform';
import type { LeadEntity } from './lead.entity';
import type { ListLeadsQueryDto } from './leads.dto';

/** The filters and sort of GET /api/leads, without the page: what the list and the export share. */
export type LeadFilterQuery = Omit<ListLeadsQueryDto, 'page' | 'limit' | 'cursor'>;

/** Sort keys: the query builder's property path and the raw column, both over the alias `l`. */
const sortColumns = {
  createdAt: ['l.createdAt', 'l.created_at'],
  updatedAt: ['l.updatedAt', 'l.updated_at'],
  score: ['l.score', 'l.score'],
  name: ['l.name', 'l.name'],
} as const;

interface Condition {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * The one place a list filter is written, as SQL over the table `leads` aliased `l` with named
 * parameters: the query-builder callers (export) and the raw list both use it, so a new filter is one
 * line here plus its field in ListLeadsQueryDto. Soft-deleted rows are excluded by the callers.
 */
function leadConditions(workspaceId: string, query: LeadFilterQuery): Condition[] {
  const c: Condition[] = [{ sql: 'l.workspace_id = :workspaceId', params: { workspaceId } }];
  if (query.status) c.push({ sql: 'l.status = :status', params: { status: query.status } });
  if (query.nicheId) c.push({ sql: 'l.niche_id = :nicheId', params: { nicheId: query.nicheId } });
  if (query.campaignId) {
    // By table name: campaigns depends on leads, never the reverse.
    c.push({
      sql: 'EXISTS (SELECT 1 FROM campaign_leads cl WHERE cl.lead_id = l.id AND cl.campaign_id = :campaignId)',
      params: { campaignId: query.campaignId },
    });
  }
  if (query.tag) c.push({ sql: 'l.tags @> ARRAY[:tag]::text[]', params: { tag: query.tag } });
  if (query.source) c.push({ sql: 'l.source = :source', params: { source: query.source } });
  if (query.scoreMin !== undefined) c.push({ sql: 'l.score >= :scoreMin', params: { scoreMin: query.scoreMin } });
  if (query.scoreMax !== undefined) c.push({ sql: 'l.score <= :scoreMax', params: { scoreMax: query.scoreMax } });
  if (query.createdFrom) {
    c.push({ sql: 'l.created_at >= :createdFrom', params: { createdFrom: new Date(query.createdFrom) } });
  }
  if (query.createdTo) c.push({ sql: 'l.created_at < :createdTo', params: { createdTo: new Date(query.createdTo) } });
  if (query.q) {
    c.push({
      sql: '(l.name ILIKE :pattern OR l.email ILIKE :pattern OR l.company ILIKE :pattern)',
      params: { pattern: containsPattern(query.q) },
    });
  }
  return c;
}

/** Restricts a query builder over leads aliased `l` to one workspace and the list filters. */
export function applyLeadFilters<T extends SelectQueryBuilder<LeadEntity>>(
  qb: T,
  workspaceId: string,
  query: LeadFilterQuery,
): T {
  for (const { sql, params } of leadConditions(workspaceId, query)) qb.andWhere(sql, params);
  return qb;
}

/** The list's order (sortBy, order), with the id as tie-breaker so pages and exports are stable. */
export function applyLeadSort<T extends SelectQueryBuilder<LeadEntity>>(qb: T, query: LeadFilterQuery): T {
  qb.orderBy(sortColumns[query.sortBy ?? 'createdAt'][0], direction(query)).addOrderBy('l.id', direction(query));
  return qb;
}

/**
 * The same order for keyset paging: the id runs in the sort's direction, so one row comparison seeks the
 * `(workspace_id, <sort column>, id)` index of migration leads-list-indexes; every sort column is NOT NULL.
 */
export function leadKeysetOrder(query: LeadFilterQuery): KeysetOrder {
  return { columns: [sortColumns[query.sortBy ?? 'createdAt'][1], 'l.id'], descending: query.order !== 'asc' };
}

const direction = (query: LeadFilterQuery) => (query.order === 'asc' ? 'ASC' : 'DESC');

/**
 * The same filters as plain SQL with positional parameters, for the list's hot path: no
 * query builder and no entity hydration per request. `where` already excludes soft-deleted rows.
 */
export function leadFilterSql(workspaceId: string, query: LeadFilterQuery): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const positions = new Map<string, number>();
  const clauses = leadConditions(workspaceId, query).map(({ sql, params: named }) =>
    // `(?<!:)` skips `::type` casts; every name is one of this condition's own parameters.
    sql.replace(/(?<!:):(\w+)/g, (_m, name: string) => {
      let at = positions.get(name);
      if (at === undefined) {
        at = params.push(named[name]);
        positions.set(name, at);
      }
      return `$${at}`;
    }),
  );
  clauses.push('l.deleted_at IS NULL');
  return { where: clauses.join(' AND '), params };
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, type DataSource, type EntityManager, In, IsNull } from 'typeorm';
import {
  containsPattern,
  type CursorCodec,
  type CursorPaginated,
  type ListPageRequest,
  queryBuilderList,
} from '@crescendo/platform';
import { LeadEntity } from './lead.entity';
import { NicheEntity } from './niche.entity';
import type { NicheSortField } from './niches.dto';

const sortKeys: Record<NicheSortField, string> = {
  name: 'n.name',
  createdAt: 'n.created_at',
  updatedAt: 'n.updated_at',
};

/**
 * The niches list (indexes IDX_niches_list_*, its search IDX_niches_name_trgm and IDX_niches_description_trgm) and
 * the lookups other features make by niche id.
 */
@Injectable()
export class NichesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(
    workspaceId: string,
    filters: { q?: string; sortBy?: NicheSortField; order?: 'asc' | 'desc' },
    page: { codec: CursorCodec; scope: string; request: ListPageRequest },
  ): Promise<CursorPaginated<NicheEntity>> {
    const qb = this.dataSource
      .getRepository(NicheEntity)
      .createQueryBuilder('n')
      .where('n.workspaceId = :workspaceId', { workspaceId });
    if (filters.q) {
      const pattern = containsPattern(filters.q);
      qb.andWhere(
        new Brackets((w) => w.where('n.name ILIKE :pattern', { pattern }).orWhere('n.description ILIKE :pattern')),
      );
    }
    return queryBuilderList(qb, {
      ...page,
      order: { columns: [sortKeys[filters.sortBy ?? 'name'], 'n.id'], descending: filters.order === 'desc' },
      map: (n) => n,
    });
  }

  /** Those of `ids` that are niches of the workspace (`manager`: the caller's transaction). */
  async knownIds(
    workspaceId: string,
    ids: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM niches WHERE workspace_id = $1 AND id = ANY($2::uuid[])`,
      [workspaceId, ids],
    );
    return rows.map((r) => r.id);
  }

  /** Live leads per niche, for the niches of one page. */
  async leadCounts(workspaceId: string, nicheIds: string[]): Promise<Map<string, number>> {
    if (!nicheIds.length) return new Map();
    const rows: { nicheId: string; count: string }[] = await this.dataSource
      .getRepository(LeadEntity)
      .createQueryBuilder('l')
      .select('l.nicheId', 'nicheId')
      .addSelect('count(*)', 'count')
      .where({ workspaceId, nicheId: In(nicheIds), deletedAt: IsNull() })
      .groupBy('l.nicheId')
      .getRawMany();
    return new Map(rows.map((r) => [r.nicheId, Number(r.count)]));
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  containsPattern,
  type CursorCodec,
  type CursorPaginated,
  type ListPageRequest,
  queryBuilderList,
} from '@crescendo/platform';
import { StudioAssetEntity } from './studio-asset.entity';
import type { ListAssetsQueryDto } from './studio.dto';

type Page = { codec: CursorCodec; scope: string; request: ListPageRequest };

/** The studio_assets table. */
@Injectable()
export class StudioAssetsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get assets() {
    return this.dataSource.getRepository(StudioAssetEntity);
  }

  /** Newest first (IDX_studio_assets_list_created), the id breaking ties. */
  list(workspaceId: string, filters: ListAssetsQueryDto, page: Page): Promise<CursorPaginated<StudioAssetEntity>> {
    const qb = this.assets.createQueryBuilder('a').where('a.workspaceId = :workspaceId', { workspaceId });
    if (filters.kind) qb.andWhere('a.kind = :kind', { kind: filters.kind });
    if (filters.folder) qb.andWhere('a.folder = :folder', { folder: filters.folder });
    if (filters.tag) qb.andWhere(':tag = ANY(a.tags)', { tag: filters.tag });
    if (filters.q) {
      qb.andWhere('(a.title ILIKE :pattern OR a.originalName ILIKE :pattern)', { pattern: containsPattern(filters.q) });
    }
    return queryBuilderList(qb, {
      ...page,
      order: { columns: ['a.createdAt', 'a.id'], descending: true },
      map: (a) => a,
    });
  }

  find(workspaceId: string, id: string): Promise<StudioAssetEntity | null> {
    return this.assets.findOne({ where: { id, workspaceId } });
  }

  /** By id alone: a signed link names no workspace (its signature is the proof). */
  findById(id: string): Promise<StudioAssetEntity | null> {
    return this.assets.findOne({ where: { id } });
  }

  insert(values: Partial<StudioAssetEntity>): Promise<StudioAssetEntity> {
    return this.assets.save(this.assets.create(values));
  }

  /** Within the caller's transaction; a row already there (an earlier attempt's) is replaced. */
  async upsertIn(manager: EntityManager, values: Partial<StudioAssetEntity>): Promise<void> {
    await manager.getRepository(StudioAssetEntity).upsert(values as QueryDeepPartialEntity<StudioAssetEntity>, ['id']);
  }

  save(asset: StudioAssetEntity): Promise<StudioAssetEntity> {
    return this.assets.save(asset);
  }

  /** Bytes the workspace's assets take (its studio_assets rows, IDX_studio_assets_list_created's prefix). */
  async usedBytes(workspaceId: string): Promise<number> {
    const [row] = await this.dataSource.query<{ used: string }[]>(
      `SELECT coalesce(sum(size), 0)::bigint AS used FROM studio_assets WHERE workspace_id = $1`,
      [workspaceId],
    );
    return Number(row.used);
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.assets.delete({ id, workspaceId });
    return !!result.affected;
  }
}

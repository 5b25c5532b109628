import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type CursorCodec, type CursorPaginated, type ListPageRequest, queryBuilderList } from '@crescendo/platform';
import type { ListScheduledPostsQueryDto } from './content-creation.dto';
import { ScheduledPostEntity } from './scheduled-post.entity';

/** The scheduled_posts table: the schedule by publishing time (index IDX_scheduled_posts_list), and new posts. */
@Injectable()
export class ScheduledPostsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(
    workspaceId: string,
    filters: Omit<ListScheduledPostsQueryDto, 'page' | 'limit' | 'cursor'>,
    page: { codec: CursorCodec; scope: string; request: ListPageRequest },
  ): Promise<CursorPaginated<ScheduledPostEntity>> {
    const qb = this.dataSource
      .getRepository(ScheduledPostEntity)
      .createQueryBuilder('p')
      .where('p.workspaceId = :workspaceId', { workspaceId });
    if (filters.from) qb.andWhere('p.publishAt >= :from', { from: new Date(filters.from) });
    if (filters.to) qb.andWhere('p.publishAt < :to', { to: new Date(filters.to) });
    if (filters.platform) qb.andWhere('p.platform = :platform', { platform: filters.platform });
    if (filters.status) qb.andWhere('p.status = :status', { status: filters.status });
    if (filters.campaignId) qb.andWhere('p.campaignId = :campaignId', { campaignId: filters.campaignId });
    return queryBuilderList(qb, {
      ...page,
      order: { columns: ['p.publish_at', 'p.id'], descending: false },
      map: (p) => p,
    });
  }

  insert(values: Partial<ScheduledPostEntity>): Promise<ScheduledPostEntity> {
    const repo = this.dataSource.getRepository(ScheduledPostEntity);
    return repo.save(repo.create(values));
  }
}

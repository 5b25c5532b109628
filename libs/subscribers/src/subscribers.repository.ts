import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, type DataSource, type EntityManager } from 'typeorm';
import {
  containsPattern,
  type CursorCodec,
  type CursorPaginated,
  type ListPageRequest,
  queryBuilderList,
} from '@crescendo/platform';
import { EarningEntity } from './earning.entity';
import { SubscriberEntity } from './subscriber.entity';
import type { ListSubscribersQueryDto, SubscriberDto, SubscriberSortField } from './subscribers.dto';
import type { SubscriberPlatform } from './subscribers.types';

/** Each sort's key, as indexed (IDX_subscribers_list_*). */
const sortKeys: Record<SubscriberSortField, string> = {
  subscribedSince: 's.subscribed_since',
  lifetimeSpend: 's.lifetime_spend',
  monthlyPrice: 's.monthly_price',
};

export type SubscriberPatch = Partial<Omit<SubscriberEntity, 'lead' | 'workspace'>>;
type Page = { codec: CursorCodec; scope: string; request: ListPageRequest };

/** The subscribers table: the list, reads and writes (a transaction passes its manager), the ledger's figures. */
@Injectable()
export class SubscribersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(
    workspaceId: string,
    filters: Omit<ListSubscribersQueryDto, 'page' | 'pageSize' | 'cursor'>,
    page: Page,
  ): Promise<CursorPaginated<SubscriberDto>> {
    const qb = this.dataSource
      .getRepository(SubscriberEntity)
      .createQueryBuilder('s')
      .where('s.workspaceId = :workspaceId', { workspaceId });
    if (filters.status) qb.andWhere('s.status = :status', { status: filters.status });
    if (filters.platform) qb.andWhere('s.platform = :platform', { platform: filters.platform });
    if (filters.tier) qb.andWhere('lower(s.tier) = lower(:tier)', { tier: filters.tier });
    if (filters.search) {
      const pattern = containsPattern(filters.search);
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('s.displayName ILIKE :pattern', { pattern })
            .orWhere('s.handle ILIKE :pattern')
            .orWhere('s.email ILIKE :pattern'),
        ),
      );
    }
    return queryBuilderList(qb, {
      ...page,
      order: { columns: [sortKeys[filters.sortBy ?? 'subscribedSince'], 's.id'], descending: filters.order !== 'asc' },
      map: toSubscriberDto,
    });
  }

  find(
    workspaceId: string,
    id: string,
    options: { manager?: EntityManager; lock?: boolean } = {},
  ): Promise<SubscriberEntity | null> {
    return (options.manager ?? this.dataSource.manager).getRepository(SubscriberEntity).findOne({
      where: { id, workspaceId },
      ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  async idByHandle(
    manager: EntityManager,
    workspaceId: string,
    platform: SubscriberPlatform,
    handle: string,
  ): Promise<string | null> {
    const row = await manager
      .getRepository(SubscriberEntity)
      .findOne({ where: { workspaceId, platform, handle }, select: { id: true } });
    return row?.id ?? null;
  }

  async insert(manager: EntityManager, values: SubscriberPatch & { workspaceId: string }): Promise<string> {
    const repo = manager.getRepository(SubscriberEntity);
    return (await repo.save(repo.create(values))).id;
  }

  async update(manager: EntityManager, id: string, patch: SubscriberPatch): Promise<void> {
    await manager.getRepository(SubscriberEntity).update({ id }, patch);
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.getRepository(SubscriberEntity).delete({ id });
  }

  hasEarnings(manager: EntityManager, subscriberId: string): Promise<boolean> {
    return manager.getRepository(EarningEntity).exists({ where: { subscriberId } });
  }

  /** The ledger's side of a new entry: lifetime spend, and a renewal for a subscription. */
  async addToFigures(manager: EntityManager, subscriberId: string, amount: number, renewal: boolean): Promise<void> {
    await manager.query(
      `UPDATE subscribers SET lifetime_spend = lifetime_spend + $1, renewals = renewals + $2, updated_at = now()
       WHERE id = $3`,
      [amount, renewal ? 1 : 0, subscriberId],
    );
  }
}

export function toSubscriberDto(s: SubscriberEntity): SubscriberDto {
  return {
    id: s.id,
    platform: s.platform,
    handle: s.handle,
    displayName: s.displayName,
    email: s.email,
    tier: s.tier,
    monthlyPrice: s.monthlyPrice,
    currency: s.currency,
    status: s.status,
    subscribedSince: s.subscribedSince.toISOString(),
    renewals: s.renewals,
    lifetimeSpend: s.lifetimeSpend,
    leadId: s.leadId,
    notes: s.notes,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

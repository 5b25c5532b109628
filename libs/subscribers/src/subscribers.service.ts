import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, Repository } from 'typeorm';
import { asLimitPage, conflict, containsPattern, notFound, pageMetadata, queryPage } from '@crescendo/platform';
import { LeadEntity } from '@crescendo/leads';
import { EarningEntity } from './earning.entity';
import { SubscriberEntity, SubscriberStatus } from './subscriber.entity';
import {
  CreateSubscriberDto,
  ListSubscribersQueryDto,
  SubscriberDto,
  SubscriberListResponseDto,
  SubscriberResponseDto,
  UpdateSubscriberDto,
} from './subscribers.dto';

const sortColumns = {
  subscribedSince: 's.subscribedSince',
  lifetimeSpend: 's.lifetimeSpend',
  monthlyPrice: 's.monthlyPrice',
} as const;

type SubscriberPatch = Partial<Omit<SubscriberEntity, 'lead' | 'workspace'>>;

const editableFields = [
  'platform',
  'handle',
  'displayName',
  'email',
  'tier',
  'monthlyPrice',
  'currency',
  'status',
  'notes',
] as const;

/** A workspace's subscribers. Renewals and lifetime spend are written by the earnings ledger only. */
@Injectable()
export class SubscribersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(SubscriberEntity) private readonly subscribers: Repository<SubscriberEntity>,
  ) {}

  async list(workspaceId: string, query: ListSubscribersQueryDto): Promise<SubscriberListResponseDto> {
    const qb = this.subscribers.createQueryBuilder('s').where('s.workspaceId = :workspaceId', { workspaceId });
    if (query.status) qb.andWhere('s.status = :status', { status: query.status });
    if (query.platform) qb.andWhere('s.platform = :platform', { platform: query.platform });
    if (query.tier) qb.andWhere('lower(s.tier) = lower(:tier)', { tier: query.tier });
    if (query.search) {
      const pattern = containsPattern(query.search);
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('s.displayName ILIKE :pattern', { pattern })
            .orWhere('s.handle ILIKE :pattern')
            .orWhere('s.email ILIKE :pattern'),
        ),
      );
    }
    qb.orderBy(sortColumns[query.sortBy], query.order === 'asc' ? 'ASC' : 'DESC').addOrderBy('s.id', 'ASC');
    const [rows, total] = await queryPage(qb, asLimitPage(query));
    return { success: true, data: rows.map(toSubscriberDto), metadata: pageMetadata(total, query) };
  }

  async get(workspaceId: string, id: string): Promise<SubscriberResponseDto> {
    return { success: true, data: toSubscriberDto(await findSubscriber(this.dataSource.manager, workspaceId, id)) };
  }

  async create(workspaceId: string, dto: CreateSubscriberDto): Promise<SubscriberResponseDto> {
    return this.write(async (manager) => {
      const repo = manager.getRepository(SubscriberEntity);
      await this.assertHandleFree(manager, workspaceId, dto.platform, dto.handle);
      const email = dto.email ?? null;
      const saved = await repo.save(
        repo.create({
          workspaceId,
          platform: dto.platform,
          handle: dto.handle,
          displayName: dto.displayName ?? null,
          email,
          tier: dto.tier ?? null,
          monthlyPrice: dto.monthlyPrice ?? 0,
          currency: dto.currency ?? 'USD',
          status: dto.status ?? SubscriberStatus.Active,
          subscribedSince: dto.subscribedSince ? new Date(dto.subscribedSince) : new Date(),
          notes: dto.notes ?? null,
          leadId: await leadIdForEmail(manager, workspaceId, email),
        }),
      );
      return { success: true, data: toSubscriberDto(await findSubscriber(manager, workspaceId, saved.id)) };
    });
  }

  /** Partial update: only the fields sent change; a new e-mail re-links the lead. */
  async update(workspaceId: string, id: string, dto: UpdateSubscriberDto): Promise<SubscriberResponseDto> {
    return this.write(async (manager) => {
      const subscriber = await findSubscriber(manager, workspaceId, id, true);
      const patch: SubscriberPatch = {};
      for (const field of editableFields) {
        if (dto[field] !== undefined && dto[field] !== subscriber[field])
          (patch as Record<string, unknown>)[field] = dto[field];
      }
      if (dto.subscribedSince && new Date(dto.subscribedSince).getTime() !== subscriber.subscribedSince.getTime())
        patch.subscribedSince = new Date(dto.subscribedSince);
      if (patch.platform !== undefined || patch.handle !== undefined)
        await this.assertHandleFree(
          manager,
          workspaceId,
          patch.platform ?? subscriber.platform,
          patch.handle ?? subscriber.handle,
          subscriber.id,
        );
      if (patch.currency !== undefined) {
        // Lifetime spend is a sum in the subscriber's currency: it cannot switch under recorded money.
        const hasEarnings = await manager.getRepository(EarningEntity).exists({ where: { subscriberId: id } });
        if (hasEarnings)
          throw conflict('SUBSCRIBER_CURRENCY_LOCKED', 'The currency of a subscriber with earnings cannot change', [
            { field: 'currency', message: 'the subscriber already has earnings in ' + subscriber.currency },
          ]);
      }
      if (patch.email !== undefined) patch.leadId = await leadIdForEmail(manager, workspaceId, patch.email);
      if (Object.keys(patch).length) await manager.getRepository(SubscriberEntity).update({ id }, patch);
      return { success: true, data: toSubscriberDto(await findSubscriber(manager, workspaceId, id)) };
    });
  }

  /** Deletes the subscriber; its earnings stay in the ledger (subscriberId becomes null). */
  async remove(workspaceId: string, id: string): Promise<SubscriberResponseDto> {
    return this.write(async (manager) => {
      const subscriber = await findSubscriber(manager, workspaceId, id, true);
      await manager.getRepository(SubscriberEntity).delete({ id });
      return { success: true, data: toSubscriberDto(subscriber) };
    });
  }

  private async assertHandleFree(
    manager: EntityManager,
    workspaceId: string,
    platform: string,
    handle: string,
    exceptId?: string,
  ): Promise<void> {
    const other = await manager.getRepository(SubscriberEntity).findOne({
      where: { workspaceId, platform: platform as SubscriberEntity['platform'], handle },
      select: { id: true },
    });
    if (other && other.id !== exceptId) throw handleTaken();
  }

  /** One transaction; the unique index answers a racing duplicate handle. */
  private write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work).catch((error: unknown) => {
      const pg = error as { code?: string; constraint?: string; driverError?: { constraint?: string } };
      const constraint = pg.constraint ?? pg.driverError?.constraint;
      if (pg.code === '23505' && constraint === 'UQ_subscribers_workspace_platform_handle') throw handleTaken();
      throw error;
    });
  }
}

export async function findSubscriber(
  manager: EntityManager,
  workspaceId: string,
  id: string,
  lock = false,
): Promise<SubscriberEntity> {
  const subscriber = await manager.getRepository(SubscriberEntity).findOne({
    where: { id, workspaceId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!subscriber) throw notFound('SUBSCRIBER_NOT_FOUND', 'Subscriber not found in this workspace');
  return subscriber;
}

/** The workspace's live (not deleted) lead with this e-mail, if any. */
async function leadIdForEmail(manager: EntityManager, workspaceId: string, email: string | null) {
  if (!email) return null;
  const lead = await manager.getRepository(LeadEntity).findOne({ where: { workspaceId, email }, select: { id: true } });
  return lead?.id ?? null;
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

const handleTaken = () =>
  conflict('SUBSCRIBER_HANDLE_TAKEN', 'Another subscriber of this workspace has this handle on this platform', [
    { field: 'handle', message: 'already used on this platform' },
  ]);

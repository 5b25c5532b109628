import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { conflict, CursorCodec, cursorPageMetadata, notFound, pageSizeRequest } from '@crescendo/platform';
import { LeadsService } from '@crescendo/leads';
import type { SubscriberEntity } from './subscriber.entity';
import { SubscriberPatch, SubscribersRepository, toSubscriberDto } from './subscribers.repository';
import { SubscriberPlatform, SubscriberStatus } from './subscribers.types';
import {
  CreateSubscriberDto,
  ListSubscribersQueryDto,
  SubscriberListResponseDto,
  SubscriberResponseDto,
  UpdateSubscriberDto,
} from './subscribers.dto';

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
    private readonly cursors: CursorCodec,
    private readonly leads: LeadsService,
    private readonly repository: SubscribersRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** By cursor or page/pageSize, every sort served by an index, with a bounded total; the seed envelope. */
  async list(workspaceId: string, query: ListSubscribersQueryDto): Promise<SubscriberListResponseDto> {
    const { page: _page, pageSize: _pageSize, cursor: _cursor, ...filters } = query;
    const page = await this.repository.list(workspaceId, filters, {
      codec: this.cursors,
      scope: `${workspaceId}:subscribers:${query.sortBy}:${query.order}`,
      request: pageSizeRequest(query),
    });
    return { success: true, data: page.data, metadata: cursorPageMetadata(page.pagination) };
  }

  async get(workspaceId: string, id: string): Promise<SubscriberResponseDto> {
    return { success: true, data: toSubscriberDto(await this.find(workspaceId, id)) };
  }

  async create(workspaceId: string, dto: CreateSubscriberDto): Promise<SubscriberResponseDto> {
    return this.write(async (manager) => {
      await this.assertHandleFree(manager, workspaceId, dto.platform, dto.handle);
      const email = dto.email ?? null;
      const id = await this.repository.insert(manager, {
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
        leadId: await this.leadIdForEmail(workspaceId, email),
      });
      return { success: true, data: toSubscriberDto(await this.find(workspaceId, id, { manager })) };
    });
  }

  /** Partial update: only the fields sent change; a new e-mail re-links the lead. */
  async update(workspaceId: string, id: string, dto: UpdateSubscriberDto): Promise<SubscriberResponseDto> {
    return this.write(async (manager) => {
      const subscriber = await this.find(workspaceId, id, { manager, lock: true });
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
        if (await this.repository.hasEarnings(manager, id))
          throw conflict('SUBSCRIBER_CURRENCY_LOCKED', 'The currency of a subscriber with earnings cannot change', [
            { field: 'currency', message: 'the subscriber already has earnings in ' + subscriber.currency },
          ]);
      }
      if (patch.email !== undefined) patch.leadId = await this.leadIdForEmail(workspaceId, patch.email);
      if (Object.keys(patch).length) await this.repository.update(manager, id, patch);
      return { success: true, data: toSubscriberDto(await this.find(workspaceId, id, { manager })) };
    });
  }

  /** Deletes the subscriber; its earnings stay in the ledger (subscriberId becomes null). */
  async remove(workspaceId: string, id: string): Promise<SubscriberResponseDto> {
    return this.write(async (manager) => {
      const subscriber = await this.find(workspaceId, id, { manager, lock: true });
      await this.repository.delete(manager, id);
      return { success: true, data: toSubscriberDto(subscriber) };
    });
  }

  /** The subscriber or 404; a transaction passes its manager (and locks the row before changing it). */
  async find(
    workspaceId: string,
    id: string,
    options: { manager?: EntityManager; lock?: boolean } = {},
  ): Promise<SubscriberEntity> {
    const subscriber = await this.repository.find(workspaceId, id, options);
    if (!subscriber) throw notFound('SUBSCRIBER_NOT_FOUND', 'Subscriber not found in this workspace');
    return subscriber;
  }

  /** The workspace's live (not deleted) lead with this e-mail, if any: asked of the leads feature. */
  private leadIdForEmail(workspaceId: string, email: string | null): Promise<string | null> {
    return email ? this.leads.findIdByEmail(workspaceId, email) : Promise.resolve(null);
  }

  private async assertHandleFree(
    manager: EntityManager,
    workspaceId: string,
    platform: SubscriberPlatform,
    handle: string,
    exceptId?: string,
  ): Promise<void> {
    const other = await this.repository.idByHandle(manager, workspaceId, platform, handle);
    if (other && other !== exceptId) throw handleTaken();
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

const handleTaken = () =>
  conflict('SUBSCRIBER_HANDLE_TAKEN', 'Another subscriber of this workspace has this handle on this platform', [
    { field: 'handle', message: 'already used on this platform' },
  ]);

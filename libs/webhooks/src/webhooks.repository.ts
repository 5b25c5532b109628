import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import type { KeysetOrder } from '@crescendo/platform';
import { DeliveryAttemptEntity, InboundDeliveryEntity, WebhookEndpointEntity } from './webhooks.entity';
import { AttemptStatus, InboundSource, InboundStatus } from './webhooks.types';

/** Newest first, the id breaking ties (webhook_endpoints (workspace_id, created_at, id)). */
export const ENDPOINT_ORDER: KeysetOrder = { columns: ['e.created_at', 'e.id'], descending: true };
/** Newest first (webhook_deliveries (endpoint_id, created_at, id)). */
export const ATTEMPT_ORDER: KeysetOrder = { columns: ['a.created_at', 'a.id'], descending: true };
/** Newest first (webhook_deliveries_inbound (workspace_id, received_at, id)). */
export const INBOUND_ORDER: KeysetOrder = { columns: ['d.received_at', 'd.id'], descending: true };

/** Storage of `webhook_endpoints`. */
@Injectable()
export class WebhookEndpointRepository {
  constructor(@InjectRepository(WebhookEndpointEntity) private readonly repo: Repository<WebhookEndpointEntity>) {}

  listQuery(workspaceId: string): SelectQueryBuilder<WebhookEndpointEntity> {
    return this.repo.createQueryBuilder('e').where('e.workspace_id = :ws', { ws: workspaceId });
  }

  findInWorkspace(workspaceId: string, id: string): Promise<WebhookEndpointEntity | null> {
    return this.repo.findOne({ where: { id, workspaceId } });
  }

  build(fields: Partial<WebhookEndpointEntity>): WebhookEndpointEntity {
    return this.repo.create(fields);
  }

  save(endpoint: WebhookEndpointEntity): Promise<WebhookEndpointEntity> {
    return this.repo.save(endpoint);
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  /** Ids of the workspace's active endpoints subscribed to `type` (or to everything). */
  subscribedTo(workspaceId: string, type: string): Promise<WebhookEndpointEntity[]> {
    return this.repo
      .createQueryBuilder('e')
      .select('e.id')
      .where('e.workspaceId = :workspaceId AND e.active = true', { workspaceId })
      .andWhere('e.events && ARRAY[:...types]::text[]', { types: ['*', type] })
      .getMany();
  }

  async resetFailures(id: string): Promise<void> {
    await this.repo.update({ id }, { consecutiveFailures: 0 });
  }

  /** In one statement, so concurrent failures count correctly; at `limit` in a row the endpoint is disabled. */
  async countFailure(id: string, limit: number, reason: string): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({
        consecutiveFailures: () => 'consecutive_failures + 1',
        active: () => `CASE WHEN consecutive_failures + 1 >= :limit THEN false ELSE active END`,
        disabledReason: () => `CASE WHEN consecutive_failures + 1 >= :limit THEN :reason ELSE disabled_reason END`,
      })
      .where('id = :id', { id })
      .setParameters({ limit, reason })
      .execute();
  }
}

/** Storage of `webhook_deliveries`: the attempts to deliver outgoing events. */
@Injectable()
export class DeliveryAttemptRepository {
  constructor(@InjectRepository(DeliveryAttemptEntity) private readonly repo: Repository<DeliveryAttemptEntity>) {}

  listQuery(
    workspaceId: string,
    endpointId: string,
    status?: AttemptStatus,
  ): SelectQueryBuilder<DeliveryAttemptEntity> {
    const qb = this.repo
      .createQueryBuilder('a')
      .where('a.endpoint_id = :endpointId AND a.workspace_id = :ws', { endpointId, ws: workspaceId });
    if (status) qb.andWhere('a.status = :status', { status });
    return qb;
  }

  insert(fields: Partial<DeliveryAttemptEntity>): Promise<DeliveryAttemptEntity> {
    return this.repo.save(this.repo.create(fields));
  }
}

export interface InboundFilter {
  source?: InboundSource;
  status?: InboundStatus;
  eventId?: string;
}

/** Storage of `webhook_deliveries_inbound`: every inbound delivery and its outcome. */
@Injectable()
export class InboundDeliveryRepository {
  constructor(@InjectRepository(InboundDeliveryEntity) private readonly repo: Repository<InboundDeliveryEntity>) {}

  listQuery(workspaceId: string, filter: InboundFilter): SelectQueryBuilder<InboundDeliveryEntity> {
    const qb = this.repo.createQueryBuilder('d').where('d.workspace_id = :ws', { ws: workspaceId });
    if (filter.source) qb.andWhere('d.source = :source', { source: filter.source });
    if (filter.status) qb.andWhere('d.status = :status', { status: filter.status });
    if (filter.eventId) qb.andWhere('d.event_id = :eventId', { eventId: filter.eventId });
    return qb;
  }

  /**
   * Claims (workspace, source, event id) in the caller's transaction: answers the new accepted row's id, or null
   * when an accepted delivery of that event exists (the partial unique index).
   */
  async claim(
    manager: EntityManager,
    workspaceId: string,
    source: InboundSource,
    eventId: string,
  ): Promise<string | null> {
    const claim = await manager
      .createQueryBuilder()
      .insert()
      .into(InboundDeliveryEntity)
      .values({ workspaceId, source, eventId, status: InboundStatus.Accepted, httpStatus: 200 })
      .orIgnore()
      .returning(['id'])
      .execute();
    return (claim.raw as Array<{ id: string }>)[0]?.id ?? null;
  }

  async setApplied(
    manager: EntityManager,
    id: string,
    applied: { leadId: string | null; campaignId: string | null },
  ): Promise<void> {
    await manager.update(InboundDeliveryEntity, { id }, applied);
  }

  findAccepted(workspaceId: string, source: InboundSource, eventId: string): Promise<InboundDeliveryEntity | null> {
    return this.repo.findOne({ where: { workspaceId, source, eventId, status: InboundStatus.Accepted } });
  }

  insert(fields: Partial<InboundDeliveryEntity>): Promise<InboundDeliveryEntity> {
    return this.repo.save(this.repo.create(fields));
  }
}

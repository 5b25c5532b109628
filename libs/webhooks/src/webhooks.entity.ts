import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { AttemptStatus, InboundSource, InboundStatus } from './webhooks.types';

/**
 * One inbound delivery, whatever its outcome. At most one accepted row per (workspace, source, event id):
 * the partial unique index is what makes a replayed or concurrent duplicate apply once.
 */
@Entity('webhook_deliveries_inbound')
@Index('UQ_webhook_inbound_event_accepted', ['workspaceId', 'source', 'eventId'], {
  unique: true,
  where: `"status" = 'accepted'`,
})
// The delivery log's order: newest first, the id breaking ties.
@Index(['workspaceId', 'receivedAt', 'id'])
export class InboundDeliveryEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 16 }) source: InboundSource;
  /** Null when the delivery was refused before its sender could be trusted. */
  @Column({ type: 'varchar', length: 200, nullable: true }) eventId: string | null;
  @Column({ type: 'varchar', length: 16 }) status: InboundStatus;
  /** Error code of a rejected delivery. Never the body. */
  @Column({ type: 'varchar', length: 500, nullable: true }) reason: string | null;
  @Column({ type: 'int' }) httpStatus: number;
  @Column({ type: 'uuid', nullable: true }) leadId: string | null;
  @Column({ type: 'uuid', nullable: true }) campaignId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) receivedAt: Date;

  // By entity name: the foreign key stays without importing identity's entity.
  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

/** An outgoing subscription: domain events of the workspace POSTed, signed, to a URL. */
@Entity('webhook_endpoints')
@Index(['workspaceId', 'createdAt', 'id'])
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 2048 }) url: string;
  @Column({ type: 'varchar', length: 500, nullable: true }) description: string | null;
  /** Domain event names (DomainEventName), or `*` for all. */
  @Column({ type: 'text', array: true }) events: string[];
  @Column({ type: 'boolean', default: true }) active: boolean;
  /** Signing secret, sealed by SecretBox: shown once at creation. */
  @Column({ type: 'text' }) secret: string;
  /** Deliveries that failed for good in a row; reaching the limit disables the endpoint. */
  @Column({ type: 'int', default: 0 }) consecutiveFailures: number;
  @Column({ type: 'varchar', length: 500, nullable: true }) disabledReason: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  // By entity name: the foreign key stays without importing identity's entity.
  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

/** One attempt to deliver one event (or a ping) to one endpoint. */
@Entity('webhook_deliveries')
@Index(['endpointId', 'createdAt', 'id'])
export class DeliveryAttemptEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'uuid' }) endpointId: string;
  @Column({ type: 'varchar', length: 100 }) eventId: string;
  @Column({ type: 'varchar', length: 64 }) eventType: string;
  @Column({ type: 'int' }) attempt: number;
  @Column({ type: 'varchar', length: 16 }) status: AttemptStatus;
  @Column({ type: 'int', nullable: true }) responseStatus: number | null;
  @Column({ type: 'int', nullable: true }) durationMs: number | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) error: string | null;
  @Column({ type: 'timestamptz', nullable: true }) nextRetryAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: WebhookEndpointEntity;
}

export const webhookEntities = [InboundDeliveryEntity, WebhookEndpointEntity, DeliveryAttemptEntity];

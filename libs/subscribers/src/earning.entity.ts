import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '@crescendo/platform';
import { SubscriberEntity } from './subscriber.entity';
import { EarningType } from './subscribers.types';

/**
 * Append-only revenue ledger, in minor units of `currency`. Corrections are refund entries, never edits,
 * so a subscriber's lifetime spend always equals the sum of its entries.
 */
@Entity('earnings')
@Index('UQ_earnings_workspace_external_id', ['workspaceId', 'externalId'], {
  unique: true,
  where: '"external_id" IS NOT NULL',
})
@Index(['workspaceId', 'occurredAt'])
// The report's entries, newest first, the id breaking ties: by currency, or by subscriber (keyset paging).
@Index('IDX_earnings_list_currency', ['workspaceId', 'currency', 'occurredAt', 'id'])
@Index('IDX_earnings_list_subscriber', ['subscriberId', 'occurredAt', 'id'])
@Check('CHK_earnings_amount_sign', `("type" = 'refund' AND "amount" < 0) OR ("type" <> 'refund' AND "amount" > 0)`)
@Check('CHK_earnings_currency', '"currency" ~ \'^[A-Z]{3}$\'')
export class EarningEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  /** Kept as null when the subscriber is deleted: the revenue stays in the ledger. */
  @Column({ type: 'uuid', nullable: true }) subscriberId: string | null;
  @Column({ type: 'varchar', length: 16 }) type: EarningType;
  @Column({ type: 'bigint', transformer: bigintNumber }) amount: number;
  @Column({ type: 'char', length: 3 }) currency: string;
  @Column({ type: 'timestamptz' }) occurredAt: Date;
  @Column({ type: 'varchar', length: 500, nullable: true }) description: string | null;
  /** The source system's id (platform payout line, CSV row): unique per workspace, for idempotent imports. */
  @Column({ type: 'varchar', length: 200, nullable: true }) externalId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
  @ManyToOne(() => SubscriberEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'subscriber_id' })
  subscriber?: SubscriberEntity | null;
}

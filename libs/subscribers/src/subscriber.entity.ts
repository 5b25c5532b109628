import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { bigintNumber, HUMAN_NAME_COLLATION } from '@crescendo/platform';
import { SubscriberPlatform, SubscriberStatus } from './subscribers.types';

/** A fan subscribed to one of the workspace's creator accounts. Money in minor units of `currency`. */
@Entity('subscribers')
@Index('UQ_subscribers_workspace_platform_handle', ['workspaceId', 'platform', 'handle'], { unique: true })
@Index(['workspaceId', 'status'])
// The list's sorts, each with the id in the same direction (keyset paging seeks them forwards and backwards).
@Index('IDX_subscribers_list_since', ['workspaceId', 'subscribedSince', 'id'])
@Index('IDX_subscribers_list_spend', ['workspaceId', 'lifetimeSpend', 'id'])
@Index('IDX_subscribers_list_price', ['workspaceId', 'monthlyPrice', 'id'])
@Index(['workspaceId', 'email'])
@Index(['leadId'])
// Trigram indexes for the list's `search` (ILIKE '%…%' on display name, handle, e-mail): created by migration
// list-search-trigram-indexes.
@Index('IDX_subscribers_display_name_trgm', { synchronize: false })
@Index('IDX_subscribers_handle_trgm', { synchronize: false })
@Index('IDX_subscribers_email_trgm', { synchronize: false })
@Check('CHK_subscribers_monthly_price', '"monthly_price" >= 0')
@Check('CHK_subscribers_renewals', '"renewals" >= 0')
@Check('CHK_subscribers_currency', '"currency" ~ \'^[A-Z]{3}$\'')
export class SubscriberEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 16 }) platform: SubscriberPlatform;
  /** Lower-cased, without a leading @: platforms treat handles case-insensitively. */
  @Column({ type: 'varchar', length: 100 }) handle: string;
  @Column({ type: 'varchar', length: 200, collation: HUMAN_NAME_COLLATION, nullable: true }) displayName: string | null;
  /** Lower-cased; links the subscriber to the workspace's lead with the same e-mail. */
  @Column({ type: 'varchar', length: 320, nullable: true }) email: string | null;
  @Column({ type: 'varchar', length: 50, nullable: true }) tier: string | null;
  @Column({ type: 'int', default: 0 }) monthlyPrice: number;
  @Column({ type: 'char', length: 3 }) currency: string;
  @Column({ type: 'varchar', length: 16, default: SubscriberStatus.Active }) status: SubscriberStatus;
  @Column({ type: 'timestamptz' }) subscribedSince: Date;
  /** Maintained by the earnings ledger: +1 per subscription event. */
  @Column({ type: 'int', default: 0 }) renewals: number;
  /** Maintained by the earnings ledger: the sum of this subscriber's entries (refunds included). */
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber }) lifetimeSpend: number;
  @Column({ type: 'uuid', nullable: true }) leadId: string | null;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
  @ManyToOne('LeadEntity', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'lead_id' })
  lead?: unknown;
}

import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * The quota unit a queued generation job holds, from its 202 until it completes (the row goes) or
 * finally fails (the row goes and the unit is given back). Keyed by the job id, so a unit is given
 * back at most once whatever the retries.
 */
@Entity('ai_quota_reservations')
@Index(['workspaceId', 'period'])
export class AiQuotaReservationEntity {
  @PrimaryColumn({ type: 'uuid' }) jobId: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  /** The month (ai_quota_usage.period) the unit was taken from. */
  @Column({ type: 'date' }) period: string;
  /** What the unit came from: the month's quota, or (once it is used up) a message-pack credit. */
  @Column({ type: 'varchar', length: 8, default: 'quota' }) source: 'quota' | 'credit';
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  // By entity name: the foreign key stays without importing identity's entity.
  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

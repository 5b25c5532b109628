import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { WorkspaceEntity } from '@crescendo/identity';

/**
 * Live leads of a workspace created on one local day, per status, source and niche: what the stats read
 * for closed days instead of scanning the leads. Empty dimensions are '' (part of the key).
 */
@Entity('analytics_lead_days')
export class LeadDayRollupEntity {
  @PrimaryColumn({ type: 'uuid' }) workspaceId: string;
  @PrimaryColumn({ type: 'date' }) day: string;
  @PrimaryColumn({ type: 'varchar', length: 16 }) status: string;
  @PrimaryColumn({ type: 'varchar', length: 100, default: '' }) source: string;
  @PrimaryColumn({ type: 'varchar', length: 36, default: '' }) nicheId: string;
  @Column({ type: 'int' }) count: number;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: WorkspaceEntity;
}

/** How far a workspace's rollup goes: the days it holds, in which time zone, and the changes it has seen. */
@Entity('analytics_rollup_state')
export class RollupStateEntity {
  @PrimaryColumn({ type: 'uuid' }) workspaceId: string;
  /** The time zone the days were cut in; another one (settings changed) means a rebuild. */
  @Column({ type: 'varchar', length: 64 }) timeZone: string;
  /** Last day held (included); later days are read live. */
  @Column({ type: 'date' }) builtThrough: string;
  /** Lead timeline entries up to this instant are reflected. */
  @Column({ type: 'timestamptz' }) watermark: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: WorkspaceEntity;
}

import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/*
 * Each rollup exists twice with the same columns: per local day (`…_days`), and per calendar month (`…_months`,
 * `day` = the month's first day) summed from the days, so a long period reads a dozen rows where it would read
 * hundreds. A month row is read only when the whole month is held.
 */

/** Live leads created on one local day (or month), per status, source and niche. Empty dimensions are ''. */
abstract class LeadRollupColumns {
  @PrimaryColumn({ type: 'uuid' }) workspaceId: string;
  @PrimaryColumn({ type: 'date' }) day: string;
  @PrimaryColumn({ type: 'varchar', length: 16 }) status: string;
  @PrimaryColumn({ type: 'varchar', length: 100, default: '' }) source: string;
  @PrimaryColumn({ type: 'varchar', length: 36, default: '' }) nicheId: string;
  @Column({ type: 'int' }) count: number;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

@Entity('analytics_lead_days')
export class LeadDayRollupEntity extends LeadRollupColumns {}

@Entity('analytics_lead_months')
export class LeadMonthRollupEntity extends LeadRollupColumns {}

/** How far a workspace's rollup goes: the days it holds, in which time zone, and the changes it has seen. */
@Entity('analytics_rollup_state')
export class RollupStateEntity {
  @PrimaryColumn({ type: 'uuid' }) workspaceId: string;
  /** The time zone the days were cut in; another one (settings changed) means a rebuild. */
  @Column({ type: 'varchar', length: 64 }) timeZone: string;
  /** Last day held (included); later days are read live. */
  @Column({ type: 'date' }) builtThrough: string;
  /** Changes stamped up to this instant are reflected. */
  @Column({ type: 'timestamptz' }) watermark: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

/** Timeline entries of live leads written on one local day (or month), per entry type. */
abstract class EventRollupColumns {
  @PrimaryColumn({ type: 'uuid' }) workspaceId: string;
  @PrimaryColumn({ type: 'date' }) day: string;
  @PrimaryColumn({ type: 'varchar', length: 32 }) type: string;
  @Column({ type: 'int' }) count: number;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

@Entity('analytics_event_days')
export class EventDayRollupEntity extends EventRollupColumns {}

@Entity('analytics_event_months')
export class EventMonthRollupEntity extends EventRollupColumns {}

/** Net earnings that occurred on one local day (or month), per currency, entry type and subscriber platform. */
abstract class EarningRollupColumns {
  @PrimaryColumn({ type: 'uuid' }) workspaceId: string;
  @PrimaryColumn({ type: 'date' }) day: string;
  @PrimaryColumn({ type: 'char', length: 3 }) currency: string;
  @PrimaryColumn({ type: 'varchar', length: 16 }) type: string;
  @PrimaryColumn({ type: 'varchar', length: 16 }) platform: string;
  /** Minor units, refunds subtracted. */
  @Column({ type: 'bigint' }) amount: string;
  @Column({ type: 'int' }) count: number;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

@Entity('analytics_earning_days')
export class EarningDayRollupEntity extends EarningRollupColumns {}

@Entity('analytics_earning_months')
export class EarningMonthRollupEntity extends EarningRollupColumns {}

/**
 * Enrollments (of live leads) made on one local day (or month) in one campaign, by the furthest stage reached.
 * No foreign key to the campaign: rows of a deleted campaign are ignored by readers and dropped by the next run.
 */
abstract class CampaignRollupColumns {
  @PrimaryColumn({ type: 'uuid' }) workspaceId: string;
  @PrimaryColumn({ type: 'date' }) day: string;
  @PrimaryColumn({ type: 'uuid' }) campaignId: string;
  @Column({ type: 'int' }) enrolled: number;
  @Column({ type: 'int' }) contacted: number;
  @Column({ type: 'int' }) replied: number;
  @Column({ type: 'int' }) converted: number;
  @Column({ type: 'bigint' }) revenue: string;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

@Entity('analytics_campaign_days')
export class CampaignDayRollupEntity extends CampaignRollupColumns {}

@Entity('analytics_campaign_months')
export class CampaignMonthRollupEntity extends CampaignRollupColumns {}

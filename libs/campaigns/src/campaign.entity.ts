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
import { WorkspaceEntity } from '@crescendo/identity';
import { bigintNumber } from '@crescendo/platform';

export enum CampaignType {
  Email = 'email',
  Social = 'social',
  Content = 'content',
  Outreach = 'outreach',
}
export const campaignTypes = Object.values(CampaignType);

export enum CampaignStatus {
  Draft = 'draft',
  Scheduled = 'scheduled',
  Active = 'active',
  Paused = 'paused',
  Completed = 'completed',
  Archived = 'archived',
}
export const campaignStatuses = Object.values(CampaignStatus);

export interface CampaignGoals {
  targetLeads?: number;
  targetConversions?: number;
  /** Minor units of the campaign's currency. */
  targetRevenue?: number;
}

/** A marketing campaign of a workspace; leads are enrolled in it through campaign_leads. */
@Entity('campaigns')
@Index(['workspaceId', 'name'], { unique: true })
@Index(['workspaceId', 'status'])
@Index(['workspaceId', 'createdAt'])
@Check('CHK_campaigns_window', '"end_at" IS NULL OR "start_at" IS NULL OR "end_at" >= "start_at"')
@Check('CHK_campaigns_budget', '"budget" IS NULL OR "budget" >= 0')
export class CampaignEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'varchar', length: 16 }) type: CampaignType;
  @Column({ type: 'varchar', length: 50, nullable: true }) channel: string | null;
  @Column({ type: 'varchar', length: 16, default: CampaignStatus.Draft }) status: CampaignStatus;
  @Column({ type: 'timestamptz', nullable: true }) startAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) endAt: Date | null;
  /** Minor units (cents) of `currency`. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber }) budget: number | null;
  @Column({ type: 'varchar', length: 3, nullable: true }) currency: string | null;
  @Column({ type: 'jsonb', default: () => "'{}'" }) goals: CampaignGoals;
  @Column({ type: 'uuid', array: true, default: () => "'{}'" }) targetNicheIds: string[];
  @Column({ type: 'uuid', array: true, default: () => "'{}'" }) targetSegmentIds: string[];
  @Column({ type: 'uuid', nullable: true }) ownerId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: WorkspaceEntity;
}

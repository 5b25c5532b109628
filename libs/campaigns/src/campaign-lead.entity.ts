import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { bigintNumber } from '@crescendo/platform';
import { CampaignEntity } from './campaign.entity';
import { CampaignLeadStage } from './campaigns.types';

/** A lead enrolled in a campaign, with the time it reached each stage. */
@Entity('campaign_leads')
@Unique('UQ_campaign_leads_campaign_lead', ['campaignId', 'leadId'])
@Index(['leadId'])
@Index(['workspaceId'])
// A campaign's enrollments, newest first (keyset paging, both directions).
@Index('IDX_campaign_leads_list', ['workspaceId', 'campaignId', 'enrolledAt', 'leadId'])
@Index('IDX_campaign_leads_stage_list', ['workspaceId', 'campaignId', 'stage', 'enrolledAt', 'leadId'])
// What changed since the analytics rollup's last run (stage, revenue).
@Index('IDX_campaign_leads_updated', ['workspaceId', 'updatedAt'])
// The enrollments of a day (the live part of the stats, today's).
@Index('IDX_campaign_leads_enrolled', ['workspaceId', 'enrolledAt'])
export class CampaignLeadEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) campaignId: string;
  @Column({ type: 'uuid' }) leadId: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 16, default: CampaignLeadStage.Enrolled }) stage: CampaignLeadStage;
  @Column({ type: 'timestamptz', default: () => 'now()' }) enrolledAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) contactedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) repliedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) convertedAt: Date | null;
  /** Revenue attributed to the campaign for this lead, minor units of the campaign's currency. */
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber }) revenue: number;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne(() => CampaignEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: CampaignEntity;
  @ManyToOne('LeadEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'lead_id' })
  lead?: unknown;
}

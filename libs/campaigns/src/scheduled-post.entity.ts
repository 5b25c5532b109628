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
import { CampaignEntity } from './campaign.entity';
import { PostPlatform, ScheduledPostStatus } from './campaigns.types';

/** A social post planned for a date (content-creation/schedule). */
@Entity('scheduled_posts')
// The schedule by publishing time, the id breaking ties (keyset paging, both directions).
@Index('IDX_scheduled_posts_list', ['workspaceId', 'publishAt', 'id'])
@Index(['campaignId'])
export class ScheduledPostEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'uuid', nullable: true }) campaignId: string | null;
  @Column({ type: 'varchar', length: 32 }) platform: PostPlatform;
  @Column({ type: 'text' }) caption: string;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) mediaUrls: string[];
  @Column({ type: 'timestamptz' }) publishAt: Date;
  @Column({ type: 'varchar', length: 16, default: ScheduledPostStatus.Scheduled }) status: ScheduledPostStatus;
  @Column({ type: 'uuid', nullable: true }) createdById: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
  @ManyToOne(() => CampaignEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'campaign_id' })
  campaign?: CampaignEntity | null;
}

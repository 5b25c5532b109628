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
import { CampaignGoals, CampaignStatus, CampaignType } from './campaigns.types';

/** A marketing campaign of a workspace; leads are enrolled in it through campaign_leads. */
@Entity('campaigns')
@Index(['workspaceId', 'name'], { unique: true })
@Index(['workspaceId', 'status'])
// The list's sorts, each with the id in the same direction (keyset paging seeks them forwards and backwards).
@Index('IDX_campaigns_list_created', ['workspaceId', 'createdAt', 'id'])
@Index('IDX_campaigns_list_updated', ['workspaceId', 'updatedAt', 'id'])
@Index('IDX_campaigns_list_name', ['workspaceId', 'name', 'id'])
// Open ends sort as 'infinity' (never NULL): expression indexes TypeORM cannot describe, created by migration
// campaigns-list-indexes; the decorators only name them.
@Index('IDX_campaigns_list_start', { synchronize: false })
@Index('IDX_campaigns_list_end', { synchronize: false })
// Trigram index for the list's `q` (ILIKE '%…%' on the name): created by migration list-search-trigram-indexes.
@Index('IDX_campaigns_name_trgm', { synchronize: false })
@Check('CHK_campaigns_window', '"end_at" IS NULL OR "start_at" IS NULL OR "end_at" >= "start_at"')
@Check('CHK_campaigns_budget', '"budget" IS NULL OR "budget" >= 0')
export class CampaignEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 200, collation: HUMAN_NAME_COLLATION }) name: string;
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

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

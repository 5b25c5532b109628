import {
  Check,
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { HUMAN_NAME_COLLATION } from '@crescendo/platform';
import { NicheEntity } from './niche.entity';
import { LeadStatus } from './leads.types';

/** A prospect of a workspace. Soft-deleted (deleted_at) and restorable for 30 days. */
@Entity('leads')
@Index('UQ_leads_workspace_email_active', ['workspaceId', 'email'], {
  unique: true,
  where: '"deleted_at" IS NULL AND "email" IS NOT NULL',
})
@Index(['workspaceId', 'status'])
@Index(['workspaceId', 'nicheId'])
// The list's sorts, each with the id in the same direction (keyset paging seeks them forwards and backwards).
@Index('IDX_leads_list_created', ['workspaceId', 'createdAt', 'id'], { where: '"deleted_at" IS NULL' })
@Index('IDX_leads_list_updated', ['workspaceId', 'updatedAt', 'id'], { where: '"deleted_at" IS NULL' })
@Index('IDX_leads_list_score', ['workspaceId', 'score', 'id'], { where: '"deleted_at" IS NULL' })
@Index('IDX_leads_list_name', ['workspaceId', 'name', 'id'], { where: '"deleted_at" IS NULL' })
@Index('IDX_leads_list_status_created', ['workspaceId', 'status', 'createdAt', 'id'], { where: '"deleted_at" IS NULL' })
// Trigram indexes for the list's `q` (ILIKE '%…%' on name, e-mail, company): created by migration leads-list-indexes.
@Index('IDX_leads_name_trgm', { synchronize: false })
@Index('IDX_leads_email_trgm', { synchronize: false })
@Index('IDX_leads_company_trgm', { synchronize: false })
// GIN index on tags for `tag = ANY(tags)` / `tags @> ...`: TypeORM cannot describe a GIN index, so the
// decorator only names it (synchronize: false) and migration leads-tags-gin-index creates it.
@Index('IDX_leads_tags_gin', { synchronize: false })
@Check('CHK_leads_score_range', '"score" >= 0 AND "score" <= 100')
export class LeadEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 200, collation: HUMAN_NAME_COLLATION }) name: string;
  /** Stored lower-cased; unique per workspace among leads that are not deleted. */
  @Column({ type: 'varchar', length: 320, nullable: true }) email: string | null;
  @Column({ type: 'varchar', length: 50, nullable: true }) phone: string | null;
  @Column({ type: 'varchar', length: 200, collation: HUMAN_NAME_COLLATION, nullable: true }) company: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) jobTitle: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) source: string | null;
  @Column({ type: 'varchar', length: 16, default: LeadStatus.New }) status: LeadStatus;
  @Column({ type: 'uuid', nullable: true }) nicheId: string | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) tags: string[];
  @Column({ type: 'int', default: 0 }) score: number;
  @Column({ type: 'text', nullable: true }) notes: string | null;
  @Column({ type: 'jsonb', default: () => "'{}'" }) customFields: Record<string, unknown>;
  @Column({ type: 'uuid', nullable: true }) ownerId: string | null;
  @Column({ type: 'timestamptz', nullable: true }) lastContactedAt: Date | null;
  @DeleteDateColumn({ type: 'timestamptz' }) deletedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: object;
  @ManyToOne(() => NicheEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'niche_id' })
  niche?: NicheEntity | null;
}

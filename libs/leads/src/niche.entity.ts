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
import { HUMAN_NAME_COLLATION } from '@crescendo/platform';

/** A market segment a workspace targets; leads may belong to one. */
@Entity('niches')
@Index(['workspaceId', 'name'], { unique: true })
// The list's sorts, each with the id in the same direction (keyset paging seeks them forwards and backwards).
@Index('IDX_niches_list_name', ['workspaceId', 'name', 'id'])
@Index('IDX_niches_list_created', ['workspaceId', 'createdAt', 'id'])
@Index('IDX_niches_list_updated', ['workspaceId', 'updatedAt', 'id'])
// Trigram indexes for the list's `q` (ILIKE '%…%' on name or description): created by migration
// niches-search-trigram-indexes.
@Index('IDX_niches_name_trgm', { synchronize: false })
@Index('IDX_niches_description_trgm', { synchronize: false })
export class NicheEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 100, collation: HUMAN_NAME_COLLATION }) name: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) keywords: string[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: object;
}

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
import type { SegmentRuleGroup } from './segment-rules';

/** A saved dynamic filter over a workspace's leads: its members are computed on every read. */
@Entity('segments')
@Index('UQ_segments_workspace_name', ['workspaceId', 'name'], { unique: true })
// The list by name, the id breaking ties (keyset paging, both directions).
@Index('IDX_segments_list_name', ['workspaceId', 'name', 'id'])
// Trigram index for the list's `q` (ILIKE '%…%' on the name): created by migration list-search-trigram-indexes.
@Index('IDX_segments_name_trgm', { synchronize: false })
export class SegmentEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 100, collation: HUMAN_NAME_COLLATION }) name: string;
  @Column({ type: 'varchar', length: 1000, nullable: true }) description: string | null;
  @Column({ type: 'jsonb' }) rules: SegmentRuleGroup;
  @Column({ type: 'uuid', nullable: true }) createdById: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Permission } from '@crescendo/platform';
import { WorkspaceEntity } from '../workspaces/workspace.entity';

/** A machine credential of a workspace. The secret is shown once; only its SHA-256 is kept. */
@Entity('api_keys')
// The list: newest first, the id breaking ties (keyset paging seeks it forwards and backwards).
@Index('IDX_api_keys_list', ['workspaceId', 'createdAt', 'id'])
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index() @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'uuid', nullable: true }) createdById: string | null;
  @Column({ type: 'varchar', length: 100 }) name: string;
  /** The visible start of the key (`crk_ab12cd34`), unique, used to find the row. */
  @Column({ type: 'varchar', length: 32, unique: true }) prefix: string;
  @Column({ type: 'char', length: 64 }) keyHash: string;
  @Column({ type: 'text', array: true }) scopes: Permission[];
  @Column({ type: 'timestamptz', nullable: true }) expiresAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) lastUsedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  @ManyToOne(() => WorkspaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: WorkspaceEntity;
}

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
import { ConversationKind, DEFAULT_FOLDER } from './chat.types';

/** Text search configuration created by migration chat-search-config: `simple` + unaccent (French). */
export const CHAT_SEARCH_CONFIG = 'crescendo_search';

/** A conversation of one member of a workspace; only its owner sees it. */
@Entity('conversations')
// The list's order (most recently active first, the id breaking ties), per owner and kind.
@Index(['workspaceId', 'userId', 'kind', 'lastMessageAt', 'id'])
@Index(['workspaceId', 'userId', 'folder'])
// GIN index on search_vector: created by migration chat-search-gin-indexes (TypeORM cannot describe it).
@Index('IDX_conversations_search_gin', { synchronize: false })
export class ConversationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'uuid' }) userId: string;
  @Column({ type: 'varchar', length: 16, default: ConversationKind.Chat }) kind: ConversationKind;
  @Column({ type: 'varchar', length: 200 }) title: string;
  @Column({ type: 'varchar', length: 100, default: DEFAULT_FOLDER }) folder: string;
  @Column({ type: 'boolean', default: false }) isFavorite: boolean;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) tags: string[];
  /** Kept in step with the messages (same transaction) so lists need no count. */
  @Column({ type: 'int', default: 0 }) messageCount: number;
  @Column({ type: 'timestamptz', default: () => 'now()' }) lastMessageAt: Date;
  /** Assistant sessions: closed explicitly (else active while the last message is recent). */
  @Column({ type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @Column({
    type: 'tsvector',
    select: false,
    insert: false,
    update: false,
    generatedType: 'STORED',
    asExpression: `to_tsvector('${CHAT_SEARCH_CONFIG}'::regconfig, coalesce("title", ''))`,
  })
  searchVector?: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  // By entity name: the foreign keys stay without importing identity's entities.
  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
  @ManyToOne('UserEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: unknown;
}

import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ChatRole, ConversationKind } from './chat.types';
import { CHAT_SEARCH_CONFIG, ConversationEntity } from './conversation.entity';

/** One message of a conversation. A failed provider answer is kept with `error` set (and no content). */
@Entity('chat_messages')
@Index(['conversationId', 'createdAt'])
// GIN index on search_vector: created by migration chat-search-gin-indexes (TypeORM cannot describe it).
@Index('IDX_chat_messages_search_gin', { synchronize: false })
export class ChatMessageEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) conversationId: string;
  /** Denormalised from the conversation: tenancy filter of search without a join. */
  @Column({ type: 'uuid' }) workspaceId: string;
  /**
   * Owner and kind, denormalised from the conversation (which never changes either) so that search filters
   * its message hits on the row it reads for ts_rank anyway, instead of hashing all the owner's conversations.
   */
  @Column({ type: 'uuid' }) userId: string;
  @Column({ type: 'varchar', length: 16 }) conversationKind: ConversationKind;
  @Column({ type: 'varchar', length: 16 }) role: ChatRole;
  @Column({ type: 'text', default: '' }) content: string;
  @Column({ type: 'varchar', length: 100, nullable: true }) provider: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) model: string | null;
  @Column({ type: 'int', nullable: true }) tokensIn: number | null;
  @Column({ type: 'int', nullable: true }) tokensOut: number | null;
  @Column({ type: 'int', nullable: true }) latencyMs: number | null;
  /** Error code of a failed answer (AI_PROVIDER_ERROR, AI_REQUEST_ABORTED, …); null when it succeeded. */
  @Column({ type: 'varchar', length: 64, nullable: true }) error: string | null;
  @Column({
    type: 'tsvector',
    select: false,
    insert: false,
    update: false,
    generatedType: 'STORED',
    asExpression: `to_tsvector('${CHAT_SEARCH_CONFIG}'::regconfig, "content")`,
  })
  searchVector?: string;
  // clock_timestamp, not now(): several messages written in one transaction keep their order.
  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' }) createdAt: Date;

  @ManyToOne(() => ConversationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id' })
  conversation?: ConversationEntity;
}

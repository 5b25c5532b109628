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
import type { SubscriberPlatform } from '@crescendo/subscribers';
import type { ActiveHours } from './active-hours';
import { Intent } from './intent-classifier';
import { MatchType } from './rule-matcher';
import { ConversationStatus, MessageAuthor, MessageDirection, ReplyType } from './chatbot.types';

/** One conversation per fan (platform + handle) and workspace. */
@Entity('chatbot_conversations')
@Index('UQ_chatbot_conversations_fan', ['workspaceId', 'platform', 'fanHandle'], { unique: true })
// The inbox order, on COALESCE(last_message_at, '-infinity'), id: an expression, created by migration
// chatbot-list-expression-indexes (with the trigram indexes of the fan search).
@Index('IDX_chatbot_conversations_list', { synchronize: false })
@Index('IDX_chatbot_conversations_fan_handle_trgm', { synchronize: false })
@Index('IDX_chatbot_conversations_fan_name_trgm', { synchronize: false })
@Index(['subscriberId'])
@Check('CHK_chatbot_conversations_unread', '"unread_count" >= 0')
export class ChatbotConversationEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 16 }) platform: SubscriberPlatform;
  /** Lower-cased, without a leading @, like subscribers.handle, so the two link. */
  @Column({ type: 'varchar', length: 100 }) fanHandle: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) fanName: string | null;
  /** The workspace's subscriber with this platform + handle, when there is one. */
  @Column({ type: 'uuid', nullable: true }) subscriberId: string | null;
  @Column({ type: 'varchar', length: 8, default: ConversationStatus.Open }) status: ConversationStatus;
  @Column({ type: 'timestamptz', nullable: true }) lastMessageAt: Date | null;
  /** Inbound messages since a member last replied or marked the conversation read. */
  @Column({ type: 'int', default: 0 }) unreadCount: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
  @ManyToOne('SubscriberEntity', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'subscriber_id' })
  subscriber?: unknown;
}

@Entity('chatbot_auto_reply_rules')
@Index('UQ_chatbot_auto_reply_rules_name', ['workspaceId', 'name'], { unique: true })
@Index(['workspaceId', 'active', 'priority'])
// The rules list's order (-priority, created_at, id): an expression index, created by migration.
@Index('IDX_chatbot_auto_reply_rules_list', { synchronize: false })
@Check('CHK_chatbot_auto_reply_rules_cooldown', '"cooldown_minutes" >= 0')
export class ChatbotAutoReplyRuleEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ type: 'varchar', length: 8 }) matchType: MatchType;
  @Column({ type: 'jsonb', nullable: true }) keywords: string[] | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) pattern: string | null;
  @Column({ type: 'varchar', length: 20, nullable: true }) intent: Intent | null;
  /** Higher first. */
  @Column({ type: 'int', default: 0 }) priority: number;
  @Column({ type: 'jsonb', nullable: true }) activeHours: ActiveHours | null;
  /** IANA zone of activeHours and {{time}}; null = the workspace's general settings timezone. */
  @Column({ type: 'varchar', length: 64, nullable: true }) timezone: string | null;
  @Column({ type: 'int', default: 0 }) cooldownMinutes: number;
  @Column({ type: 'boolean', default: true }) active: boolean;
  @Column({ type: 'varchar', length: 8 }) replyType: ReplyType;
  @Column({ type: 'text', nullable: true }) template: string | null;
  @Column({ type: 'text', nullable: true }) aiPrompt: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

@Entity('chatbot_messages')
@Index(['conversationId', 'sentAt', 'createdAt', 'id'])
@Index(['conversationId', 'autoReplyRuleId', 'sentAt'])
export class ChatbotMessageEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'uuid' }) conversationId: string;
  @Column({ type: 'varchar', length: 8 }) direction: MessageDirection;
  @Column({ type: 'text' }) body: string;
  @Column({ type: 'timestamptz' }) sentAt: Date;
  @Column({ type: 'varchar', length: 10 }) authorType: MessageAuthor;
  @Column({ type: 'uuid', nullable: true }) authorUserId: string | null;
  @Column({ type: 'uuid', nullable: true }) autoReplyRuleId: string | null;
  /** clock_timestamp(): orders messages that share a sentAt. */
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  @ManyToOne(() => ChatbotConversationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id' })
  conversation?: ChatbotConversationEntity;
  @ManyToOne('UserEntity', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_user_id' })
  authorUser?: unknown;
  @ManyToOne(() => ChatbotAutoReplyRuleEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'auto_reply_rule_id' })
  autoReplyRule?: ChatbotAutoReplyRuleEntity | null;
}

@Entity('chatbot_canned_responses')
@Index('UQ_chatbot_canned_responses_name', ['workspaceId', 'name'], { unique: true })
@Index(['workspaceId', 'name', 'id'])
// Trigram indexes for the list's `search` (ILIKE '%…%' on name or body): created by migration list-audit-indexes.
@Index('IDX_chatbot_canned_responses_name_trgm', { synchronize: false })
@Index('IDX_chatbot_canned_responses_body_trgm', { synchronize: false })
export class ChatbotCannedResponseEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) workspaceId: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  @Column({ type: 'text' }) body: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @ManyToOne('WorkspaceEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'workspace_id' })
  workspace?: unknown;
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, MoreThan, SelectQueryBuilder } from 'typeorm';
import { containsPattern, type KeysetOrder } from '@crescendo/platform';
import type { SubscriberPlatform } from '@crescendo/subscribers';
import {
  ChatbotAutoReplyRuleEntity,
  ChatbotCannedResponseEntity,
  ChatbotConversationEntity,
  ChatbotMessageEntity,
} from './chatbot.entity';
import { ConversationStatus, MessageAuthor, MessageDirection } from './chatbot.types';

/**
 * Most recently active first (a conversation without a message last), the id breaking ties: the expression
 * index IDX_chatbot_conversations_list serves it.
 */
export const CONVERSATION_ORDER: KeysetOrder = {
  columns: [`COALESCE(c.last_message_at, '-infinity'::timestamptz)`, 'c.id'],
  descending: true,
};
/** A conversation's messages, newest first (chatbot_messages (conversation_id, sent_at, created_at, id)). */
export const MESSAGE_ORDER: KeysetOrder = { columns: ['m.sent_at', 'm.created_at', 'm.id'], descending: true };
/** Highest priority first, then oldest (IDX_chatbot_auto_reply_rules_list on -priority). */
export const RULE_ORDER: KeysetOrder = { columns: ['(-r.priority)', 'r.created_at', 'r.id'], descending: false };
/** By name (chatbot_canned_responses (workspace_id, name, id)). */
export const CANNED_ORDER: KeysetOrder = { columns: ['c.name', 'c.id'], descending: false };

export interface ConversationFilter {
  status?: ConversationStatus;
  platform?: SubscriberPlatform;
  search?: string;
}

export type ConversationPatch = Partial<
  Pick<ChatbotConversationEntity, 'status' | 'unreadCount' | 'fanName' | 'subscriberId'>
>;

type NewMessage = Pick<
  ChatbotMessageEntity,
  'direction' | 'body' | 'sentAt' | 'authorType' | 'authorUserId' | 'autoReplyRuleId'
>;

/** Storage of `chatbot_conversations` and `chatbot_messages`. Methods take the caller's transaction when given. */
@Injectable()
export class ChatbotInboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private conversations(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(ChatbotConversationEntity);
  }

  private messages(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(ChatbotMessageEntity);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  listQuery(workspaceId: string, filter: ConversationFilter): SelectQueryBuilder<ChatbotConversationEntity> {
    const qb = this.conversations().createQueryBuilder('c').where('c.workspace_id = :ws', { ws: workspaceId });
    if (filter.status) qb.andWhere('c.status = :status', { status: filter.status });
    if (filter.platform) qb.andWhere('c.platform = :platform', { platform: filter.platform });
    if (filter.search) {
      // Trigram indexes on fan_handle and fan_name serve the ILIKE.
      const pattern = containsPattern(filter.search);
      qb.andWhere(
        new Brackets((w) => w.where('c.fan_handle ILIKE :pattern', { pattern }).orWhere('c.fan_name ILIKE :pattern')),
      );
    }
    return qb;
  }

  messagesQuery(conversationId: string): SelectQueryBuilder<ChatbotMessageEntity> {
    return this.messages().createQueryBuilder('m').where('m.conversation_id = :id', { id: conversationId });
  }

  findConversation(
    workspaceId: string,
    id: string,
    options: { lock?: boolean; manager?: EntityManager } = {},
  ): Promise<ChatbotConversationEntity | null> {
    return this.conversations(options.manager).findOne({
      where: { id, workspaceId },
      ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** Locks a conversation row until the transaction ends. */
  async lockConversation(manager: EntityManager, id: string): Promise<void> {
    await this.conversations(manager).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * The fan's conversation, started if there is none, locked: the unique index decides between racing
   * first messages, then the row is locked either way.
   */
  async findOrCreateForFan(
    manager: EntityManager,
    workspaceId: string,
    fan: { platform: SubscriberPlatform; fanHandle: string; fanName: string | null },
  ): Promise<{ conversation: ChatbotConversationEntity; created: boolean }> {
    const repo = this.conversations(manager);
    const inserted = await repo
      .createQueryBuilder()
      .insert()
      .values({ workspaceId, platform: fan.platform, fanHandle: fan.fanHandle, fanName: fan.fanName })
      .orIgnore()
      .returning('id')
      .execute();
    const conversation = await repo.findOne({
      where: { workspaceId, platform: fan.platform, fanHandle: fan.fanHandle },
      lock: { mode: 'pessimistic_write' },
    });
    return { conversation: conversation!, created: (inserted.raw as unknown[]).length > 0 };
  }

  async updateConversation(id: string, patch: ConversationPatch, manager?: EntityManager): Promise<void> {
    await this.conversations(manager).update({ id }, patch);
  }

  /** The last message of each conversation, by conversation id (one query for a page). */
  async lastMessages(conversationIds: string[]): Promise<Map<string, ChatbotMessageEntity>> {
    if (!conversationIds.length) return new Map();
    // One index probe per conversation (conversation_id, sent_at, created_at, id), not a sort of every message.
    const last = await this.messages()
      .createQueryBuilder('m')
      .where(
        `m.id IN (SELECT l.id FROM unnest(CAST(:ids AS uuid[])) c(id) CROSS JOIN LATERAL (
           SELECT x.id FROM chatbot_messages x WHERE x.conversation_id = c.id
            ORDER BY x.sent_at DESC, x.created_at DESC, x.id DESC LIMIT 1) l)`,
        { ids: conversationIds },
      )
      .getMany();
    return new Map(last.map((m) => [m.conversationId, m]));
  }

  /** A conversation's last `count` messages, newest first. */
  recentMessages(conversationId: string, count: number): Promise<ChatbotMessageEntity[]> {
    return this.messages().find({
      where: { conversationId },
      order: { sentAt: 'DESC', createdAt: 'DESC', id: 'DESC' },
      take: count,
    });
  }

  /** Whether the rule replied in this conversation after `since`. */
  repliedSince(conversationId: string, ruleId: string, since: Date, manager?: EntityManager): Promise<boolean> {
    return this.messages(manager).exists({
      where: { conversationId, autoReplyRuleId: ruleId, sentAt: MoreThan(since) },
    });
  }

  /**
   * Stores a message and keeps the conversation's summary in step, inside the caller's transaction:
   * lastMessageAt; unreadCount +1 for the fan, reset when a member writes (an auto-reply leaves it);
   * a fan writing to a closed conversation reopens it.
   */
  async insertMessage(
    manager: EntityManager,
    conversation: Pick<ChatbotConversationEntity, 'id' | 'workspaceId'>,
    message: NewMessage,
  ): Promise<ChatbotMessageEntity> {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(ChatbotMessageEntity)
      .values({
        ...message,
        workspaceId: conversation.workspaceId,
        conversationId: conversation.id,
        createdAt: () => 'clock_timestamp()',
      })
      .returning('id')
      .execute();
    const id = (inserted.raw as { id: string }[])[0].id;
    await manager
      .createQueryBuilder()
      .update(ChatbotConversationEntity)
      .set({
        lastMessageAt: () => 'GREATEST(last_message_at, :sentAt)',
        ...(message.direction === MessageDirection.Inbound
          ? { unreadCount: () => 'unread_count + 1', status: ConversationStatus.Open }
          : message.authorType === MessageAuthor.User
            ? { unreadCount: 0 }
            : {}),
      })
      .where('id = :id', { id: conversation.id })
      .setParameter('sentAt', message.sentAt)
      .execute();
    return manager.getRepository(ChatbotMessageEntity).findOneByOrFail({ id });
  }
}

export type RuleFields = Omit<
  ChatbotAutoReplyRuleEntity,
  'id' | 'workspaceId' | 'createdAt' | 'updatedAt' | 'workspace'
>;

/** Storage of `chatbot_auto_reply_rules`. */
@Injectable()
export class AutoReplyRuleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(ChatbotAutoReplyRuleEntity);
  }

  listQuery(workspaceId: string, active?: boolean): SelectQueryBuilder<ChatbotAutoReplyRuleEntity> {
    const qb = this.repo.createQueryBuilder('r').where('r.workspace_id = :ws', { ws: workspaceId });
    if (active !== undefined) qb.andWhere('r.active = :active', { active });
    return qb;
  }

  /** The workspace's active rules in the order they are tried: highest priority first, then oldest. */
  active(workspaceId: string): Promise<ChatbotAutoReplyRuleEntity[]> {
    return this.repo.find({
      where: { workspaceId, active: true },
      order: { priority: 'DESC', createdAt: 'ASC', id: 'ASC' },
    });
  }

  find(workspaceId: string, id: string): Promise<ChatbotAutoReplyRuleEntity | null> {
    return this.repo.findOne({ where: { id, workspaceId } });
  }

  insert(workspaceId: string, fields: RuleFields): Promise<ChatbotAutoReplyRuleEntity> {
    return this.repo.save(this.repo.create({ ...fields, workspaceId }));
  }

  async update(workspaceId: string, id: string, fields: Partial<RuleFields>): Promise<void> {
    await this.repo.update({ id, workspaceId }, fields);
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    await this.repo.delete({ id, workspaceId });
  }
}

/** Storage of `chatbot_canned_responses`. */
@Injectable()
export class CannedResponseRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(ChatbotCannedResponseEntity);
  }

  listQuery(workspaceId: string, search?: string): SelectQueryBuilder<ChatbotCannedResponseEntity> {
    const qb = this.repo.createQueryBuilder('c').where('c.workspace_id = :ws', { ws: workspaceId });
    if (search) {
      const pattern = containsPattern(search);
      qb.andWhere(new Brackets((w) => w.where('c.name ILIKE :pattern', { pattern }).orWhere('c.body ILIKE :pattern')));
    }
    return qb;
  }

  find(workspaceId: string, id: string): Promise<ChatbotCannedResponseEntity | null> {
    return this.repo.findOne({ where: { id, workspaceId } });
  }

  insert(workspaceId: string, fields: { name: string; body: string }): Promise<ChatbotCannedResponseEntity> {
    return this.repo.save(this.repo.create({ ...fields, workspaceId }));
  }

  async update(workspaceId: string, id: string, patch: { name?: string; body?: string }): Promise<void> {
    await this.repo.update({ id, workspaceId }, patch);
  }

  async delete(workspaceId: string, id: string): Promise<void> {
    await this.repo.delete({ id, workspaceId });
  }
}

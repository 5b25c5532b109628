import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { ChatMessageEntity } from './chat-message.entity';
import { ChatRole } from './chat.types';
import { ConversationEntity } from './conversation.entity';

export type NewChatMessage = Partial<ChatMessageEntity> & { role: ChatRole; content: string };

export const messageColumns = `id, conversation_id, workspace_id, user_id, conversation_kind, role, content, provider,
  model, tokens_in, tokens_out, latency_ms, error, created_at`;

/**
 * $1–$12 the message (id, conversation, workspace, role, content, provider, model, tokens in/out, latency,
 * error, created_at or null for now); $14 user and $15 kind of the conversation (copied on the message);
 * $13 true to insert the conversation ($16 title, $17 folder) with the message counted. updated_at moves as
 * TypeORM's update did.
 */
const insertMessageSql = `
  WITH created AS (
    INSERT INTO conversations (id, workspace_id, user_id, kind, title, folder, message_count, last_message_at)
    SELECT $2, $3, $14, $15, $16, $17, 1, clock_timestamp() WHERE $13::boolean
  ), counted AS (
    UPDATE conversations SET message_count = message_count + 1, last_message_at = clock_timestamp(),
           updated_at = CURRENT_TIMESTAMP
     WHERE id = $2 AND NOT $13::boolean
  )
  INSERT INTO chat_messages (id, conversation_id, workspace_id, user_id, conversation_kind, role, content, provider,
                             model, tokens_in, tokens_out, latency_ms, error, created_at)
  VALUES ($1, $2, $3, $14, $15, $4, $5, $6, $7, $8, $9, $10, $11, coalesce($12::timestamptz, clock_timestamp()))
  RETURNING ${messageColumns}`;

/** Storage of the `chat_messages` table (and the message counts on `conversations` that move with it). */
@Injectable()
export class ChatMessageRepository {
  constructor(@InjectRepository(ChatMessageEntity) private readonly repo: Repository<ChatMessageEntity>) {}

  /** A message not stored yet (its id and time fixed now), of `conversation`. */
  build(conversation: ConversationEntity, fields: NewChatMessage): ChatMessageEntity {
    return this.repo.create({
      id: randomUUID(),
      conversationId: conversation.id,
      workspaceId: conversation.workspaceId,
      userId: conversation.userId,
      conversationKind: conversation.kind,
      provider: null,
      model: null,
      tokensIn: null,
      tokensOut: null,
      latencyMs: null,
      error: null,
      createdAt: new Date(),
      ...fields,
    });
  }

  /**
   * Inserts a message and counts it on its conversation in one statement (atomic on its own); with `create`,
   * inserts the conversation too (counted already: the statement's UPDATE could not see a row it inserts).
   */
  async insert(
    conversation: ConversationEntity,
    fields: NewChatMessage,
    options: { create?: boolean; manager?: EntityManager } = {},
  ): Promise<ChatMessageEntity> {
    const c = conversation;
    const [row] = await (options.manager ?? this.repo.manager).query(insertMessageSql, [
      fields.id ?? randomUUID(),
      c.id,
      c.workspaceId,
      fields.role,
      fields.content,
      fields.provider ?? null,
      fields.model ?? null,
      fields.tokensIn ?? null,
      fields.tokensOut ?? null,
      fields.latencyMs ?? null,
      fields.error ?? null,
      fields.createdAt ?? null,
      options.create ?? false,
      c.userId,
      c.kind,
      c.title,
      c.folder,
    ]);
    return toMessageEntity(row);
  }

  /** Every message of a conversation, oldest first (failed answers included). */
  listAll(conversationId: string): Promise<ChatMessageEntity[]> {
    return this.repo.find({ where: { conversationId }, order: { createdAt: 'ASC' } });
  }

  /** The messages that did not fail, oldest first. */
  listGood(conversationId: string): Promise<ChatMessageEntity[]> {
    return this.repo
      .createQueryBuilder('m')
      .where('m.conversationId = :conversationId AND m.error IS NULL', { conversationId })
      .orderBy('m.createdAt', 'ASC')
      .getMany();
  }

  /** One keyset page of a conversation's messages after `after` (oldest first). */
  pageAfter(
    conversationId: string,
    after: { createdAt: Date; id: string } | null,
    limit: number,
  ): Promise<ChatMessageEntity[]> {
    const qb = this.repo
      .createQueryBuilder('m')
      .where('m.conversationId = :conversationId', { conversationId })
      .orderBy('m.createdAt', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .limit(limit);
    if (after) qb.andWhere('(m.createdAt, m.id) > (:at, :id)', { at: after.createdAt, id: after.id });
    return qb.getMany();
  }
}

/** A chat_messages row (columns optionally prefixed) as an entity. */
export function toMessageEntity(r: Record<string, any>, p = ''): ChatMessageEntity {
  return Object.assign(new ChatMessageEntity(), {
    id: r[`${p}id`],
    conversationId: r[`${p}conversation_id`],
    workspaceId: r[`${p}workspace_id`],
    userId: r[`${p}user_id`],
    conversationKind: r[`${p}conversation_kind`],
    role: r[`${p}role`],
    content: r[`${p}content`],
    provider: r[`${p}provider`],
    model: r[`${p}model`],
    tokensIn: r[`${p}tokens_in`],
    tokensOut: r[`${p}tokens_out`],
    latencyMs: r[`${p}latency_ms`],
    error: r[`${p}error`],
    createdAt: r[`${p}created_at`],
  });
}

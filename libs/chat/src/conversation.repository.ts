import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import {
  boundedCount,
  CursorPosition,
  CursorValues,
  KeyedRow,
  keysetPageSql,
  keysetSql,
  type KeysetOrder,
} from '@crescendo/platform';
import { ChatMessageEntity } from './chat-message.entity';
import { messageColumns, toMessageEntity } from './chat-message.repository';
import { ChatOwner, ConversationFilter, ConversationKind, DEFAULT_FOLDER } from './chat.types';
import { ConversationEntity } from './conversation.entity';

/** $1 conversation, $2 workspace, $3 user, $4 kind, $5 limit: the conversation, repeated on each of its last messages. */
const turnSql = `
  SELECT c.id, c.workspace_id, c.user_id, c.kind, c.title, c.folder, c.is_favorite, c.tags, c.message_count,
         c.last_message_at, c.closed_at, c.created_at, c.updated_at,
         h.id AS m_id, h.conversation_id AS m_conversation_id, h.workspace_id AS m_workspace_id,
         h.user_id AS m_user_id, h.conversation_kind AS m_conversation_kind, h.role AS m_role,
         h.content AS m_content, h.provider AS m_provider, h.model AS m_model, h.tokens_in AS m_tokens_in,
         h.tokens_out AS m_tokens_out, h.latency_ms AS m_latency_ms, h.error AS m_error, h.created_at AS m_created_at
    FROM conversations c
    LEFT JOIN LATERAL (
      SELECT ${messageColumns} FROM chat_messages m
       WHERE m.conversation_id = c.id AND m.error IS NULL
       ORDER BY m.created_at DESC LIMIT $5
    ) h ON true
   WHERE c.id = $1 AND c.workspace_id = $2 AND c.user_id = $3 AND c.kind = $4
   ORDER BY h.created_at DESC`;

/** Most recently active first, the id breaking ties: conversations (workspace_id, user_id, kind, last_message_at, id). */
export const CONVERSATION_LIST_ORDER: KeysetOrder = { columns: ['c.last_message_at', 'c.id'], descending: true };

/** The columns of a conversation the list shows (the page's rows carry these, not the search vector). */
const CONVERSATION_LIST_COLUMNS =
  'c.id, c.title, c.folder, c.is_favorite, c.tags, c.message_count, c.created_at, c.updated_at, c.last_message_at';

export interface ConversationListRow {
  conversation: ConversationEntity;
  /** Content of the last message that did not fail ('' when none). */
  lastContent: string;
}

/**
 * Storage of the `conversations` table. Every read takes the owner (workspace and user): another member's
 * conversation is never found.
 */
@Injectable()
export class ConversationRepository {
  constructor(@InjectRepository(ConversationEntity) private readonly repo: Repository<ConversationEntity>) {}

  countOfKind(workspaceId: string, kind: ConversationKind): Promise<number> {
    return this.repo.count({ where: { workspaceId, kind } });
  }

  private of(manager?: EntityManager): Repository<ConversationEntity> {
    return manager?.getRepository(ConversationEntity) ?? this.repo;
  }

  /** A conversation not stored yet (written with its first message, see ChatMessageRepository.insert). */
  build(owner: ChatOwner, kind: ConversationKind, title: string, folder = DEFAULT_FOLDER): ConversationEntity {
    const now = new Date();
    return this.repo.create({
      id: randomUUID(),
      workspaceId: owner.workspaceId,
      userId: owner.userId,
      kind,
      title,
      folder,
      isFavorite: false,
      tags: [],
      messageCount: 0,
      closedAt: null,
      createdAt: now,
      updatedAt: now,
      lastMessageAt: now,
    });
  }

  /** Inserts a conversation with the column defaults (no message yet). */
  insert(owner: ChatOwner, kind: ConversationKind, title: string, manager?: EntityManager) {
    const repo = this.of(manager);
    return repo.save(repo.create({ workspaceId: owner.workspaceId, userId: owner.userId, kind, title }));
  }

  /** The owner's conversation, optionally locked until the transaction ends. */
  findOwned(
    owner: ChatOwner,
    id: string,
    kind: ConversationKind,
    options: { lock?: boolean; manager?: EntityManager } = {},
  ): Promise<ConversationEntity | null> {
    const qb = this.of(options.manager)
      .createQueryBuilder('c')
      .where('c.id = :id AND c.workspaceId = :ws AND c.userId = :user AND c.kind = :kind', {
        id,
        ws: owner.workspaceId,
        user: owner.userId,
        kind,
      });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** The owner's conversation and its last `limit` messages that did not fail, oldest first (one query). */
  async findWithHistory(
    owner: ChatOwner,
    id: string,
    kind: ConversationKind,
    limit: number,
  ): Promise<{ conversation: ConversationEntity; history: ChatMessageEntity[] } | null> {
    const rows: Record<string, any>[] = await this.repo.query(turnSql, [
      id,
      owner.workspaceId,
      owner.userId,
      kind,
      limit,
    ]);
    if (!rows.length) return null;
    const [c] = rows;
    const conversation = this.repo.create({
      id: c.id,
      workspaceId: c.workspace_id,
      userId: c.user_id,
      kind: c.kind,
      title: c.title,
      folder: c.folder,
      isFavorite: c.is_favorite,
      tags: c.tags,
      messageCount: c.message_count,
      lastMessageAt: c.last_message_at,
      closedAt: c.closed_at,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
    });
    const history = rows
      .filter((r) => r.m_id !== null)
      .reverse()
      .map((r) => toMessageEntity(r, 'm_'));
    return { conversation, history };
  }

  findById(id: string): Promise<ConversationEntity> {
    return this.repo.findOneByOrFail({ id });
  }

  /** The owner's chat conversations matching the filter: WHERE clause and its parameters from $1. */
  private listWhere(owner: ChatOwner, filter: ConversationFilter): { where: string; params: unknown[] } {
    const params: unknown[] = [owner.workspaceId, owner.userId, ConversationKind.Chat];
    const clauses = ['c.workspace_id = $1', 'c.user_id = $2', 'c.kind = $3'];
    if (filter.folder) clauses.push(`c.folder = $${params.push(filter.folder)}`);
    if (filter.tag) clauses.push(`c.tags @> ARRAY[$${params.push(filter.tag)}]::text[]`);
    if (filter.favorite !== undefined) clauses.push(`c.is_favorite = $${params.push(filter.favorite)}`);
    return { where: clauses.join(' AND '), params };
  }

  /**
   * `take` of the owner's chat conversations after `position` (or `offset` rows in), with the last message's
   * text and each row's cursor values.
   */
  async listPage(
    owner: ChatOwner,
    filter: ConversationFilter,
    position: CursorPosition | null,
    take: number,
    offset: number,
  ): Promise<KeyedRow<ConversationListRow>[]> {
    const { where, params } = this.listWhere(owner, filter);
    const seek = keysetSql(CONVERSATION_LIST_ORDER, position, params.length + 1);
    const values = [...params, ...seek.params, take, offset];
    const rows: Record<string, any>[] = await this.repo.query(
      keysetPageSql({
        from: `conversations c WHERE ${where}${seek.where ? ` AND ${seek.where}` : ''}`,
        alias: 'c',
        rowColumns: CONVERSATION_LIST_COLUMNS,
        outputs: `${CONVERSATION_LIST_COLUMNS},
          (SELECT m.content FROM chat_messages m WHERE m.conversation_id = c.id AND m.error IS NULL
            ORDER BY m.created_at DESC LIMIT 1) AS last_content`,
        order: CONVERSATION_LIST_ORDER,
        orderBy: seek.orderBy,
        paging: `LIMIT $${values.length - 1} OFFSET $${values.length}`,
      }),
      values,
    );
    return rows.map((r) => ({
      row: {
        conversation: this.repo.create({
          id: r.id,
          title: r.title,
          folder: r.folder,
          isFavorite: r.is_favorite,
          tags: r.tags,
          messageCount: r.message_count,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
          lastMessageAt: r.last_message_at,
        }),
        lastContent: String(r.last_content ?? ''),
      },
      key: r.cursor_key as CursorValues,
    }));
  }

  /** How many of the owner's chat conversations match the filter, bounded (see boundedCount). */
  listTotal(owner: ChatOwner, filter: ConversationFilter): Promise<{ total: number; totalIsEstimate: boolean }> {
    const { where, params } = this.listWhere(owner, filter);
    return boundedCount(
      (text, values) => this.repo.query(text, values).then((rows: Record<string, unknown>[]) => ({ rows })),
      `conversations c WHERE ${where}`,
      params,
    );
  }

  /** The owner's most recently active conversations of a kind. */
  listRecent(owner: ChatOwner, kind: ConversationKind, limit: number): Promise<ConversationEntity[]> {
    return this.repo.find({
      where: { workspaceId: owner.workspaceId, userId: owner.userId, kind },
      order: { lastMessageAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }

  /** The owner's chat folders with their conversation counts, by name. */
  async folders(owner: ChatOwner): Promise<{ name: string; count: number }[]> {
    const rows: { name: string; count: string }[] = await this.repo.query(
      `SELECT folder AS name, count(*) AS count FROM conversations
        WHERE workspace_id = $1 AND user_id = $2 AND kind = $3 GROUP BY folder ORDER BY folder`,
      [owner.workspaceId, owner.userId, ConversationKind.Chat],
    );
    return rows.map((r) => ({ name: r.name, count: Number(r.count) }));
  }

  /** Flips the favourite flag; answers the new value. */
  async toggleFavorite(id: string): Promise<boolean> {
    // An UPDATE through query() answers [rows, affected].
    const [[row]] = await this.repo.query(
      `UPDATE conversations SET is_favorite = NOT is_favorite, updated_at = now() WHERE id = $1 RETURNING is_favorite`,
      [id],
    );
    return row.is_favorite;
  }

  async update(
    id: string,
    fields: Partial<Pick<ConversationEntity, 'title' | 'tags' | 'closedAt'>>,
    manager?: EntityManager,
  ): Promise<void> {
    await this.of(manager).update({ id }, fields);
  }

  /** Deletes a conversation (its messages go with it: ON DELETE CASCADE). */
  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}

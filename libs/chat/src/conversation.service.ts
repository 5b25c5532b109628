import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { badRequest, CursorCodec, keysetList, ListPageRequest, notFound } from '@crescendo/platform';
import { ChatMessageEntity } from './chat-message.entity';
import { ChatMessageRepository } from './chat-message.repository';
import { preview, withTag } from './chat-text';
import { MAX_TAGS } from './chat.types';
import {
  ChatMessageView,
  ChatOwner,
  ConversationDetail,
  ConversationFilter,
  ConversationKind,
  ConversationPage,
  ConversationSummary,
} from './chat.types';
import { ConversationEntity } from './conversation.entity';
import { CONVERSATION_LIST_ORDER, ConversationRepository } from './conversation.repository';

export const iso = (d: Date) => d.toISOString();

export const conversationNotFound = () => notFound('CONVERSATION_NOT_FOUND', 'Conversation not found');
export const notFoundOf = (kind: ConversationKind) =>
  kind === ConversationKind.Assistant
    ? notFound('CHAT_SESSION_NOT_FOUND', 'Chat session not found')
    : conversationNotFound();

/** The caller's chat conversations: list, read, favourite, tags, folders, delete. */
@Injectable()
export class ConversationService {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly messages: ChatMessageRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cursors: CursorCodec,
  ) {}

  /** A conversation of the caller (another user's or workspace's → 404), optionally locked. */
  async findOwned(
    owner: ChatOwner,
    id: string,
    kind: ConversationKind,
    options: { lock?: boolean; manager?: EntityManager } = {},
  ): Promise<ConversationEntity> {
    const conversation = await this.conversations.findOwned(owner, id, kind, options);
    if (!conversation) throw notFoundOf(kind);
    return conversation;
  }

  /** How many multi-provider chat conversations the workspace's members have (dashboard figure). */
  async countInWorkspace(workspaceId: string): Promise<number> {
    return this.conversations.countOfKind(workspaceId, ConversationKind.Chat);
  }

  /** Most recently active first, by cursor or page number, with a bounded total. */
  async list(owner: ChatOwner, filter: ConversationFilter, request: ListPageRequest): Promise<ConversationPage> {
    const page = await keysetList({
      codec: this.cursors,
      // The user too: a conversation list is its owner's alone.
      scope: `${owner.workspaceId}:chat-conversations/${owner.userId}:lastMessageAt:desc`,
      request,
      order: CONVERSATION_LIST_ORDER,
      fetch: (position, take, offset) => this.conversations.listPage(owner, filter, position, take, offset),
      count: () => this.conversations.listTotal(owner, filter),
      map: (r): ConversationSummary => ({ ...summaryOf(r.conversation), preview: preview(r.lastContent) }),
    });
    return { conversations: page.data, pagination: page.pagination };
  }

  async get(owner: ChatOwner, id: string): Promise<ConversationDetail> {
    const conversation = await this.findOwned(owner, id, ConversationKind.Chat);
    const messages = await this.messages.listAll(conversation.id);
    return { ...summaryOf(conversation), messages: messages.map(toMessageView) };
  }

  async rename(owner: ChatOwner, id: string, title: string): Promise<ConversationDetail> {
    const conversation = await this.findOwned(owner, id, ConversationKind.Chat);
    await this.conversations.update(conversation.id, { title });
    return this.get(owner, id);
  }

  async toggleFavorite(owner: ChatOwner, id: string): Promise<{ isFavorite: boolean }> {
    const conversation = await this.findOwned(owner, id, ConversationKind.Chat);
    return { isFavorite: await this.conversations.toggleFavorite(conversation.id) };
  }

  async remove(owner: ChatOwner, id: string): Promise<{ message: string }> {
    const conversation = await this.findOwned(owner, id, ConversationKind.Chat);
    await this.conversations.delete(conversation.id);
    return { message: 'Conversation deleted successfully' };
  }

  async addTag(owner: ChatOwner, id: string, tag: string): Promise<{ tags: string[] }> {
    return this.dataSource.transaction(async (manager) => {
      const conversation = await this.findOwned(owner, id, ConversationKind.Chat, { lock: true, manager });
      const tags = withTag(conversation.tags, tag, MAX_TAGS);
      if (!tags)
        throw badRequest('CONVERSATION_TAGS_LIMIT', `A conversation holds at most ${MAX_TAGS} tags`, [
          { field: 'tag', message: `at most ${MAX_TAGS} tags` },
        ]);
      if (tags !== conversation.tags) await this.conversations.update(conversation.id, { tags }, manager);
      return { tags };
    });
  }

  async removeTag(owner: ChatOwner, id: string, tag: string): Promise<{ tags: string[] }> {
    return this.dataSource.transaction(async (manager) => {
      const conversation = await this.findOwned(owner, id, ConversationKind.Chat, { lock: true, manager });
      const tags = conversation.tags.filter((t) => t !== tag);
      if (tags.length !== conversation.tags.length) await this.conversations.update(conversation.id, { tags }, manager);
      return { tags };
    });
  }

  async folders(owner: ChatOwner): Promise<{ folders: { name: string; count: number }[] }> {
    return { folders: await this.conversations.folders(owner) };
  }
}

export function summaryOf(c: ConversationEntity): Omit<ConversationSummary, 'preview'> {
  return {
    id: c.id,
    title: c.title,
    folder: c.folder,
    isFavorite: c.isFavorite,
    tags: c.tags,
    messageCount: c.messageCount,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.lastMessageAt > c.updatedAt ? c.lastMessageAt : c.updatedAt),
  };
}

export function toMessageView(m: ChatMessageEntity): ChatMessageView {
  return {
    id: m.id,
    role: m.role,
    content: m.content,
    provider: m.provider,
    model: m.model,
    tokensIn: m.tokensIn,
    tokensOut: m.tokensOut,
    latencyMs: m.latencyMs,
    error: m.error,
    createdAt: iso(m.createdAt),
  };
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  badRequest,
  CursorCodec,
  cursorPageMetadata,
  CursorPageSizeQueryDto,
  pageSizeRequest,
  Principal,
  queryBuilderList,
} from '@crescendo/platform';
import { SubscriberLookupsService } from '@crescendo/subscribers';
import { AutoReplyEngine } from './auto-reply.engine';
import { ChatbotClock } from './chatbot-clock';
import { ChatbotConversationEntity } from './chatbot.entity';
import { conversationNotFound } from './chatbot.errors';
import { toConversationDto, toMessageDto } from './chatbot.mappers';
import { ChatbotInboxRepository, CONVERSATION_ORDER, ConversationPatch, MESSAGE_ORDER } from './chatbot.repository';
import { MessageAuthor, MessageDirection } from './chatbot.types';
import {
  AutoReplyOutcome,
  AutoReplyResultDto,
  ConversationDetailResponseDto,
  ConversationDto,
  ConversationListResponseDto,
  ConversationResponseDto,
  ListConversationsQueryDto,
  PostMessageDto,
  PostMessageResponseDto,
  UpdateConversationDto,
} from './conversations.dto';

/** The fan inbox: one conversation per fan (platform + handle), its messages, and the auto-replies. */
@Injectable()
export class ConversationsService {
  constructor(
    private readonly inbox: ChatbotInboxRepository,
    private readonly subscribers: SubscriberLookupsService,
    private readonly clock: ChatbotClock,
    private readonly autoReply: AutoReplyEngine,
    private readonly cursors: CursorCodec,
  ) {}

  /** Most recently active first, by cursor or page number, with a bounded total. */
  async list(workspaceId: string, query: ListConversationsQueryDto): Promise<ConversationListResponseDto> {
    const page = await queryBuilderList(this.inbox.listQuery(workspaceId, query), {
      codec: this.cursors,
      scope: `${workspaceId}:chatbot-conversations:lastMessageAt:desc`,
      request: pageSizeRequest(query),
      order: CONVERSATION_ORDER,
      map: (c) => c,
    });
    return {
      success: true,
      data: await this.withLastMessages(page.data),
      metadata: cursorPageMetadata(page.pagination),
    };
  }

  /** The conversation with one page of its messages, newest first (by cursor or page number). */
  async get(workspaceId: string, id: string, query: CursorPageSizeQueryDto): Promise<ConversationDetailResponseDto> {
    const conversation = await this.find(workspaceId, id);
    const messages = await queryBuilderList(this.inbox.messagesQuery(conversation.id), {
      codec: this.cursors,
      // Bound to the conversation too: a cursor of another conversation's messages is refused.
      scope: `${workspaceId}:chatbot-messages/${conversation.id}:sentAt:desc`,
      request: pageSizeRequest(query),
      order: MESSAGE_ORDER,
      map: toMessageDto,
    });
    const [dto] = await this.withLastMessages([conversation]);
    return {
      success: true,
      data: { ...dto, messages: messages.data },
      metadata: cursorPageMetadata(messages.pagination),
    };
  }

  /** The workspace's conversation, else 404. */
  async find(
    workspaceId: string,
    id: string,
    manager?: EntityManager,
    lock = false,
    /** The body field that named it, for the 404's details. */
    field?: string,
  ): Promise<ChatbotConversationEntity> {
    const conversation = await this.inbox.findConversation(workspaceId, id, { manager, lock });
    if (!conversation) throw conversationNotFound(field);
    return conversation;
  }

  async update(workspaceId: string, id: string, dto: UpdateConversationDto): Promise<ConversationResponseDto> {
    const conversation = await this.find(workspaceId, id);
    const patch: ConversationPatch = {};
    if (dto.status !== undefined && dto.status !== conversation.status) patch.status = dto.status;
    if (dto.read && conversation.unreadCount !== 0) patch.unreadCount = 0;
    if (Object.keys(patch).length) await this.inbox.updateConversation(id, patch);
    return { success: true, data: await this.dto(workspaceId, id) };
  }

  /**
   * Stores one message: in `conversationId`, or in the fan's conversation (platform + fanHandle), started
   * on first contact. Then, for an inbound message, the auto-reply rules answer (after the commit: a
   * failing reply never loses the fan's message). `sentAt` defaults to the clock's now; the demo seeder passes
   * past instants so that its inbox has a history.
   */
  async post(principal: Principal, dto: PostMessageDto, sentAt = this.clock.now()): Promise<PostMessageResponseDto> {
    const workspaceId = principal.workspaceId;
    const inbound = dto.direction === MessageDirection.Inbound;
    const { conversation, created, message } = await this.inbox.transaction(async (manager) => {
      const { conversation, created } = await this.resolveConversation(manager, workspaceId, dto);
      const message = await this.inbox.insertMessage(manager, conversation, {
        direction: dto.direction,
        body: dto.body,
        sentAt,
        authorType: inbound ? MessageAuthor.Fan : MessageAuthor.User,
        authorUserId: inbound ? null : principal.userId,
        autoReplyRuleId: null,
      });
      return { conversation, created, message };
    });
    const autoReply: AutoReplyResultDto = inbound
      ? await this.autoReply.respond(conversation, message)
      : {
          fired: false,
          reason: AutoReplyOutcome.NotInbound,
          ruleId: null,
          ruleName: null,
          reply: null,
          skipped: [],
        };
    return {
      success: true,
      data: {
        conversationCreated: created,
        conversation: await this.dto(workspaceId, conversation.id),
        message: toMessageDto(message),
        autoReply,
      },
    };
  }

  private async resolveConversation(
    manager: EntityManager,
    workspaceId: string,
    dto: PostMessageDto,
  ): Promise<{ conversation: ChatbotConversationEntity; created: boolean }> {
    let conversation: ChatbotConversationEntity;
    let created = false;
    if (dto.conversationId) {
      conversation = await this.find(workspaceId, dto.conversationId, manager, true, 'conversationId');
      const mismatched = [
        dto.platform !== undefined && dto.platform !== conversation.platform ? 'platform' : null,
        dto.fanHandle !== undefined && dto.fanHandle !== conversation.fanHandle ? 'fanHandle' : null,
      ].filter((f): f is string => !!f);
      if (mismatched.length)
        throw badRequest(
          'CONVERSATION_FAN_MISMATCH',
          'platform and fanHandle, when sent with conversationId, must be the conversation’s',
          mismatched.map((field) => ({ field, message: `differs from the conversation’s ${field}` })),
        );
    } else {
      if (!dto.platform || !dto.fanHandle)
        throw badRequest(
          'VALIDATION_FAILED',
          'Invalid input: platform and fanHandle are required without conversationId',
          (['platform', 'fanHandle'] as const)
            .filter((f) => !dto[f])
            .map((field) => ({ field, message: `${field} is required without conversationId` })),
        );
      ({ conversation, created } = await this.inbox.findOrCreateForFan(manager, workspaceId, {
        platform: dto.platform,
        fanHandle: dto.fanHandle,
        fanName: dto.fanName ?? null,
      }));
    }
    const patch: ConversationPatch = {};
    if (dto.fanName !== undefined && dto.fanName !== conversation.fanName) patch.fanName = dto.fanName;
    if (!conversation.subscriberId) {
      const subscriberId = await this.subscribers.findIdByHandle(
        workspaceId,
        conversation.platform,
        conversation.fanHandle,
        manager,
      );
      if (subscriberId) patch.subscriberId = subscriberId;
    }
    if (Object.keys(patch).length) {
      await this.inbox.updateConversation(conversation.id, patch, manager);
      Object.assign(conversation, patch);
    }
    return { conversation, created };
  }

  private async dto(workspaceId: string, id: string): Promise<ConversationDto> {
    const [dto] = await this.withLastMessages([await this.find(workspaceId, id)]);
    return dto;
  }

  /** Conversation DTOs with their last message, in one query for the page. */
  private async withLastMessages(conversations: ChatbotConversationEntity[]): Promise<ConversationDto[]> {
    const byConversation = await this.inbox.lastMessages(conversations.map((c) => c.id));
    return conversations.map((c) => toConversationDto(c, byConversation.get(c.id) ?? null));
  }
}

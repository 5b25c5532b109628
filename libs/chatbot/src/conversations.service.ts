import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In } from 'typeorm';
import {
  asLimitPage,
  assertInWorkspace,
  badRequest,
  containsPattern,
  pageMetadata,
  PageSizeQueryDto,
  Principal,
  queryPage,
} from '@crescendo/platform';
import { SubscriberEntity } from '../../subscribers/src/subscriber.entity';
import { AutoReplyEngine } from './auto-reply.engine';
import { ChatbotClock } from './chatbot-clock';
import { ChatbotConversationEntity, ChatbotMessageEntity, MessageAuthor, MessageDirection } from './chatbot.entity';
import { conversationNotFound } from './chatbot.errors';
import { toConversationDto, toMessageDto } from './chatbot.mappers';
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
import { insertMessage } from './message-writer';

type ConversationPatch = Partial<
  Pick<ChatbotConversationEntity, 'status' | 'unreadCount' | 'fanName' | 'subscriberId'>
>;

/** The fan inbox: one conversation per fan (platform + handle), its messages, and the auto-replies. */
@Injectable()
export class ConversationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: ChatbotClock,
    private readonly autoReply: AutoReplyEngine,
  ) {}

  async list(workspaceId: string, query: ListConversationsQueryDto): Promise<ConversationListResponseDto> {
    const qb = this.dataSource
      .getRepository(ChatbotConversationEntity)
      .createQueryBuilder('c')
      .where('c.workspaceId = :workspaceId', { workspaceId });
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.platform) qb.andWhere('c.platform = :platform', { platform: query.platform });
    if (query.search) {
      const pattern = containsPattern(query.search);
      qb.andWhere(
        new Brackets((w) => w.where('c.fanHandle ILIKE :pattern', { pattern }).orWhere('c.fanName ILIKE :pattern')),
      );
    }
    qb.orderBy('c.lastMessageAt', 'DESC', 'NULLS LAST').addOrderBy('c.id', 'ASC');
    const [rows, total] = await queryPage(qb, asLimitPage(query));
    return { success: true, data: await this.withLastMessages(rows), metadata: pageMetadata(total, query) };
  }

  async get(workspaceId: string, id: string, query: PageSizeQueryDto): Promise<ConversationDetailResponseDto> {
    const conversation = await findConversation(this.dataSource.manager, workspaceId, id);
    const qb = this.dataSource
      .getRepository(ChatbotMessageEntity)
      .createQueryBuilder('m')
      .where('m.conversationId = :id', { id })
      .orderBy('m.sentAt', 'DESC')
      .addOrderBy('m.createdAt', 'DESC');
    const [messages, total] = await queryPage(qb, asLimitPage(query));
    const [dto] = await this.withLastMessages([conversation]);
    return {
      success: true,
      data: { ...dto, messages: messages.map(toMessageDto) },
      metadata: pageMetadata(total, query),
    };
  }

  async update(workspaceId: string, id: string, dto: UpdateConversationDto): Promise<ConversationResponseDto> {
    const repo = this.dataSource.getRepository(ChatbotConversationEntity);
    const conversation = await findConversation(this.dataSource.manager, workspaceId, id);
    const patch: ConversationPatch = {};
    if (dto.status !== undefined && dto.status !== conversation.status) patch.status = dto.status;
    if (dto.read && conversation.unreadCount !== 0) patch.unreadCount = 0;
    if (Object.keys(patch).length) await repo.update({ id }, patch);
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
    const { conversation, created, message } = await this.dataSource.transaction(async (manager) => {
      const { conversation, created } = await this.resolveConversation(manager, workspaceId, dto);
      const message = await insertMessage(manager, conversation, {
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
    const repo = manager.getRepository(ChatbotConversationEntity);
    let conversation: ChatbotConversationEntity;
    let created = false;
    if (dto.conversationId) {
      await assertInWorkspace(manager, workspaceId, conversationReference(dto.conversationId));
      conversation = await findConversation(manager, workspaceId, dto.conversationId, true);
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
      // Find-or-create without a race: the unique index decides, then the row is locked either way.
      const inserted = await repo
        .createQueryBuilder()
        .insert()
        .values({ workspaceId, platform: dto.platform, fanHandle: dto.fanHandle, fanName: dto.fanName ?? null })
        .orIgnore()
        .returning('id')
        .execute();
      created = (inserted.raw as unknown[]).length > 0;
      const found = await repo.findOne({
        where: { workspaceId, platform: dto.platform, fanHandle: dto.fanHandle },
        lock: { mode: 'pessimistic_write' },
      });
      conversation = found!;
    }
    const patch: ConversationPatch = {};
    if (dto.fanName !== undefined && dto.fanName !== conversation.fanName) patch.fanName = dto.fanName;
    if (!conversation.subscriberId) {
      const subscriber = await manager.getRepository(SubscriberEntity).findOne({
        where: { workspaceId, platform: conversation.platform, handle: conversation.fanHandle },
        select: { id: true },
      });
      if (subscriber) patch.subscriberId = subscriber.id;
    }
    if (Object.keys(patch).length) {
      await repo.update({ id: conversation.id }, patch);
      Object.assign(conversation, patch);
    }
    return { conversation, created };
  }

  private async dto(workspaceId: string, id: string): Promise<ConversationDto> {
    const [dto] = await this.withLastMessages([await findConversation(this.dataSource.manager, workspaceId, id)]);
    return dto;
  }

  /** Conversation DTOs with their last message, in one query for the page. */
  private async withLastMessages(conversations: ChatbotConversationEntity[]): Promise<ConversationDto[]> {
    if (!conversations.length) return [];
    const last = await this.dataSource
      .getRepository(ChatbotMessageEntity)
      .createQueryBuilder('m')
      .distinctOn(['m.conversationId'])
      .where({ conversationId: In(conversations.map((c) => c.id)) })
      .orderBy('m.conversationId')
      .addOrderBy('m.sentAt', 'DESC')
      .addOrderBy('m.createdAt', 'DESC')
      .getMany();
    const byConversation = new Map(last.map((m) => [m.conversationId, m]));
    return conversations.map((c) => toConversationDto(c, byConversation.get(c.id) ?? null));
  }
}

export async function findConversation(
  manager: EntityManager,
  workspaceId: string,
  id: string,
  lock = false,
): Promise<ChatbotConversationEntity> {
  const conversation = await manager.getRepository(ChatbotConversationEntity).findOne({
    where: { id, workspaceId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!conversation) throw conversationNotFound();
  return conversation;
}

/** A conversation id in a body: 404 CONVERSATION_NOT_FOUND naming the field unless it is the workspace's. */
export const conversationReference = (id: string) => ({
  table: 'chatbot_conversations' as const,
  ids: [id],
  field: 'conversationId',
  code: 'CONVERSATION_NOT_FOUND',
  noun: 'conversation',
});

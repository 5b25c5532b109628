import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AiService } from '@crescendo/ai';
import { Principal } from '@crescendo/platform';
import {
  CreateSessionResponseDto,
  SessionHistoryResponseDto,
  SessionMessageDto,
  SessionMessageResponseDto,
  SessionsResponseDto,
} from './assistant.dto';
import { ChatMessageEntity, ChatRole } from './chat-message.entity';
import { ChatService } from './chat.service';
import { ConversationEntity, ConversationKind } from './conversation.entity';

export const ASSISTANT_GREETING = 'Bonjour ! Comment puis-je vous aider ?';
/** A session with no message for this long (or closed) is no longer active. */
export const SESSION_ACTIVE_MINUTES = 30;
const SESSIONS_LIMIT = 100;

const SYSTEM_PROMPT =
  'Tu es l’assistant de Crescendo. Réponds de façon concise et utile, dans la langue de l’utilisateur.';

/** Seed 002's assistant sessions: conversations of kind `assistant` in the chat tables. */
@Injectable()
export class AssistantService {
  constructor(
    private readonly chat: ChatService,
    private readonly ai: AiService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async createSession(principal: Principal): Promise<CreateSessionResponseDto> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ConversationEntity);
      const session = await repo.save(
        repo.create({
          workspaceId: principal.workspaceId,
          userId: principal.userId,
          kind: ConversationKind.Assistant,
          title: 'Assistant',
        }),
      );
      await this.chat.insertMessage(manager, session, { role: ChatRole.Assistant, content: ASSISTANT_GREETING });
      return { sessionId: session.id, message: ASSISTANT_GREETING };
    });
  }

  /** Answers with the session's history (greeting included) as context. */
  async message(
    principal: Principal,
    dto: SessionMessageDto,
    signal?: AbortSignal,
  ): Promise<SessionMessageResponseDto> {
    const [target] = this.chat.resolveTargets({ selected_providers: dto.provider ? [dto.provider] : undefined });
    const turn = await this.chat.prepareTurn(principal, dto.message, {
      conversationId: dto.sessionId,
      kind: ConversationKind.Assistant,
    });
    if (turn.conversation.closedAt)
      void this.dataSource.getRepository(ConversationEntity).update({ id: turn.conversation.id }, { closedAt: null });
    try {
      const result = await this.ai.chat({
        workspaceId: principal.workspaceId,
        userId: principal.userId,
        provider: target.provider,
        model: target.model,
        // Greetings and earlier answers came from whichever provider: the whole history is the context.
        messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...this.chat.contextFor(turn, null)],
        temperature: 0.7,
        feature: 'chat:assistant',
        signal,
      });
      const stored = await this.chat.storeAnswer(turn, {
        provider: target.provider,
        model: result.model,
        content: result.content,
        tokensIn: result.usage.inputTokens,
        tokensOut: result.usage.outputTokens,
        latencyMs: result.latencyMs,
        error: null,
      });
      return { messageId: stored.id, content: stored.content, timestamp: stored.createdAt.toISOString() };
    } catch (error) {
      await this.chat.storeFailure(turn, target, error);
      throw error;
    }
  }

  async history(principal: Principal, sessionId: string): Promise<SessionHistoryResponseDto> {
    await this.chat.findOwned(this.dataSource.manager, principal, sessionId, ConversationKind.Assistant);
    const messages = await this.dataSource
      .getRepository(ChatMessageEntity)
      .createQueryBuilder('m')
      .where('m.conversationId = :sessionId AND m.error IS NULL', { sessionId })
      .orderBy('m.createdAt', 'ASC')
      .getMany();
    return {
      messages: messages.map((m) => ({
        id: m.id,
        role: m.role,
        content: m.content,
        createdAt: m.createdAt.toISOString(),
      })),
    };
  }

  async sessions(principal: Principal): Promise<SessionsResponseDto> {
    const sessions = await this.dataSource.getRepository(ConversationEntity).find({
      where: { workspaceId: principal.workspaceId, userId: principal.userId, kind: ConversationKind.Assistant },
      order: { lastMessageAt: 'DESC', id: 'ASC' },
      take: SESSIONS_LIMIT,
    });
    const activeSince = Date.now() - SESSION_ACTIVE_MINUTES * 60_000;
    return {
      sessions: sessions.map((s) => ({
        id: s.id,
        createdAt: s.createdAt.toISOString(),
        messageCount: s.messageCount,
        isActive: !s.closedAt && s.lastMessageAt.getTime() > activeSince,
        lastMessageAt: s.lastMessageAt.toISOString(),
      })),
    };
  }

  /** Ends a session explicitly (it stays readable; a new message reopens it). */
  async close(principal: Principal, id: string): Promise<void> {
    const session = await this.chat.findOwned(this.dataSource.manager, principal, id, ConversationKind.Assistant);
    await this.dataSource.getRepository(ConversationEntity).update({ id: session.id }, { closedAt: new Date() });
  }
}

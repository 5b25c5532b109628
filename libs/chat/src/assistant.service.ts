import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AiService } from '@crescendo/ai';
import {
  CreateSessionResponseDto,
  SessionHistoryResponseDto,
  SessionMessageDto,
  SessionMessageResponseDto,
  SessionsResponseDto,
} from './assistant.dto';
import { ChatMessageRepository } from './chat-message.repository';
import { ChatTurnService } from './chat-turn.service';
import { ChatOwner, ChatRole, ConversationKind } from './chat.types';
import { ConversationRepository } from './conversation.repository';
import { ConversationService } from './conversation.service';

export const ASSISTANT_GREETING = 'Bonjour ! Comment puis-je vous aider ?';
/** A session with no message for this long (or closed) is no longer active. */
export const SESSION_ACTIVE_MINUTES = 30;
const SESSIONS_LIMIT = 100;

const SYSTEM_PROMPT =
  'Tu es l’assistant de Crescendo. Réponds de façon concise et utile, dans la langue de l’utilisateur.';

/** Assistant sessions: conversations of kind `assistant` in the chat tables. */
@Injectable()
export class AssistantService {
  constructor(
    private readonly turns: ChatTurnService,
    private readonly conversations: ConversationService,
    private readonly sessionStore: ConversationRepository,
    private readonly messages: ChatMessageRepository,
    private readonly ai: AiService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async createSession(owner: ChatOwner): Promise<CreateSessionResponseDto> {
    return this.dataSource.transaction(async (manager) => {
      const session = await this.sessionStore.insert(owner, ConversationKind.Assistant, 'Assistant', manager);
      await this.messages.insert(session, { role: ChatRole.Assistant, content: ASSISTANT_GREETING }, { manager });
      return { sessionId: session.id, message: ASSISTANT_GREETING };
    });
  }

  /** Answers with the session's history (greeting included) as context. */
  async message(owner: ChatOwner, dto: SessionMessageDto, signal?: AbortSignal): Promise<SessionMessageResponseDto> {
    const [target] = this.turns.resolveTargets(dto.provider ? [{ provider: dto.provider }] : undefined);
    const turn = await this.turns.prepareTurn(owner, dto.message, {
      conversationId: dto.sessionId,
      kind: ConversationKind.Assistant,
    });
    if (turn.conversation.closedAt) void this.sessionStore.update(turn.conversation.id, { closedAt: null });
    try {
      const result = await this.ai.chat({
        workspaceId: owner.workspaceId,
        userId: owner.userId,
        provider: target.provider,
        model: target.model,
        // Greetings and earlier answers came from whichever provider: the whole history is the context.
        messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...this.turns.contextFor(turn, null)],
        redactPii: turn.redactPii,
        temperature: 0.7,
        feature: 'chat:assistant',
        signal,
      });
      const stored = await this.turns.storeAnswer(turn, {
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
      await this.turns.storeFailure(turn, target, error);
      throw error;
    }
  }

  async history(owner: ChatOwner, sessionId: string): Promise<SessionHistoryResponseDto> {
    await this.conversations.findOwned(owner, sessionId, ConversationKind.Assistant);
    const messages = await this.messages.listGood(sessionId);
    return {
      messages: messages.map((m) => ({
        id: m.id,
        role: m.role,
        content: m.content,
        createdAt: m.createdAt.toISOString(),
      })),
    };
  }

  async sessions(owner: ChatOwner): Promise<SessionsResponseDto> {
    const sessions = await this.sessionStore.listRecent(owner, ConversationKind.Assistant, SESSIONS_LIMIT);
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
  async close(owner: ChatOwner, id: string): Promise<void> {
    const session = await this.conversations.findOwned(owner, id, ConversationKind.Assistant);
    await this.sessionStore.update(session.id, { closedAt: new Date() });
  }
}

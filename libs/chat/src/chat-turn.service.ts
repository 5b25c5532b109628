import { Injectable, Logger } from '@nestjs/common';
import { AiMessage, AiProviderRegistry, AiService, isAiError } from '@crescendo/ai';
import { AppException } from '@crescendo/platform';
import { ChatMessageEntity } from './chat-message.entity';
import { ChatMessageRepository } from './chat-message.repository';
import { cleanTitle, fallbackTitle } from './chat-text';
import { ChatAnswer, ChatOwner, ChatProviderChoice, ChatProviderError, ChatRole, ConversationKind } from './chat.types';
import { ConversationEntity } from './conversation.entity';
import { ConversationRepository } from './conversation.repository';
import { notFoundOf } from './conversation.service';

/** A provider and model a message goes to; `key` names its answer in aiResponses. */
export interface ChatTarget {
  provider: string;
  model: string;
  key: string;
}

/** What a turn needs once the user message is stored. */
export interface PreparedTurn {
  conversation: ConversationEntity;
  userMessage: ChatMessageEntity;
  isNew: boolean;
  history: ChatMessageEntity[];
  /** Settles once the user message (and a new conversation) is written. */
  persisted: Promise<void>;
  /** The workspace's policy, passed to the AI calls of the turn (see AiService.redactsPii). */
  redactPii: boolean;
}

export interface AnswerFields {
  provider: string;
  model: string;
  content: string;
  tokensIn: number | null;
  tokensOut: number | null;
  latencyMs: number | null;
  error: string | null;
}

/** How many earlier messages are sent as context. */
export const HISTORY_LIMIT = 40;

const TITLE_PROMPT =
  'Give a short title (at most 6 words) for a conversation that starts with the next message. ' +
  'Answer with the title only, in the language of the message, without quotes.';

/**
 * One turn of a conversation, shared by sending, streaming and assistant sessions: the targets, the user
 * message stored, the context each provider sees, the answers (or failures) stored, and the title.
 */
@Injectable()
export class ChatTurnService {
  private readonly logger = new Logger(ChatTurnService.name);

  constructor(
    private readonly ai: AiService,
    private readonly registry: AiProviderRegistry,
    private readonly conversations: ConversationRepository,
    private readonly messages: ChatMessageRepository,
  ) {}

  /** The providers/models a message goes to, checked (400 unknown, 503 none configured) before anything is stored. */
  resolveTargets(wanted: ChatProviderChoice[] | undefined): ChatTarget[] {
    const seen = new Set<string>();
    const targets: { provider: string; model: string }[] = [];
    for (const w of wanted?.length ? wanted : [{} as Partial<ChatProviderChoice>]) {
      const { runtime, model } = this.registry.resolve(w.provider, w.model);
      const id = `${runtime.config.name}\u0000${model}`;
      if (seen.has(id)) continue;
      seen.add(id);
      targets.push({ provider: runtime.config.name, model });
    }
    const twice = (p: string) => targets.filter((t) => t.provider === p).length > 1;
    return targets.map((t) => ({ ...t, key: twice(t.provider) ? `${t.provider}/${t.model}` : t.provider }));
  }

  /**
   * Checks the conversation and loads its earlier history (one query), then stores the user message (and
   * a new conversation) in the background: `persisted` settles when they are written, so provider calls
   * start without waiting for those writes (answers are stored after it, see storeAnswer).
   */
  async prepareTurn(
    owner: ChatOwner,
    message: string,
    options: { conversationId?: string; kind: ConversationKind; folder?: string },
  ): Promise<PreparedTurn> {
    let conversation: ConversationEntity;
    let history: ChatMessageEntity[] = [];
    const isNew = !options.conversationId;
    // The workspace's redaction policy is read beside the history: one database round trip less before the
    // provider call (the time to the first streamed chunk).
    const [found, redactPii] = await Promise.all([
      options.conversationId
        ? this.conversations.findWithHistory(owner, options.conversationId, options.kind, HISTORY_LIMIT)
        : undefined,
      this.ai.redactsPii(owner.workspaceId),
    ]);
    if (options.conversationId) {
      if (!found) throw notFoundOf(options.kind);
      ({ conversation, history } = found);
    } else {
      conversation = this.conversations.build(owner, options.kind, fallbackTitle(message), options.folder);
    }
    const userMessage = this.messages.build(conversation, { role: ChatRole.User, content: message });
    // One statement (atomic on its own): the conversation when new, the message and its count.
    const persisted = this.messages.insert(conversation, userMessage, { create: isNew }).then(() => undefined);
    // Awaited by storeAnswer and the routes; this keeps an early failure from going unhandled meanwhile.
    persisted.catch(() => undefined);
    return { conversation, userMessage, isNew, history, persisted, redactPii };
  }

  /** The context one provider sees: the user turns and that provider's own earlier answers, then the new message. */
  contextFor(turn: PreparedTurn, provider: string | null): AiMessage[] {
    const earlier = turn.history.filter(
      (m) => m.role !== ChatRole.Assistant || provider === null || m.provider === provider,
    );
    return [...earlier, turn.userMessage].map((m) => ({ role: m.role, content: m.content }));
  }

  /** Stores an answer (or a failed one), after the turn's user message, and counts it on the conversation. */
  async storeAnswer(turn: PreparedTurn, fields: AnswerFields): Promise<ChatMessageEntity> {
    await turn.persisted;
    return this.messages.insert(turn.conversation, { role: ChatRole.Assistant, ...fields });
  }

  /** Stores a failed answer (error code, partial content) and describes it. */
  async storeFailure(
    turn: PreparedTurn,
    target: Pick<ChatTarget, 'provider' | 'model'>,
    error: unknown,
    partial = '',
  ): Promise<ChatProviderError> {
    const code = error instanceof AppException ? error.code : 'AI_PROVIDER_ERROR';
    const message = error instanceof AppException ? error.message : 'The AI provider failed';
    if (!isAiError(error)) this.logger.warn(`chat answer failed: ${String(error)}`);
    const stored = await this.storeAnswer(turn, {
      provider: target.provider,
      model: target.model,
      content: partial,
      tokensIn: null,
      tokensOut: null,
      latencyMs: null,
      error: code.slice(0, 64),
    });
    return { provider: target.provider, model: target.model, code, message, messageId: stored.id };
  }

  /**
   * Titles a new conversation from its first message: one short deterministic call (temperature 0, so
   * the AI layer caches it); the first words stay as the title when it fails.
   */
  async generateTitle(owner: ChatOwner, turn: PreparedTurn, target?: Pick<ChatTarget, 'provider' | 'model'>) {
    try {
      const result = await this.ai.chat({
        workspaceId: owner.workspaceId,
        userId: owner.userId,
        provider: target?.provider,
        model: target?.model,
        messages: [
          { role: 'system', content: TITLE_PROMPT },
          { role: 'user', content: turn.userMessage.content.slice(0, 2000) },
        ],
        temperature: 0,
        maxTokens: 24,
        feature: 'chat:title',
      });
      const title = cleanTitle(result.content);
      await turn.persisted;
      if (title) {
        await this.conversations.update(turn.conversation.id, { title });
        turn.conversation.title = title;
      }
    } catch (error) {
      this.logger.debug(`title generation failed, keeping the first words: ${String(error)}`);
    }
  }
}

export function toAnswer(m: ChatMessageEntity): ChatAnswer {
  return {
    provider: m.provider ?? '',
    model: m.model ?? '',
    messageId: m.id,
    content: m.content,
    tokensIn: m.tokensIn ?? 0,
    tokensOut: m.tokensOut ?? 0,
    latencyMs: m.latencyMs ?? 0,
  };
}

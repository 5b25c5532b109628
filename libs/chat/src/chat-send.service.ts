import { Injectable } from '@nestjs/common';
import { AiService } from '@crescendo/ai';
import { ChatTurnService, toAnswer } from './chat-turn.service';
import {
  ChatAnswer,
  ChatOwner,
  ChatProviderError,
  ConversationKind,
  SendChatInput,
  SendChatResult,
} from './chat.types';
import { ConversationRepository } from './conversation.repository';
import { iso } from './conversation.service';

/** Sends one message to every target in parallel and answers once all of them are done. */
@Injectable()
export class ChatSendService {
  constructor(
    private readonly ai: AiService,
    private readonly turns: ChatTurnService,
    private readonly conversations: ConversationRepository,
  ) {}

  /** Failures are error entries, never a 5xx: the user message is kept either way. */
  async send(owner: ChatOwner, input: SendChatInput, signal?: AbortSignal): Promise<SendChatResult> {
    const targets = this.turns.resolveTargets(input.providers);
    const turn = await this.turns.prepareTurn(owner, input.message, {
      conversationId: input.conversationId,
      kind: ConversationKind.Chat,
      folder: input.folder,
    });
    const started = Date.now();
    const title = turn.isNew ? this.turns.generateTitle(owner, turn, targets[0]) : Promise.resolve();
    const outcomes = await Promise.all(
      targets.map(async (target): Promise<ChatAnswer | ChatProviderError> => {
        try {
          const result = await this.ai.chat({
            workspaceId: owner.workspaceId,
            userId: owner.userId,
            provider: target.provider,
            model: target.model,
            messages: this.turns.contextFor(turn, target.provider),
            redactPii: turn.redactPii,
            temperature: input.temperature ?? 0.7,
            maxTokens: input.maxTokens,
            feature: 'chat',
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
          return toAnswer(stored);
        } catch (error) {
          return this.turns.storeFailure(turn, target, error);
        }
      }),
    );
    await Promise.all([title, turn.persisted]);
    const conversation = await this.conversations.findById(turn.conversation.id);
    const answers = outcomes.filter((o): o is ChatAnswer => 'content' in o);
    const errors = outcomes.filter((o): o is ChatProviderError => 'code' in o);
    const aiResponses: Record<string, string> = {};
    targets.forEach((target, i) => {
      const outcome = outcomes[i];
      if ('content' in outcome) aiResponses[target.key] = outcome.content;
    });
    return {
      conversationId: conversation.id,
      title: conversation.title,
      messageId: turn.userMessage.id,
      userMessage: turn.userMessage.content,
      aiResponses,
      answers,
      errors,
      responseTime: Date.now() - started,
      createdAt: iso(turn.userMessage.createdAt),
    };
  }
}

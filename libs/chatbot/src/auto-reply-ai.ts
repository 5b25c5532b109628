import { Injectable, Logger } from '@nestjs/common';
import { AiErrorCode, AiService } from '@crescendo/ai';
import { AppException } from '@crescendo/platform';
import { MAX_MESSAGE_LENGTH } from './conversations.dto';

export interface AiReplyInput {
  workspaceId: string;
  prompt: string;
  fanName: string;
  /** Oldest first; `fan` lines are inbound, `creator` lines outbound. */
  history: { from: 'fan' | 'creator'; body: string }[];
}

export type AiReplyOutcome =
  { ok: true; text: string } | { ok: false; reason: 'AI_PROVIDER_NOT_CONFIGURED' | 'AI_FAILED' };

/**
 * Writes `ai` auto-replies through the AI layer: the rule's prompt as instructions, the conversation's last
 * messages as the dialogue. Never throws: no provider → AI_PROVIDER_NOT_CONFIGURED, any other failure (after
 * the AI layer's retries) → AI_FAILED, and the engine moves on to the next rule.
 */
@Injectable()
export class AutoReplyAi {
  private readonly logger = new Logger(AutoReplyAi.name);

  constructor(private readonly ai: AiService) {}

  async generate(input: AiReplyInput): Promise<AiReplyOutcome> {
    try {
      const result = await this.ai.chat({
        workspaceId: input.workspaceId,
        userId: null,
        feature: 'chatbot:auto-reply',
        dataCategories: ['fan_name', 'fan_messages'],
        temperature: 0.7,
        messages: [
          {
            role: 'system',
            content:
              'You are the creator answering a fan in a private message inbox. Reply with the message text only, ' +
              `short and in the fan's language. The fan is called ${input.fanName}.\nInstructions: ${input.prompt}`,
          },
          ...input.history.map((m) => ({
            role: m.from === 'fan' ? ('user' as const) : ('assistant' as const),
            content: m.body,
          })),
        ],
      });
      const text = [...result.content.trim()].slice(0, MAX_MESSAGE_LENGTH).join('');
      return text ? { ok: true, text } : { ok: false, reason: 'AI_FAILED' };
    } catch (error) {
      if (error instanceof AppException && error.code === AiErrorCode.ProviderNotConfigured)
        return { ok: false, reason: 'AI_PROVIDER_NOT_CONFIGURED' };
      this.logger.warn(`AI auto-reply failed: ${(error as Error).message}`);
      return { ok: false, reason: 'AI_FAILED' };
    }
  }
}

import { Injectable } from '@nestjs/common';

export interface AiReplyInput {
  workspaceId: string;
  prompt: string;
  fanName: string;
  /** Oldest first; `fan` lines are inbound, `creator` lines outbound. */
  history: { from: 'fan' | 'creator'; body: string }[];
}

export type AiReplyOutcome =
  { ok: true; text: string } | { ok: false; reason: 'AI_PROVIDER_NOT_CONFIGURED' | 'AI_FAILED' };

/** Writes `ai` auto-replies. Until the AI layer is available, no provider is configured. */
@Injectable()
export class AutoReplyAi {
  async generate(_input: AiReplyInput): Promise<AiReplyOutcome> {
    return { ok: false, reason: 'AI_PROVIDER_NOT_CONFIGURED' };
  }
}

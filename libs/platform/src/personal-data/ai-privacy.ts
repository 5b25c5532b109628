import { Injectable } from '@nestjs/common';

/** What a workspace allows to reach an AI provider. GDPR implements it; AI and the agents only ask. */
export interface AiPrivacySource {
  /** Whether e-mail addresses and phone numbers in prompts are replaced by placeholders (the default). */
  redactsPii(workspaceId: string): Promise<boolean>;
  /**
   * Of `emails`, those whose data may not be sent to an AI provider: consent to AI processing withdrawn, or never
   * given where the workspace requires it. Compared lower-cased; answers lower-cased addresses.
   */
  withheldFromAi(workspaceId: string, emails: readonly string[]): Promise<Set<string>>;
}

/**
 * The instance's AI privacy policy, global beside PersonalDataRegistry so the AI layer and the agents can ask it
 * without depending on GDPR. Until GDPR provides its source: redact, withhold no one.
 */
@Injectable()
export class AiPrivacy implements AiPrivacySource {
  private source: AiPrivacySource | null = null;

  use(source: AiPrivacySource): void {
    this.source = source;
  }

  redactsPii(workspaceId: string): Promise<boolean> {
    return this.source ? this.source.redactsPii(workspaceId) : Promise.resolve(true);
  }

  async withheldFromAi(workspaceId: string, emails: readonly string[]): Promise<Set<string>> {
    const present = emails.filter((e) => !!e);
    if (!this.source || !present.length) return new Set();
    return this.source.withheldFromAi(workspaceId, present);
  }
}

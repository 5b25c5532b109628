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

/** A data subject's choice for one purpose, as a lead import's file carried it (e-mail lower-cased). */
export interface ImportedConsent {
  email: string;
  purpose: 'marketing_email' | 'ai_processing';
  granted: boolean;
}

/** Runs one SQL statement on the caller's connection (inside its transaction). */
export type SqlRunner = (sql: string, params: unknown[]) => Promise<unknown>;

/** Records consent carried by an import, in the importer's transaction. GDPR implements it. */
export interface ImportedConsentSink {
  /** Records the choices that differ from the subject's current one; answers how many records it wrote. */
  recordImported(
    run: SqlRunner,
    workspaceId: string,
    recordedById: string | null,
    consents: readonly ImportedConsent[],
  ): Promise<number>;
}

/**
 * Where lead imports hand the consent columns of their file (global, beside AiPrivacy, so Leads need not depend
 * on GDPR). Without GDPR's sink the choices are not recorded.
 */
@Injectable()
export class ImportedConsentRecorder implements ImportedConsentSink {
  private sink: ImportedConsentSink | null = null;

  use(sink: ImportedConsentSink): void {
    this.sink = sink;
  }

  async recordImported(
    run: SqlRunner,
    workspaceId: string,
    recordedById: string | null,
    consents: readonly ImportedConsent[],
  ): Promise<number> {
    if (!this.sink || !consents.length) return 0;
    return this.sink.recordImported(run, workspaceId, recordedById, consents);
  }
}

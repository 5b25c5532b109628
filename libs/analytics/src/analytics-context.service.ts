import { Injectable } from '@nestjs/common';
import { readerLanguage } from '@crescendo/platform';
import { type GeneralSettingsDto, WorkspaceSettingsService } from '@crescendo/settings';
import { AnalyticsClock } from './analytics-window';

export interface AnalyticsScope {
  workspaceId: string;
  timeZone: string;
  currency: string;
  /** The workspace's default language (general settings), or the reader's (readerScope). */
  language: string;
  weekStartsOn: string;
  now: Date;
}

/** The workspace's time zone, currency and language (general settings), and the windows a query asks for. */
@Injectable()
export class AnalyticsContextService {
  constructor(
    private readonly settings: WorkspaceSettingsService,
    private readonly clock: AnalyticsClock,
  ) {}

  /**
   * As `scope`, in the language of the one reading (`userId`, null for an API key): `readerLanguage`, the one they
   * chose in their preferences, else the workspace's default. What is written for people (notification texts, "Il y
   * a 5 minutes") follows it; the figures do not depend on it. Not MailService.languagesOf: the general settings,
   * which the scope needs anyway, are read once (together with the preferences).
   */
  async readerScope(workspaceId: string, userId: string | null): Promise<AnalyticsScope> {
    const [general, chosen] = await Promise.all([
      this.general(workspaceId),
      userId ? this.settings.chosenLanguages([userId]) : undefined,
    ]);
    const scope = this.scopeOf(workspaceId, general);
    return { ...scope, language: readerLanguage(userId ? chosen?.get(userId) : null, general.defaultLanguage) };
  }

  async scope(workspaceId: string): Promise<AnalyticsScope> {
    return this.scopeOf(workspaceId, await this.general(workspaceId));
  }

  /** The general settings, read now (batched with the figures of a stats answer). */
  general(workspaceId: string): Promise<GeneralSettingsDto> {
    return this.settings.getGeneral(workspaceId);
  }

  scopeOf(workspaceId: string, general: GeneralSettingsDto): AnalyticsScope {
    return {
      workspaceId,
      timeZone: general.timezone,
      currency: general.currency,
      language: general.defaultLanguage,
      weekStartsOn: general.weekStartsOn,
      now: this.clock.now(),
    };
  }
}

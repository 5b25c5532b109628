import { Injectable } from '@nestjs/common';
import { type GeneralSettingsDto, ManagementService, WorkspaceSettingsService } from '@crescendo/settings';
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
    private readonly preferences: ManagementService,
  ) {}

  /**
   * As `scope`, in the language of the one reading (`userId`, null for an API key): the one they chose in their
   * preferences, else the workspace's default. What is written for people (notification texts, "Il y a 5
   * minutes") follows it; the figures do not depend on it.
   */
  async readerScope(workspaceId: string, userId: string | null): Promise<AnalyticsScope> {
    const [scope, chosen] = await Promise.all([
      this.scope(workspaceId),
      userId ? this.preferences.chosenLanguages([userId]) : undefined,
    ]);
    const language = userId ? chosen?.get(userId) : undefined;
    return language ? { ...scope, language } : scope;
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

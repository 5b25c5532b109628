import { Injectable } from '@nestjs/common';
import { type GeneralSettingsDto, WorkspaceSettingsService } from '@crescendo/settings';
import { AnalyticsClock } from './analytics-window';

export interface AnalyticsScope {
  workspaceId: string;
  timeZone: string;
  currency: string;
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

import { Injectable } from '@nestjs/common';
import { WorkspaceSettingsService } from '@crescendo/settings';
import {
  AnalyticsClock,
  type CalendarPeriod,
  resolveCalendarPeriod,
  resolveRange,
  type ResolvedWindows,
  type RollingPeriod,
} from './analytics-window';

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
    const general = await this.settings.getGeneral(workspaceId);
    return {
      workspaceId,
      timeZone: general.timezone,
      currency: general.currency,
      language: general.defaultLanguage,
      weekStartsOn: general.weekStartsOn,
      now: this.clock.now(),
    };
  }

  async range(
    workspaceId: string,
    query: { period?: RollingPeriod; startDate?: string; endDate?: string },
  ): Promise<{ scope: AnalyticsScope; windows: ResolvedWindows }> {
    const scope = await this.scope(workspaceId);
    return { scope, windows: resolveRange(query, scope.timeZone, scope.now) };
  }

  async calendar(
    workspaceId: string,
    period: CalendarPeriod,
  ): Promise<{ scope: AnalyticsScope; windows: ResolvedWindows }> {
    const scope = await this.scope(workspaceId);
    return { scope, windows: resolveCalendarPeriod(period, scope.timeZone, scope.weekStartsOn, scope.now) };
  }
}

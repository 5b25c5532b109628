import { Injectable } from '@nestjs/common';
import { inReadBatch } from '@crescendo/platform';
import type { GeneralSettingsDto } from '@crescendo/settings';
import { type AnalyticsScope, AnalyticsContextService } from './analytics-context.service';
import {
  type CalendarPeriod,
  resolveCalendarPeriod,
  resolveRange,
  type ResolvedWindows,
  type RollingPeriod,
} from './analytics-window';
import { LruMap } from './lru-map';
import { RollupReader } from './rollup.reader';

/**
 * Runs each stats answer in one statement when it can. An answer depends on the workspace's general settings
 * (time zone: which days are "today") and on the rollup state (which days are held): waiting for them before
 * the figures' reads would cost two more round trips. So the settings and the state this process read last are
 * assumed, every read of the answer goes out at once (inReadBatch), the settings and the state among them; the
 * answer stands if they were still the ones assumed, else it is computed again with them. One statement sees
 * one snapshot: a standing answer is exactly the one the settings and rollups read with it give.
 */
@Injectable()
export class AnalyticsAnswers {
  constructor(
    private readonly context: AnalyticsContextService,
    private readonly rollups: RollupReader,
  ) {}

  /** An answer over a rolling period or a range of days (the `period`, `startDate`, `endDate` query). */
  range<T>(
    workspaceId: string,
    query: { period?: RollingPeriod; startDate?: string; endDate?: string },
    compute: (scope: AnalyticsScope, windows: ResolvedWindows) => Promise<T>,
  ): Promise<T> {
    return this.answer(workspaceId, (scope) => compute(scope, resolveRange(query, scope.timeZone, scope.now)));
  }

  /** An answer over a calendar period to date. */
  calendar<T>(
    workspaceId: string,
    period: CalendarPeriod,
    compute: (scope: AnalyticsScope, windows: ResolvedWindows) => Promise<T>,
  ): Promise<T> {
    return this.answer(workspaceId, (scope) =>
      compute(scope, resolveCalendarPeriod(period, scope.timeZone, scope.weekStartsOn, scope.now)),
    );
  }

  answer<T>(workspaceId: string, compute: (scope: AnalyticsScope) => Promise<T>): Promise<T> {
    return inReadBatch(async () => {
      // Twice assuming what this process read last (the second time, what the first read); then, settings or
      // rollups changing under it, reading them before the figures.
      for (let attempt = 1; ; attempt++) {
        const speculate = attempt <= 2;
        const fresh = this.context.general(workspaceId).then((general) => {
          lastGeneral.set(workspaceId, general);
          return general;
        });
        const assumed = speculate ? lastGeneral.get(workspaceId) : undefined;
        const general = assumed ?? (await fresh);
        const scope = this.context.scopeOf(workspaceId, general);
        // Inside a promise: a window refused (400) is refused with the confirmed settings only.
        const { result, confirmed } = this.rollups.withStates(speculate, async () => compute(scope));
        const [outcome, read, statesStand] = await Promise.all([
          result.then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          ),
          fresh,
          confirmed,
        ]);
        if (!statesStand || JSON.stringify(read) !== JSON.stringify(general)) continue;
        if ('error' in outcome) throw outcome.error;
        return outcome.value;
      }
    });
  }
}

/** The general settings last read per workspace (what the next answer assumes). */
const lastGeneral = new LruMap<GeneralSettingsDto>(10_000);

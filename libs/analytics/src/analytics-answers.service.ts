import { Injectable } from '@nestjs/common';
import { batchStands, inReadBatch, LruMap, type SentBatch } from '@crescendo/platform';
import type { GeneralSettingsDto } from '@crescendo/settings';
import { type AnalyticsScope, AnalyticsContextService } from './analytics-context.service';
import {
  AnalyticsClock,
  type CalendarPeriod,
  resolveCalendarPeriod,
  resolveRange,
  type ResolvedWindows,
  type RollingPeriod,
  todayIn,
} from './analytics-window';
import { RollupReader } from './rollup.reader';

/**
 * Runs each stats answer in one statement when it can. An answer depends on the workspace's general settings
 * (time zone: which days are "today") and on the rollup state (which days are held): waiting for them before
 * the figures' reads would cost two more round trips. So the settings and the state this process read last are
 * assumed, every read of the answer goes out at once (inReadBatch), the settings and the state among them; the
 * answer stands if they were still the ones assumed, else it is computed again with them. One statement sees
 * one snapshot: a standing answer is exactly the one the settings and rollups read with it give. A dashboard
 * polled with nothing changed then costs that statement run again: see `answer`'s `replayAs`.
 */
@Injectable()
export class AnalyticsAnswers {
  constructor(
    private readonly context: AnalyticsContextService,
    private readonly rollups: RollupReader,
    private readonly clock: AnalyticsClock,
  ) {}

  /**
   * An answer over a rolling period or a range of days (the `period`, `startDate`, `endDate` query, with the
   * others the answer depends on); `replayAs`: see `answer`.
   */
  range<T>(
    workspaceId: string,
    query: { period?: RollingPeriod; startDate?: string; endDate?: string },
    compute: (scope: AnalyticsScope, windows: ResolvedWindows) => Promise<T>,
    replayAs?: string,
  ): Promise<T> {
    return this.answer(
      workspaceId,
      (scope) => compute(scope, resolveRange(query, scope.timeZone, scope.now)),
      replayAs === undefined ? undefined : `${replayAs} ${JSON.stringify(query)}`,
    );
  }

  /** An answer over a calendar period to date. */
  calendar<T>(
    workspaceId: string,
    period: CalendarPeriod,
    compute: (scope: AnalyticsScope, windows: ResolvedWindows) => Promise<T>,
    replayAs?: string,
  ): Promise<T> {
    return this.answer(
      workspaceId,
      (scope) => compute(scope, resolveCalendarPeriod(period, scope.timeZone, scope.weekStartsOn, scope.now)),
      replayAs === undefined ? undefined : `${replayAs} ${period}`,
    );
  }

  /**
   * `replayAs` names the answer when every read it makes is batched (so that it is a function of what they read,
   * the rollup version among them, and of today's date): a later request whose one statement, run again,
   * answers the same then gets the same answer without computing it.
   */
  async answer<T>(workspaceId: string, compute: (scope: AnalyticsScope) => Promise<T>, replayAs?: string): Promise<T> {
    const key = replayAs === undefined ? undefined : `${workspaceId} ${replayAs}`;
    const kept = key === undefined ? undefined : keptAnswers.get(key);
    if (kept && kept.today === todayIn(kept.timeZone, this.clock.now())) {
      if (await batchStands(kept.batch)) {
        // Serialised once, on its first replay: sent as these bytes from then on (KeptJsonInterceptor).
        if (kept.value !== null && typeof kept.value === 'object' && !keptJson.has(kept.value)) {
          keptJson.set(kept.value, Buffer.from(JSON.stringify(kept.value)));
        }
        return kept.value as T;
      }
    }
    // Twice assuming what this process read last (the second time, what the first read); then, settings or
    // rollups changing under it, reading them before the figures.
    for (let attempt = 1; ; attempt++) {
      const speculate = attempt <= 2;
      const sent: SentBatch[] = [];
      const { scope, outcome, stands, replayable } = await inReadBatch(async () => {
        const fresh = this.context.general(workspaceId).then((general) => {
          lastGeneral.set(workspaceId, general);
          return general;
        });
        const assumed = speculate ? lastGeneral.get(workspaceId) : undefined;
        const general = assumed ?? (await fresh);
        const scope = this.context.scopeOf(workspaceId, general);
        // Inside a promise: a window refused (400) is refused with the confirmed settings only.
        const answer = this.rollups.withStates(speculate, async () => compute(scope));
        const [outcome, read, statesStand] = await Promise.all([
          answer.result.then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          ),
          fresh,
          answer.confirmed,
        ]);
        const stands = statesStand && JSON.stringify(read) === JSON.stringify(general);
        return { scope, outcome, stands, replayable: answer.replayable() };
      }, sent);
      if (!stands) continue;
      if ('error' in outcome) throw outcome.error;
      // One statement read everything (the settings and the rollup state too, no held figure missing).
      if (key !== undefined && sent.length === 1 && replayable) {
        keptAnswers.set(key, {
          today: todayIn(scope.timeZone, scope.now),
          timeZone: scope.timeZone,
          batch: sent[0],
          value: outcome.value,
        });
      }
      return outcome.value;
    }
  }
}

/**
 * The JSON bytes of kept answers that were replayed, by answer: a dashboard polled with nothing new is sent the
 * same bytes again instead of serialising the same figures (117 kB for a year of revenue by day and source) at
 * every request. Read by KeptJsonInterceptor; an answer no longer kept is collected with its bytes.
 */
const keptJson = new WeakMap<object, Buffer>();

/** The serialised JSON of an answer that AnalyticsAnswers replayed, if this is one. */
export function keptJsonOf(value: unknown): Buffer | undefined {
  return value !== null && typeof value === 'object' ? keptJson.get(value) : undefined;
}

/** Answers kept for replay (see AnalyticsAnswers.answer): the day they are of, the statement and the answer. */
const keptAnswers = new LruMap<{ today: string; timeZone: string; batch: SentBatch; value: unknown }>(256);

/** The general settings last read per workspace (what the next answer assumes). */
const lastGeneral = new LruMap<GeneralSettingsDto>(10_000);

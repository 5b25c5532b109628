import { Injectable } from '@nestjs/common';
import {
  batchStands,
  type ChangeMark,
  inReadBatch,
  LruMap,
  type SentBatch,
  WorkspaceChanges,
} from '@crescendo/platform';
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

/** How fresh a stats answer is, for the routes' descriptions (see AnalyticsAnswers.answer). */
export const ANSWER_FRESHNESS =
  ' A change made through this API is in the next answer; one made elsewhere (an import, another replica) within ' +
  'moments of its commit.';

/**
 * Runs each stats answer in one statement when it can. An answer depends on the workspace's general settings
 * (time zone: which days are "today") and on the rollup state (which days are held): waiting for them before
 * the figures' reads would cost two more round trips. So the settings and the state this process read last are
 * assumed, every read of the answer goes out at once (inReadBatch), the settings and the state among them; the
 * answer stands if they were still the ones assumed, else it is computed again with them. One statement sees
 * one snapshot: a standing answer is exactly the one the settings and rollups read with it give. A dashboard
 * polled with nothing changed then costs that statement run again, or nothing when this process has heard that
 * nothing it reads changed since: see `answer`'s `replayAs`.
 */
@Injectable()
export class AnalyticsAnswers {
  /** Per answer (workspace, name and query). Marks are this app's WorkspaceChanges', so the map is the app's too. */
  private readonly keptAnswers = new LruMap<KeptAnswer>(256);

  constructor(
    private readonly context: AnalyticsContextService,
    private readonly rollups: RollupReader,
    private readonly clock: AnalyticsClock,
    private readonly changes: WorkspaceChanges,
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
   * the rollup version among them, and of today's date): a later request gets the same answer without computing
   * it when that statement, run again, answers the same; or, without running it, when every table the statement
   * reads is watched and no change of the workspace was heard since it last answered (WorkspaceChanges). Such a
   * replay lags a commit made elsewhere by the moment its notification takes to arrive.
   */
  async answer<T>(workspaceId: string, compute: (scope: AnalyticsScope) => Promise<T>, replayAs?: string): Promise<T> {
    const key = replayAs === undefined ? undefined : `${workspaceId} ${replayAs}`;
    const kept = key === undefined ? undefined : this.keptAnswers.get(key);
    if (kept && kept.today === todayIn(kept.timeZone, this.clock.now())) {
      if (kept.watched && kept.mark !== undefined && this.changes.unchangedSince(workspaceId, kept.mark)) {
        return replay<T>(kept);
      }
      // Taken before the statement runs again: a change heard after it may be one the statement did not see.
      const mark = this.changes.mark();
      if (await batchStands(kept.batch)) {
        kept.mark = mark;
        // Kept before the listener knew the watched tables (or unwatched: then asked again of a cached answer).
        if (!kept.watched)
          kept.watched = await this.changes.watches(kept.batch.dataSource, kept.batch.text, kept.batch.values);
        return replay<T>(kept);
      }
    }
    // Twice assuming what this process read last (the second time, what the first read); then, settings or
    // rollups changing under it, reading them before the figures.
    for (let attempt = 1; ; attempt++) {
      const speculate = attempt <= 2;
      const mark = this.changes.mark();
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
        const [batch] = sent;
        const entry: KeptAnswer = {
          today: todayIn(scope.timeZone, scope.now),
          timeZone: scope.timeZone,
          batch,
          value: outcome.value,
          mark,
          // Read from the statement's plan once per statement text, in this process.
          watched: await this.changes.watches(batch.dataSource, batch.text, batch.values),
        };
        this.keptAnswers.set(key, entry);
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

/** A kept answer, sent as the bytes serialised once, on its first replay, from then on (KeptJsonInterceptor). */
function replay<T>(kept: KeptAnswer): T {
  if (kept.value !== null && typeof kept.value === 'object' && !keptJson.has(kept.value)) {
    keptJson.set(kept.value, Buffer.from(JSON.stringify(kept.value)));
  }
  return kept.value as T;
}

/** The serialised JSON of an answer that AnalyticsAnswers replayed, if this is one. */
export function keptJsonOf(value: unknown): Buffer | undefined {
  return value !== null && typeof value === 'object' ? keptJson.get(value) : undefined;
}

/** An answer kept for replay (see AnalyticsAnswers.answer). */
interface KeptAnswer {
  /** The day it is of (a new day is a new answer). */
  today: string;
  timeZone: string;
  /** The statement that read it, and its answer. */
  batch: SentBatch;
  value: unknown;
  /** When it was last known to stand (undefined: not listening for changes then). */
  mark: ChangeMark | undefined;
  /** Every table the statement reads notifies its changes. */
  watched: boolean;
}

/** The general settings last read per workspace (what the next answer assumes). */
const lastGeneral = new LruMap<GeneralSettingsDto>(10_000);

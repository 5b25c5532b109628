import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { batchedRead, type LocalDateWindow, LruMap, QueueRegistry } from '@crescendo/platform';
import { AnalyticsJobs } from './analytics.jobs';
import { type CampaignFunnelRow, type CampaignStatsFilters, CampaignStatsService } from '@crescendo/campaigns';
import {
  type LeadCountRow,
  type LeadEventCountRow,
  type LeadEventDimension,
  type LeadStatsDimension,
  type LeadStatsFilters,
  LeadStatsService,
} from '@crescendo/leads';
import { type EarningsDimension, type EarningsSumRow, RevenueStatsService } from '@crescendo/subscribers';
import { addDays } from './analytics-window';
import { ROLLUP_EPOCH, RollupService, type RollupVersion } from './rollup.service';

const FAR_FUTURE = '9999-12-31';

/** Which days of a window the rollups hold, and which are read live (today, or all while none is built). */
interface Plan {
  held: LocalDateWindow | null;
  /** The rollup's version (see RollupState.version), when days are held. */
  version: string;
  /** null: nothing live; 'all': the whole (possibly unbounded) request is live. */
  live: LocalDateWindow | null | 'all';
}

/**
 * The figures the owners' read interfaces answer (lead counts, timeline counts, earnings sums, campaign
 * funnels), read from the daily rollups for the days they hold and live for the rest.
 */
@Injectable()
export class RollupReader {
  private readonly logger = new Logger(RollupReader.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rollup: RollupService,
    private readonly leads: LeadStatsService,
    private readonly campaigns: CampaignStatsService,
    private readonly revenue: RevenueStatsService,
    private readonly queues: QueueRegistry,
  ) {}

  /** As LeadStatsService.countCreated; `window` null: leads created ever. */
  async leadCounts(
    workspaceId: string,
    window: LocalDateWindow | null,
    groupBy: LeadStatsDimension[],
    filters: LeadStatsFilters = {},
    timeZone?: string,
  ): Promise<LeadCountRow[]> {
    const plan = await this.plan(workspaceId, window, timeZone);
    const parts = await Promise.all([
      plan.held
        ? this.read(
            workspaceId,
            plan.version,
            LEADS,
            plan.held,
            groupBy,
            { count: 'int' },
            {
              niche_id: filters.nicheId,
              source: filters.source,
            },
          )
        : [],
      plan.live === 'all'
        ? this.leads.countCreated(workspaceId, window, groupBy, filters)
        : plan.live
          ? this.leads.countCreated(workspaceId, plan.live, groupBy, filters)
          : [],
    ]);
    return merge(parts[0] as LeadCountRow[], parts[1], groupBy, ['count']);
  }

  /** As LeadStatsService.countEvents. */
  async eventCounts(
    workspaceId: string,
    window: LocalDateWindow,
    groupBy: LeadEventDimension[],
  ): Promise<LeadEventCountRow[]> {
    const plan = await this.plan(workspaceId, window);
    const live = plan.live === 'all' ? window : plan.live;
    const parts = await Promise.all([
      plan.held ? this.read(workspaceId, plan.version, EVENTS, plan.held, groupBy, { count: 'int' }, {}) : [],
      live ? this.leads.countEvents(workspaceId, live, groupBy) : [],
    ]);
    return merge(parts[0] as LeadEventCountRow[], parts[1], groupBy, ['count']);
  }

  /** As RevenueStatsService.sumEarnings. */
  async earnings(
    workspaceId: string,
    window: LocalDateWindow,
    groupBy: EarningsDimension[],
    filters: { currency?: string } = {},
  ): Promise<EarningsSumRow[]> {
    const plan = await this.plan(workspaceId, window);
    const live = plan.live === 'all' ? window : plan.live;
    const parts = await Promise.all([
      plan.held
        ? this.read(
            workspaceId,
            plan.version,
            EARNINGS,
            plan.held,
            groupBy,
            { amount: 'bigint', count: 'int' },
            {
              currency: filters.currency,
            },
          )
        : [],
      live ? this.revenue.sumEarnings(workspaceId, live, groupBy, filters) : [],
    ]);
    const rows = merge(parts[0] as EarningsSumRow[], parts[1], groupBy, ['amount', 'count']);
    // Nothing at all reads as no row, as the live query answers it.
    return groupBy.length || rows.length ? rows : [{ amount: 0, count: 0 }];
  }

  /** As CampaignStatsService.funnel: every (filtered) campaign with its enrollments of the window. */
  async campaignFunnel(
    workspaceId: string,
    window: LocalDateWindow,
    filters: CampaignStatsFilters = {},
  ): Promise<CampaignFunnelRow[]> {
    const plan = await this.plan(workspaceId, window);
    if (!plan.held) return this.campaigns.funnel(workspaceId, window, filters);
    const measures = {
      enrolled: 'int',
      contacted: 'int',
      replied: 'int',
      converted: 'int',
      revenue: 'bigint',
    } as const;
    const liveWindow = plan.live && plan.live !== 'all' ? plan.live : null;
    const [list, held, live] = await Promise.all([
      this.campaigns.list(workspaceId, filters),
      this.read(workspaceId, plan.version, CAMPAIGNS, plan.held, ['campaignId'], measures, {
        campaign_id: filters.campaignId,
      }),
      // Today's few hundred enrollments by day and campaign (those of campaigns not listed are left out below):
      // the funnel would probe the enrollments of every campaign one by one.
      liveWindow ? this.campaigns.enrollmentsByDay(workspaceId, liveWindow) : [],
    ]);
    const figures = new Map<string, Record<string, number>>();
    for (const row of [...held, ...live] as Record<string, unknown>[]) {
      const id = String(row.campaignId);
      const into = figures.get(id) ?? { enrolled: 0, contacted: 0, replied: 0, converted: 0, revenue: 0 };
      for (const m of Object.keys(measures)) into[m] += Number(row[m] ?? 0);
      figures.set(id, into);
    }
    return list.map((c) => ({
      ...c,
      enrolled: 0,
      contacted: 0,
      replied: 0,
      converted: 0,
      revenue: 0,
      ...figures.get(c.id),
    }));
  }

  private async plan(workspaceId: string, window: LocalDateWindow | null, timeZone?: string): Promise<Plan> {
    const state = await this.state(workspaceId);
    const zone = window?.timeZone ?? timeZone;
    if (!state || state.timeZone !== zone) {
      const answer = answerStates.getStore();
      if (answer) answer.replayable = false;
      // Not awaited: the live reads go out in the same statement as the others (inReadBatch).
      void this.requestBuild(workspaceId);
      return { held: null, version: '', live: 'all' };
    }
    const span = window ?? { from: ROLLUP_EPOCH, to: FAR_FUTURE, timeZone: state.timeZone };
    const heldTo = span.to < state.builtThrough ? span.to : state.builtThrough;
    const liveFrom = span.from > state.builtThrough ? span.from : addDays(state.builtThrough, 1);
    return {
      held: span.from <= heldTo ? { ...span, to: heldTo } : null,
      version: state.version,
      live: liveFrom <= span.to ? { ...span, from: liveFrom } : null,
    };
  }

  /**
   * Runs `compute` (one answer) with each workspace's rollup state read once, however many figures it asks for.
   * `speculate`: the state last seen in this process is assumed, so that the figures' reads need not wait for
   * the state's; it is read in the same statement all the same (inReadBatch), and `confirmed` tells whether it
   * was still the one assumed (else the answer is to be computed again). Same statement, same snapshot: a
   * confirmed answer is exactly the one the read state gives. `replayable`: every held figure was held in this
   * process and every rollup was built (none asked for), see AnalyticsAnswers.answer.
   */
  withStates<T>(
    speculate: boolean,
    compute: () => Promise<T>,
  ): { result: Promise<T>; confirmed: Promise<boolean>; replayable: () => boolean } {
    const answer: AnswerStates = { speculate, states: new Map(), checks: [], replayable: true };
    const result = answerStates.run(answer, compute);
    const confirmed = result.then(
      () => Promise.all(answer.checks),
      () => Promise.all(answer.checks),
    );
    return {
      result,
      confirmed: confirmed.then((checks) => checks.every(Boolean)),
      replayable: () => answer.replayable,
    };
  }

  private state(workspaceId: string): Promise<RollupVersion | null> {
    const answer = answerStates.getStore();
    if (!answer) return this.rollup.version(workspaceId);
    let state = answer.states.get(workspaceId);
    if (!state) {
      const read = this.rollup.version(workspaceId).then((fresh) => {
        lastStates.set(workspaceId, fresh);
        return fresh;
      });
      const assumed = answer.speculate ? lastStates.get(workspaceId) : undefined;
      if (assumed === undefined) state = read;
      else {
        state = Promise.resolve(assumed);
        answer.checks.push(read.then((fresh) => JSON.stringify(fresh) === JSON.stringify(assumed)));
      }
      answer.states.set(workspaceId, state);
    }
    return state;
  }

  /**
   * Held figures change only when a refresh rewrites the rollup (and bumps its version), so each answer is kept
   * under (version, query) and reused until then: a dashboard polled with the same period reads only today's
   * live part. In-process and least-recently-used.
   */
  private read(
    workspaceId: string,
    version: string,
    rollup: RollupTable,
    window: LocalDateWindow,
    groupBy: readonly string[],
    measures: Record<string, 'int' | 'bigint'>,
    filters: Record<string, string | undefined>,
  ): Promise<Record<string, unknown>[]> {
    const key = JSON.stringify([workspaceId, rollup.base, window.from, window.to, groupBy, measures, filters]);
    const cached = heldAnswers.get(key);
    if (cached && cached.version === version) return cached.rows;
    const answer = answerStates.getStore();
    if (answer) answer.replayable = false;
    const rows = this.readRollup(workspaceId, rollup, window, groupBy, measures, filters);
    heldAnswers.set(key, { version, rows });
    rows.catch(() => heldAnswers.delete(key));
    return rows;
  }

  /**
   * Sums of a rollup over held days, grouped by `groupBy` (keys of its columns): whole months from the monthly
   * table (unless grouped by day), the days around them from the daily one.
   */
  private readRollup(
    workspaceId: string,
    rollup: RollupTable,
    window: LocalDateWindow,
    groupBy: readonly string[],
    measures: Record<string, 'int' | 'bigint'>,
    filters: Record<string, string | undefined>,
  ): Promise<Record<string, unknown>[]> {
    const params: unknown[] = [workspaceId];
    const split = groupBy.includes('day') ? { days: [[window.from, window.to]], months: null } : monthSplit(window);
    const raw = rollup.raw.join(', ');
    const between = ([from, to]: string[]) => `day BETWEEN $${params.push(from)}::date AND $${params.push(to)}::date`;
    const parts: string[] = [];
    if (split.days.length) {
      parts.push(
        `SELECT ${raw} FROM ${rollup.base}_days WHERE workspace_id = $1 AND (${split.days.map(between).join(' OR ')})`,
      );
    }
    if (split.months)
      parts.push(`SELECT ${raw} FROM ${rollup.base}_months WHERE workspace_id = $1 AND ${between(split.months)}`);
    const where: string[] = [];
    for (const [column, value] of Object.entries(filters)) {
      if (value) where.push(`${column} = $${params.push(value)}`);
    }
    const select = [
      ...groupBy.map((d) => `${rollup.columns[d]} AS "${d}"`),
      // bigint sums come back as text; Number() below.
      ...Object.entries(measures).map(([m, type]) => `sum(${m})::${type === 'int' ? 'int' : 'text'} AS "${m}"`),
    ];
    const group = groupBy.length ? `GROUP BY ${groupBy.map((_, i) => i + 1).join(', ')}` : '';
    return batchedRead<Record<string, unknown>>(
      this.dataSource,
      `SELECT ${select.join(', ')} FROM (${parts.join(' UNION ALL ')}) r
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${group}`,
      params,
    ).then((rows) =>
      rows
        .filter((r) => Object.keys(measures).some((m) => r[m] !== null))
        .map((r) => {
          for (const [m, type] of Object.entries(measures)) if (type === 'bigint') r[m] = Number(r[m] ?? 0);
          return r;
        }),
    );
  }

  /** Asks the worker to build the workspace's rollups (at most one request per workspace every 10 minutes). */
  private async requestBuild(workspaceId: string): Promise<void> {
    const slot = Math.floor(Date.now() / 600_000);
    await this.queues
      .enqueue(
        AnalyticsJobs.RefreshAnalyticsRollup,
        { workspaceId, rebuild: false },
        { jobId: `rollup-${workspaceId}-${slot}` },
      )
      .catch((error: Error) => this.logger.warn(`rollup build not requested: ${error.message}`));
  }
}

/** Held answers by query, each with the rollup version it was read at (see RollupReader.read). */
const heldAnswers = new LruMap<{ version: string; rows: Promise<Record<string, unknown>[]> }>(2_000);

/** One answer's rollup states (see RollupReader.withStates). */
interface AnswerStates {
  speculate: boolean;
  states: Map<string, Promise<RollupVersion | null>>;
  /** One per assumed state: false when the state read beside the figures differed. */
  checks: Promise<boolean>[];
  /** No held figure was read from the rollups, no build was asked for. */
  replayable: boolean;
}

const answerStates = new AsyncLocalStorage<AnswerStates>();

/** The rollup state last read per workspace (what the next answer assumes; null: none built). */
const lastStates = new LruMap<RollupVersion | null>(10_000);

interface RollupTable {
  /** The tables are `${base}_days` and `${base}_months`. */
  base: string;
  /** Their columns (after workspace_id). */
  raw: string[];
  /** Answer field → SQL over those columns. */
  columns: Record<string, string>;
}

const DAY = `to_char(day, 'YYYY-MM-DD')`;
const LEADS: RollupTable = {
  base: 'analytics_lead',
  raw: ['day', 'status', 'source', 'niche_id', 'count'],
  columns: { day: DAY, status: 'status', source: `nullif(source, '')`, nicheId: `nullif(niche_id, '')` },
};
const EVENTS: RollupTable = {
  base: 'analytics_event',
  raw: ['day', 'type', 'count'],
  columns: { day: DAY, type: 'type' },
};
const EARNINGS: RollupTable = {
  base: 'analytics_earning',
  raw: ['day', 'currency', 'type', 'platform', 'amount', 'count'],
  columns: { day: DAY, currency: 'currency', type: 'type', platform: 'platform' },
};
const CAMPAIGNS: RollupTable = {
  base: 'analytics_campaign',
  raw: ['day', 'campaign_id', 'enrolled', 'contacted', 'replied', 'converted', 'revenue'],
  columns: { day: DAY, campaignId: 'campaign_id' },
};

const utc = (day: string) => Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10));
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A window as the whole months inside it (first days of the first and last) and the day ranges around them. */
export function monthSplit(window: { from: string; to: string }): {
  days: string[][];
  months: string[] | null;
} {
  const { from, to } = window;
  const d = new Date(utc(from));
  const firstMonth = from.endsWith('-01') ? from : iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  const e = new Date(utc(to));
  const endsMonth = iso(utc(to) + 86_400_000).endsWith('-01');
  const lastMonth = iso(Date.UTC(e.getUTCFullYear(), e.getUTCMonth() - (endsMonth ? 0 : 1), 1));
  if (firstMonth > lastMonth) return { days: [[from, to]], months: null };
  const l = new Date(utc(lastMonth));
  const afterLast = iso(Date.UTC(l.getUTCFullYear(), l.getUTCMonth() + 1, 1));
  const days: string[][] = [];
  if (from < firstMonth) days.push([from, addDays(firstMonth, -1)]);
  if (afterLast <= to) days.push([afterLast, to]);
  return { days, months: [firstMonth, lastMonth] };
}

const keyOf = (row: Record<string, unknown>, groupBy: readonly string[]) =>
  JSON.stringify(groupBy.map((d) => row[d] ?? null));

/** Where each key is in a held answer (computed once per held answer: they are kept, see RollupReader.read). */
const heldKeys = new WeakMap<object, Map<string, number>>();

/**
 * Adds the live rows onto the held rows with the same key (each part has one row per key). The held rows are
 * shared by every answer that reads them: never changed, copied where a live row adds to one.
 */
function merge<T extends object>(held: T[], live: T[], groupBy: readonly string[], measures: string[]): T[] {
  if (!live.length) return held;
  if (!held.length) return live;
  let index = heldKeys.get(held);
  if (!index) {
    index = new Map(held.map((row, i) => [keyOf(row as Record<string, unknown>, groupBy), i]));
    heldKeys.set(held, index);
  }
  const rows = [...held] as Record<string, unknown>[];
  for (const row of live as Record<string, unknown>[]) {
    const at = index.get(keyOf(row, groupBy));
    if (at === undefined) rows.push(row);
    else {
      const sum = { ...rows[at] };
      for (const m of measures) sum[m] = Number(sum[m]) + Number(row[m]);
      rows[at] = sum;
    }
  }
  return rows as T[];
}

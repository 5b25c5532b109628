import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { batchedRead, type LocalDateWindow } from '@crescendo/platform';
import { CampaignStatsService } from '@crescendo/campaigns';
import { LeadStatsService } from '@crescendo/leads';
import { RevenueStatsService } from '@crescendo/subscribers';
import { AnalyticsContextService } from './analytics-context.service';
import { addDays, daysOf, todayIn } from './analytics-window';

/** The first day a full build covers. */
export const ROLLUP_EPOCH = '1970-01-01';
/**
 * Changes are read up to this long ago: a row is stamped inside its transaction, so a change still
 * committing is picked up by the next run rather than skipped.
 */
export const WATERMARK_LAG_MS = 60_000;

export interface RollupState {
  timeZone: string;
  builtThrough: string;
  watermark: Date;
  /** Changes at every refresh (the state's updated_at, to the microsecond): what held reads are cached under. */
  version: string;
}

export type RollupVersion = Omit<RollupState, 'watermark'>;

export interface RefreshResult {
  rebuilt: boolean;
  /** Days recomputed, per rollup table (-1: all of them). */
  days: Record<string, number>;
  builtThrough: string;
}

/** One daily rollup table: which days a change touches, and how to compute a day's rows from raw data. */
interface DayRollup {
  /** The daily table; its monthly twin is the same name ending in _months. */
  table: string;
  /** The summed columns (the others are the key). */
  measures: string[];
  /** Columns after workspace_id, with their Postgres array types (for the unnest insert). */
  columns: [name: string, arrayType: string][];
  touched(manager: EntityManager, workspaceId: string, after: Date, upTo: Date, timeZone: string): Promise<string[]>;
  /** Rows (values in `columns` order) for `days`, or for every day of the window. */
  compute(workspaceId: string, window: LocalDateWindow, days: string[] | undefined): Promise<unknown[][]>;
}

const STATE_SQL = `SELECT time_zone AS "timeZone", to_char(built_through, 'YYYY-MM-DD') AS "builtThrough", watermark,
                            updated_at::text AS version
                     FROM analytics_rollup_state WHERE workspace_id = $1`;

/**
 * Keeps the daily rollups (per workspace and local day: leads, lead timeline entries, earnings, campaign
 * enrollments) up to date. A run recomputes only the days the changes since the last run touched, and the
 * days closed since; a rebuild recomputes every day. Raw data comes from the owners' read interfaces.
 */
@Injectable()
export class RollupService {
  private readonly rollups: DayRollup[];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly leads: LeadStatsService,
    private readonly campaigns: CampaignStatsService,
    private readonly revenue: RevenueStatsService,
    private readonly context: AnalyticsContextService,
  ) {
    this.rollups = [this.leadDays(), this.eventDays(), this.earningDays(), this.campaignDays()];
  }

  async state(workspaceId: string): Promise<RollupState | null> {
    const [row] = (await this.dataSource.query(STATE_SQL, [workspaceId])) as RollupState[];
    return row ?? null;
  }

  /** What readers need of the state (no watermark), batched with the figures of a stats answer. */
  async version(workspaceId: string): Promise<RollupVersion | null> {
    const [row] = await batchedRead<RollupVersion>(
      this.dataSource,
      `SELECT time_zone AS "timeZone", to_char(built_through, 'YYYY-MM-DD') AS "builtThrough", updated_at::text AS version
         FROM analytics_rollup_state WHERE workspace_id = $1`,
      [workspaceId],
    );
    return row ?? null;
  }

  async workspaces(): Promise<string[]> {
    const rows = (await this.dataSource.query('SELECT workspace_id AS id FROM analytics_rollup_state')) as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }

  /** Brings every rollup up to yesterday (workspace time zone) and up to `upTo` in changes. */
  async refresh(workspaceId: string, options: { rebuild?: boolean; upTo?: Date } = {}): Promise<RefreshResult> {
    const scope = await this.context.scope(workspaceId);
    const timeZone = scope.timeZone;
    const yesterday = addDays(todayIn(timeZone, scope.now), -1);
    const upTo = options.upTo ?? new Date(Date.now() - WATERMARK_LAG_MS);
    return this.dataSource.transaction(async (manager) => {
      // One run per workspace at a time: two runs would delete and insert the same days.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`analytics-rollup:${workspaceId}`]);
      const [state] = (await manager.query(STATE_SQL, [workspaceId])) as RollupState[];
      const rebuild = Boolean(options.rebuild) || !state || state.timeZone !== timeZone;
      const closed =
        state && state.builtThrough < yesterday
          ? daysOf({ from: addDays(state.builtThrough, 1), to: yesterday, timeZone })
          : [];
      const counts: Record<string, number> = {};
      for (const rollup of this.rollups) {
        let days: string[] | undefined;
        if (rebuild) {
          await manager.query(`DELETE FROM ${rollup.table} WHERE workspace_id = $1`, [workspaceId]);
        } else {
          // Postgres stamps carry microseconds, a Date only milliseconds: read up to the end of upTo's millisecond,
          // else a change stamped later in it (made before this call) would be left for good. The next run reads
          // from upTo again: recomputing a day twice is harmless, skipping it is not.
          const end = new Date(upTo.getTime() + 1);
          const touched = await rollup.touched(manager, workspaceId, state.watermark, end, timeZone);
          days = [...new Set([...touched.filter((d) => d <= yesterday), ...closed])].sort();
          await manager.query(`DELETE FROM ${rollup.table} WHERE workspace_id = $1 AND day = ANY($2::date[])`, [
            workspaceId,
            days,
          ]);
        }
        counts[rollup.table] = days ? days.length : -1;
        if (days && !days.length) continue;
        const window = { from: days ? days[0] : ROLLUP_EPOCH, to: yesterday, timeZone };
        await insertRows(manager, rollup, workspaceId, await rollup.compute(workspaceId, window, days));
        await sumMonths(
          manager,
          rollup,
          workspaceId,
          days ? [...new Set(days.map((d) => `${d.slice(0, 7)}-01`))] : null,
        );
      }
      await manager.query(
        `INSERT INTO analytics_rollup_state (workspace_id, time_zone, built_through, watermark)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (workspace_id) DO UPDATE SET time_zone = EXCLUDED.time_zone,
           built_through = EXCLUDED.built_through,
           watermark = GREATEST(analytics_rollup_state.watermark, EXCLUDED.watermark),
           updated_at = clock_timestamp()`,
        [
          workspaceId,
          timeZone,
          yesterday,
          rebuild ? upTo : new Date(Math.max(upTo.getTime(), state.watermark.getTime())),
        ],
      );
      return { rebuilt: rebuild, days: counts, builtThrough: yesterday };
    });
  }

  /** Live leads per creation day, current status, source and niche (every lead change writes a timeline entry). */
  private leadDays(): DayRollup {
    return {
      table: 'analytics_lead_days',
      measures: ['count'],
      columns: [
        ['day', 'date[]'],
        ['status', 'text[]'],
        ['source', 'text[]'],
        ['niche_id', 'text[]'],
        ['count', 'int[]'],
      ],
      touched: (_m, ws, after, upTo, tz) => this.leads.createdDaysTouchedBetween(ws, after, upTo, tz),
      compute: async (ws, window, days) =>
        (await this.leads.countCreated(ws, window, ['day', 'status', 'source', 'nicheId'], days ? { days } : {})).map(
          (r) => [r.day, r.status, r.source ?? '', r.nicheId ?? '', r.count],
        ),
    };
  }

  /** Timeline entries of live leads per day and type. */
  private eventDays(): DayRollup {
    return {
      table: 'analytics_event_days',
      measures: ['count'],
      columns: [
        ['day', 'date[]'],
        ['type', 'text[]'],
        ['count', 'int[]'],
      ],
      touched: (_m, ws, after, upTo, tz) => this.leads.eventDaysTouchedBetween(ws, after, upTo, tz),
      compute: async (ws, window, days) =>
        (await this.leads.countEvents(ws, window, ['day', 'type'], { days })).map((r) => [r.day, r.type, r.count]),
    };
  }

  /** Net earnings per day, currency, type and platform; a deleted subscriber moves its entries to 'unknown'. */
  private earningDays(): DayRollup {
    return {
      table: 'analytics_earning_days',
      measures: ['amount', 'count'],
      columns: [
        ['day', 'date[]'],
        ['currency', 'text[]'],
        ['type', 'text[]'],
        ['platform', 'text[]'],
        ['amount', 'bigint[]'],
        ['count', 'int[]'],
      ],
      touched: async (manager, ws, after, upTo, tz) => {
        const [changed, orphans, held] = await Promise.all([
          this.revenue.earningDaysTouchedBetween(ws, after, upTo, tz),
          this.revenue.orphanEntriesByDay(ws, tz),
          manager.query(
            `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(count)::int AS count FROM analytics_earning_days
              WHERE workspace_id = $1 AND platform = 'unknown' GROUP BY 1`,
            [ws],
          ) as Promise<{ day: string; count: number }[]>,
        ]);
        // Days whose count of entries without subscriber differs: a subscriber was deleted.
        const live = new Map(orphans.map((r) => [r.day, r.count]));
        const mine = new Map(held.map((r) => [r.day, r.count]));
        const moved = [...new Set([...live.keys(), ...mine.keys()])].filter((d) => live.get(d) !== mine.get(d));
        return [...changed, ...moved];
      },
      compute: async (ws, window, days) =>
        (await this.revenue.sumEarnings(ws, window, ['day', 'currency', 'type', 'platform'], { days })).map((r) => [
          r.day,
          r.currency,
          r.type,
          r.platform,
          r.amount,
          r.count,
        ]),
    };
  }

  /** Enrollments per day and campaign, by stage reached, with their revenue. */
  private campaignDays(): DayRollup {
    return {
      table: 'analytics_campaign_days',
      measures: ['enrolled', 'contacted', 'replied', 'converted', 'revenue'],
      columns: [
        ['day', 'date[]'],
        ['campaign_id', 'uuid[]'],
        ['enrolled', 'int[]'],
        ['contacted', 'int[]'],
        ['replied', 'int[]'],
        ['converted', 'int[]'],
        ['revenue', 'bigint[]'],
      ],
      touched: async (manager, ws, after, upTo, tz) => {
        const [changes, campaigns] = await Promise.all([
          this.leads.changesBetween(ws, after, upTo),
          this.campaigns.list(ws),
        ]);
        const touched = await this.campaigns.enrollmentDaysTouchedBetween(
          ws,
          after,
          upTo,
          changes.deletedOrRestoredLeadIds,
          tz,
        );
        // The days the rollup holds for campaigns an enrollment left (unenrolled; or moved to another day, whose
        // previous day only the rollup knows), and for deleted campaigns: none leaves a row behind.
        const gone = (await manager.query(
          `SELECT DISTINCT to_char(day, 'YYYY-MM-DD') AS day FROM analytics_campaign_days
            WHERE workspace_id = $1 AND (campaign_id = ANY($2::uuid[]) OR NOT campaign_id = ANY($3::uuid[]))`,
          [ws, [...changes.unenrolledCampaignIds, ...touched.changedCampaignIds], campaigns.map((c) => c.id)],
        )) as { day: string }[];
        return [...touched.days, ...gone.map((r) => r.day)];
      },
      compute: async (ws, window, days) =>
        (await this.campaigns.enrollmentsByDay(ws, window, { days })).map((r) => [
          r.day,
          r.campaignId,
          r.enrolled,
          r.contacted,
          r.replied,
          r.converted,
          r.revenue,
        ]),
    };
  }
}

/** Recomputes the monthly twin's rows of `months` (first days; null: every month) from the daily rows. */
async function sumMonths(manager: EntityManager, rollup: DayRollup, workspaceId: string, months: string[] | null) {
  const table = rollup.table.replace(/_days$/, '_months');
  const keys = rollup.columns.map(([name]) => name).filter((n) => n !== 'day' && !rollup.measures.includes(n));
  const only = months ? ` AND day = ANY($2::date[])` : '';
  const params = months ? [workspaceId, months] : [workspaceId];
  await manager.query(`DELETE FROM ${table} WHERE workspace_id = $1${only}`, params);
  await manager.query(
    `INSERT INTO ${table} (workspace_id, day, ${[...keys, ...rollup.measures].join(', ')})
     SELECT workspace_id, date_trunc('month', day)::date, ${keys.join(', ')},
            ${rollup.measures.map((m) => `sum(${m})`).join(', ')}
       FROM ${rollup.table}
      WHERE workspace_id = $1${months ? ` AND date_trunc('month', day)::date = ANY($2::date[])` : ''}
      GROUP BY 1, 2, ${keys.map((_, i) => i + 3).join(', ')}`,
    params,
  );
}

async function insertRows(manager: EntityManager, rollup: DayRollup, workspaceId: string, rows: unknown[][]) {
  const names = rollup.columns.map(([name]) => name).join(', ');
  const arrays = rollup.columns.map(([, type], i) => `$${i + 2}::${type}`).join(', ');
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    await manager.query(`INSERT INTO ${rollup.table} (workspace_id, ${names}) SELECT $1, * FROM unnest(${arrays})`, [
      workspaceId,
      ...rollup.columns.map((_, c) => chunk.map((row) => row[c])),
    ]);
  }
}

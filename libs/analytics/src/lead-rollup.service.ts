import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { LocalDateWindow } from '@crescendo/platform';
import { type LeadCountRow, LeadStatsService } from '@crescendo/leads';
import { AnalyticsContextService } from './analytics-context.service';
import { addDays, daysOf, todayIn } from './analytics-window';

/** The first day a full build covers. */
export const ROLLUP_EPOCH = '1970-01-01';
/**
 * Timeline entries are read up to this long ago: an entry is stamped inside its transaction, so a change
 * still committing is picked up by the next run rather than skipped.
 */
export const WATERMARK_LAG_MS = 60_000;

export interface RollupState {
  timeZone: string;
  builtThrough: string;
  watermark: Date;
}

export interface RefreshResult {
  rebuilt: boolean;
  /** Days recomputed. */
  days: number;
  builtThrough: string;
}

const DIMENSIONS = ['day', 'status', 'source', 'nicheId'] as const;

/**
 * Keeps `analytics_lead_days` (leads per workspace, local day, status, source and niche) up to date. A run
 * recomputes only the days that changed since the last one (the creation days of leads whose timeline got
 * an entry since the watermark) and the days closed since; a rebuild recomputes every day. Both ask the
 * leads feature's read interface, never the leads table.
 */
@Injectable()
export class LeadRollupService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly leads: LeadStatsService,
    private readonly context: AnalyticsContextService,
  ) {}

  async state(workspaceId: string): Promise<RollupState | null> {
    const [row] = (await this.dataSource.query(
      `SELECT time_zone AS "timeZone", to_char(built_through, 'YYYY-MM-DD') AS "builtThrough", watermark
         FROM analytics_rollup_state WHERE workspace_id = $1`,
      [workspaceId],
    )) as RollupState[];
    return row ?? null;
  }

  async workspaces(): Promise<string[]> {
    const rows = (await this.dataSource.query('SELECT workspace_id AS id FROM analytics_rollup_state')) as {
      id: string;
    }[];
    return rows.map((r) => r.id);
  }

  /** Brings the rollup up to yesterday (workspace time zone) and up to `upTo` in changes. */
  async refresh(workspaceId: string, options: { rebuild?: boolean; upTo?: Date } = {}): Promise<RefreshResult> {
    const scope = await this.context.scope(workspaceId);
    const timeZone = scope.timeZone;
    const yesterday = addDays(todayIn(timeZone, scope.now), -1);
    const upTo = options.upTo ?? new Date(Date.now() - WATERMARK_LAG_MS);
    return this.dataSource.transaction(async (manager) => {
      // One run per workspace at a time: two runs would delete and insert the same days.
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`analytics-rollup:${workspaceId}`]);
      const [state] = (await manager.query(
        `SELECT time_zone AS "timeZone", to_char(built_through, 'YYYY-MM-DD') AS "builtThrough", watermark
           FROM analytics_rollup_state WHERE workspace_id = $1`,
        [workspaceId],
      )) as RollupState[];
      const rebuild = Boolean(options.rebuild) || !state || state.timeZone !== timeZone;
      let days: string[] | null = null;
      if (rebuild) {
        await manager.query('DELETE FROM analytics_lead_days WHERE workspace_id = $1', [workspaceId]);
      } else {
        const touched = await this.leads.createdDaysTouchedBetween(workspaceId, state.watermark, upTo, timeZone);
        const closed =
          state.builtThrough < yesterday
            ? daysOf({ from: addDays(state.builtThrough, 1), to: yesterday, timeZone })
            : [];
        days = [...new Set([...touched.filter((d) => d <= yesterday), ...closed])].sort();
        await manager.query('DELETE FROM analytics_lead_days WHERE workspace_id = $1 AND day = ANY($2::date[])', [
          workspaceId,
          days,
        ]);
      }
      const window: LocalDateWindow = { from: days ? (days[0] ?? yesterday) : ROLLUP_EPOCH, to: yesterday, timeZone };
      if (days === null || days.length) {
        const rows = await this.leads.countCreated(workspaceId, window, [...DIMENSIONS], days ? { days } : {});
        await insertRows(manager, workspaceId, rows);
      }
      await manager.query(
        `INSERT INTO analytics_rollup_state (workspace_id, time_zone, built_through, watermark)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (workspace_id) DO UPDATE SET time_zone = EXCLUDED.time_zone,
           built_through = EXCLUDED.built_through,
           watermark = GREATEST(analytics_rollup_state.watermark, EXCLUDED.watermark), updated_at = now()`,
        [
          workspaceId,
          timeZone,
          yesterday,
          rebuild ? upTo : new Date(Math.max(upTo.getTime(), state.watermark.getTime())),
        ],
      );
      return { rebuilt: rebuild, days: days ? days.length : -1, builtThrough: yesterday };
    });
  }

  /** Counts from the rollup for days of `window` (all held), grouped like LeadStatsService.countCreated. */
  async read(
    workspaceId: string,
    window: LocalDateWindow,
    groupBy: readonly (typeof DIMENSIONS)[number][],
    filters: { nicheId?: string; source?: string },
  ): Promise<LeadCountRow[]> {
    const params: unknown[] = [workspaceId, window.from, window.to];
    const where = ['workspace_id = $1', 'day BETWEEN $2::date AND $3::date'];
    if (filters.nicheId) where.push(`niche_id = $${params.push(filters.nicheId)}`);
    if (filters.source) where.push(`source = $${params.push(filters.source)}`);
    const columns: Record<(typeof DIMENSIONS)[number], string> = {
      day: `to_char(day, 'YYYY-MM-DD') AS "day"`,
      status: 'status AS "status"',
      source: `nullif(source, '') AS "source"`,
      nicheId: `nullif(niche_id, '') AS "nicheId"`,
    };
    const select = [...groupBy.map((d) => columns[d]), 'sum(count)::int AS "count"'];
    const group = groupBy.length ? `GROUP BY ${groupBy.map((_, i) => i + 1).join(', ')}` : '';
    return this.dataSource.query(
      `SELECT ${select.join(', ')} FROM analytics_lead_days WHERE ${where.join(' AND ')} ${group}`,
      params,
    ) as Promise<LeadCountRow[]>;
  }
}

async function insertRows(manager: EntityManager, workspaceId: string, rows: LeadCountRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    await manager.query(
      `INSERT INTO analytics_lead_days (workspace_id, day, status, source, niche_id, count)
       SELECT $1, * FROM unnest($2::date[], $3::text[], $4::text[], $5::text[], $6::int[])`,
      [
        workspaceId,
        chunk.map((r) => r.day),
        chunk.map((r) => r.status),
        chunk.map((r) => r.source ?? ''),
        chunk.map((r) => r.nicheId ?? ''),
        chunk.map((r) => r.count),
      ],
    );
  }
}

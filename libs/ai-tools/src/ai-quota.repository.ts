import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface QuotaReservation {
  jobId: string;
  workspaceId: string;
  period: string;
}

/** Storage of `ai_quota_usage` (one counter per workspace and month) and `ai_quota_reservations`. */
@Injectable()
export class AiQuotaRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async used(workspaceId: string, period: string): Promise<number> {
    const [row] = await this.db.query<{ used: number }[]>(
      `SELECT used FROM ai_quota_usage WHERE workspace_id = $1 AND period = $2`,
      [workspaceId, period],
    );
    return row?.used ?? 0;
  }

  /**
   * Takes one unit while used < limit and records the job's reservation, in one transaction: the conditional
   * upsert serialises parallel calls on the row, so they never pass the limit. Answers whether it was taken.
   */
  take(workspaceId: string, jobId: string, period: string, limit: number): Promise<boolean> {
    if (limit <= 0) return Promise.resolve(false);
    return this.db.transaction(async (manager) => {
      const taken = await manager.query<{ used: number }[]>(
        `INSERT INTO ai_quota_usage (workspace_id, period, used) VALUES ($1, $2, 1)
         ON CONFLICT (workspace_id, period)
         DO UPDATE SET used = ai_quota_usage.used + 1, updated_at = now()
                 WHERE ai_quota_usage.used < $3
         RETURNING used`,
        [workspaceId, period, limit],
      );
      if (!taken.length) return false;
      await manager.query(`INSERT INTO ai_quota_reservations (job_id, workspace_id, period) VALUES ($1, $2, $3)`, [
        jobId,
        workspaceId,
        period,
      ]);
      return true;
    });
  }

  /** The job's unit stays used: its reservation goes. */
  async settle(jobId: string): Promise<void> {
    await this.db.query(`DELETE FROM ai_quota_reservations WHERE job_id = $1`, [jobId]);
  }

  /** Gives the job's unit back (once: the reservation row is the proof). */
  async release(jobId: string): Promise<void> {
    await this.db.query(
      `WITH released AS (DELETE FROM ai_quota_reservations WHERE job_id = $1 RETURNING workspace_id, period)
       UPDATE ai_quota_usage q SET used = q.used - 1, updated_at = now()
         FROM released r
        WHERE q.workspace_id = r.workspace_id AND q.period = r.period AND q.used > 0`,
      [jobId],
    );
  }

  /** Reservations older than `minutes`. */
  async olderThan(minutes: number): Promise<QuotaReservation[]> {
    const rows = await this.db.query<{ job_id: string; workspace_id: string; period: string }[]>(
      `SELECT job_id, workspace_id, period::text FROM ai_quota_reservations
        WHERE created_at < now() - make_interval(mins => $1)`,
      [minutes],
    );
    return rows.map((r) => ({ jobId: r.job_id, workspaceId: r.workspace_id, period: r.period }));
  }

  /**
   * Deletes these reservations, giving back the units of those in `giveBack`; answers how many of each kind
   * this call removed (a reservation settled or released meanwhile is not counted twice).
   */
  async close(jobIds: string[], giveBack: Set<string>): Promise<{ released: number; settled: number }> {
    if (!jobIds.length) return { released: 0, settled: 0 };
    const [counts] = await this.db.query<{ released: number; settled: number }[]>(
      `WITH closed AS (
         DELETE FROM ai_quota_reservations r WHERE r.job_id = ANY($1::uuid[])
         RETURNING r.workspace_id, r.period, r.job_id = ANY($2::uuid[]) AS give_back
       ), given_back AS (
         UPDATE ai_quota_usage q SET used = greatest(q.used - a.units, 0), updated_at = now()
           FROM (SELECT workspace_id, period, count(*)::int AS units FROM closed WHERE give_back
                  GROUP BY workspace_id, period) a
          WHERE q.workspace_id = a.workspace_id AND q.period = a.period
       )
       SELECT count(*) FILTER (WHERE give_back)::int AS released, count(*) FILTER (WHERE NOT give_back)::int AS settled
         FROM closed`,
      [jobIds, [...giveBack]],
    );
    return counts;
  }
}

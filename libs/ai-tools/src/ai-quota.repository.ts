import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** What paid for a queued job's unit: the month's quota, or a message-pack credit. */
export type QuotaSource = 'quota' | 'credit';

export interface QuotaReservation {
  jobId: string;
  workspaceId: string;
  period: string;
  source: QuotaSource;
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
   * Takes one unit while used < limit, else asks `spendCredit` (in the same transaction), and records the job's
   * reservation with what paid for it. The conditional upsert serialises parallel calls on the row, so they never
   * pass the limit. Answers what paid (with the month's count after it, when the quota did), or null when nothing
   * could.
   */
  reserve(
    workspaceId: string,
    jobId: string,
    period: string,
    limit: number,
    spendCredit: (manager: EntityManager) => Promise<boolean>,
  ): Promise<{ source: 'quota'; used: number } | { source: 'credit' } | null> {
    return this.db.transaction(async (manager) => {
      const taken =
        limit > 0
          ? await manager.query<{ used: number }[]>(
              `INSERT INTO ai_quota_usage (workspace_id, period, used) VALUES ($1, $2, 1)
               ON CONFLICT (workspace_id, period)
               DO UPDATE SET used = ai_quota_usage.used + 1, updated_at = now()
                       WHERE ai_quota_usage.used < $3
               RETURNING used`,
              [workspaceId, period, limit],
            )
          : [];
      const paid = taken.length
        ? { source: 'quota' as const, used: taken[0].used }
        : (await spendCredit(manager))
          ? { source: 'credit' as const }
          : null;
      if (!paid) return null;
      await manager.query(
        `INSERT INTO ai_quota_reservations (job_id, workspace_id, period, source) VALUES ($1, $2, $3, $4)`,
        [jobId, workspaceId, period, paid.source],
      );
      return paid;
    });
  }

  /** The job's unit stays used: its reservation goes. */
  async settle(jobId: string): Promise<void> {
    await this.db.query(`DELETE FROM ai_quota_reservations WHERE job_id = $1`, [jobId]);
  }

  /**
   * Gives the job's unit back (once: the reservation row is the proof); a credit goes back through `returnCredit`
   * in the same transaction.
   */
  release(jobId: string, returnCredit: (manager: EntityManager, workspaceId: string) => Promise<void>): Promise<void> {
    return this.db.transaction(async (manager) => {
      const [released] = deletedRows<{ workspace_id: string; period: string; source: QuotaSource }>(
        await manager.query(
          `DELETE FROM ai_quota_reservations WHERE job_id = $1 RETURNING workspace_id, period, source`,
          [jobId],
        ),
      );
      if (!released) return;
      if (released.source === 'credit') return returnCredit(manager, released.workspace_id);
      await manager.query(
        `UPDATE ai_quota_usage SET used = used - 1, updated_at = now()
          WHERE workspace_id = $1 AND period = $2 AND used > 0`,
        [released.workspace_id, released.period],
      );
    });
  }

  /** Reservations older than `minutes`. */
  async olderThan(minutes: number): Promise<QuotaReservation[]> {
    const rows = await this.db.query<{ job_id: string; workspace_id: string; period: string; source: QuotaSource }[]>(
      `SELECT job_id, workspace_id, period::text, source FROM ai_quota_reservations
        WHERE created_at < now() - make_interval(mins => $1)`,
      [minutes],
    );
    return rows.map((r) => ({ jobId: r.job_id, workspaceId: r.workspace_id, period: r.period, source: r.source }));
  }

  /**
   * Deletes these quota reservations, giving back the units of those in `giveBack`; answers how many of each kind
   * this call removed (a reservation settled or released meanwhile is not counted twice).
   */
  async close(jobIds: string[], giveBack: Set<string>): Promise<{ released: number; settled: number }> {
    if (!jobIds.length) return { released: 0, settled: 0 };
    const [counts] = await this.db.query<{ released: number; settled: number }[]>(
      `WITH closed AS (
         DELETE FROM ai_quota_reservations r WHERE r.job_id = ANY($1::uuid[]) AND r.source = 'quota'
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

/** TypeORM's postgres driver answers a DELETE … RETURNING as [rows, affected]. */
function deletedRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

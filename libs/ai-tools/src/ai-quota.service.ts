import { HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, AppException, CREDIT_WALLET, type CreditWallet } from '@crescendo/platform';
import { quotaLimit, quotaPeriod } from './ai-quota';
import { AiQuotaDto } from './ai-tools.dto';

export const AI_QUOTA_EXCEEDED = 'AI_QUOTA_EXCEEDED';

/**
 * The monthly AI generation quota of a workspace, counted in ai_quota_usage; the units queued jobs hold
 * are also listed in ai_quota_reservations, so each is given back at most once.
 */
@Injectable()
export class AiQuotaService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    @Optional() @Inject(CREDIT_WALLET) private readonly wallet?: CreditWallet,
  ) {}

  async read(workspaceId: string, now = new Date()): Promise<AiQuotaDto> {
    const { period, resetAt } = quotaPeriod(now);
    const [row] = await this.db.query<{ plan: string; used: number | null }[]>(
      `SELECT w.plan, q.used
         FROM workspaces w
         LEFT JOIN ai_quota_usage q ON q.workspace_id = w.id AND q.period = $2
        WHERE w.id = $1`,
      [workspaceId, period],
    );
    const limit = quotaLimit(row?.plan ?? 'free', this.config.env);
    return this.view(row?.plan ?? 'free', limit, row?.used ?? 0, period, resetAt);
  }

  /**
   * Takes one unit of the month's quota for a job about to be queued, or throws 402 AI_QUOTA_EXCEEDED. The
   * counter moves by one conditional upsert (its update only applies while used < limit), so parallel
   * calls serialise on the row and never pass the limit; the reservation row is written in the same
   * transaction.
   */
  async reserve(workspaceId: string, jobId: string, now = new Date()): Promise<void> {
    const { period, resetAt } = quotaPeriod(now);
    const refused = await this.db.transaction(async (manager) => {
      const [{ plan }] = await manager.query<{ plan: string }[]>(`SELECT plan FROM workspaces WHERE id = $1`, [
        workspaceId,
      ]);
      const limit = quotaLimit(plan, this.config.env);
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
      // The month's quota first, then message-pack credits.
      const source = taken.length
        ? 'quota'
        : (await this.wallet?.spendOne(manager, workspaceId, jobId))
          ? 'credit'
          : null;
      if (!source) return { plan, limit };
      await manager.query(
        `INSERT INTO ai_quota_reservations (job_id, workspace_id, period, source) VALUES ($1, $2, $3, $4)`,
        [jobId, workspaceId, period, source],
      );
      return null;
    });
    if (refused) {
      const current = await this.read(workspaceId, now);
      const resetDate = resetAt.toISOString();
      throw new AppException(
        HttpStatus.PAYMENT_REQUIRED,
        AI_QUOTA_EXCEEDED,
        `The monthly AI generation quota of the ${refused.plan} plan (${refused.limit}) is used up; it resets on ${resetDate}`,
        [
          {
            message: 'Monthly AI generation quota exhausted',
            limit: refused.limit,
            used: current.used,
            resetAt: resetDate,
          },
        ],
      );
    }
  }

  /** The job completed: its unit stays used. */
  async settle(jobId: string): Promise<void> {
    await this.db.query(`DELETE FROM ai_quota_reservations WHERE job_id = $1`, [jobId]);
  }

  /** The job was not queued, or finally failed: its unit goes back (once: the reservation row is the proof). */
  async release(jobId: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const [released] = deletedRows<{ workspace_id: string; period: string; source: string }>(
        await manager.query(
          `DELETE FROM ai_quota_reservations WHERE job_id = $1 RETURNING workspace_id, period, source`,
          [jobId],
        ),
      );
      if (!released) return;
      if (released.source === 'credit') {
        await this.wallet?.returnOne(manager, released.workspace_id, jobId);
        return;
      }
      await manager.query(
        `UPDATE ai_quota_usage SET used = used - 1, updated_at = now()
          WHERE workspace_id = $1 AND period = $2 AND used > 0`,
        [released.workspace_id, released.period],
      );
    });
  }

  /**
   * Reservations whose job can no longer end through runJob (BullMQ failed it as stalled, the worker died
   * after its last attempt, the job record is gone): a COMPLETED job keeps its unit (the row goes), a FAILED
   * or missing one gives it back. Rows younger than `graceMinutes` are left alone: their job may be queueing.
   */
  async releaseAbandoned(graceMinutes = 60): Promise<{ released: number; settled: number }> {
    const credits = await this.releaseAbandonedCredits(graceMinutes);
    const [counts] = await this.db.query<{ released: number; settled: number }[]>(
      `WITH abandoned AS (
         DELETE FROM ai_quota_reservations r
          WHERE r.created_at < now() - make_interval(mins => $1) AND r.source = 'quota'
            AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = r.job_id AND j.status IN ('PENDING', 'PROCESSING'))
         RETURNING r.workspace_id, r.period,
           EXISTS (SELECT 1 FROM jobs j WHERE j.id = r.job_id AND j.status = 'COMPLETED') AS completed
       ), given_back AS (
         UPDATE ai_quota_usage q SET used = greatest(q.used - a.units, 0), updated_at = now()
           FROM (SELECT workspace_id, period, count(*)::int AS units FROM abandoned WHERE NOT completed
                  GROUP BY workspace_id, period) a
          WHERE q.workspace_id = a.workspace_id AND q.period = a.period
       )
       SELECT count(*) FILTER (WHERE NOT completed)::int AS released, count(*) FILTER (WHERE completed)::int AS settled
         FROM abandoned`,
      [graceMinutes],
    );
    return { released: counts.released + credits.released, settled: counts.settled + credits.settled };
  }

  /** The same for units paid with a credit: a failed or missing job's credit goes back to the wallet. */
  private async releaseAbandonedCredits(graceMinutes: number): Promise<{ released: number; settled: number }> {
    const abandoned = await this.db.query<{ job_id: string; completed: boolean }[]>(
      `SELECT r.job_id, EXISTS (SELECT 1 FROM jobs j WHERE j.id = r.job_id AND j.status = 'COMPLETED') AS completed
         FROM ai_quota_reservations r
        WHERE r.created_at < now() - make_interval(mins => $1) AND r.source = 'credit'
          AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = r.job_id AND j.status IN ('PENDING', 'PROCESSING'))`,
      [graceMinutes],
    );
    let released = 0;
    for (const row of abandoned) {
      if (row.completed) await this.settle(row.job_id);
      else {
        await this.release(row.job_id);
        released += 1;
      }
    }
    return { released, settled: abandoned.length - released };
  }

  private view(plan: string, limit: number, used: number, period: string, resetAt: Date): AiQuotaDto {
    return {
      plan,
      limit,
      used,
      remaining: Math.max(0, limit - used),
      period: period.slice(0, 7),
      resetAt: resetAt.toISOString(),
    };
  }
}

/** TypeORM's postgres driver answers a DELETE … RETURNING as [rows, affected]. */
function deletedRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

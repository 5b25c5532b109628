import { HttpStatus, Injectable } from '@nestjs/common';
import { AppConfig, AppException } from '@crescendo/platform';
import { IdentityLookupsService } from '@crescendo/identity';
import { JobStatus, JobTrackerService } from '@crescendo/jobs';
import { AiQuotaRepository } from './ai-quota.repository';
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
    private readonly quota: AiQuotaRepository,
    private readonly identity: IdentityLookupsService,
    private readonly jobs: JobTrackerService,
    private readonly config: AppConfig,
  ) {}

  async read(workspaceId: string, now = new Date()): Promise<AiQuotaDto> {
    const { period, resetAt } = quotaPeriod(now);
    const [plan, used] = await Promise.all([
      this.identity.workspacePlan(workspaceId),
      this.quota.used(workspaceId, period),
    ]);
    const limit = quotaLimit(plan ?? 'free', this.config.env);
    return this.view(plan ?? 'free', limit, plan === null ? 0 : used, period, resetAt);
  }

  /**
   * Takes one unit of the month's quota for a job about to be queued, or throws 402 AI_QUOTA_EXCEEDED. The
   * counter moves by one conditional upsert (its update only applies while used < limit), so parallel
   * calls serialise on the row and never pass the limit; the reservation row is written in the same
   * transaction.
   */
  async reserve(workspaceId: string, jobId: string, now = new Date()): Promise<void> {
    const { period, resetAt } = quotaPeriod(now);
    const plan = (await this.identity.workspacePlan(workspaceId)) ?? 'free';
    const limit = quotaLimit(plan, this.config.env);
    const refused = (await this.quota.take(workspaceId, jobId, period, limit)) ? null : { plan, limit };
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
    await this.quota.settle(jobId);
  }

  /** The job was not queued, or finally failed: its unit goes back (once: the reservation row is the proof). */
  async release(jobId: string): Promise<void> {
    await this.quota.release(jobId);
  }

  /**
   * Reservations whose job can no longer end through runJob (BullMQ failed it as stalled, the worker died
   * after its last attempt, the job record is gone): a COMPLETED job keeps its unit (the row goes), a FAILED
   * or missing one gives it back. Rows younger than `graceMinutes` are left alone: their job may be queueing.
   */
  async releaseAbandoned(graceMinutes = 60): Promise<{ released: number; settled: number }> {
    const old = await this.quota.olderThan(graceMinutes);
    const statuses = await this.jobs.statuses(old.map((r) => r.jobId));
    // PENDING and PROCESSING jobs still end through runJob; every other state is final.
    const abandoned = old.filter((r) => {
      const status = statuses.get(r.jobId);
      return status !== JobStatus.Pending && status !== JobStatus.Processing;
    });
    const giveBack = new Set(
      abandoned.filter((r) => statuses.get(r.jobId) !== JobStatus.Completed).map((r) => r.jobId),
    );
    return this.quota.close(
      abandoned.map((r) => r.jobId),
      giveBack,
    );
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

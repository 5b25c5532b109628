import { HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig, AppException, CREDIT_WALLET, type CreditWallet, EventPublisher } from '@crescendo/platform';
import { WorkspacePlanService } from '@crescendo/identity';
import { JobStatus, JobTrackerService } from '@crescendo/jobs';
import { quotaLimit, quotaPeriod, quotaThresholdReached } from './ai-quota';
import { AiQuotaRepository } from './ai-quota.repository';
import { AiQuotaDto } from './ai-tools.dto';
import { AiToolsEvents } from './ai-tools.events';

export const AI_QUOTA_EXCEEDED = 'AI_QUOTA_EXCEEDED';

/**
 * The monthly AI generation quota of a workspace, counted in ai_quota_usage; the units queued jobs hold
 * are also listed in ai_quota_reservations, so each is given back at most once. The plan comes from identity,
 * job outcomes from the jobs feature, through their services.
 */
@Injectable()
export class AiQuotaService {
  constructor(
    private readonly quota: AiQuotaRepository,
    private readonly plans: WorkspacePlanService,
    private readonly jobs: JobTrackerService,
    private readonly config: AppConfig,
    private readonly events: EventPublisher,
    @Optional() @Inject(CREDIT_WALLET) private readonly wallet?: CreditWallet,
  ) {}

  async read(workspaceId: string, now = new Date()): Promise<AiQuotaDto> {
    const { period, resetAt } = quotaPeriod(now);
    const [plan, used] = await Promise.all([this.plans.planOf(workspaceId), this.quota.used(workspaceId, period)]);
    return this.view(plan, quotaLimit(plan, this.config.env), used, period, resetAt);
  }

  /**
   * Takes one unit of the month's quota for a job about to be queued, else one message-pack credit, or throws
   * 402 AI_QUOTA_EXCEEDED. Parallel calls never pass the limit (see AiQuotaRepository.reserve).
   */
  async reserve(workspaceId: string, jobId: string, now = new Date()): Promise<void> {
    const { period, resetAt } = quotaPeriod(now);
    const plan = await this.plans.planOf(workspaceId);
    const limit = quotaLimit(plan, this.config.env);
    const paid = await this.quota.reserve(
      workspaceId,
      jobId,
      period,
      limit,
      async (manager) => (await this.wallet?.spendOne(manager, workspaceId, jobId)) ?? false,
    );
    if (paid?.source === 'quota') {
      // The unit that reaches a threshold announces it (after commit); the row lock makes it exactly one unit.
      const percent = quotaThresholdReached(paid.used, limit);
      if (percent) {
        await this.events.publish({
          type: AiToolsEvents.AiQuotaReached,
          workspaceId,
          data: { percent, plan, limit, used: paid.used, period: period.slice(0, 7), resetAt: resetAt.toISOString() },
        });
      }
    }
    if (paid) return;
    const used = await this.quota.used(workspaceId, period);
    const resetDate = resetAt.toISOString();
    throw new AppException(
      HttpStatus.PAYMENT_REQUIRED,
      AI_QUOTA_EXCEEDED,
      `The monthly AI generation quota of the ${plan} plan (${limit}) is used up; it resets on ${resetDate}`,
      [{ message: 'Monthly AI generation quota exhausted', limit, used, resetAt: resetDate }],
    );
  }

  /** The job completed: its unit stays used. */
  settle(jobId: string): Promise<void> {
    return this.quota.settle(jobId);
  }

  /** The job was not queued, or finally failed: its unit goes back (once: the reservation row is the proof). */
  release(jobId: string): Promise<void> {
    return this.quota.release(jobId, (manager, workspaceId) =>
      this.wallet ? this.wallet.returnOne(manager, workspaceId, jobId) : Promise.resolve(),
    );
  }

  /**
   * Reservations whose job can no longer end through runJob (BullMQ failed it as stalled, the worker died
   * after its last attempt, the job record is gone): a COMPLETED job keeps its unit (the row goes), a FAILED
   * or missing one gives it back. Rows younger than `graceMinutes` are left alone: their job may be queueing,
   * and a job still PENDING or PROCESSING keeps its reservation.
   */
  async releaseAbandoned(graceMinutes = 60): Promise<{ released: number; settled: number }> {
    const reservations = await this.quota.olderThan(graceMinutes);
    const statuses = await this.jobs.statuses(reservations.map((r) => r.jobId));
    const ended = reservations.filter((r) => {
      const status = statuses.get(r.jobId);
      return status !== JobStatus.Pending && status !== JobStatus.Processing;
    });
    const completed = (r: { jobId: string }) => statuses.get(r.jobId) === JobStatus.Completed;
    const quota = ended.filter((r) => r.source === 'quota');
    const counts = await this.quota.close(
      quota.map((r) => r.jobId),
      new Set(quota.filter((r) => !completed(r)).map((r) => r.jobId)),
    );
    // Credits go back one by one through the wallet (billing's ledger), in the release's transaction.
    for (const reservation of ended.filter((r) => r.source === 'credit')) {
      if (completed(reservation)) {
        await this.settle(reservation.jobId);
        counts.settled += 1;
      } else {
        await this.release(reservation.jobId);
        counts.released += 1;
      }
    }
    return counts;
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

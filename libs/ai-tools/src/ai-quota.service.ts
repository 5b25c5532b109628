import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, AppException } from '@crescendo/platform';
import { quotaLimit, quotaPeriod } from './ai-quota';
import { AiQuotaDto } from './ai-tools.dto';

export const AI_QUOTA_EXCEEDED = 'AI_QUOTA_EXCEEDED';

/** A unit taken from the month's quota: give it back with `refund` when the generation fails. */
export interface AiQuotaTicket {
  workspaceId: string;
  period: string;
  quota: AiQuotaDto;
}

/** The monthly AI generation quota of a workspace, counted in ai_quota_usage. */
@Injectable()
export class AiQuotaService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
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
   * Takes one unit of the month's quota, or throws 402 AI_QUOTA_EXCEEDED. One statement (an upsert whose
   * update only applies while used < limit), so parallel calls serialise on the row and never pass the limit.
   */
  async consume(workspaceId: string, now = new Date()): Promise<AiQuotaTicket> {
    const { period, resetAt } = quotaPeriod(now);
    const [{ plan }] = await this.db.query<{ plan: string }[]>(`SELECT plan FROM workspaces WHERE id = $1`, [
      workspaceId,
    ]);
    const limit = quotaLimit(plan, this.config.env);
    const taken =
      limit > 0
        ? await this.db.query<{ used: number }[]>(
            `INSERT INTO ai_quota_usage (workspace_id, period, used) VALUES ($1, $2, 1)
             ON CONFLICT (workspace_id, period)
             DO UPDATE SET used = ai_quota_usage.used + 1, updated_at = now()
                     WHERE ai_quota_usage.used < $3
             RETURNING used`,
            [workspaceId, period, limit],
          )
        : [];
    if (!taken.length) {
      const current = await this.read(workspaceId, now);
      const resetDate = resetAt.toISOString();
      throw new AppException(
        HttpStatus.PAYMENT_REQUIRED,
        AI_QUOTA_EXCEEDED,
        `The monthly AI generation quota of the ${plan} plan (${limit}) is used up; it resets on ${resetDate}`,
        [{ message: 'Monthly AI generation quota exhausted', limit, used: current.used, resetAt: resetDate }],
      );
    }
    return { workspaceId, period, quota: this.view(plan, limit, taken[0].used, period, resetAt) };
  }

  /** Gives a unit back (the generation failed); never below 0. */
  async refund(ticket: AiQuotaTicket): Promise<void> {
    await this.db.query(
      `UPDATE ai_quota_usage SET used = used - 1, updated_at = now()
        WHERE workspace_id = $1 AND period = $2 AND used > 0`,
      [ticket.workspaceId, ticket.period],
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

import { Injectable } from '@nestjs/common';
import { IdentityLookupsService } from '@crescendo/identity';
import { QueueStatusService } from '../queues/queue-status.service';

export const ACTIVE_USER_WINDOW_DAYS = 30;

export interface InstanceMetrics {
  totalUsers: number;
  activeUsers: number;
  totalWorkspaces: number;
  /** Jobs waiting, delayed or running across every queue; null when Redis is unreachable. */
  pendingJobs: number | null;
  /** Jobs that exhausted their attempts, across every queue; null when Redis is unreachable. */
  failedJobs: number | null;
}

/** Instance-wide figures, read from the database and the queues (GET /api/cron/metrics and the worker). */
@Injectable()
export class InstanceMetricsService {
  constructor(
    private readonly identity: IdentityLookupsService,
    private readonly queueStatus: QueueStatusService,
  ) {}

  async collect(): Promise<InstanceMetrics> {
    const since = new Date(Date.now() - ACTIVE_USER_WINDOW_DAYS * 86_400_000);
    const [{ totalUsers, activeUsers, totalWorkspaces }, counts] = await Promise.all([
      this.identity.counts(since),
      this.queueStatus.counts(),
    ]);
    const queues = counts ? Object.values(counts) : null;
    return {
      totalUsers,
      activeUsers,
      totalWorkspaces,
      pendingJobs: queues ? queues.reduce((sum, q) => sum + q.waiting + q.delayed + q.active, 0) : null,
      failedJobs: queues ? queues.reduce((sum, q) => sum + q.failed, 0) : null,
    };
  }
}

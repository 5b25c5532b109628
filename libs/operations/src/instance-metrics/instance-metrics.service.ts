import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThanOrEqual, Repository } from 'typeorm';
import { UserEntity, WorkspaceEntity } from '@crescendo/identity';
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
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(WorkspaceEntity) private readonly workspaces: Repository<WorkspaceEntity>,
    private readonly queueStatus: QueueStatusService,
  ) {}

  async collect(): Promise<InstanceMetrics> {
    const since = new Date(Date.now() - ACTIVE_USER_WINDOW_DAYS * 86_400_000);
    const [totalUsers, activeUsers, totalWorkspaces, counts] = await Promise.all([
      this.users.count(),
      this.users.count({ where: { lastLoginAt: MoreThanOrEqual(since) } }),
      this.workspaces.count(),
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

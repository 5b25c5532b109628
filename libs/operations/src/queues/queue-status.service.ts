import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { InjectRedis, QueueName, QueueRegistry } from '@crescendo/platform';
import { withTimeout } from './with-timeout';

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export const REDIS_CHECK_TIMEOUT_MS = 1000;
export const QUEUE_COUNTS_TIMEOUT_MS = 1500;

/** Redis reachability and BullMQ job counts, each bounded by a short timeout. */
@Injectable()
export class QueueStatusService {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly queues: QueueRegistry,
  ) {}

  /** True when the shared Redis connection answers a PING in time. */
  async redisUp(): Promise<boolean> {
    try {
      return (await withTimeout(this.redis.ping(), REDIS_CHECK_TIMEOUT_MS, 'Redis ping')) === 'PONG';
    } catch {
      return false;
    }
  }

  /**
   * Job counts of every queue, or null when Redis is unreachable. Redis is pinged first so that BullMQ
   * (whose connection queues commands while offline) is not asked anything during an outage.
   */
  async counts(): Promise<Record<QueueName, QueueCounts> | null> {
    if (!(await this.redisUp())) return null;
    try {
      const entries = await withTimeout(
        Promise.all(
          Object.values(QueueName).map(async (name) => {
            const c = await this.queues.get(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
            const counts: QueueCounts = {
              waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
              active: c.active ?? 0,
              delayed: c.delayed ?? 0,
              failed: c.failed ?? 0,
            };
            return [name, counts] as const;
          }),
        ),
        QUEUE_COUNTS_TIMEOUT_MS,
        'Queue counts',
      );
      return Object.fromEntries(entries) as Record<QueueName, QueueCounts>;
    } catch {
      return null;
    }
  }
}

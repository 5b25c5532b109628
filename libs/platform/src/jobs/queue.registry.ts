import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { JobsOptions, Queue, QueueOptions } from 'bullmq';
import { AppConfig } from '../config/config.service';
import { JobName, JobPayloads, jobQueues, QueueName } from './job.types';

/** BullMQ connection options shared by producers and the worker. */
export function bullConnection(config: AppConfig): Pick<QueueOptions, 'connection' | 'prefix'> {
  const url = new URL(config.env.REDIS_URL);
  return {
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username || undefined,
      password: url.password || undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
      tls: url.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: null,
    },
    prefix: `${config.env.REDIS_PREFIX}:bull`,
  };
}

/** Producer side: one Queue per name, and a typed enqueue. */
@Injectable()
export class QueueRegistry implements OnApplicationShutdown {
  private readonly queues = new Map<QueueName, Queue>();
  private readonly logger = new Logger(QueueRegistry.name);

  constructor(private readonly config: AppConfig) {}

  get(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        ...bullConnection(this.config),
        defaultJobOptions: {
          attempts: 3,
          backoff: { type: 'exponential', delay: 2000 },
          removeOnComplete: { age: 7 * 24 * 3600, count: 10000 },
          removeOnFail: { age: 30 * 24 * 3600 },
        },
      });
      // Without a listener, a Redis outage would surface as an uncaught 'error' event and kill the process.
      queue.on('error', (error) => this.logger.warn({ err: error, queue: name }, 'Queue connection error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  all(): Queue[] {
    return Object.values(QueueName).map((name) => this.get(name));
  }

  async enqueue<N extends JobName>(name: N, data: JobPayloads[N], options: JobsOptions = {}) {
    return this.get(jobQueues[name]).add(name, data, options);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

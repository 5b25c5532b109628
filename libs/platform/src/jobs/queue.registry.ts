import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { JobsOptions, Queue, QueueOptions } from 'bullmq';
import { AppConfig } from '../config/config.service';
import { redisUnavailable } from '../redis/redis-unavailable';
import { JobName, JobPayloads, jobQueue, QueueName } from './job.types';

/** How long an enqueue waits for a queue's connection before answering 503. */
const QUEUE_READY_TIMEOUT_MS = 2_000;
/** How long the boot waits for every queue's first connection (an unreachable Redis does not block it). */
const QUEUE_BOOT_TIMEOUT_MS = 5_000;
/** Jobs per addBulk call of enqueueMany. */
const ENQUEUE_BULK_CHUNK = 500;
/** Bounds a command on a connected but unresponsive Redis (producers only: the worker's calls block). */
const PRODUCER_COMMAND_TIMEOUT_MS = 5_000;

/**
 * BullMQ connection options shared by producers and the worker. Workers keep BullMQ's requirements
 * (maxRetriesPerRequest null, offline queue on); producers, which run inside requests, fail fast while
 * Redis is unreachable instead of queueing commands until it returns. Both reconnect at most 2 s apart
 * (BullMQ's own strategy backs off to 20 s, which would keep a recovered Redis unused that long).
 */
export function bullConnection(
  config: AppConfig,
  role: 'worker' | 'producer' = 'worker',
): Pick<QueueOptions, 'connection' | 'prefix'> {
  const url = new URL(config.env.REDIS_URL);
  const producer = role === 'producer';
  return {
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username || undefined,
      password: url.password || undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
      tls: url.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: producer ? 1 : null,
      enableOfflineQueue: !producer,
      commandTimeout: producer ? PRODUCER_COMMAND_TIMEOUT_MS : undefined,
      retryStrategy: (times: number) => Math.min(times * 200, 2_000),
    },
    prefix: `${config.env.REDIS_PREFIX}:bull`,
  };
}

/** Producer side: one Queue per name, and a typed enqueue. */
@Injectable()
export class QueueRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly queues = new Map<QueueName, Queue>();
  private readonly logger = new Logger(QueueRegistry.name);

  constructor(private readonly config: AppConfig) {}

  get(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        ...bullConnection(this.config, 'producer'),
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
    const queue = this.get(jobQueue(name));
    await this.connected(queue);
    return queue.add(name, data, options);
  }

  /** Many jobs of one name in one round trip per 500 (BullMQ's addBulk, one MULTI each). */
  async enqueueMany<N extends JobName>(name: N, jobs: { data: JobPayloads[N]; options?: JobsOptions }[]) {
    const queue = this.get(jobQueue(name));
    await this.connected(queue);
    for (let i = 0; i < jobs.length; i += ENQUEUE_BULK_CHUNK) {
      await queue.addBulk(
        jobs.slice(i, i + ENQUEUE_BULK_CHUNK).map((job) => ({ name, data: job.data, opts: job.options })),
      );
    }
  }

  /**
   * Answers 503 at once while the queue's connection is down: BullMQ waits without limit for a first
   * connection, and with the offline queue off a command sent while reconnecting fails anyway.
   */
  async connected(queue: Queue): Promise<void> {
    if (!(await this.waitFor(queue, QUEUE_READY_TIMEOUT_MS))) throw redisUnavailable();
  }

  private async waitFor(queue: Queue, timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const client = await Promise.race([
      queue.client.catch(() => undefined),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs))),
    ]).finally(() => clearTimeout(timer));
    return client?.status === 'ready';
  }

  /**
   * Opens every queue's connection before the app serves: a first connection (with BullMQ's script
   * loading) can take longer than an enqueue waits on a busy machine, and the first sign-up after a
   * boot would answer 503 for a Redis that is up.
   */
  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(this.all().map((queue) => this.waitFor(queue, QUEUE_BOOT_TIMEOUT_MS)));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

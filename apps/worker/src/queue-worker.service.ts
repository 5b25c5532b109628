import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import {
  AppConfig,
  bullConnection,
  type JobName,
  jobQueue,
  jobSchedules,
  QueueName,
  QueueRegistry,
} from '@crescendo/platform';
import { bindJobHandlers, DiscoveredHandler, JobHandlerDiscovery } from './job-handlers';

/**
 * The consumer side: one BullMQ Worker per queue, each dispatching a job by name to its one handler,
 * plus the repeatable jobs of `jobSchedules()`. Closing waits for the jobs in progress.
 */
@Injectable()
export class QueueWorkerService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private handlers = new Map<JobName, DiscoveredHandler>();
  private readonly workers: Worker[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly queues: QueueRegistry,
    private readonly discovery: JobHandlerDiscovery,
  ) {}

  /** Fails the boot when a job has no handler or several. */
  onModuleInit(): void {
    this.handlers = bindJobHandlers(this.discovery.discover());
    for (const [name, handler] of this.handlers) {
      this.logger.log({ job: name, queue: jobQueue(name), handler: handler.source }, 'Job handler bound');
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const queue of Object.values(QueueName)) {
      const worker = new Worker(queue, (job) => this.dispatch(queue, job), {
        ...bullConnection(this.config),
        concurrency: this.config.env.WORKER_CONCURRENCY,
        // A job whose worker died is taken up again within lockDuration + stalledInterval (see env.dto.ts).
        lockDuration: this.config.env.WORKER_LOCK_DURATION_MS,
        stalledInterval: this.config.env.WORKER_STALLED_INTERVAL_MS,
        maxStalledCount: this.config.env.WORKER_MAX_STALLED_COUNT,
      });
      worker.on('stalled', (jobId) => this.logger.warn({ queue, jobId }, 'Job stalled: its worker stopped; retaken'));
      worker.on('error', (error) => this.logger.error({ err: error, queue }, 'Worker error'));
      worker.on('completed', (job) =>
        this.logger.log({ queue, job: job.name, jobId: job.id, attempts: job.attemptsMade }, 'Job completed'),
      );
      worker.on('failed', (job, error) =>
        this.logger.warn(
          { err: error, queue, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade },
          'Job failed',
        ),
      );
      this.workers.push(worker);
    }
    for (const schedule of jobSchedules()) {
      await this.queues.get(jobQueue(schedule.name)).upsertJobScheduler(
        schedule.name,
        { pattern: schedule.pattern, tz: 'UTC' },
        {
          name: schedule.name,
          data: schedule.data,
        },
      );
      this.logger.log({ job: schedule.name, pattern: schedule.pattern }, 'Job scheduled');
    }
    this.logger.log(
      { queues: Object.values(QueueName), concurrency: this.config.env.WORKER_CONCURRENCY },
      'Worker started',
    );
  }

  /** Whether every queue has a worker taking jobs (false before the boot ends and once closing). */
  running(): boolean {
    return this.workers.length > 0 && this.workers.every((worker) => worker.isRunning());
  }

  /** Runs before the database and Redis close: stop taking jobs and let the running ones finish. */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log({ signal }, 'Worker stopping: waiting for the jobs in progress');
    await Promise.all(this.workers.map((worker) => worker.close()));
    this.workers.length = 0;
    this.logger.log('Worker stopped');
  }

  private async dispatch(queue: QueueName, job: Job): Promise<unknown> {
    const name = job.name as JobName;
    const handler = this.handlers.get(name);
    if (!handler || jobQueue(name) !== queue) {
      throw new Error(`No handler for job ${job.name} on queue ${queue}`);
    }
    return handler.handle(job.data, job);
  }
}

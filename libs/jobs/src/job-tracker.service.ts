import { HttpStatus, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { createHmac, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  AppConfig,
  AppException,
  CursorCodec,
  type CursorPaginated,
  FileStore,
  JobName,
  JobPayloads,
  jobQueue,
  definedJobs,
  type DomainEventPayloads,
  type NewDomainEvent,
  EventPublisher,
  type ListPageRequest,
  notFound,
  QueueRegistry,
  safeEqual,
} from '@crescendo/platform';
import { JobRecordEntity } from './job-record.entity';
import { JobRecordRepository } from './job-record.repository';
import {
  finishedJobStatuses,
  JobFile,
  JobListFilters,
  JobStatus,
  type SqlExecutor,
  type TrackedJobData,
  type TrackedJobName,
} from './jobs.types';
import { JobAcceptedResponseDto, JobResponseDto } from './jobs.dto';
import { type JobEndedData, JobsEvents } from './jobs.events';

export interface TrackedJobContext {
  jobId: string;
  /** Records progress (0–100) and a short message; writes at most a few times a second. */
  progress(percent: number, message?: string): Promise<void>;
  /** FileStore key of a file of this job, to write it before returning it in `files`. */
  fileKey(name: string): string;
  /** Aborted when the job's user cancels it (runs started with `cancellable`): stop and throw. */
  signal: AbortSignal;
  /** Where the attempts before this one stopped, for a job that resumes instead of starting over. */
  checkpoint: {
    /** The last checkpoint saved (null: none, the first attempt). */
    load<T extends object>(): Promise<T | null>;
    /**
     * Saves it through the caller's open transaction (`tx`: its connection or EntityManager), so that it
     * commits with the work it describes, or not at all: a resumed attempt then redoes nothing and skips nothing.
     */
    save(tx: SqlExecutor, checkpoint: object): Promise<void>;
  };
}

export interface TrackedJobOutcome {
  result: Record<string, unknown>;
  files?: Array<{ name: string; contentType: string }>;
  /**
   * Rows the job writes with its outcome, in the transaction that marks it completed: a worker dying before
   * the commit leaves neither, and the retry writes both. Not called when the job was cancelled meanwhile.
   */
  persist?: (manager: EntityManager) => Promise<void>;
}

export interface TrackedJobOptions {
  /** The job's row is polled while it runs, and ctx.signal aborted once its user cancels it. */
  cancellable?: boolean;
}

/** Thrown by the tracker when a job was cancelled: nothing is recorded over the cancel, nothing retried. */
export class JobCancelled extends Error {
  constructor() {
    super('The job was cancelled');
  }
}

const CANCEL_POLL_INTERVAL_MS = 500;

/** An error whose code and message a job shows its user (anything else shows as JOB_FAILED). */
export class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** A failure that another attempt cannot fix (bad file): no retry. */
    readonly permanent = true,
  ) {
    super(message);
  }
}

/** Whether this failure ends the job (no attempt left, or a JobFailure another attempt cannot fix). */
export function isFinalFailure(job: Job, error: unknown): boolean {
  return (error instanceof JobFailure && error.permanent) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

const PROGRESS_WRITE_INTERVAL_MS = 250;

const notCancellable = (status: JobStatus) =>
  new AppException(HttpStatus.CONFLICT, 'JOB_NOT_CANCELLABLE', `The job has already ended (${status})`);

/**
 * Background jobs a user follows: the API submits them (a row + a BullMQ job with the same id), the
 * worker runs them through `run`, which keeps status, progress, result, error and files up to date.
 */
@Injectable()
export class JobTrackerService {
  private readonly linkKey: Buffer;

  constructor(
    private readonly records: JobRecordRepository,
    private readonly queues: QueueRegistry,
    private readonly files: FileStore,
    private readonly config: AppConfig,
    private readonly cursors: CursorCodec,
    private readonly events: EventPublisher,
  ) {
    this.linkKey = createHmac('sha256', config.env.JWT_SECRET).update('job-file-links').digest();
  }

  async submit<N extends TrackedJobName>(
    name: N,
    data: Omit<JobPayloads[N], 'jobId'>,
    userId: string | null,
    jobId: string = randomUUID(),
  ): Promise<JobAcceptedResponseDto> {
    // The payload as the job's feature declares it: its fields, and the record's id.
    const payload = { ...data, jobId } as JobPayloads[N];
    const { workspaceId } = payload;
    await this.records.insert({ id: jobId, workspaceId, userId, name });
    try {
      await this.queues.enqueue(name, payload, { jobId });
    } catch {
      await this.records.delete(jobId);
      throw new AppException(
        HttpStatus.SERVICE_UNAVAILABLE,
        'QUEUE_UNAVAILABLE',
        'The job queue is unavailable; try again',
      );
    }
    // A class instance, so JobAcceptedInterceptor knows the answer for a 202.
    return Object.assign(new JobAcceptedResponseDto(), {
      jobId,
      status: JobStatus.Pending,
      statusUrl: `/api/jobs/${jobId}`,
    });
  }

  /**
   * Records work done at once (no queue) as a completed job, so a route that answers now and one that
   * queues give the same job id to follow and the same record.
   */
  async recordCompleted(
    name: JobName,
    workspaceId: string,
    userId: string | null,
    jobId: string,
    result: Record<string, unknown>,
  ): Promise<void> {
    await this.records.insert({ id: jobId, workspaceId, userId, name });
    const now = new Date();
    await this.records.update(jobId, {
      status: JobStatus.Completed,
      progress: 100,
      attempts: 1,
      result: result as QueryDeepPartialEntity<Record<string, unknown>>,
      startedAt: now,
      finishedAt: now,
    });
  }

  /** Worker side: runs the work of a tracked job and records how it went. */
  async run(
    job: Job,
    work: (ctx: TrackedJobContext) => Promise<TrackedJobOutcome>,
    options: TrackedJobOptions = {},
  ): Promise<Record<string, unknown>> {
    const { jobId } = job.data as TrackedJobData;
    // Delivered again after its outcome was recorded (the worker died before BullMQ heard): not redone.
    const done = await this.records.findCompleted(jobId);
    if (done) return done.result ?? {};
    if (!(await this.records.start(jobId, job.attemptsMade + 1)) && (await this.records.isCancelled(jobId))) {
      // Cancelled before it ran: nothing to do, and nothing to retry.
      job.discard();
      return {};
    }
    let lastWrite = 0;
    let lastPercent = -1;
    const cancel = new AbortController();
    const ctx: TrackedJobContext = {
      jobId,
      signal: cancel.signal,
      fileKey: (name) => FileStore.key('jobs', jobId, name),
      checkpoint: {
        load: <T extends object>() => this.records.checkpointOf(jobId) as Promise<T | null>,
        save: (tx, checkpoint) => this.records.saveCheckpoint(tx, jobId, checkpoint),
      },
      progress: async (percent, message) => {
        const value = Math.max(0, Math.min(100, Math.floor(percent)));
        const now = Date.now();
        if (value === lastPercent && now - lastWrite < PROGRESS_WRITE_INTERVAL_MS * 4) return;
        if (now - lastWrite < PROGRESS_WRITE_INTERVAL_MS && value !== 100) return;
        lastWrite = now;
        lastPercent = value;
        // Progress and message only: a cancel recorded meanwhile keeps its status.
        await this.records.update(jobId, { progress: value, message: message ?? null });
      },
    };
    const watch = options.cancellable ? this.watchCancel(jobId, cancel) : undefined;
    try {
      const outcome = await work(ctx);
      const files: JobFile[] = [];
      for (const file of outcome.files ?? []) {
        files.push({ ...file, size: (await this.files.size(ctx.fileKey(file.name))) ?? 0 });
      }
      const completed = await this.records.complete(
        jobId,
        {
          progress: 100,
          result: outcome.result as QueryDeepPartialEntity<Record<string, unknown>>,
          files,
          finishedAt: new Date(),
        },
        outcome.persist,
      );
      // Not recorded: cancelled meanwhile, or the row is gone (erased); what the job meant to persist with it goes too.
      if (!completed && (outcome.persist || (await this.records.isCancelled(jobId)))) throw new JobCancelled();
      if (completed) await this.announce(job, JobsEvents.JobCompleted, {});
      return outcome.result;
    } catch (error) {
      if (cancel.signal.aborted || error instanceof JobCancelled || (await this.records.isCancelled(jobId))) {
        job.discard();
        throw error instanceof JobCancelled ? error : new JobCancelled();
      }
      const failure =
        error instanceof JobFailure ? error : new JobFailure('JOB_FAILED', 'The job failed; it will be retried', false);
      const lastAttempt = isFinalFailure(job, failure);
      await this.records.update(jobId, {
        status: lastAttempt ? JobStatus.Failed : JobStatus.Processing,
        error: {
          code: failure.code,
          message: lastAttempt && !(error instanceof JobFailure) ? 'The job failed' : failure.message,
        },
        finishedAt: lastAttempt ? new Date() : null,
      });
      if (lastAttempt) {
        await this.announce(job, JobsEvents.JobFailed, { code: failure.code, message: failure.message });
      }
      if (failure.permanent) {
        job.discard();
      }
      throw error;
    } finally {
      clearInterval(watch);
    }
  }

  /**
   * The job's outcome as a domain event (notifications, outbound webhooks). An agent run's carries its agentId,
   * so that agents never trigger on their own runs.
   */
  private async announce<T extends keyof typeof JobsEvents>(
    job: Job,
    type: (typeof JobsEvents)[T],
    extra: Omit<DomainEventPayloads[(typeof JobsEvents)[T]], keyof JobEndedData>,
  ): Promise<void> {
    const data = job.data as TrackedJobData & { userId?: unknown; agentId?: unknown };
    const ended: JobEndedData = {
      jobId: data.jobId,
      // Only tracked jobs run through run(), whose payloads carry a jobId.
      name: job.name as TrackedJobName,
      ...(typeof data.agentId === 'string' ? { agentId: data.agentId } : {}),
    };
    await this.events.publish({
      type,
      workspaceId: data.workspaceId,
      actorUserId: typeof data.userId === 'string' ? data.userId : null,
      data: { ...ended, ...extra },
    } as NewDomainEvent<(typeof JobsEvents)[T]>);
  }

  /** Polls the job's row and aborts `cancel` once it reads CANCELLED (the API and the worker share only the database). */
  private watchCancel(jobId: string, cancel: AbortController): NodeJS.Timeout {
    let checking = false;
    const timer = setInterval(() => {
      if (checking || cancel.signal.aborted) return;
      checking = true;
      this.records
        .isCancelled(jobId)
        .then((cancelled) => {
          if (cancelled) cancel.abort(new JobCancelled());
        })
        .catch(() => undefined) // a failed poll is retried at the next tick
        .finally(() => (checking = false));
    }, CANCEL_POLL_INTERVAL_MS);
    return timer;
  }

  /**
   * Cancels a job that has not ended: a queued one leaves the queue, a running one is stopped by its worker
   * (runs started with `cancellable`). 409 JOB_NOT_CANCELLABLE once it has ended.
   */
  async cancel(workspaceId: string, id: string): Promise<JobResponseDto> {
    const before = await this.find(workspaceId, id);
    if (finishedJobStatuses.includes(before.status)) throw notCancellable(before.status);
    const record = await this.records.cancel(workspaceId, id);
    if (!record) throw notFound('JOB_NOT_FOUND', 'No job with this id in your workspace');
    if (record.status !== JobStatus.Cancelled) throw notCancellable(record.status);
    const name = record.name as JobName;
    const queue = definedJobs().includes(name) ? jobQueue(name) : null;
    // Still waiting: taken out of the queue. A job a worker holds is locked; the worker stops it itself.
    if (queue)
      await this.queues
        .get(queue)
        .remove(id)
        .catch(() => undefined);
    return this.toResponse(record);
  }

  /** A workspace's jobs of the given names, for one user, newest first, by cursor or page. */
  async list(
    workspaceId: string,
    filters: JobListFilters,
    request: ListPageRequest,
  ): Promise<CursorPaginated<JobResponseDto>> {
    const page = await this.records.list(workspaceId, filters, {
      codec: this.cursors,
      scope: `${workspaceId}:jobs:${filters.userId ?? ''}:${filters.names.join(',')}:${filters.status ?? ''}`,
      request,
    });
    return { data: page.data.map((record) => this.toResponse(record)), pagination: page.pagination };
  }

  async get(workspaceId: string, id: string): Promise<JobResponseDto> {
    return this.toResponse(await this.find(workspaceId, id));
  }

  async find(workspaceId: string, id: string): Promise<JobRecordEntity> {
    const record = await this.records.findInWorkspace(workspaceId, id);
    if (!record) throw notFound('JOB_NOT_FOUND', 'No job with this id in your workspace');
    return record;
  }

  /** The status of each of these jobs that still has a record (a job missing from the map is gone). */
  statuses(ids: string[]): Promise<Map<string, JobStatus>> {
    return this.records.statuses(ids);
  }

  /** Checks a signed link and answers where the file is. */
  async resolveDownload(id: string, name: string, expires: number, signature: string) {
    if (!safeEqual(signature, this.sign(id, name, expires))) {
      throw new AppException(HttpStatus.FORBIDDEN, 'DOWNLOAD_LINK_INVALID', 'This download link is not valid');
    }
    if (expires * 1000 < Date.now()) {
      throw new AppException(
        HttpStatus.GONE,
        'DOWNLOAD_LINK_EXPIRED',
        'This download link has expired; ask the job for a new one',
      );
    }
    const record = await this.records.findById(id);
    const file = record?.files.find((f) => f.name === name);
    const key = FileStore.key('jobs', id, name);
    if (!record || !file || (await this.files.size(key)) === null) {
      throw notFound('JOB_FILE_NOT_FOUND', 'The file is no longer available');
    }
    return { file, stream: this.files.readStream(key) };
  }

  toResponse(record: JobRecordEntity): JobResponseDto {
    const expires = Math.floor(Date.now() / 1000) + this.config.env.DOWNLOAD_LINK_TTL_SECONDS;
    return {
      id: record.id,
      type: record.name,
      status: record.status,
      progress: record.progress,
      message: record.message,
      result: record.result,
      error: record.error,
      files: record.files.map((file) => ({
        ...file,
        url: `/api/jobs/${record.id}/files/${encodeURIComponent(file.name)}?expires=${expires}&signature=${this.sign(record.id, file.name, expires)}`,
        expiresAt: new Date(expires * 1000).toISOString(),
      })),
      attempts: record.attempts,
      createdAt: record.createdAt.toISOString(),
      startedAt: record.startedAt?.toISOString() ?? null,
      finishedAt: record.finishedAt?.toISOString() ?? null,
    };
  }

  /** Deletes finished jobs older than the retention, with their files. */
  async purgeFinished(olderThanDays: number): Promise<number> {
    const ids = await this.records.deleteFinishedBefore(olderThanDays);
    for (const id of ids) await this.files.remove(FileStore.key('jobs', id));
    return ids.length;
  }

  private sign(id: string, name: string, expires: number): string {
    return createHmac('sha256', this.linkKey).update(`${id}\n${name}\n${expires}`).digest('base64url');
  }
}

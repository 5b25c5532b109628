import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  ErasureContext,
  FileStore,
  jobQueue,
  type JobName,
  pagedById,
  PersonalDataProvider,
  PersonalDataRegistry,
  PersonalDataSink,
  QueueRegistry,
} from '@crescendo/platform';
import { JobRecordEntity } from './job-record.entity';
import { JobStatus } from './jobs.types';
import { JobTrackerService } from './job-tracker.service';

/**
 * The jobs a user started, with signed expiring links to their files. Erasure removes the records, their
 * files, and the queued BullMQ jobs that have not run yet.
 */
@Injectable()
export class JobsPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'jobs';
  readonly tables = ['jobs'];
  private readonly logger = new Logger(JobsPersonalData.name);

  constructor(
    private readonly registry: PersonalDataRegistry,
    @InjectRepository(JobRecordEntity) private readonly records: Repository<JobRecordEntity>,
    private readonly tracker: JobTrackerService,
    private readonly files: FileStore,
    private readonly queues: QueueRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async exportFor(userId: string, _owned: readonly string[], sink: PersonalDataSink): Promise<void> {
    const rows = pagedById((after, take) =>
      this.records
        .createQueryBuilder('j')
        .where('j.user_id = :userId', { userId })
        .andWhere(after ? 'j.id > :after' : 'TRUE', { after })
        .orderBy('j.id')
        .take(take)
        .getMany(),
    );
    await sink.section(
      'jobs',
      (async function* (tracker: JobTrackerService) {
        for await (const record of rows) yield tracker.toResponse(record);
      })(this.tracker),
    );
  }

  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    void ctx;
    await this.remove(await this.records.find({ where: { userId }, select: { id: true, name: true, status: true } }));
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    await this.remove(
      await this.records.find({ where: { workspaceId }, select: { id: true, name: true, status: true } }),
    );
  }

  private async remove(jobs: Array<Pick<JobRecordEntity, 'id' | 'name' | 'status'>>): Promise<void> {
    for (const job of jobs) {
      if (job.status === JobStatus.Pending || job.status === JobStatus.Processing) {
        const queue = jobQueue(job.name as JobName);
        // A job a worker holds cannot be removed (it is locked); its record going makes it a no-op.
        if (queue)
          await this.queues
            .get(queue)
            .remove(job.id)
            .catch((error: unknown) => {
              this.logger.warn({ err: error, jobId: job.id }, 'Queued job not removed');
            });
      }
      await this.records.delete({ id: job.id });
      await this.files.remove(FileStore.key('jobs', job.id));
    }
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { JobRecordEntity } from './job-record.entity';
import { JobStatus } from './jobs.types';

/** Storage of the `jobs` table: the user-visible records of tracked BullMQ jobs. */
@Injectable()
export class JobRecordRepository {
  constructor(@InjectRepository(JobRecordEntity) private readonly records: Repository<JobRecordEntity>) {}

  async insert(fields: Pick<JobRecordEntity, 'id' | 'workspaceId' | 'userId' | 'name'>): Promise<void> {
    await this.records.insert(fields);
  }

  async delete(id: string): Promise<void> {
    await this.records.delete({ id });
  }

  findById(id: string): Promise<JobRecordEntity | null> {
    return this.records.findOneBy({ id });
  }

  findInWorkspace(workspaceId: string, id: string): Promise<JobRecordEntity | null> {
    return this.records.findOneBy({ id, workspaceId });
  }

  findCompleted(id: string): Promise<JobRecordEntity | null> {
    return this.records.findOneBy({ id, status: JobStatus.Completed });
  }

  /** The status of each of these jobs that still has a record. */
  async statuses(ids: string[]): Promise<Map<string, JobStatus>> {
    if (!ids.length) return new Map();
    const rows = await this.records.find({ where: { id: In(ids) }, select: { id: true, status: true } });
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  async update(id: string, fields: QueryDeepPartialEntity<JobRecordEntity>): Promise<void> {
    await this.records.update({ id }, fields);
  }

  /** Deletes the jobs finished more than `days` days ago; answers their ids. */
  async deleteFinishedBefore(days: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.records.query(
      `DELETE FROM jobs WHERE finished_at < now() - make_interval(days => $1) RETURNING id`,
      [days],
    );
    return rows.map((r) => r.id);
  }
}

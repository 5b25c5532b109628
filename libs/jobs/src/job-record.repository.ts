import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Not, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { type CursorCodec, type CursorPaginated, type ListPageRequest, queryBuilderList } from '@crescendo/platform';
import { JobRecordEntity } from './job-record.entity';
import { JobListFilters, JobStatus, type SqlExecutor } from './jobs.types';

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

  async checkpointOf(id: string): Promise<object | null> {
    const row = await this.records.findOne({ where: { id }, select: { id: true, checkpoint: true } });
    return row?.checkpoint ?? null;
  }

  /** Through the caller's transaction (its connection), not this repository's pool. */
  async saveCheckpoint(tx: SqlExecutor, id: string, checkpoint: object): Promise<void> {
    await tx.query('UPDATE jobs SET checkpoint = $2 WHERE id = $1', [id, checkpoint]);
  }

  async update(id: string, fields: QueryDeepPartialEntity<JobRecordEntity>): Promise<void> {
    await this.records.update({ id }, fields);
  }

  /** Marks a (re)started job as running unless it was cancelled: answers false then (or when there is no row). */
  async start(id: string, attempts: number): Promise<boolean> {
    const result = await this.records.update(
      { id, status: Not(JobStatus.Cancelled) },
      { status: JobStatus.Processing, startedAt: new Date(), attempts, error: null },
    );
    return !!result.affected;
  }

  /**
   * Records a job's outcome and whatever the job persists with it (`persist`, same transaction): either both
   * are committed or neither. Answers false, committing nothing, when the job was cancelled meanwhile (or its
   * row is gone).
   */
  complete(
    id: string,
    fields: QueryDeepPartialEntity<JobRecordEntity>,
    persist?: (manager: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    return this.records.manager.transaction(async (manager) => {
      // Locks the row first: a cancel waits for this transaction, or this one sees the cancel.
      const updated = await manager.update(
        JobRecordEntity,
        { id, status: Not(JobStatus.Cancelled) },
        { ...fields, status: JobStatus.Completed },
      );
      if (!updated.affected) return false;
      await persist?.(manager);
      return true;
    });
  }

  /** Cancels a job that has not ended; answers the record as it now is (null: no such job). */
  async cancel(workspaceId: string, id: string): Promise<JobRecordEntity | null> {
    await this.records.update(
      { id, workspaceId, status: In([JobStatus.Pending, JobStatus.Processing]) },
      { status: JobStatus.Cancelled, finishedAt: new Date(), message: null },
    );
    return this.findInWorkspace(workspaceId, id);
  }

  async isCancelled(id: string): Promise<boolean> {
    return this.records.existsBy({ id, status: JobStatus.Cancelled });
  }

  /** A workspace's jobs of some names, newest first (IDX_jobs_workspace_user_created), the id breaking ties. */
  list(
    workspaceId: string,
    filters: JobListFilters,
    page: { codec: CursorCodec; scope: string; request: ListPageRequest },
  ): Promise<CursorPaginated<JobRecordEntity>> {
    const qb = this.records
      .createQueryBuilder('j')
      .where('j.workspaceId = :workspaceId', { workspaceId })
      .andWhere('j.name IN (:...names)', { names: filters.names });
    if (filters.userId) qb.andWhere('j.userId = :userId', { userId: filters.userId });
    else qb.andWhere('j.userId IS NULL');
    if (filters.status) qb.andWhere('j.status = :status', { status: filters.status });
    return queryBuilderList(qb, {
      ...page,
      order: { columns: ['j.createdAt', 'j.id'], descending: true },
      map: (j) => j,
    });
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

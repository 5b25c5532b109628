import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, LessThan, Repository, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { KeysetOrder } from '@crescendo/platform';
import { AuditLogEntity } from './audit-log.entity';
import type { LogLevel, LogType } from './audit.types';

export interface LogFilter {
  type?: LogType;
  level?: LogLevel;
  action?: string;
  userId?: string;
  /** Entries at or after. */
  from?: Date;
  /** Entries strictly before. */
  before?: Date;
}

/** Newest first, the id breaking ties: audit_logs (workspace_id[, type], created_at, id) serve it. */
export const LOG_ORDER: KeysetOrder = { columns: ['l.created_at', 'l.id'], descending: true };

/** Storage of the `audit_logs` table. */
@Injectable()
export class AuditLogRepository {
  constructor(@InjectRepository(AuditLogEntity) private readonly repo: Repository<AuditLogEntity>) {}

  build(fields: Partial<AuditLogEntity>): AuditLogEntity {
    return this.repo.create(fields);
  }

  async insert(row: AuditLogEntity, manager?: EntityManager): Promise<void> {
    await (manager ? manager.getRepository(AuditLogEntity) : this.repo).save(row, { reload: false });
  }

  /** Every row in one INSERT, in the caller's transaction (a bulk action's entries: at most a thousand). */
  async insertMany(rows: AuditLogEntity[], manager: EntityManager): Promise<void> {
    if (!rows.length) return;
    await manager
      .getRepository(AuditLogEntity)
      .insert(
        rows.map((row) => ({ ...row, metadata: row.metadata as QueryDeepPartialEntity<Record<string, unknown>> })),
      );
  }

  /** A workspace's entries matching the filter, for queryBuilderList (which adds the order and the seek). */
  listQuery(workspaceId: string, filter: LogFilter): SelectQueryBuilder<AuditLogEntity> {
    const qb = this.repo.createQueryBuilder('l').where('l.workspace_id = :ws', { ws: workspaceId });
    if (filter.type) qb.andWhere('l.type = :type', { type: filter.type });
    if (filter.level) qb.andWhere('l.level = :level', { level: filter.level });
    if (filter.action) qb.andWhere('l.action = :action', { action: filter.action });
    if (filter.userId) qb.andWhere('l.user_id = :userId', { userId: filter.userId });
    if (filter.from) qb.andWhere('l.created_at >= :from', { from: filter.from });
    if (filter.before) qb.andWhere('l.created_at < :before', { before: filter.before });
    return qb;
  }

  /** Deletes entries created before `cutoff` (every workspace); answers how many went. */
  async deleteCreatedBefore(cutoff: Date): Promise<number> {
    const result = await this.repo.delete({ createdAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { And, FindOptionsWhere, LessThan, MoreThanOrEqual, Repository } from 'typeorm';
import { badRequest, findPage, paginate, Paginated } from '@crescendo/platform';
import { AuditLogEntity, LogType } from './audit-log.entity';
import { ListLogsQueryDto, LogResponseDto } from './logs.dto';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Reads a workspace's audit trail, and prunes old entries. */
@Injectable()
export class LogsService {
  constructor(@InjectRepository(AuditLogEntity) private readonly logs: Repository<AuditLogEntity>) {}

  /** The workspace's entries, newest first; `type` fixes the type (the per-type routes) over the query's. */
  async list(workspaceId: string, query: ListLogsQueryDto, type?: LogType): Promise<Paginated<LogResponseDto>> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from.getTime() > to.getTime()) {
      throw badRequest('INVALID_DATE_RANGE', 'from must not be after to', [
        { field: 'from', message: 'from must not be after to' },
      ]);
    }
    const where: FindOptionsWhere<AuditLogEntity> = { workspaceId };
    const effectiveType = type ?? query.type;
    if (effectiveType) where.type = effectiveType;
    if (query.level) where.level = query.level;
    if (query.action) where.action = query.action;
    if (query.userId) where.userId = query.userId;
    // Stored times have microseconds, query times milliseconds: `to` covers its whole millisecond.
    const before = to ? LessThan(new Date(to.getTime() + 1)) : undefined;
    const after = from ? MoreThanOrEqual(from) : undefined;
    if (after && before) where.createdAt = And(after, before);
    else if (after ?? before) where.createdAt = after ?? before;

    const [rows, total] = await findPage(this.logs, { where, order: { createdAt: 'DESC', id: 'DESC' } }, query);
    return paginate(rows.map(toLogResponse), total, query);
  }

  /** Deletes entries older than `days` days (every workspace); answers how many were removed. */
  async purgeOlderThan(days: number): Promise<number> {
    if (!Number.isFinite(days) || days < 0) throw new RangeError('days must be a non-negative number');
    const cutoff = new Date(Date.now() - days * DAY_MS);
    const result = await this.logs.delete({ createdAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }
}

export function toLogResponse(row: AuditLogEntity): LogResponseDto {
  return {
    id: row.id,
    type: row.type,
    level: row.level,
    action: row.action,
    message: row.message,
    userId: row.userId,
    apiKeyId: row.apiKeyId,
    metadata: row.metadata ?? {},
    requestId: row.requestId,
    ip: row.ip,
    createdAt: row.createdAt.toISOString(),
  };
}

import { Injectable } from '@nestjs/common';
import { badRequest, CursorCodec, CursorPaginated, queryBuilderList } from '@crescendo/platform';
import { AuditLogEntity } from './audit-log.entity';
import { AuditLogRepository, LOG_ORDER } from './audit-log.repository';
import { LogType } from './audit.types';
import { ListLogsQueryDto, LogResponseDto } from './logs.dto';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Reads a workspace's audit trail, and prunes old entries. */
@Injectable()
export class LogsService {
  constructor(
    private readonly logs: AuditLogRepository,
    private readonly cursors: CursorCodec,
  ) {}

  /**
   * The workspace's entries, newest first, by cursor or page number with a bounded total; `type` fixes the type
   * (the per-type routes) over the query's.
   */
  list(workspaceId: string, query: ListLogsQueryDto, type?: LogType): Promise<CursorPaginated<LogResponseDto>> {
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from.getTime() > to.getTime()) {
      throw badRequest('INVALID_DATE_RANGE', 'from must not be after to', [
        { field: 'from', message: 'from must not be after to' },
      ]);
    }
    const builder = this.logs.listQuery(workspaceId, {
      type: type ?? query.type,
      level: query.level,
      action: query.action,
      userId: query.userId,
      from,
      // Stored times have microseconds, query times milliseconds: `to` covers its whole millisecond.
      before: to ? new Date(to.getTime() + 1) : undefined,
    });
    return queryBuilderList(builder, {
      codec: this.cursors,
      scope: `${workspaceId}:logs:createdAt:desc`,
      request: query,
      order: LOG_ORDER,
      map: toLogResponse,
    });
  }

  /** Deletes entries older than `days` days (every workspace); answers how many were removed. */
  purgeOlderThan(days: number): Promise<number> {
    if (!Number.isFinite(days) || days < 0) throw new RangeError('days must be a non-negative number');
    return this.logs.deleteCreatedBefore(new Date(Date.now() - days * DAY_MS));
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

import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { currentRequest } from '@crescendo/platform';
import type { AuditLogEntity } from './audit-log.entity';
import { AuditLogRepository } from './audit-log.repository';
import { LogLevel, LogType } from './audit.types';

export interface AuditEntry {
  type: LogType;
  action: string;
  message: string;
  level?: LogLevel;
  workspaceId?: string | null;
  userId?: string | null;
  apiKeyId?: string | null;
  metadata?: Record<string, unknown>;
  /** The caller's address; null keeps it out (an erasure's own record must not hold the person's address). */
  ip?: string | null;
}

/** Writes the audit trail. A failed write is logged, never allowed to fail the action it records. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(private readonly logs: AuditLogRepository) {}

  /** Who, from where and in which request come from the request context when the entry does not say. */
  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const row = this.build(entry);
    try {
      await this.logs.insert(row, manager);
    } catch (error) {
      if (manager) throw error;
      this.logger.error({ err: error, action: entry.action }, 'Could not write audit log');
    }
  }

  /** Many entries in one INSERT, inside the caller's transaction (a bulk action's entry per item). */
  async recordMany(entries: AuditEntry[], manager: EntityManager): Promise<void> {
    if (!entries.length) return;
    await this.logs.insertMany(
      entries.map((entry) => this.build(entry)),
      manager,
    );
  }

  private build(entry: AuditEntry): AuditLogEntity {
    const request = currentRequest();
    return this.logs.build({
      type: entry.type,
      action: entry.action,
      message: entry.message,
      level: entry.level ?? LogLevel.Info,
      // An explicit null means "nobody" (an erasure's own entry), not "whoever is calling".
      workspaceId: entry.workspaceId !== undefined ? entry.workspaceId : (request?.principal?.workspaceId ?? null),
      userId: entry.userId !== undefined ? entry.userId : (request?.principal?.userId ?? null),
      apiKeyId: entry.apiKeyId !== undefined ? entry.apiKeyId : (request?.principal?.apiKeyId ?? null),
      metadata: entry.metadata ?? {},
      requestId: request?.requestId ?? null,
      ip: entry.ip !== undefined ? entry.ip : (request?.ip ?? null),
    });
  }
}

import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { EntityManager } from 'typeorm';
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
  request?: FastifyRequest;
}

/** Writes the audit trail. A failed write is logged, never allowed to fail the action it records. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(private readonly logs: AuditLogRepository) {}

  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const row = this.logs.build({
      type: entry.type,
      action: entry.action,
      message: entry.message,
      level: entry.level ?? LogLevel.Info,
      workspaceId: entry.workspaceId ?? entry.request?.principal?.workspaceId ?? null,
      userId: entry.userId ?? entry.request?.principal?.userId ?? null,
      apiKeyId: entry.apiKeyId ?? entry.request?.principal?.apiKeyId ?? null,
      metadata: entry.metadata ?? {},
      requestId: entry.request ? String(entry.request.id) : null,
      ip: entry.request?.ip ?? null,
    });
    try {
      await this.logs.insert(row, manager);
    } catch (error) {
      if (manager) throw error;
      this.logger.error({ err: error, action: entry.action }, 'Could not write audit log');
    }
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { PersonalDataRegistry, Principal, RetentionWindows } from '@crescendo/platform';
import { AuditService, LogType } from '@crescendo/audit';
import type { RetentionResponseDto, UpdateRetentionDto } from './gdpr.dto';
import { RetentionSettingsEntity } from './retention-settings.entity';

const NONE: RetentionWindows = {
  inactiveLeadsDays: null,
  chatHistoryDays: null,
  fanConversationsDays: null,
  auditLogsDays: null,
};

/** Per-workspace retention windows, and the nightly pass that has every feature apply them. */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    @InjectRepository(RetentionSettingsEntity) private readonly settings: Repository<RetentionSettingsEntity>,
    private readonly registry: PersonalDataRegistry,
    private readonly audit: AuditService,
  ) {}

  async get(workspaceId: string): Promise<RetentionResponseDto> {
    const row = await this.settings.findOneBy({ workspaceId });
    return row ? windowsOf(row) : { ...NONE };
  }

  async update(principal: Principal, dto: UpdateRetentionDto): Promise<RetentionResponseDto> {
    const current = await this.get(principal.workspaceId);
    const next: RetentionWindows = {
      inactiveLeadsDays: dto.inactiveLeadsDays !== undefined ? dto.inactiveLeadsDays : current.inactiveLeadsDays,
      chatHistoryDays: dto.chatHistoryDays !== undefined ? dto.chatHistoryDays : current.chatHistoryDays,
      fanConversationsDays:
        dto.fanConversationsDays !== undefined ? dto.fanConversationsDays : current.fanConversationsDays,
      auditLogsDays: dto.auditLogsDays !== undefined ? dto.auditLogsDays : current.auditLogsDays,
    };
    await this.settings.upsert({ workspaceId: principal.workspaceId, ...next }, ['workspaceId']);
    await this.audit.record({
      type: LogType.Admin,
      action: 'gdpr.retention_updated',
      message: 'Retention windows updated',
      workspaceId: principal.workspaceId,
      userId: principal.kind === 'user' ? principal.userId : null,
      apiKeyId: principal.apiKeyId ?? null,
      metadata: { ...next },
    });
    return next;
  }

  /** Applies every workspace's windows; says what went, per workspace, in the log and the audit trail. */
  async applyAll(): Promise<{ workspaces: number; removed: Record<string, number> }> {
    const rows = await this.settings
      .createQueryBuilder('r')
      .where(
        'r.inactive_leads_days IS NOT NULL OR r.chat_history_days IS NOT NULL OR r.fan_conversations_days IS NOT NULL OR r.audit_logs_days IS NOT NULL',
      )
      .getMany();
    const total: Record<string, number> = {};
    for (const row of rows) {
      const removed: Record<string, number> = {};
      for (const provider of this.registry.list()) {
        if (!provider.applyRetention) continue;
        for (const [kind, n] of Object.entries(await provider.applyRetention(row.workspaceId, windowsOf(row)))) {
          removed[kind] = (removed[kind] ?? 0) + n;
          total[kind] = (total[kind] ?? 0) + n;
        }
      }
      if (Object.values(removed).some((n) => n > 0)) {
        await this.audit.record({
          type: LogType.System,
          action: 'gdpr.retention_applied',
          message: `Retention removed ${Object.entries(removed)
            .map(([kind, n]) => `${n} ${kind}`)
            .join(', ')}`,
          workspaceId: row.workspaceId,
          metadata: { removed },
        });
      }
    }
    this.logger.log({ workspaces: rows.length, removed: total }, 'Retention applied');
    return { workspaces: rows.length, removed: total };
  }
}

const windowsOf = (row: RetentionSettingsEntity): RetentionWindows => ({
  inactiveLeadsDays: row.inactiveLeadsDays,
  chatHistoryDays: row.chatHistoryDays,
  fanConversationsDays: row.fanConversationsDays,
  auditLogsDays: row.auditLogsDays,
});

import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppException, conflict, EventPublisher, type NewDomainEvent, Principal } from '@crescendo/platform';
import { AuditService } from '@crescendo/audit';
import { type LeadRow, LeadsRepository, type LockedLeadRow, rowToLeadResponse } from './leads.repository';
import { insertLeadEvent } from './lead-event.entity';
import { LeadEventType, LeadStatus } from './leads.types';
import { LeadsEvents } from './leads.events';
import { BulkLeadsDto, BulkLeadsResponseDto } from './leads.dto';
import { LEAD_RESTORE_WINDOW_DAYS, leadDeletedAudit, leadRestoredAudit, leadsTransaction } from './leads.service';

/** One action on many leads at once (POST /api/leads/bulk), with what the per-lead routes give each lead. */
@Injectable()
export class LeadsBulkService {
  constructor(
    private readonly audit: AuditService,
    private readonly events: EventPublisher,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: LeadsRepository,
  ) {}

  /**
   * POST /api/leads/bulk: one action on up to 1,000 leads, all or nothing, in one transaction. Each lead gets
   * what the per-lead route gives it (timeline entries, audit entries, domain events after commit), written
   * set-based: one locking read, one UPDATE, one INSERT per kind of entry. A lead missing from the workspace
   * (or deleted, for update and delete; deleted more than 30 days ago, for restore) fails the whole request
   * with 404 LEAD_NOT_FOUND listing every such id; nothing changes.
   */
  async bulk(principal: Principal, dto: BulkLeadsDto): Promise<BulkLeadsResponseDto> {
    if (dto.action === 'update') return this.bulkStatus(principal, dto.ids, dto.changes!.status);
    if (dto.action === 'delete') return this.bulkDelete(principal, dto.ids);
    return this.bulkRestore(principal, dto.ids);
  }

  private async bulkStatus(principal: Principal, ids: string[], status: LeadStatus): Promise<BulkLeadsResponseDto> {
    const { workspaceId } = principal;
    const actorUserId = principal.userId || null;
    const { before, after, campaigns } = await leadsTransaction(this.dataSource, async (manager) => {
      const locked = await this.repository.lockForBulk(manager, workspaceId, ids);
      assertAllFound(ids, locked);
      const before = new Map(locked.filter((l) => l.status !== status).map((l) => [l.id, l]));
      const after = await this.repository.setStatus(manager, workspaceId, [...before.keys()], status);
      // As PUT does: the fields' changes (lastContactedAt, when becoming contacted) first, then the status.
      await insertLeadEvent(
        manager,
        after
          .filter((row) => row.last_contacted_at !== before.get(row.id)!.last_contacted_at)
          .map((row) => ({
            leadId: row.id,
            workspaceId,
            type: LeadEventType.Updated,
            data: {
              changes: { lastContactedAt: { from: before.get(row.id)!.last_contacted_at, to: row.last_contacted_at } },
            },
            actorUserId,
          })),
      );
      await insertLeadEvent(
        manager,
        after.map((row) => ({
          leadId: row.id,
          workspaceId,
          type: LeadEventType.StatusChanged,
          data: { from: before.get(row.id)!.status, to: status },
          actorUserId,
        })),
      );
      const campaigns = await this.repository.campaignIds(
        manager,
        workspaceId,
        after.map((row) => row.id),
      );
      return { before, after, campaigns };
    });
    const events = after.flatMap((row: LeadRow): NewDomainEvent[] => {
      const from = before.get(row.id)!;
      const lead = { ...rowToLeadResponse(row), campaignIds: campaigns.get(row.id) ?? [] };
      const changed = row.last_contacted_at !== from.last_contacted_at ? ['lastContactedAt', 'status'] : ['status'];
      const base = { workspaceId, actorUserId };
      return [
        { ...base, type: LeadsEvents.LeadUpdated, data: { leadId: row.id, lead, changed } },
        { ...base, type: LeadsEvents.LeadStatusChanged, data: { leadId: row.id, lead, from: from.status, to: status } },
      ];
    });
    await this.events.publishMany(events);
    const changed = new Set(after.map((row) => row.id));
    return bulkAnswer('update', ids, changed);
  }

  private async bulkDelete(principal: Principal, ids: string[]): Promise<BulkLeadsResponseDto> {
    const { workspaceId } = principal;
    const actorUserId = principal.userId || null;
    await leadsTransaction(this.dataSource, async (manager) => {
      const locked = await this.repository.lockForBulk(manager, workspaceId, ids);
      assertAllFound(ids, locked);
      await this.repository.setDeleted(manager, workspaceId, ids, true);
      await insertLeadEvent(
        manager,
        locked.map((lead) => ({ leadId: lead.id, workspaceId, type: LeadEventType.Deleted, data: {}, actorUserId })),
      );
      await this.audit.recordMany(locked.map(leadDeletedAudit), manager);
    });
    await this.events.publishMany(
      ids.map((leadId) => ({ type: LeadsEvents.LeadDeleted, workspaceId, actorUserId, data: { leadId } })),
    );
    return bulkAnswer('delete', ids, new Set(ids));
  }

  /** Restores the deleted ones (less than 30 days ago); leads not deleted are left as they are. */
  private async bulkRestore(principal: Principal, ids: string[]): Promise<BulkLeadsResponseDto> {
    const { workspaceId } = principal;
    const actorUserId = principal.userId || null;
    const restored = await leadsTransaction(this.dataSource, async (manager) => {
      const locked = await this.repository.lockForBulk(manager, workspaceId, ids, true);
      assertAllFound(
        ids,
        locked.filter((lead) => !lead.deleted || lead.deleted_days <= LEAD_RESTORE_WINDOW_DAYS),
        ` (or deleted more than ${LEAD_RESTORE_WINDOW_DAYS} days ago)`,
      );
      const deleted = locked.filter((lead) => lead.deleted);
      const clashes = await this.repository.emailClashes(
        manager,
        workspaceId,
        deleted.map((lead) => lead.id),
      );
      if (clashes.length) {
        throw conflict(
          'LEAD_EMAIL_TAKEN',
          `${clashes.length} lead(s) have an e-mail another lead of this workspace has taken; nothing was restored`,
          clashes.map((id) => ({ field: 'ids', message: `lead ${id}: its e-mail is taken` })),
        );
      }
      await this.repository.setDeleted(
        manager,
        workspaceId,
        deleted.map((lead) => lead.id),
        false,
      );
      await insertLeadEvent(
        manager,
        deleted.map((lead) => ({ leadId: lead.id, workspaceId, type: LeadEventType.Restored, data: {}, actorUserId })),
      );
      await this.audit.recordMany(deleted.map(leadRestoredAudit), manager);
      return new Set(deleted.map((lead) => lead.id));
    });
    return bulkAnswer('restore', ids, restored);
  }
}

/** 404 LEAD_NOT_FOUND listing every id of `ids` that `found` lacks, which rolls the bulk action back. */
function assertAllFound(ids: string[], found: Pick<LockedLeadRow, 'id'>[], also = ''): void {
  if (found.length === ids.length) return;
  const present = new Set(found.map((lead) => lead.id));
  const missing = ids.filter((id) => !present.has(id));
  throw new AppException(
    HttpStatus.NOT_FOUND,
    'LEAD_NOT_FOUND',
    `${missing.length} lead(s) not found in this workspace${also}; nothing was changed`,
    missing.map((id) => ({ field: 'ids', message: `lead ${id} not found` })),
  );
}

function bulkAnswer(action: BulkLeadsResponseDto['action'], ids: string[], changed: Set<string>): BulkLeadsResponseDto {
  return {
    action,
    changed: changed.size,
    ids: ids.filter((id) => changed.has(id)),
    unchangedIds: ids.filter((id) => !changed.has(id)),
  };
}

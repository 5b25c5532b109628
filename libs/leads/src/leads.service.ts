import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  conflict,
  type DomainEvent,
  type DomainEventName,
  type DomainEventPayloads,
  type NewDomainEvent,
  EventPublisher,
  CursorCodec,
  CursorPaginated,
  keysetList,
  notFound,
  Principal,
} from '@crescendo/platform';
import { type AuditEntry, AuditService, LogType } from '@crescendo/audit';
import { WorkspaceMembersService } from '@crescendo/identity';
import { leadKeysetOrder } from './lead-filters';
import { NichesService } from './niches.service';
import { LeadsRepository, rowToLeadResponse } from './leads.repository';
import { insertLeadEvent, LeadEventEntity } from './lead-event.entity';
import { LeadEntity } from './lead.entity';
import { LeadEventType, LeadStatus } from './leads.types';
import { type LeadEventData, LeadsEvents } from './leads.events';
import {
  CreateLeadDto,
  LeadDetailResponseDto,
  LeadEventResponseDto,
  LeadResponseDto,
  ListLeadsQueryDto,
  UpdateLeadDto,
} from './leads.dto';

/** How long a deleted lead can be restored. */
export const LEAD_RESTORE_WINDOW_DAYS = 30;

/** Fields whose changes the timeline records as `updated` (status has its own event). */
const trackedFields = [
  'name',
  'email',
  'phone',
  'company',
  'jobTitle',
  'source',
  'nicheId',
  'tags',
  'score',
  'notes',
  'customFields',
  'ownerId',
  'lastContactedAt',
] as const;

/** An extra timeline entry written in the same transaction as the change (who or what caused it). */
export interface LeadTimelineNote {
  type: LeadEventType;
  data: Record<string, unknown>;
}

type LeadChanges = Partial<Omit<LeadEntity, 'id' | 'workspaceId' | 'createdAt' | 'updatedAt' | 'deletedAt'>>;

/** The lead events that carry the lead (all but lead.deleted). */
type LeadEventName = {
  [N in DomainEventName]: DomainEventPayloads[N] extends LeadEventData ? N : never;
}[DomainEventName];

/** A workspace's leads: list and filter, create, change (with a timeline), soft delete and restore. */
@Injectable()
export class LeadsService {
  constructor(
    private readonly audit: AuditService,
    private readonly events: EventPublisher,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(LeadEntity) private readonly leads: Repository<LeadEntity>,
    private readonly repository: LeadsRepository,
    private readonly cursors: CursorCodec,
    private readonly niches: NichesService,
    private readonly members: WorkspaceMembersService,
  ) {}

  /** By cursor or page number (leads-list-indexes serve every sort), with a bounded total. */
  list(workspaceId: string, query: ListLeadsQueryDto): Promise<CursorPaginated<LeadResponseDto>> {
    return keysetList({
      codec: this.cursors,
      scope: `${workspaceId}:leads:${query.sortBy}:${query.order}`,
      request: query,
      order: leadKeysetOrder(query),
      fetch: (position, take, offset) => this.repository.listPage(workspaceId, query, position, take, offset),
      count: () => this.repository.listTotal(workspaceId, query),
      map: rowToLeadResponse,
    });
  }

  async get(workspaceId: string, leadId: string): Promise<LeadDetailResponseDto> {
    return this.detail(this.dataSource.manager, workspaceId, leadId);
  }

  /** The id of the workspace's (not deleted) lead with this e-mail, if any. */
  async findIdByEmail(workspaceId: string, email: string): Promise<string | null> {
    const lead = await this.leads.findOne({ where: { workspaceId, email }, select: { id: true } });
    return lead?.id ?? null;
  }

  async create(principal: Principal, dto: CreateLeadDto, note?: LeadTimelineNote): Promise<LeadDetailResponseDto> {
    const created = await this.write(async (manager) => {
      await this.checkReferences(manager, principal.workspaceId, dto);
      if (dto.email) await this.assertEmailFree(manager, principal.workspaceId, dto.email);
      const repo = manager.getRepository(LeadEntity);
      const status = dto.status ?? LeadStatus.New;
      const lead = await repo.save(
        repo.create({
          workspaceId: principal.workspaceId,
          name: dto.name,
          email: dto.email ?? null,
          phone: dto.phone ?? null,
          company: dto.company ?? null,
          jobTitle: dto.jobTitle ?? null,
          source: dto.source ?? null,
          status,
          nicheId: dto.nicheId ?? null,
          tags: dto.tags ?? [],
          score: dto.score ?? 0,
          notes: dto.notes ?? null,
          customFields: dto.customFields ?? {},
          ownerId: dto.ownerId ?? null,
          lastContactedAt: dto.lastContactedAt
            ? new Date(dto.lastContactedAt)
            : status === LeadStatus.Contacted
              ? new Date()
              : null,
        }),
      );
      await this.addEvent(manager, lead, principal, LeadEventType.Created, { status });
      if (note) await this.addEvent(manager, lead, principal, note.type, note.data);
      return this.detail(manager, principal.workspaceId, lead.id);
    });
    await this.publish(principal, LeadsEvents.LeadCreated, created, {});
    return created;
  }

  /** Partial update: only the fields sent change. A status change is its own timeline event. */
  async update(
    principal: Principal,
    leadId: string,
    dto: UpdateLeadDto,
    note?: LeadTimelineNote,
    /**
     * What the published events carry: `cause` when an automation rule makes the change (loop guard),
     * `eventData` merged into their data (an agent passes its agentId).
     */
    published: { cause?: DomainEvent['cause']; eventData?: Pick<LeadEventData, 'agentId'> } = {},
  ): Promise<LeadDetailResponseDto> {
    let before: LeadEntity | undefined;
    let changed: string[] = [];
    const updated = await this.write(async (manager) => {
      const lead = await this.findLead(manager, principal.workspaceId, leadId, true);
      before = lead;
      await this.checkReferences(manager, principal.workspaceId, dto);
      const next: LeadChanges = {};
      for (const field of trackedFields) {
        const value = dto[field];
        if (value === undefined) continue;
        (next as Record<string, unknown>)[field] =
          field === 'lastContactedAt' && value ? new Date(value as string) : value;
      }
      const statusChange = dto.status !== undefined && dto.status !== lead.status ? dto.status : undefined;
      if (statusChange === LeadStatus.Contacted && dto.lastContactedAt === undefined) next.lastContactedAt = new Date();

      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [field, to] of Object.entries(next)) {
        const from = lead[field as keyof LeadEntity];
        if (!sameValue(from, to)) changes[field] = { from: toJson(from), to: toJson(to) };
      }
      if ('email' in changes && next.email)
        await this.assertEmailFree(manager, principal.workspaceId, next.email, lead.id);

      const patch: LeadChanges = {};
      for (const field of Object.keys(changes))
        (patch as Record<string, unknown>)[field] = next[field as keyof LeadChanges];
      if (statusChange) patch.status = statusChange;
      changed = Object.keys(patch);
      if (changed.length) {
        await manager.getRepository(LeadEntity).update({ id: lead.id }, patch as QueryDeepPartialEntity<LeadEntity>);
        if (Object.keys(changes).length)
          await this.addEvent(manager, lead, principal, LeadEventType.Updated, { changes });
        if (statusChange) {
          await this.addEvent(manager, lead, principal, LeadEventType.StatusChanged, {
            from: lead.status,
            to: statusChange,
          });
        }
      }
      if (note) await this.addEvent(manager, lead, principal, note.type, note.data);
      return this.detail(manager, principal.workspaceId, lead.id);
    });
    if (changed.length) {
      await this.publish(
        principal,
        LeadsEvents.LeadUpdated,
        updated,
        { ...published.eventData, changed },
        published.cause,
      );
    }
    if (before && before.status !== updated.status) {
      await this.publish(
        principal,
        LeadsEvents.LeadStatusChanged,
        updated,
        { ...published.eventData, from: before.status, to: updated.status },
        published.cause,
      );
    }
    const addedTags = updated.tags.filter((tag) => !before?.tags.includes(tag));
    if (addedTags.length) {
      await this.publish(
        principal,
        LeadsEvents.LeadTagAdded,
        updated,
        { ...published.eventData, tags: addedTags },
        published.cause,
      );
    }
    return updated;
  }

  /**
   * Adds or removes one tag in one SQL statement (array_append guarded by NOT ANY / array_remove), so that
   * concurrent writers (two automation rules tagging the same lead) never lose each other's tag. Writes the
   * same timeline entries and events as update(); false when the lead already was that way.
   */
  async changeTag(
    principal: Principal,
    leadId: string,
    change: { add: string } | { remove: string },
    note: LeadTimelineNote,
    published: { cause?: DomainEvent['cause'] } = {},
  ): Promise<boolean> {
    const tag = 'add' in change ? change.add : change.remove;
    const result = await this.write(async (manager) => {
      // The row lock makes `from` in the timeline the tags this statement changes.
      const lead = await this.findLead(manager, principal.workspaceId, leadId, true);
      const [rows] = (await manager.query(
        'add' in change
          ? `UPDATE leads SET tags = array_append(tags, $2), updated_at = now()
              WHERE id = $1 AND NOT ($2 = ANY(tags)) RETURNING tags`
          : `UPDATE leads SET tags = array_remove(tags, $2), updated_at = now()
              WHERE id = $1 AND $2 = ANY(tags) RETURNING tags`,
        [lead.id, tag],
      )) as [{ tags: string[] }[], number];
      if (!rows.length) return null;
      await this.addEvent(manager, lead, principal, LeadEventType.Updated, {
        changes: { tags: { from: lead.tags, to: rows[0].tags } },
      });
      await this.addEvent(manager, lead, principal, note.type, note.data);
      return this.detail(manager, principal.workspaceId, lead.id);
    });
    if (result) await this.publish(principal, LeadsEvents.LeadUpdated, result, { changed: ['tags'] }, published.cause);
    if (result && 'add' in change)
      await this.publish(principal, LeadsEvents.LeadTagAdded, result, { tags: [tag] }, published.cause);
    return result !== null;
  }

  /** A timeline entry alone, for what touched the lead without changing a field (an automation's webhook call…). */
  async addNote(workspaceId: string, leadId: string, note: LeadTimelineNote): Promise<void> {
    await this.write(async (manager) => {
      const lead = await this.findLead(manager, workspaceId, leadId);
      await insertLeadEvent(manager, {
        leadId: lead.id,
        workspaceId,
        type: note.type,
        data: note.data,
        actorUserId: null,
      });
    });
  }

  /**
   * What another feature's write does to its leads, inside that feature's transaction (campaign enrollments):
   * per lead of the workspace, an optional timeline entry, `lastContactedAt`, and a status (with its status_changed entry
   * carrying `status.data`); fields change on live leads only, unknown leads are skipped. Answers the leads whose status changed, with
   * the status before and the lead after, for the caller to publish once its transaction commits.
   */
  async applyInTransaction(
    manager: EntityManager,
    principal: Principal,
    changes: {
      leadId: string;
      note?: LeadTimelineNote;
      contactedAt?: Date;
      status?: { to: LeadStatus; data: Record<string, unknown> };
    }[],
  ): Promise<{ from: LeadStatus; lead: LeadResponseDto }[]> {
    const changed: { from: LeadStatus; lead: LeadResponseDto }[] = [];
    const notes = changes.filter((c) => c.note && !c.contactedAt && !c.status);
    if (notes.length) {
      // Set-based for bulk enrollments: one insert of the entries of the workspace's leads among them.
      const live: { id: string }[] = await manager.query(
        'SELECT id FROM leads WHERE workspace_id = $1 AND id = ANY($2::uuid[])',
        [principal.workspaceId, notes.map((c) => c.leadId)],
      );
      const ids = new Set(live.map((r) => r.id));
      await insertLeadEvent(
        manager,
        notes
          .filter((c) => ids.has(c.leadId))
          .map((c) => ({
            leadId: c.leadId,
            workspaceId: principal.workspaceId,
            type: c.note!.type,
            data: c.note!.data,
            actorUserId: principal.userId || null,
          })),
      );
    }
    for (const change of changes.filter((c) => c.contactedAt || c.status)) {
      const lead = await manager.getRepository(LeadEntity).findOne({
        where: { id: change.leadId, workspaceId: principal.workspaceId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!lead) continue;
      const patch: LeadChanges = {};
      if (change.contactedAt) patch.lastContactedAt = change.contactedAt;
      const from = lead.status;
      if (change.status && change.status.to !== from) patch.status = change.status.to;
      if (Object.keys(patch).length)
        await manager.getRepository(LeadEntity).update({ id: lead.id }, patch as QueryDeepPartialEntity<LeadEntity>);
      if (patch.status) {
        await this.addEvent(manager, lead, principal, LeadEventType.StatusChanged, {
          from,
          to: patch.status,
          ...change.status!.data,
        });
      }
      if (change.note) await this.addEvent(manager, lead, principal, change.note.type, change.note.data);
      if (patch.status) {
        const after = await manager.getRepository(LeadEntity).findOneByOrFail({ id: lead.id });
        changed.push({ from, lead: toLeadResponse(after) });
      }
    }
    return changed;
  }

  async remove(principal: Principal, leadId: string): Promise<void> {
    await this.write(async (manager) => {
      const lead = await this.findLead(manager, principal.workspaceId, leadId, true);
      await manager.getRepository(LeadEntity).softDelete({ id: lead.id });
      await this.addEvent(manager, lead, principal, LeadEventType.Deleted, {});
      await this.audit.record(leadDeletedAudit(lead), manager);
    });
    await this.events.publish({
      type: LeadsEvents.LeadDeleted,
      workspaceId: principal.workspaceId,
      actorUserId: principal.userId || null,
      data: { leadId },
    });
  }

  /** Brings back a lead deleted less than 30 days ago; a lead that is not deleted is returned as is. */
  async restore(principal: Principal, leadId: string): Promise<LeadDetailResponseDto> {
    return this.write(async (manager) => {
      const repo = manager.getRepository(LeadEntity);
      const lead = await repo.findOne({
        where: { id: leadId, workspaceId: principal.workspaceId },
        withDeleted: true,
        lock: { mode: 'pessimistic_write' },
      });
      if (!lead) throw leadNotFound();
      if (lead.deletedAt) {
        const age = Date.now() - lead.deletedAt.getTime();
        if (age > LEAD_RESTORE_WINDOW_DAYS * 86_400_000) {
          throw notFound('LEAD_NOT_FOUND', `Lead not found (deleted more than ${LEAD_RESTORE_WINDOW_DAYS} days ago)`);
        }
        if (lead.email) await this.assertEmailFree(manager, principal.workspaceId, lead.email, lead.id);
        await repo.restore({ id: lead.id });
        await this.addEvent(manager, lead, principal, LeadEventType.Restored, {});
        await this.audit.record(leadRestoredAudit(lead), manager);
      }
      return this.detail(manager, principal.workspaceId, lead.id);
    });
  }

  /** After commit: tells automation, agents and outgoing webhooks, with the lead as it now is. */
  private publish<N extends LeadEventName>(
    principal: Principal,
    type: N,
    lead: LeadDetailResponseDto,
    extra: Omit<DomainEventPayloads[N], keyof LeadEventData> & Pick<LeadEventData, 'agentId'>,
    cause?: DomainEvent['cause'],
  ) {
    const { timeline: _timeline, ...current } = lead;
    // The compiler cannot follow N from `extra` to the whole data: the parameter types above check it instead.
    return this.events.publish({
      type,
      workspaceId: principal.workspaceId,
      actorUserId: principal.userId || null,
      data: { leadId: lead.id, lead: current, ...extra },
      ...(cause ? { cause } : {}),
    } as NewDomainEvent<N>);
  }

  private write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return leadsTransaction(this.dataSource, work);
  }

  private async detail(manager: EntityManager, workspaceId: string, leadId: string): Promise<LeadDetailResponseDto> {
    const lead = await this.findLead(manager, workspaceId, leadId);
    const [events, campaigns] = await Promise.all([
      manager.getRepository(LeadEventEntity).find({
        where: { leadId: lead.id, workspaceId },
        order: { createdAt: 'DESC', id: 'DESC' },
      }),
      manager.query(
        'SELECT campaign_id FROM campaign_leads WHERE lead_id = $1 AND workspace_id = $2 ORDER BY enrolled_at, campaign_id',
        [lead.id, workspaceId],
      ) as Promise<{ campaign_id: string }[]>,
    ]);
    return {
      ...toLeadResponse(lead),
      campaignIds: campaigns.map((c) => c.campaign_id),
      timeline: events.map(toLeadEventResponse),
    };
  }

  private async findLead(manager: EntityManager, workspaceId: string, leadId: string, lock = false) {
    const lead = await manager.getRepository(LeadEntity).findOne({
      where: { id: leadId, workspaceId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!lead) throw leadNotFound();
    return lead;
  }

  private async assertEmailFree(manager: EntityManager, workspaceId: string, email: string, exceptId?: string) {
    const other = await manager
      .getRepository(LeadEntity)
      .findOne({ where: { workspaceId, email }, select: { id: true } });
    if (other && other.id !== exceptId) throw emailTaken();
  }

  /** The niche and the owner a lead points to must belong to the same workspace (404 otherwise). */
  private async checkReferences(
    manager: EntityManager,
    workspaceId: string,
    dto: { nicheId?: string | null; ownerId?: string | null },
  ): Promise<void> {
    if (dto.nicheId) await this.niches.assertInWorkspace(workspaceId, [dto.nicheId], 'nicheId', manager);
    if (dto.ownerId) await this.members.assertMember(workspaceId, dto.ownerId, 'ownerId', manager);
  }

  private async addEvent(
    manager: EntityManager,
    lead: LeadEntity,
    principal: Principal,
    type: LeadEventType,
    data: Record<string, unknown>,
  ): Promise<void> {
    await insertLeadEvent(manager, {
      leadId: lead.id,
      workspaceId: lead.workspaceId,
      type,
      data,
      actorUserId: principal.userId || null,
    });
  }
}

function toJson(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(toJson(a)) === JSON.stringify(toJson(b));
}

export function toLeadResponse(lead: LeadEntity): LeadResponseDto {
  return {
    id: lead.id,
    name: lead.name,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    jobTitle: lead.jobTitle,
    source: lead.source,
    status: lead.status,
    nicheId: lead.nicheId,
    tags: lead.tags,
    score: lead.score,
    notes: lead.notes,
    customFields: lead.customFields,
    ownerId: lead.ownerId,
    lastContactedAt: lead.lastContactedAt?.toISOString() ?? null,
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
  };
}

export function toLeadEventResponse(event: LeadEventEntity): LeadEventResponseDto {
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    actorUserId: event.actorUserId,
    createdAt: event.createdAt.toISOString(),
  };
}

/** The audit entry of a deleted lead (per-lead and bulk delete). */
export const leadDeletedAudit = (lead: { id: string; name: string }): AuditEntry => ({
  type: LogType.Admin,
  action: 'lead_deleted',
  message: `Lead ${lead.name} deleted (restorable for ${LEAD_RESTORE_WINDOW_DAYS} days)`,
  metadata: { leadId: lead.id },
});

/** The audit entry of a restored lead (per-lead and bulk restore). */
export const leadRestoredAudit = (lead: { id: string; name: string }): AuditEntry => ({
  type: LogType.Admin,
  action: 'lead_restored',
  message: `Lead ${lead.name} restored`,
  metadata: { leadId: lead.id },
});

/** Runs a multi-row write on leads in one transaction; the partial unique index answers a racing duplicate e-mail. */
export function leadsTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(work).catch((error: unknown) => {
    const pg = error as { code?: string; constraint?: string; driverError?: { constraint?: string } };
    const constraint = pg.constraint ?? pg.driverError?.constraint;
    if (pg.code === '23505' && constraint === 'UQ_leads_workspace_email_active') throw emailTaken();
    throw error;
  });
}

const leadNotFound = () => notFound('LEAD_NOT_FOUND', 'Lead not found in this workspace');
const emailTaken = () => conflict('LEAD_EMAIL_TAKEN', 'Another lead of this workspace already has this e-mail');

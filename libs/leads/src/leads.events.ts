import type { ImportCounts } from './import/leads-importer';
import type { LeadResponseDto } from './leads.dto';
import type { LeadStatus } from './leads.types';

/** The leads' domain events. */
export const LeadsEvents = {
  LeadCreated: 'lead.created',
  /** Any change of a lead's fields (status and tags included, which also publish their own event). */
  LeadUpdated: 'lead.updated',
  LeadStatusChanged: 'lead.status_changed',
  LeadTagAdded: 'lead.tag_added',
  LeadDeleted: 'lead.deleted',
  ImportCompleted: 'import.completed',
} as const;

/**
 * Every lead event but lead.deleted carries the lead as it is after the change. The data was once open
 * (`Record<string, unknown>`, extra fields merged in by callers); it is now closed: the lead, as GET
 * /api/leads/:id answers it without its timeline (no `campaignIds` when a campaign's conversion sent it), and
 * `agentId` when an agent made the change (agents skip events of their own). A field that subscribers need
 * is added here, where they see it, not passed through.
 */
export interface LeadEventData {
  leadId: string;
  lead: LeadResponseDto & { campaignIds?: string[] };
  agentId?: string;
}

export interface LeadUpdatedData extends LeadEventData {
  /** The fields this change altered (`status` and `tags` among them when they did). */
  changed: string[];
}

export interface LeadStatusChangedData extends LeadEventData {
  from: LeadStatus;
  to: LeadStatus;
  /** The campaign whose conversion changed the status. */
  campaignId?: string;
}

export interface LeadTagAddedData extends LeadEventData {
  /** Only the tags this change added. */
  tags: string[];
}

export interface LeadDeletedData {
  leadId: string;
}

/** An import job's outcome, the counts of its result. */
export interface ImportCompletedData extends ImportCounts {
  jobId: string;
}

declare module '@crescendo/platform' {
  interface DomainEventPayloads {
    [LeadsEvents.LeadCreated]: LeadEventData;
    [LeadsEvents.LeadUpdated]: LeadUpdatedData;
    [LeadsEvents.LeadStatusChanged]: LeadStatusChangedData;
    [LeadsEvents.LeadTagAdded]: LeadTagAddedData;
    [LeadsEvents.LeadDeleted]: LeadDeletedData;
    [LeadsEvents.ImportCompleted]: ImportCompletedData;
  }
}

/** What happened in a workspace; automation rules and outgoing webhooks react to these. */
export enum DomainEventType {
  LeadCreated = 'lead.created',
  LeadUpdated = 'lead.updated',
  LeadStatusChanged = 'lead.status_changed',
  LeadTagAdded = 'lead.tag_added',
  LeadDeleted = 'lead.deleted',
  CampaignStatusChanged = 'campaign.status_changed',
  ImportCompleted = 'import.completed',
  WebhookReceived = 'webhook.received',
  /** A tracked background job (import, export, generation, composition, GDPR export, agent run) succeeded. */
  JobCompleted = 'job.completed',
  /** A tracked background job failed for good (no attempt left). */
  JobFailed = 'job.failed',
}

export const domainEventTypes = Object.values(DomainEventType);

export interface DomainEvent {
  /** Unique per event: subscribers derive idempotent job ids from it. */
  id: string;
  type: DomainEventType;
  workspaceId: string;
  occurredAt: string;
  actorUserId: string | null;
  data: Record<string, unknown>;
  /**
   * Set when an automation rule caused the event: how many rules deep the chain is, so rules cannot
   * trigger each other forever.
   */
  cause?: { automationRuleId: string; depth: number };
}

export type NewDomainEvent = Omit<DomainEvent, 'id' | 'occurredAt' | 'actorUserId'> & {
  actorUserId?: string | null;
};

/** The leads' vocabulary, for their entities, DTOs and other features (which never see the entities). */
export enum LeadStatus {
  New = 'new',
  Contacted = 'contacted',
  Qualified = 'qualified',
  Converted = 'converted',
  Lost = 'lost',
}

export const leadStatuses = Object.values(LeadStatus);

export enum LeadEventType {
  Created = 'created',
  Updated = 'updated',
  StatusChanged = 'status_changed',
  Deleted = 'deleted',
  Restored = 'restored',
  /** A signed inbound webhook created or changed the lead (data: eventId, deliveryId). */
  Webhook = 'webhook',
  /** Enrolled in a campaign (data: campaignId, campaignName). */
  Enrolled = 'enrolled',
  Unenrolled = 'unenrolled',
  /** An automation rule's action on the lead (data: ruleId, action, what it set). */
  Automation = 'automation',
  /** Created or updated by an import job (data: jobId, action). */
  Imported = 'imported',
  /** An AI agent acted on the lead (data: agentId, agentName, runId, model, reasons, score, status). */
  AgentAction = 'agent_action',
}

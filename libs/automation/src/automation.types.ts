import type { LeadStatus } from '@crescendo/leads';

/** Automation enums and value types, shared with other features through the barrel. */

export enum AutomationStatus {
  Active = 'active',
  Paused = 'paused',
}

export enum AutomationTriggerType {
  LeadCreated = 'lead.created',
  LeadStatusChanged = 'lead.status_changed',
  LeadTagAdded = 'lead.tag_added',
  WebhookReceived = 'webhook.received',
  Schedule = 'schedule',
}

export enum AutomationActionType {
  AddTag = 'add_tag',
  RemoveTag = 'remove_tag',
  ChangeStatus = 'change_status',
  SetScore = 'set_score',
  EnrollInCampaign = 'enroll_in_campaign',
  CallWebhook = 'call_webhook',
  Notify = 'notify',
}

export interface AutomationTrigger {
  type: AutomationTriggerType;
  /** lead.status_changed: only from / to this status. */
  from?: LeadStatus;
  to?: LeadStatus;
  /** lead.tag_added: only when this tag is added. */
  tag?: string;
  /** schedule: five-field cron, UTC. */
  cron?: string;
}

export interface AutomationAction {
  type: AutomationActionType;
  tag?: string;
  status?: LeadStatus;
  score?: number;
  campaignId?: string;
  url?: string;
  channel?: 'email' | 'audit';
  subject?: string;
  message?: string;
}

/** After this many failed runs in a row a rule pauses itself. */
export const AUTOMATION_MAX_CONSECUTIVE_FAILURES = 5;

export enum AutomationRunStatus {
  Succeeded = 'succeeded',
  Failed = 'failed',
  Skipped = 'skipped',
}

export interface AutomationActionResult {
  type: AutomationActionType;
  /** `unchanged` when the lead already was as the action wanted (tag present, same status…). */
  outcome: 'done' | 'unchanged';
  detail?: string;
}

/** The agents feature's vocabulary, shared by its entities, DTOs and other features (no entity needed). */

export enum AgentType {
  LeadQualifier = 'lead_qualifier',
  OutreachWriter = 'outreach_writer',
  ContentPlanner = 'content_planner',
  SupportResponder = 'support_responder',
  Custom = 'custom',
}
export const agentTypes = Object.values(AgentType);

/** What an agent may do; a tool not granted is never used. */
export enum AgentTool {
  ReadLeads = 'read_leads',
  UpdateLeadStatusScore = 'update_lead_status_score',
  DraftMessage = 'draft_message',
  CreateContentIdeas = 'create_content_ideas',
}
export const agentTools = Object.values(AgentTool);

export enum AgentTriggerType {
  Schedule = 'schedule',
  Event = 'event',
  Manual = 'manual',
}
export const agentTriggerTypes = Object.values(AgentTriggerType);

export enum AgentStatus {
  Active = 'active',
  Inactive = 'inactive',
  /** Set by the runner after too many consecutive failed runs; cleared by restart. */
  Error = 'error',
}
export const agentStatuses = Object.values(AgentStatus);

export enum AgentRunStatus {
  Queued = 'queued',
  Running = 'running',
  Succeeded = 'succeeded',
  Failed = 'failed',
}
export const agentRunStatuses = Object.values(AgentRunStatus);

export enum AgentRunTrigger {
  Schedule = 'schedule',
  Event = 'event',
  Manual = 'manual',
  Restart = 'restart',
}

export enum AgentLogLevel {
  Info = 'info',
  Warn = 'warn',
  Error = 'error',
}
export const agentLogLevels = Object.values(AgentLogLevel);

/** Why an agent is read-only. */
export enum AgentReadOnlyReason {
  /** The plan allows fewer agents than the workspace has; this one is past them (newest first). */
  PlanAgentLimit = 'PLAN_AGENT_LIMIT',
}
export const agentReadOnlyReasons = Object.values(AgentReadOnlyReason);

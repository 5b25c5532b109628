import type { DomainEvent } from '../events/domain-event';

/** Queues, job names and payloads: the contract between the API (producer) and the worker (consumer). */
export enum QueueName {
  Maintenance = 'maintenance',
  Events = 'events',
  Automation = 'automation',
  Webhooks = 'webhooks',
  Imports = 'imports',
  Exports = 'exports',
  Agents = 'agents',
  Ai = 'ai',
}

export enum JobName {
  Cleanup = 'maintenance.cleanup',
  CollectMetrics = 'maintenance.collect-metrics',
  DispatchDomainEvent = 'events.dispatch',
  DeliverWebhook = 'webhooks.deliver',
  /** One domain event posted to the workspace's Slack incoming webhook (settings › notifications › slack). */
  NotifySlack = 'webhooks.notify-slack',
  PurgeFinishedJobs = 'maintenance.purge-finished-jobs',
  AutomationRunRule = 'automation.run-rule',
  AutomationScheduledRule = 'automation.scheduled-rule',
  ImportLeads = 'leads.import',
  ExportLeads = 'leads.export',
  PurgeDeletedLeads = 'maintenance.purge-deleted-leads',
  PurgeWebhookDeliveries = 'maintenance.purge-webhook-deliveries',
  /** One run of an AI agent (a tracked job: its id is the agent_runs row's id). */
  RunAgent = 'agents.run',
  /** Fired by an agent's own job scheduler (cron): queues a RunAgent. */
  ScheduledAgentRun = 'agents.scheduled-run',
  /** One AI generation run as a tracked job (libs/ai-tools: quota'd content, or a tool asked with Prefer: respond-async). */
  AiGenerate = 'ai.generate',
  /** An AI image, voice-over or subtitles run as a tracked job (libs/ai-media: long inputs, Prefer: respond-async). */
  AiMedia = 'ai.media',
  /** Gives back the quota units of generation jobs that ended without doing it (stalled, lost). */
  ReleaseAbandonedAiQuota = 'maintenance.release-abandoned-ai-quota',
  /** Builds or brings up to date one workspace's analytics rollups. */
  RefreshAnalyticsRollup = 'analytics.refresh-rollup',
  /** Brings every built analytics rollup up to date (closed days, changes since the watermark). */
  RefreshAnalyticsRollups = 'maintenance.refresh-analytics-rollups',
  /** A user's personal-data export written as a file (a tracked job), its link mailed to them. */
  GdprExport = 'gdpr.export',
  /** Nightly: each workspace's retention windows applied by every feature that keeps personal data. */
  GdprRetention = 'maintenance.gdpr-retention',
}

/** What a leads import job needs: the upload in FileStore and the choices made at upload time. */
export interface ImportLeadsPayload {
  jobId: string;
  workspaceId: string;
  userId: string | null;
  /** FileStore key of the upload (`uploads/<jobId>.<ext>`), deleted when the job ends. */
  fileKey: string;
  format: 'csv' | 'xlsx';
  /** File column header → lead field; null: headers are matched to fields by name. */
  mapping: Record<string, string> | null;
  duplicatePolicy: 'skip' | 'update';
  defaultSource: string | null;
}

export interface JobPayloads {
  [JobName.Cleanup]: { trigger: 'schedule' | 'manual' };
  [JobName.CollectMetrics]: { trigger: 'schedule' | 'manual' };
  [JobName.DispatchDomainEvent]: DomainEvent;
  /** One domain event to one outgoing endpoint (the event is immutable, so it travels whole). */
  [JobName.DeliverWebhook]: { workspaceId: string; endpointId: string; event: DomainEvent };
  [JobName.NotifySlack]: { workspaceId: string; event: DomainEvent };
  [JobName.PurgeFinishedJobs]: { trigger: 'schedule' | 'manual' };
  /** One rule on one trigger (an event, or a schedule tick) for one lead (null: the event names no lead). */
  [JobName.AutomationRunRule]: { workspaceId: string; ruleId: string; leadId: string | null; event: DomainEvent };
  /** A tick of a schedule rule's job scheduler: runs the rule over the leads matching its conditions. */
  [JobName.AutomationScheduledRule]: { workspaceId: string; ruleId: string };
  [JobName.ImportLeads]: ImportLeadsPayload;
  /** A tracked job (jobId): the leads matching the list filters, written as one file. */
  [JobName.ExportLeads]: {
    jobId: string;
    workspaceId: string;
    format: 'csv' | 'xlsx';
    /** The validated list filters and sort of GET /api/leads/export (owned by the leads feature). */
    filters: Record<string, unknown>;
    fileName: string;
    /** The rows the API counted when it chose the job (progress percentages); absent: the job counts them. */
    expectedRows?: number;
  };
  [JobName.PurgeDeletedLeads]: { trigger: 'schedule' | 'manual' };
  [JobName.PurgeWebhookDeliveries]: { trigger: 'schedule' | 'manual' };
  [JobName.ReleaseAbandonedAiQuota]: { trigger: 'schedule' | 'manual' };
  [JobName.RunAgent]: { jobId: string; workspaceId: string; agentId: string };
  [JobName.ScheduledAgentRun]: { workspaceId: string; agentId: string };
  /** An AI tool `operation` (owned by libs/ai-tools) on `input`, the request body as validated by the API. */
  [JobName.AiGenerate]: {
    jobId: string;
    workspaceId: string;
    userId: string | null;
    /** The id of the request that queued it: the result's meta.requestId. */
    requestId: string;
    operation: string;
    input: Record<string, unknown>;
  };
  /** An AI media `operation` (image, voice, subtitles; libs/ai-media) on `input`, the validated request body. */
  [JobName.AiMedia]: {
    jobId: string;
    workspaceId: string;
    userId: string | null;
    operation: string;
    input: Record<string, unknown>;
  };
  [JobName.RefreshAnalyticsRollup]: { workspaceId: string; rebuild: boolean };
  [JobName.RefreshAnalyticsRollups]: { trigger: 'schedule' | 'manual' };
  [JobName.GdprExport]: { jobId: string; workspaceId: string; userId: string };
  [JobName.GdprRetention]: { trigger: 'schedule' | 'manual' };
}

export const jobQueues: Record<JobName, QueueName> = {
  [JobName.GdprExport]: QueueName.Exports,
  [JobName.GdprRetention]: QueueName.Maintenance,
  [JobName.Cleanup]: QueueName.Maintenance,
  [JobName.CollectMetrics]: QueueName.Maintenance,
  [JobName.DispatchDomainEvent]: QueueName.Events,
  [JobName.DeliverWebhook]: QueueName.Webhooks,
  [JobName.NotifySlack]: QueueName.Webhooks,
  [JobName.PurgeFinishedJobs]: QueueName.Maintenance,
  [JobName.AutomationRunRule]: QueueName.Automation,
  [JobName.AutomationScheduledRule]: QueueName.Automation,
  [JobName.ImportLeads]: QueueName.Imports,
  [JobName.ExportLeads]: QueueName.Exports,
  [JobName.PurgeDeletedLeads]: QueueName.Maintenance,
  [JobName.PurgeWebhookDeliveries]: QueueName.Maintenance,
  [JobName.ReleaseAbandonedAiQuota]: QueueName.Maintenance,
  [JobName.RunAgent]: QueueName.Agents,
  [JobName.ScheduledAgentRun]: QueueName.Agents,
  [JobName.AiGenerate]: QueueName.Ai,
  [JobName.AiMedia]: QueueName.Ai,
  [JobName.RefreshAnalyticsRollup]: QueueName.Maintenance,
  [JobName.RefreshAnalyticsRollups]: QueueName.Maintenance,
};

/** Repeatable work the worker schedules for itself (cron syntax, UTC). */
export const jobSchedules: Array<{ name: JobName; pattern: string; data: JobPayloads[JobName] }> = [
  { name: JobName.Cleanup, pattern: '0 3 * * *', data: { trigger: 'schedule' } },
  { name: JobName.CollectMetrics, pattern: '*/15 * * * *', data: { trigger: 'schedule' } },
  { name: JobName.PurgeFinishedJobs, pattern: '30 3 * * *', data: { trigger: 'schedule' } },
  { name: JobName.PurgeDeletedLeads, pattern: '45 3 * * *', data: { trigger: 'schedule' } },
  { name: JobName.PurgeWebhookDeliveries, pattern: '50 3 * * *', data: { trigger: 'schedule' } },
  { name: JobName.ReleaseAbandonedAiQuota, pattern: '20 * * * *', data: { trigger: 'schedule' } },
  { name: JobName.RefreshAnalyticsRollups, pattern: '*/5 * * * *', data: { trigger: 'schedule' } },
  { name: JobName.GdprRetention, pattern: '10 4 * * *', data: { trigger: 'schedule' } },
];

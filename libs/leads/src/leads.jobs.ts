import { defineJobs, QueueName, type TriggeredJob } from '@crescendo/platform';
import type { LeadFilterQuery } from './lead-filters';

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

/** A tracked job (jobId): the leads matching the list filters, written as one file. */
export interface ExportLeadsPayload {
  jobId: string;
  workspaceId: string;
  format: 'csv' | 'xlsx';
  /** The validated list filters and sort of GET /api/leads/export. */
  filters: LeadFilterQuery;
  fileName: string;
  /** The rows the API counted when it chose the job (progress percentages); absent: the job counts them. */
  expectedRows?: number;
}

/** The leads' jobs: imports, exports and the purge of deleted leads. */
export const LeadsJobs = {
  ImportLeads: 'leads.import',
  ExportLeads: 'leads.export',
  PurgeDeletedLeads: 'maintenance.purge-deleted-leads',
} as const;

declare module '@crescendo/platform' {
  interface JobPayloads {
    [LeadsJobs.ImportLeads]: ImportLeadsPayload;
    [LeadsJobs.ExportLeads]: ExportLeadsPayload;
    [LeadsJobs.PurgeDeletedLeads]: TriggeredJob;
  }
}

defineJobs(LeadsJobs, {
  [LeadsJobs.ImportLeads]: { queue: QueueName.Imports },
  [LeadsJobs.ExportLeads]: { queue: QueueName.Exports },
  [LeadsJobs.PurgeDeletedLeads]: {
    queue: QueueName.Maintenance,
    schedule: { pattern: '45 3 * * *', data: { trigger: 'schedule' } },
  },
});

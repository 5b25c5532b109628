import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonalDataRegistry, PersonalDataTable, TablePersonalData } from '@crescendo/platform';

/** Leads and their timelines: all of the owned workspaces', elsewhere those the user owns or acted on. */
@Injectable()
export class LeadsPersonalData extends TablePersonalData {
  readonly feature = 'leads';
  protected readonly map: readonly PersonalDataTable[] = [
    { table: 'niches', section: 'niches' },
    {
      table: 'leads',
      section: 'leads',
      columns: `id, workspace_id, name, email, phone, company, job_title, source, status, niche_id, tags, score, notes,
                custom_fields, owner_id, last_contacted_at, deleted_at, created_at, updated_at`,
      // The leads stay with their workspace; only who owned them goes.
      userColumns: ['owner_id'],
      batched: true,
      // Deleted leads too (soft-deleted rows are still personal data); timelines and enrolments cascade.
      subject: { where: 'workspace_id = $1 AND email = $2' },
      retention: {
        window: 'inactiveLeadsDays',
        kind: 'inactiveLeads',
        where: `workspace_id = $1 AND updated_at < now() - make_interval(days => $2)
           AND (last_contacted_at IS NULL OR last_contacted_at < now() - make_interval(days => $2))`,
      },
    },
    {
      table: 'lead_events',
      section: 'leadEvents',
      columns: 'id, lead_id, workspace_id, type, data, actor_user_id, created_at',
      userColumns: ['actor_user_id'],
      batched: true,
      subject: {
        where: 'lead_id IN (SELECT id FROM leads WHERE workspace_id = $1 AND email = $2)',
        cascades: true,
      },
    },
  ];

  constructor(registry: PersonalDataRegistry, @InjectDataSource() db: DataSource) {
    super(registry, db);
  }
}

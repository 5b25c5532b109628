import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonalDataRegistry, PersonalDataTable, TablePersonalData } from '@crescendo/platform';

/** Campaigns, their enrolments and scheduled posts: the owned workspaces', elsewhere those the user owns or wrote. */
@Injectable()
export class CampaignsPersonalData extends TablePersonalData {
  readonly feature = 'campaigns';
  protected readonly map: readonly PersonalDataTable[] = [
    { table: 'campaigns', section: 'campaigns', userColumns: ['owner_id'] },
    {
      table: 'campaign_leads',
      section: 'campaignLeads',
      // A lead's enrolments go with the lead.
      subject: {
        where: 'lead_id IN (SELECT id FROM leads WHERE workspace_id = $1 AND email = $2)',
        cascades: true,
      },
    },
    { table: 'scheduled_posts', section: 'scheduledPosts', userColumns: ['created_by_id'] },
  ];

  constructor(registry: PersonalDataRegistry, @InjectDataSource() db: DataSource) {
    super(registry, db);
  }
}

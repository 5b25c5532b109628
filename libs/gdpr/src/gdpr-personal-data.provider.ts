import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonalDataRegistry, PersonalDataTable, TablePersonalData } from '@crescendo/platform';

/** The user's consent history, the workspace's privacy settings, and the consents recorded for its data subjects. */
@Injectable()
export class GdprPersonalData extends TablePersonalData {
  readonly feature = 'consent';
  protected readonly map: readonly PersonalDataTable[] = [
    {
      table: 'consent_records',
      section: 'consentRecords',
      columns: 'id, purpose, granted, policy_version, ip, user_agent, created_at',
      workspaceColumn: null,
      userColumns: ['user_id'],
      deleteOnErasure: true,
    },
    { table: 'retention_settings' },
    {
      table: 'subject_consent_records',
      section: 'subjectConsents',
      userColumns: ['recorded_by_id'],
      subject: { where: 'workspace_id = $1 AND email = $2' },
    },
  ];

  constructor(registry: PersonalDataRegistry, @InjectDataSource() db: DataSource) {
    super(registry, db);
  }
}

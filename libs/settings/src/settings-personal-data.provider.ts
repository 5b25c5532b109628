import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  camelRow,
  PersonalDataRegistry,
  PersonalDataSink,
  PersonalDataTable,
  TablePersonalData,
} from '@crescendo/platform';

/** Settings: the user's own preferences, and the settings of the workspaces they own (integration secrets never leave). */
@Injectable()
export class SettingsPersonalData extends TablePersonalData {
  readonly feature = 'settings';
  protected readonly map: readonly PersonalDataTable[] = [
    {
      table: 'user_settings',
      section: 'userSettings',
      columns: 'user_id AS id, data, updated_at',
      workspaceColumn: null,
      userColumns: ['user_id'],
      deleteOnErasure: true,
    },
    // Keyed by section, not id: exported below.
    { table: 'workspace_settings' },
  ];

  constructor(registry: PersonalDataRegistry, @InjectDataSource() db: DataSource) {
    super(registry, db);
  }

  override async exportFor(userId: string, owned: readonly string[], sink: PersonalDataSink): Promise<void> {
    await super.exportFor(userId, owned, sink);
    // A handful of sections per workspace: read at once.
    const sections = await this.query(
      `SELECT workspace_id, section, data, updated_at
         FROM workspace_settings WHERE workspace_id = ANY($1::uuid[]) AND section <> 'integrations'
        ORDER BY workspace_id, section`,
      [owned],
    );
    await sink.section('workspaceSettings', sections.map(camelRow));
  }
}

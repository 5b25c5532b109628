import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  camelRow,
  ErasureContext,
  pagedQuery,
  PersonalDataProvider,
  PersonalDataRegistry,
  PersonalDataSink,
} from '@crescendo/platform';

/** Settings: the user's own preferences, and the settings of the workspaces they own (integration secrets never leave). */
@Injectable()
export class SettingsPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'settings';
  readonly tables = ['user_settings', 'workspace_settings'];

  constructor(
    private readonly registry: PersonalDataRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  private readonly query = (sql: string, params: unknown[]) => this.db.query(sql, params);

  async exportFor(userId: string, owned: readonly string[], sink: PersonalDataSink): Promise<void> {
    await sink.section(
      'userSettings',
      pagedQuery(this.query, `SELECT user_id AS id, data, updated_at FROM user_settings WHERE user_id = $1`, [userId]),
    );
    // A handful of sections per workspace: read at once.
    const sections: Array<Record<string, unknown>> = await this.db.query(
      `SELECT workspace_id, section, data, updated_at
         FROM workspace_settings WHERE workspace_id = ANY($1::uuid[]) AND section <> 'integrations'
        ORDER BY workspace_id, section`,
      [owned],
    );
    await sink.section('workspaceSettings', sections.map(camelRow));
  }

  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    void ctx;
    await this.db.query(`DELETE FROM user_settings WHERE user_id = $1`, [userId]);
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    await this.db.query(`DELETE FROM workspace_settings WHERE workspace_id = $1`, [workspaceId]);
  }
}

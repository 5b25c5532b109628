import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  ErasureContext,
  pagedQuery,
  PersonalDataProvider,
  PersonalDataRegistry,
  PersonalDataSink,
} from '@crescendo/platform';

/** Automation rules (the owned workspaces', and those the user wrote) and their runs. */
@Injectable()
export class AutomationPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'automation';
  readonly tables = ['automation_rules', 'automation_runs'];

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
      'rules',
      pagedQuery(
        this.query,
        `SELECT * FROM automation_rules WHERE workspace_id = ANY($1::uuid[]) OR created_by_id = $2`,
        [owned, userId],
      ),
    );
    await sink.section(
      'runs',
      pagedQuery(this.query, `SELECT * FROM automation_runs WHERE workspace_id = ANY($1::uuid[])`, [owned]),
    );
  }

  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    void ctx;
    await this.db.query(`UPDATE automation_rules SET created_by_id = NULL WHERE created_by_id = $1`, [userId]);
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    await this.db.query(`DELETE FROM automation_runs WHERE workspace_id = $1`, [workspaceId]);
    await this.db.query(`DELETE FROM automation_rules WHERE workspace_id = $1`, [workspaceId]);
  }
}

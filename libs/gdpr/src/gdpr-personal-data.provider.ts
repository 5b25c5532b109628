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

/** The user's consent history. */
@Injectable()
export class GdprPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'consent';
  readonly tables = ['consent_records', 'retention_settings'];

  constructor(
    private readonly registry: PersonalDataRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async exportFor(userId: string, _owned: readonly string[], sink: PersonalDataSink): Promise<void> {
    await sink.section(
      'consentRecords',
      pagedQuery(
        (sql, params) => this.db.query(sql, params),
        `SELECT id, purpose, granted, policy_version, ip, user_agent, created_at FROM consent_records WHERE user_id = $1`,
        [userId],
      ),
    );
  }

  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    void ctx;
    await this.db.query(`DELETE FROM consent_records WHERE user_id = $1`, [userId]);
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    // Consent belongs to the user; the workspace only has its retention windows here.
    await this.db.query(`DELETE FROM retention_settings WHERE workspace_id = $1`, [workspaceId]);
  }
}

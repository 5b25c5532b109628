import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  deleteInBatches,
  ErasureContext,
  pagedQuery,
  PersonalDataProvider,
  PersonalDataRegistry,
  PersonalDataSink,
} from '@crescendo/platform';

/** The AI usage ledger: the user's calls are exported; erasure keeps the workspace's costs without the caller. */
@Injectable()
export class AiPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'ai';
  readonly tables = ['ai_usage'];

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
      'aiUsage',
      pagedQuery(
        this.query,
        `SELECT id, workspace_id, user_id, provider, model, feature, input_tokens, output_tokens, cost_usd, latency_ms,
                status, error_code, created_at
           FROM ai_usage WHERE user_id = $1 OR workspace_id = ANY($2::uuid[])`,
        [userId, owned],
      ),
    );
  }

  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    void ctx;
    await this.db.query(`UPDATE ai_usage SET user_id = NULL WHERE user_id = $1`, [userId]);
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    await deleteInBatches(this.db, 'ai_usage', 'workspace_id = $1', [workspaceId]);
  }
}

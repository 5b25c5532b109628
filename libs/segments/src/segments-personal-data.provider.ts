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

/** Saved segments: the owned workspaces', and those the user wrote. */
@Injectable()
export class SegmentsPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'segments';
  readonly tables = ['segments'];

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
      'segments',
      pagedQuery(this.query, `SELECT * FROM segments WHERE workspace_id = ANY($1::uuid[]) OR created_by_id = $2`, [
        owned,
        userId,
      ]),
    );
  }

  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    void ctx;
    await this.db.query(`UPDATE segments SET created_by_id = NULL WHERE created_by_id = $1`, [userId]);
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    await this.db.query(`DELETE FROM segments WHERE workspace_id = $1`, [workspaceId]);
  }
}

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
import { AssetStorage } from './asset-storage';

/** Media assets: the owned workspaces' and those the user uploaded elsewhere (metadata; the files stay behind links). */
@Injectable()
export class StudioPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'studio';
  readonly tables = ['studio_assets'];

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly storage: AssetStorage,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  private readonly query = (sql: string, params: unknown[]) => this.db.query(sql, params);

  async exportFor(userId: string, owned: readonly string[], sink: PersonalDataSink): Promise<void> {
    await sink.section(
      'studioAssets',
      pagedQuery(
        this.query,
        `SELECT id, workspace_id, title, original_name, folder, tags, kind, mime_type, size, source, created_at, updated_at
           FROM studio_assets WHERE workspace_id = ANY($1::uuid[]) OR created_by_id = $2`,
        [owned, userId],
      ),
    );
  }

  /** In shared workspaces the asset stays (the workspace uses it) without its uploader. */
  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    void ctx;
    await this.db.query(`UPDATE studio_assets SET created_by_id = NULL WHERE created_by_id = $1`, [userId]);
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    const rows: { storage_key: string; thumbnail_key: string | null }[] = await this.db.query(
      `SELECT storage_key, thumbnail_key FROM studio_assets WHERE workspace_id = $1`,
      [workspaceId],
    );
    await this.db.query(`DELETE FROM studio_assets WHERE workspace_id = $1`, [workspaceId]);
    for (const row of rows) {
      await this.storage.remove(row.storage_key);
      if (row.thumbnail_key) await this.storage.remove(row.thumbnail_key);
    }
  }
}

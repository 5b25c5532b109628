import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonalDataRegistry, PersonalDataTable, TablePersonalData } from '@crescendo/platform';
import { AssetStorage } from './asset-storage';

/** Media assets: the owned workspaces' and those the user uploaded elsewhere (metadata; the files stay behind links). */
@Injectable()
export class StudioPersonalData extends TablePersonalData {
  readonly feature = 'studio';
  protected readonly map: readonly PersonalDataTable[] = [
    {
      table: 'studio_assets',
      section: 'studioAssets',
      columns: `id, workspace_id, title, original_name, folder, tags, kind, mime_type, size, source, width, height,
                duration_seconds, metadata, job_id, created_at, updated_at`,
      // In shared workspaces the asset stays (the workspace uses it) without its uploader.
      userColumns: ['created_by_id'],
    },
  ];

  constructor(
    registry: PersonalDataRegistry,
    @InjectDataSource() db: DataSource,
    private readonly storage: AssetStorage,
  ) {
    super(registry, db);
  }

  override async deleteWorkspace(workspaceId: string): Promise<void> {
    const rows = await this.query(`SELECT storage_key, thumbnail_key FROM studio_assets WHERE workspace_id = $1`, [
      workspaceId,
    ]);
    await super.deleteWorkspace(workspaceId);
    for (const { storage_key, thumbnail_key } of rows) {
      await this.storage.remove(storage_key as string);
      if (thumbnail_key) await this.storage.remove(thumbnail_key as string);
    }
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { batchedRead, type SqlPart } from '@crescendo/platform';
import { UserSettingsEntity, WorkspaceSettingsEntity } from './settings.entity';

/** Storage of `workspace_settings` (one row per workspace and section) and `user_settings`. */
@Injectable()
export class SettingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The stored data of a workspace's section, if any. */
  async readSection(workspaceId: string, section: string): Promise<Record<string, unknown> | undefined> {
    // Batched with the figures of a stats answer, which all depend on the general section (time zone).
    const [row] = await batchedRead<{ data: Record<string, unknown> }>(
      this.dataSource,
      'SELECT data FROM workspace_settings WHERE workspace_id = $1 AND section = $2',
      [workspaceId, section],
    );
    return row?.data;
  }

  /**
   * A condition for another feature's statement: the workspace's in-app notification switch `setting` as stored
   * (a boolean), else `fallback`; its values from $first.
   */
  inAppSwitchSql(workspaceId: string, setting: string, fallback: boolean, first: number): SqlPart {
    const [workspace, key, otherwise] = [first, first + 1, first + 2].map((n) => `$${n}`);
    return {
      sql: `COALESCE((SELECT (s.data->'inApp'->>${key}::text)::boolean FROM workspace_settings s
                       WHERE s.workspace_id = ${workspace}::uuid AND s.section = 'notifications'
                         AND jsonb_typeof(s.data->'inApp'->${key}::text) = 'boolean'), ${otherwise}::boolean)`,
      params: [workspaceId, setting, fallback],
    };
  }

  /** The section's row, created empty if missing, locked until the transaction ends. */
  async lockSection(manager: EntityManager, workspaceId: string, section: string): Promise<WorkspaceSettingsEntity> {
    const repo = manager.getRepository(WorkspaceSettingsEntity);
    await repo.createQueryBuilder().insert().values({ workspaceId, section, data: {} }).orIgnore().execute();
    return repo.findOneOrFail({ where: { workspaceId, section }, lock: { mode: 'pessimistic_write' } });
  }

  async saveSection(manager: EntityManager, row: WorkspaceSettingsEntity): Promise<void> {
    await manager.getRepository(WorkspaceSettingsEntity).save(row, { reload: false });
  }

  /** The language each of these users chose in their preferences (those who chose one). */
  async chosenLanguages(userIds: string[]): Promise<Map<string, string>> {
    if (!userIds.length) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT user_id, data->>'language' AS language FROM user_settings
        WHERE user_id = ANY($1::uuid[]) AND data->>'language' IS NOT NULL`,
      [userIds],
    )) as { user_id: string; language: string }[];
    return new Map(rows.map((r) => [r.user_id, r.language]));
  }

  async readUser(userId: string): Promise<Record<string, unknown> | undefined> {
    const row = await this.dataSource.getRepository(UserSettingsEntity).findOne({ where: { userId } });
    return row?.data;
  }

  /** The user's row, created empty if missing, locked until the transaction ends. */
  async lockUser(manager: EntityManager, userId: string): Promise<UserSettingsEntity> {
    const repo = manager.getRepository(UserSettingsEntity);
    await repo.createQueryBuilder().insert().values({ userId, data: {} }).orIgnore().execute();
    return repo.findOneOrFail({ where: { userId }, lock: { mode: 'pessimistic_write' } });
  }

  async saveUser(manager: EntityManager, row: UserSettingsEntity): Promise<void> {
    await manager.getRepository(UserSettingsEntity).save(row, { reload: false });
  }
}

import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  RetentionWindows,
  deleteInBatches,
  ErasureContext,
  pagedQuery,
  PersonalDataProvider,
  PersonalDataRegistry,
  PersonalDataSink,
} from '@crescendo/platform';

/** Audit entries about the user. Erasure keeps the trail of shared workspaces but without who or from where. */
@Injectable()
export class AuditPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'audit';
  readonly tables = ['audit_logs'];

  constructor(
    private readonly registry: PersonalDataRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  private readonly query = (sql: string, params: unknown[]) => this.db.query(sql, params);

  async exportFor(userId: string, owned: readonly string[], sink: PersonalDataSink): Promise<void> {
    void owned;
    await sink.section(
      'auditLogs',
      pagedQuery(
        this.query,
        `SELECT id, workspace_id, type, level, action, message, metadata, request_id, ip, created_at
           FROM audit_logs WHERE user_id = $1`,
        [userId],
      ),
    );
  }

  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    // The trail stays (shared workspaces need it) but names no one: not who acted, from where, nor whom it was about.
    // A full scan of the log: erasures are rare, and entries name people in their text too.
    await this.db.query(
      `UPDATE audit_logs
          SET user_id = CASE WHEN user_id = $1 THEN NULL ELSE user_id END,
              ip = CASE WHEN user_id = $1 THEN NULL ELSE ip END,
              message = replace(message, $2, '[erased user]'),
              metadata = replace(replace(metadata::text, $1::text, 'erased-user'), $3, 'erased-user')::jsonb
        WHERE user_id = $1 OR strpos(message, $2) > 0 OR strpos(metadata::text, $1::text) > 0
           OR strpos(metadata::text, $3) > 0`,
      [userId, ctx.email, JSON.stringify(ctx.email).slice(1, -1)],
    );
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    await this.db.query(`DELETE FROM audit_logs WHERE workspace_id = $1`, [workspaceId]);
  }

  async applyRetention(workspaceId: string, windows: RetentionWindows): Promise<Record<string, number>> {
    if (!windows.auditLogsDays) return {};
    const logs = await deleteInBatches(
      this.db,
      'audit_logs',
      `workspace_id = $1 AND created_at < now() - make_interval(days => $2)`,
      [workspaceId, windows.auditLogsDays],
    );
    return { auditLogs: logs };
  }
}

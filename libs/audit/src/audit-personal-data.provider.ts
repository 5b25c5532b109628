import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErasureContext, PersonalDataRegistry, PersonalDataTable, TablePersonalData } from '@crescendo/platform';

/** Audit entries about the user. Erasure keeps the trail of shared workspaces but without who or from where. */
@Injectable()
export class AuditPersonalData extends TablePersonalData {
  readonly feature = 'audit';
  protected readonly map: readonly PersonalDataTable[] = [
    {
      table: 'audit_logs',
      section: 'auditLogs',
      columns: 'id, workspace_id, type, level, action, message, metadata, request_id, ip, created_at',
      userColumns: ['user_id'],
      onlyTheirs: true,
      retention: {
        window: 'auditLogsDays',
        kind: 'auditLogs',
        where: 'workspace_id = $1 AND created_at < now() - make_interval(days => $2)',
      },
    },
  ];

  constructor(registry: PersonalDataRegistry, @InjectDataSource() db: DataSource) {
    super(registry, db);
  }

  override async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
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
}

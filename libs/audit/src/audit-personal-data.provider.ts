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
    await this.db.query(
      `UPDATE audit_logs SET user_id = NULL, ip = NULL, metadata = metadata - 'email' - 'name' WHERE user_id = $1`,
      [userId],
    );
    // Entries naming the e-mail without the user id (failed sign-ins, invitations).
    await this.db.query(
      `UPDATE audit_logs SET metadata = metadata - 'email', ip = NULL WHERE metadata->>'email' = $1`,
      [ctx.email],
    );
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    await this.db.query(`DELETE FROM audit_logs WHERE workspace_id = $1`, [workspaceId]);
  }
}

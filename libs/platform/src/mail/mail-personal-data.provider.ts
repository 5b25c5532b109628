import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  ErasureContext,
  ExportContext,
  pagedQuery,
  PersonalDataProvider,
  PersonalDataRegistry,
  PersonalDataSink,
} from '../personal-data/personal-data';

/** Mails sent to the user: listed without their text, which may carry a one-time token; erasure deletes them. */
@Injectable()
export class MailPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'mail';
  readonly tables = ['mail_outbox'];

  constructor(
    private readonly registry: PersonalDataRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  private readonly query = (sql: string, params: unknown[]) => this.db.query(sql, params);

  /** Mails name their recipient by address only: GDPR passes it (from identity, which owns users). */
  async exportFor(
    _userId: string,
    _owned: readonly string[],
    sink: PersonalDataSink,
    ctx: ExportContext,
  ): Promise<void> {
    await sink.section(
      'mails',
      pagedQuery(
        this.query,
        `SELECT id, subject, template, status, created_at, sent_at FROM mail_outbox WHERE "to" = $1`,
        [ctx.email],
      ),
    );
  }

  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    void userId;
    await this.db.query(`DELETE FROM mail_outbox WHERE "to" = $1`, [ctx.email]);
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    // Mails belong to their recipient, not to a workspace.
    void workspaceId;
  }
}

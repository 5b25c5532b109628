import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  ErasureContext,
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

  async exportFor(userId: string, owned: readonly string[], sink: PersonalDataSink): Promise<void> {
    void owned;
    const email: Array<{ email: string }> = await this.db.query(`SELECT email FROM users WHERE id = $1`, [userId]);
    await sink.section(
      'mails',
      pagedQuery(
        this.query,
        `SELECT id, subject, template, status, created_at, sent_at FROM mail_outbox WHERE "to" = $1`,
        [email[0]?.email ?? ''],
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

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

/** Subscribers and earnings have no author: they belong to the workspaces the user owns. */
@Injectable()
export class SubscribersPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'subscribers';
  readonly tables = ['subscribers', 'earnings'];

  constructor(
    private readonly registry: PersonalDataRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  private readonly query = (sql: string, params: unknown[]) => this.db.query(sql, params);

  async exportFor(userId: string, owned: readonly string[], sink: PersonalDataSink): Promise<void> {
    void userId;
    await sink.section(
      'subscribers',
      pagedQuery(this.query, `SELECT * FROM subscribers WHERE workspace_id = ANY($1::uuid[])`, [owned]),
    );
    await sink.section(
      'earnings',
      pagedQuery(this.query, `SELECT * FROM earnings WHERE workspace_id = ANY($1::uuid[])`, [owned]),
    );
  }

  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    // Nothing here names a user.
    void userId;
    void ctx;
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    await deleteInBatches(this.db, 'earnings', 'workspace_id = $1', [workspaceId]);
    await this.db.query(`DELETE FROM subscribers WHERE workspace_id = $1`, [workspaceId]);
  }

  async exportSubject(workspaceId: string, email: string, sink: PersonalDataSink): Promise<void> {
    await sink.section(
      'subscribers',
      pagedQuery(this.query, `SELECT * FROM subscribers WHERE workspace_id = $1 AND lower(email) = $2`, [
        workspaceId,
        email,
      ]),
    );
    await sink.section(
      'earnings',
      pagedQuery(
        this.query,
        `SELECT e.* FROM earnings e JOIN subscribers s ON s.id = e.subscriber_id
          WHERE s.workspace_id = $1 AND lower(s.email) = $2`,
        [workspaceId, email],
      ),
    );
  }

  async eraseSubject(workspaceId: string, email: string): Promise<number> {
    const [, earnings] = (await this.db.query(
      `DELETE FROM earnings WHERE subscriber_id IN (SELECT id FROM subscribers WHERE workspace_id = $1 AND lower(email) = $2)`,
      [workspaceId, email],
    )) as [unknown, number];
    const [, subscribers] = (await this.db.query(
      `DELETE FROM subscribers WHERE workspace_id = $1 AND lower(email) = $2`,
      [workspaceId, email],
    )) as [unknown, number];
    return earnings + subscribers;
  }
}

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

/** Campaigns, their enrolments and scheduled posts: the owned workspaces', elsewhere those the user owns or wrote. */
@Injectable()
export class CampaignsPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'campaigns';
  readonly tables = ['campaigns', 'campaign_leads', 'scheduled_posts'];

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
      'campaigns',
      pagedQuery(this.query, `SELECT * FROM campaigns WHERE workspace_id = ANY($1::uuid[]) OR owner_id = $2`, [
        owned,
        userId,
      ]),
    );
    await sink.section(
      'campaignLeads',
      pagedQuery(this.query, `SELECT * FROM campaign_leads WHERE workspace_id = ANY($1::uuid[])`, [owned]),
    );
    await sink.section(
      'scheduledPosts',
      pagedQuery(
        this.query,
        `SELECT * FROM scheduled_posts WHERE workspace_id = ANY($1::uuid[]) OR created_by_id = $2`,
        [owned, userId],
      ),
    );
  }

  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    void ctx;
    await this.db.query(`UPDATE campaigns SET owner_id = NULL WHERE owner_id = $1`, [userId]);
    await this.db.query(`UPDATE scheduled_posts SET created_by_id = NULL WHERE created_by_id = $1`, [userId]);
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    await this.db.query(`DELETE FROM scheduled_posts WHERE workspace_id = $1`, [workspaceId]);
    await this.db.query(`DELETE FROM campaign_leads WHERE workspace_id = $1`, [workspaceId]);
    await this.db.query(`DELETE FROM campaigns WHERE workspace_id = $1`, [workspaceId]);
  }
}

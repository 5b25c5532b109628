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

/** Leads and their timelines: all of the owned workspaces', elsewhere those the user owns or acted on. */
@Injectable()
export class LeadsPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'leads';
  readonly tables = ['leads', 'lead_events', 'niches'];

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
      'leads',
      pagedQuery(
        this.query,
        `SELECT id, workspace_id, name, email, phone, company, job_title, source, status, niche_id, tags, score, notes,
                custom_fields, owner_id, last_contacted_at, deleted_at, created_at, updated_at
           FROM leads WHERE workspace_id = ANY($1::uuid[]) OR owner_id = $2`,
        [owned, userId],
      ),
    );
    await sink.section(
      'leadEvents',
      pagedQuery(
        this.query,
        `SELECT id, lead_id, workspace_id, type, data, actor_user_id, created_at
           FROM lead_events WHERE workspace_id = ANY($1::uuid[]) OR actor_user_id = $2`,
        [owned, userId],
      ),
    );
    await sink.section(
      'niches',
      pagedQuery(this.query, `SELECT * FROM niches WHERE workspace_id = ANY($1::uuid[])`, [owned]),
    );
  }

  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    void ctx;
    // The leads stay with their workspace; only who owned them or acted on them goes.
    await this.db.query(`UPDATE leads SET owner_id = NULL WHERE owner_id = $1`, [userId]);
    await this.db.query(`UPDATE lead_events SET actor_user_id = NULL WHERE actor_user_id = $1`, [userId]);
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    await deleteInBatches(this.db, 'lead_events', 'workspace_id = $1', [workspaceId]);
    await deleteInBatches(this.db, 'leads', 'workspace_id = $1', [workspaceId]);
    await this.db.query(`DELETE FROM niches WHERE workspace_id = $1`, [workspaceId]);
  }

  async exportSubject(workspaceId: string, email: string, sink: PersonalDataSink): Promise<void> {
    await sink.section(
      'leads',
      pagedQuery(this.query, `SELECT * FROM leads WHERE workspace_id = $1 AND email = $2`, [workspaceId, email]),
    );
    await sink.section(
      'leadEvents',
      pagedQuery(
        this.query,
        `SELECT e.* FROM lead_events e JOIN leads l ON l.id = e.lead_id WHERE l.workspace_id = $1 AND l.email = $2`,
        [workspaceId, email],
      ),
    );
  }

  async eraseSubject(workspaceId: string, email: string): Promise<number> {
    // Deleted leads too (soft-deleted rows are still personal data); their timelines and enrolments cascade.
    const [, count] = (await this.db.query(`DELETE FROM leads WHERE workspace_id = $1 AND email = $2`, [
      workspaceId,
      email,
    ])) as [unknown, number];
    return count;
  }

  async applyRetention(workspaceId: string, windows: RetentionWindows): Promise<Record<string, number>> {
    if (!windows.inactiveLeadsDays) return {};
    const leads = await deleteInBatches(
      this.db,
      'leads',
      `workspace_id = $1 AND updated_at < now() - make_interval(days => $2)
         AND (last_contacted_at IS NULL OR last_contacted_at < now() - make_interval(days => $2))`,
      [workspaceId, windows.inactiveLeadsDays],
    );
    return { inactiveLeads: leads };
  }
}

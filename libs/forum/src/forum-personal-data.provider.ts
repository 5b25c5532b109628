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

/** Forum posts: exported; on erasure the conversation stays readable but names no one. */
@Injectable()
export class ForumPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'forum';
  readonly tables = ['forum_topics', 'forum_comments', 'forum_topic_views'];

  constructor(
    private readonly registry: PersonalDataRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async exportFor(userId: string, _owned: readonly string[], sink: PersonalDataSink): Promise<void> {
    const query = (sql: string, params: unknown[]) => this.db.query(sql, params);
    await sink.section(
      'topics',
      pagedQuery(
        query,
        `SELECT id, category, title, content, user_name, views, comment_count, created_at FROM forum_topics WHERE user_id = $1`,
        [userId],
      ),
    );
    await sink.section(
      'comments',
      pagedQuery(query, `SELECT id, topic_id, content, user_name, created_at FROM forum_comments WHERE user_id = $1`, [
        userId,
      ]),
    );
  }

  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    void ctx;
    await this.db.query(`UPDATE forum_topics SET user_id = NULL, user_name = 'Deleted member' WHERE user_id = $1`, [
      userId,
    ]);
    await this.db.query(`UPDATE forum_comments SET user_id = NULL, user_name = 'Deleted member' WHERE user_id = $1`, [
      userId,
    ]);
  }

  async deleteWorkspace(): Promise<void> {
    // The forum belongs to the instance, not to a workspace.
  }
}

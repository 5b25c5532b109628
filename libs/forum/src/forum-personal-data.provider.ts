import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonalDataRegistry, PersonalDataTable, TablePersonalData } from '@crescendo/platform';

/** Forum posts (the instance's, no workspace): exported; on erasure the conversation stays but names no one. */
@Injectable()
export class ForumPersonalData extends TablePersonalData {
  readonly feature = 'forum';
  protected readonly map: readonly PersonalDataTable[] = [
    {
      table: 'forum_topics',
      section: 'topics',
      columns: 'id, category, title, content, user_name, views, comment_count, created_at',
      workspaceColumn: null,
      userColumns: ['user_id'],
      anonymise: `user_name = 'Deleted member'`,
    },
    {
      table: 'forum_comments',
      section: 'comments',
      columns: 'id, topic_id, content, user_name, created_at',
      workspaceColumn: null,
      userColumns: ['user_id'],
      anonymise: `user_name = 'Deleted member'`,
    },
    {
      table: 'forum_reports',
      section: 'reports',
      columns: 'id, topic_id, comment_id, reason, status, created_at',
      workspaceColumn: null,
      // Reports stay for the moderators, without who filed or handled them.
      userColumns: ['reporter_id', 'handled_by_id'],
    },
    // Readers are an hourly key, not a person; the rows go with their topic.
    { table: 'forum_topic_views', workspaceColumn: null },
  ];

  constructor(registry: PersonalDataRegistry, @InjectDataSource() db: DataSource) {
    super(registry, db);
  }
}

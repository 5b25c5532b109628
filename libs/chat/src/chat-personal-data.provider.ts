import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonalDataRegistry, PersonalDataTable, TablePersonalData } from '@crescendo/platform';

/** The user's own AI conversations and messages: private to them, so erasure deletes them everywhere. */
@Injectable()
export class ChatPersonalData extends TablePersonalData {
  readonly feature = 'chat';
  protected readonly map: readonly PersonalDataTable[] = [
    {
      table: 'conversations',
      section: 'chatConversations',
      columns: `id, workspace_id, kind, title, folder, is_favorite, tags, message_count, last_message_at, closed_at,
                created_at, updated_at`,
      userColumns: ['user_id'],
      onlyTheirs: true,
      deleteOnErasure: true,
      retention: {
        window: 'chatHistoryDays',
        kind: 'chatConversations',
        where: 'workspace_id = $1 AND last_message_at < now() - make_interval(days => $2)',
      },
    },
    {
      table: 'chat_messages',
      section: 'chatMessages',
      columns: `id, conversation_id, workspace_id, conversation_kind, role, content, provider, model, tokens_in,
                tokens_out, latency_ms, error, created_at`,
      userColumns: ['user_id'],
      onlyTheirs: true,
      deleteOnErasure: true,
      batched: true,
    },
  ];

  constructor(registry: PersonalDataRegistry, @InjectDataSource() db: DataSource) {
    super(registry, db);
  }
}

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

/** The user's own AI conversations and messages: private to them, so erasure deletes them everywhere. */
@Injectable()
export class ChatPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'chat';
  readonly tables = ['conversations', 'chat_messages'];

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
      'chatConversations',
      pagedQuery(
        this.query,
        `SELECT id, workspace_id, kind, title, folder, is_favorite, tags, message_count, last_message_at, closed_at,
                created_at, updated_at
           FROM conversations WHERE user_id = $1`,
        [userId],
      ),
    );
    await sink.section(
      'chatMessages',
      pagedQuery(
        this.query,
        `SELECT id, conversation_id, workspace_id, conversation_kind, role, content, provider, model, tokens_in,
                tokens_out, latency_ms, error, created_at
           FROM chat_messages WHERE user_id = $1`,
        [userId],
      ),
    );
  }

  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    void ctx;
    await deleteInBatches(this.db, 'chat_messages', 'user_id = $1', [userId]);
    await this.db.query(`DELETE FROM conversations WHERE user_id = $1`, [userId]);
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    await deleteInBatches(this.db, 'chat_messages', 'workspace_id = $1', [workspaceId]);
    await this.db.query(`DELETE FROM conversations WHERE workspace_id = $1`, [workspaceId]);
  }

  async applyRetention(workspaceId: string, windows: RetentionWindows): Promise<Record<string, number>> {
    if (!windows.chatHistoryDays) return {};
    const conversations = await deleteInBatches(
      this.db,
      'conversations',
      `workspace_id = $1 AND last_message_at < now() - make_interval(days => $2)`,
      [workspaceId, windows.chatHistoryDays],
      500,
    );
    return { chatConversations: conversations };
  }
}

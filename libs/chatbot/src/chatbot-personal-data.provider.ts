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

/** Fan conversations and their messages (the owned workspaces', and the messages the user wrote), rules and canned answers. */
@Injectable()
export class ChatbotPersonalData implements PersonalDataProvider, OnModuleInit {
  readonly feature = 'chatbot';
  readonly tables = [
    'chatbot_conversations',
    'chatbot_messages',
    'chatbot_auto_reply_rules',
    'chatbot_canned_responses',
  ];

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
      'conversations',
      pagedQuery(this.query, `SELECT * FROM chatbot_conversations WHERE workspace_id = ANY($1::uuid[])`, [owned]),
    );
    await sink.section(
      'messages',
      pagedQuery(
        this.query,
        `SELECT * FROM chatbot_messages WHERE workspace_id = ANY($1::uuid[]) OR author_user_id = $2`,
        [owned, userId],
      ),
    );
    await sink.section(
      'autoReplyRules',
      pagedQuery(this.query, `SELECT * FROM chatbot_auto_reply_rules WHERE workspace_id = ANY($1::uuid[])`, [owned]),
    );
    await sink.section(
      'cannedResponses',
      pagedQuery(this.query, `SELECT * FROM chatbot_canned_responses WHERE workspace_id = ANY($1::uuid[])`, [owned]),
    );
  }

  async eraseUser(userId: string, ctx: ErasureContext): Promise<void> {
    void ctx;
    // The fan conversation stays readable for the workspace; who answered does not.
    await this.db.query(`UPDATE chatbot_messages SET author_user_id = NULL WHERE author_user_id = $1`, [userId]);
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    await deleteInBatches(this.db, 'chatbot_messages', 'workspace_id = $1', [workspaceId]);
    await this.db.query(`DELETE FROM chatbot_conversations WHERE workspace_id = $1`, [workspaceId]);
    await this.db.query(`DELETE FROM chatbot_auto_reply_rules WHERE workspace_id = $1`, [workspaceId]);
    await this.db.query(`DELETE FROM chatbot_canned_responses WHERE workspace_id = $1`, [workspaceId]);
  }

  async applyRetention(workspaceId: string, windows: RetentionWindows): Promise<Record<string, number>> {
    if (!windows.fanConversationsDays) return {};
    const conversations = await deleteInBatches(
      this.db,
      'chatbot_conversations',
      `workspace_id = $1 AND last_message_at < now() - make_interval(days => $2)`,
      [workspaceId, windows.fanConversationsDays],
      500,
    );
    return { fanConversations: conversations };
  }
}

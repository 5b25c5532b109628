import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PersonalDataRegistry, PersonalDataTable, TablePersonalData } from '@crescendo/platform';

/** Fan conversations and their messages (the owned workspaces', and the messages the user wrote), rules and canned answers. */
@Injectable()
export class ChatbotPersonalData extends TablePersonalData {
  readonly feature = 'chatbot';
  protected readonly map: readonly PersonalDataTable[] = [
    {
      table: 'chatbot_conversations',
      section: 'conversations',
      retention: {
        window: 'fanConversationsDays',
        kind: 'fanConversations',
        where: 'workspace_id = $1 AND last_message_at < now() - make_interval(days => $2)',
      },
    },
    // The fan conversation stays readable for the workspace; who answered does not.
    { table: 'chatbot_messages', section: 'messages', userColumns: ['author_user_id'], batched: true },
    { table: 'chatbot_auto_reply_rules', section: 'autoReplyRules' },
    { table: 'chatbot_canned_responses', section: 'cannedResponses' },
  ];

  constructor(registry: PersonalDataRegistry, @InjectDataSource() db: DataSource) {
    super(registry, db);
  }
}

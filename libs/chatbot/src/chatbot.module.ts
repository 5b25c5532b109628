import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AiModule } from '@crescendo/ai';
import { SettingsModule } from '@crescendo/settings';
import { SubscribersModule } from '@crescendo/subscribers';
import { AutoReplyAi } from './auto-reply-ai';
import { AutoReplyController } from './auto-reply.controller';
import { AutoReplyEngine } from './auto-reply.engine';
import { AutoReplyRulesService } from './auto-reply-rules.service';
import { CannedResponsesController } from './canned-responses.controller';
import { CannedResponsesService } from './canned-responses.service';
import { ChatbotClock } from './chatbot-clock';
import {
  ChatbotAutoReplyRuleEntity,
  ChatbotCannedResponseEntity,
  ChatbotConversationEntity,
  ChatbotMessageEntity,
} from './chatbot.entity';
import { AutoReplyRuleRepository, CannedResponseRepository, ChatbotInboxRepository } from './chatbot.repository';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { FanContext } from './fan-context';
import { ChatbotPersonalData } from './chatbot-personal-data.provider';

/** The fan inbox, auto-reply rules and canned responses (/api/chatbot/*). */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      ChatbotConversationEntity,
      ChatbotMessageEntity,
      ChatbotAutoReplyRuleEntity,
      ChatbotCannedResponseEntity,
    ]),
    // Settings: the workspace time zone; subscribers: links a fan to its subscriber.
    SettingsModule,
    SubscribersModule,
    // AI replies of `ai` rules.
    AiModule,
  ],
  controllers: [ConversationsController, AutoReplyController, CannedResponsesController],
  providers: [
    ChatbotPersonalData,
    ConversationsService,
    AutoReplyRulesService,
    CannedResponsesService,
    AutoReplyEngine,
    AutoReplyAi,
    FanContext,
    ChatbotClock,
    ChatbotInboxRepository,
    AutoReplyRuleRepository,
    CannedResponseRepository,
  ],
  exports: [ConversationsService, AutoReplyRulesService],
})
export class ChatbotModule {}

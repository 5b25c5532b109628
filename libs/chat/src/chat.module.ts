import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AiModule } from '@crescendo/ai';
import { AssistantController } from './assistant.controller';
import { AssistantService } from './assistant.service';
import { ChatExportService } from './chat-export.service';
import { ChatMessageEntity } from './chat-message.entity';
import { ChatMessageRepository } from './chat-message.repository';
import { ChatSearchRepository } from './chat-search.repository';
import { ChatSearchService } from './chat-search.service';
import { ChatSendService } from './chat-send.service';
import { ChatStreamService } from './chat-stream.service';
import { ChatStreamStore } from './chat-stream.store';
import { ChatTurnService } from './chat-turn.service';
import { ChatController } from './chat.controller';
import { ConversationEntity } from './conversation.entity';
import { ConversationRepository } from './conversation.repository';
import { ConversationService } from './conversation.service';
import { ChatPersonalData } from './chat-personal-data.provider';

/**
 * Multi-provider chat and conversations, and assistant sessions, on the same tables: storage in the
 * repositories; conversations, sending, streaming, search and export each in their own service.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ConversationEntity, ChatMessageEntity]), AiModule],
  controllers: [ChatController, AssistantController],
  providers: [
    ChatPersonalData,
    ConversationRepository,
    ChatMessageRepository,
    ChatSearchRepository,
    ChatStreamStore,
    ConversationService,
    ChatTurnService,
    ChatSendService,
    ChatStreamService,
    ChatSearchService,
    ChatExportService,
    AssistantService,
  ],
  exports: [ConversationService, ChatSendService, ChatSearchService, ChatExportService, AssistantService],
})
export class ChatModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AiModule } from '@crescendo/ai';
import { AssistantController } from './assistant.controller';
import { AssistantService } from './assistant.service';
import { ChatExportService } from './chat-export.service';
import { ChatMessageEntity } from './chat-message.entity';
import { ChatStreamService } from './chat-stream.service';
import { ChatController } from './chat.controller';
import { ChatService } from './chat.service';
import { ConversationEntity } from './conversation.entity';

/** Multi-provider chat and conversations (seed 003) and assistant sessions (seed 002), on the same tables. */
@Module({
  imports: [TypeOrmModule.forFeature([ConversationEntity, ChatMessageEntity]), AiModule],
  controllers: [ChatController, AssistantController],
  providers: [ChatService, ChatStreamService, ChatExportService, AssistantService],
  exports: [ChatService],
})
export class ChatModule {}

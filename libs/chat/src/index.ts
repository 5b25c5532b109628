export * from './conversation.entity';
export * from './chat-message.entity';
export * from './chat.module';
export * from './chat.service';
export * from './chat.dto';
export * from './assistant.dto';

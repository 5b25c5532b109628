import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { ChatRole } from './chat.types';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateSessionResponseDto {
  @ApiProperty({ format: 'uuid' }) sessionId: string;
  @ApiProperty({ example: 'Bonjour ! Comment puis-je vous aider ?', description: 'The stored greeting' })
  message: string;
}

export class SessionMessageDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sessionId: string;

  @ApiProperty({ example: 'Comment créer une vidéo ?', maxLength: 20000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  message: string;

  @ApiPropertyOptional({ example: 'GPT-4', description: 'Provider to ask; default: the first configured' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  provider?: string;
}

export class SessionMessageResponseDto {
  @ApiProperty({ format: 'uuid' }) messageId: string;
  @ApiProperty({ example: 'Pour créer une vidéo, allez dans Créalia Studio…' }) content: string;
  @ApiProperty({ format: 'date-time' }) timestamp: string;
}

export class SessionHistoryQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sessionId: string;
}

export class SessionHistoryMessageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ChatRole }) role: ChatRole;
  @ApiProperty() content: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class SessionHistoryResponseDto {
  @ApiProperty({ type: [SessionHistoryMessageDto], description: 'Oldest first' })
  messages: SessionHistoryMessageDto[];
}

export class SessionSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ example: 5 }) messageCount: number;
  @ApiProperty({ description: 'Not closed and a message within the last 30 minutes' }) isActive: boolean;
  @ApiProperty({ format: 'date-time' }) lastMessageAt: string;
}

export class SessionsResponseDto {
  @ApiProperty({ type: [SessionSummaryDto], description: 'Most recently active first (at most 100)' })
  sessions: SessionSummaryDto[];
}

export class SessionParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

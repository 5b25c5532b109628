import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Equals, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { CursorPageMetadataDto, CursorPageSizeQueryDto } from '@crescendo/platform';
import { SubscriberPlatform, subscriberPlatforms } from '@crescendo/subscribers';
import {
  ConversationStatus,
  conversationStatuses,
  MessageAuthor,
  MessageDirection,
  messageDirections,
} from './chatbot.types';
import { handleOf, present, trim } from './chatbot.dto-helpers';

export const MAX_MESSAGE_LENGTH = 5000;
export const PREVIEW_LENGTH = 140;

export class ListConversationsQueryDto extends CursorPageSizeQueryDto {
  @ApiPropertyOptional({ enum: ConversationStatus })
  @IsOptional()
  @IsIn(conversationStatuses)
  status?: ConversationStatus;

  @ApiPropertyOptional({ enum: SubscriberPlatform })
  @IsOptional()
  @IsIn(subscriberPlatforms)
  platform?: SubscriberPlatform;

  @ApiPropertyOptional({ description: 'Case-insensitive match on the fan’s handle or display name', maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  search?: string;
}

export class PostMessageDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Add the message to this conversation (404 if not in the workspace). Without it, platform + fanHandle find the fan’s conversation or start one',
  })
  @IsOptional()
  @IsUUID()
  conversationId?: string;

  @ApiPropertyOptional({
    enum: SubscriberPlatform,
    description: 'Required without conversationId; must match it otherwise',
  })
  @present('platform')
  @IsIn(subscriberPlatforms)
  platform?: SubscriberPlatform;

  @ApiPropertyOptional({
    example: 'jane_doe',
    maxLength: 100,
    description:
      'Required without conversationId; stored lower-cased without a leading @; must match the conversation otherwise',
  })
  @present('fanHandle')
  @Transform(handleOf)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/^\S+$/, { message: 'fanHandle must not contain spaces' })
  fanHandle?: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Jane', description: 'Sets or updates the fan’s display name' })
  @present('fanName')
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  fanName?: string;

  @ApiProperty({
    enum: MessageDirection,
    description: 'inbound: from the fan (runs the auto-reply rules); outbound: written by the caller',
  })
  @IsIn(messageDirections)
  direction: MessageDirection;

  @ApiProperty({ minLength: 1, maxLength: MAX_MESSAGE_LENGTH, example: 'Hi! How much is the VIP tier?' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_MESSAGE_LENGTH)
  body: string;
}

export class UpdateConversationDto {
  @ApiPropertyOptional({ enum: ConversationStatus })
  @present('status')
  @IsIn(conversationStatuses)
  status?: ConversationStatus;

  @ApiPropertyOptional({ enum: [true], description: 'true resets unreadCount to 0' })
  @present('read')
  @Equals(true)
  read?: true;
}

export class MessageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) conversationId: string;
  @ApiProperty({ enum: MessageDirection }) direction: MessageDirection;
  @ApiProperty() body: string;
  @ApiProperty({ type: String, format: 'date-time' }) sentAt: string;
  @ApiProperty({ enum: MessageAuthor, description: 'fan (inbound), user (a member), auto_reply (a rule)' })
  authorType: MessageAuthor;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The member who wrote it' })
  authorUserId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The rule that produced it' })
  autoReplyRuleId: string | null;
}

export class MessagePreviewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: MessageDirection }) direction: MessageDirection;
  @ApiProperty({ description: `The first ${PREVIEW_LENGTH} characters of the body` }) preview: string;
  @ApiProperty({ type: String, format: 'date-time' }) sentAt: string;
  @ApiProperty({ enum: MessageAuthor }) authorType: MessageAuthor;
}

@ApiExtraModels(MessagePreviewDto)
export class ConversationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: SubscriberPlatform }) platform: SubscriberPlatform;
  @ApiProperty({ example: 'jane_doe' }) fanHandle: string;
  @ApiProperty({ type: String, nullable: true }) fanName: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The workspace’s subscriber with this platform + handle (linked when a message is posted)',
  })
  subscriberId: string | null;
  @ApiProperty({ enum: ConversationStatus }) status: ConversationStatus;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastMessageAt: string | null;
  @ApiProperty({ description: 'Inbound messages since a member last replied or marked it read' }) unreadCount: number;
  @ApiProperty({
    nullable: true,
    allOf: [{ $ref: getSchemaPath(MessagePreviewDto) }],
    description: 'null: no message yet',
  })
  lastMessage: MessagePreviewDto | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class ConversationListResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: [ConversationDto] }) data: ConversationDto[];
  @ApiProperty({ type: CursorPageMetadataDto }) metadata: CursorPageMetadataDto;
}

export class ConversationResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: ConversationDto }) data: ConversationDto;
}

export class ConversationWithMessagesDto extends ConversationDto {
  @ApiProperty({ type: [MessageDto], description: 'One page of messages, newest first' }) messages: MessageDto[];
}

export class ConversationDetailResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: ConversationWithMessagesDto }) data: ConversationWithMessagesDto;
  @ApiProperty({ type: CursorPageMetadataDto, description: 'Pagination of data.messages' })
  metadata: CursorPageMetadataDto;
}

export enum AutoReplyOutcome {
  Replied = 'REPLIED',
  NotInbound = 'NOT_INBOUND',
  NoMatch = 'NO_MATCH',
  OutsideActiveHours = 'OUTSIDE_ACTIVE_HOURS',
  Cooldown = 'COOLDOWN',
  AiProviderNotConfigured = 'AI_PROVIDER_NOT_CONFIGURED',
  AiFailed = 'AI_FAILED',
}

export class SkippedRuleDto {
  @ApiProperty({ format: 'uuid' }) ruleId: string;
  @ApiProperty() ruleName: string;
  @ApiProperty({
    enum: [
      AutoReplyOutcome.OutsideActiveHours,
      AutoReplyOutcome.Cooldown,
      AutoReplyOutcome.AiProviderNotConfigured,
      AutoReplyOutcome.AiFailed,
    ],
  })
  reason: AutoReplyOutcome;
}

@ApiExtraModels(MessageDto)
export class AutoReplyResultDto {
  @ApiProperty({ description: 'True when a rule answered' }) fired: boolean;
  @ApiProperty({
    enum: AutoReplyOutcome,
    description:
      'REPLIED; NOT_INBOUND (outbound messages never trigger rules); NO_MATCH (no active rule matched); ' +
      'else why the highest-priority matching rule did not answer: OUTSIDE_ACTIVE_HOURS, COOLDOWN, ' +
      'AI_PROVIDER_NOT_CONFIGURED, AI_FAILED',
  })
  reason: AutoReplyOutcome;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) ruleId: string | null;
  @ApiProperty({ type: String, nullable: true }) ruleName: string | null;
  @ApiProperty({ nullable: true, allOf: [{ $ref: getSchemaPath(MessageDto) }], description: 'The stored reply' })
  reply: MessageDto | null;
  @ApiProperty({
    type: [SkippedRuleDto],
    description: 'Matching rules passed over before the one that fired (or all of them), in priority order',
  })
  skipped: SkippedRuleDto[];
}

export class PostMessageResultDto {
  @ApiProperty({ description: 'True when this message started the conversation' }) conversationCreated: boolean;
  @ApiProperty({ type: ConversationDto, description: 'The conversation after the message (and any reply)' })
  conversation: ConversationDto;
  @ApiProperty({ type: MessageDto }) message: MessageDto;
  @ApiProperty({ type: AutoReplyResultDto }) autoReply: AutoReplyResultDto;
}

export class PostMessageResponseDto {
  @ApiProperty({ example: true }) success: true;
  @ApiProperty({ type: PostMessageResultDto }) data: PostMessageResultDto;
}

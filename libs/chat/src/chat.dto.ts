import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CursorPaginationQueryDto, IsOmittable } from '@crescendo/platform';
import { ChatRole, exportFormats, ExportFormat, MAX_PROVIDERS_PER_MESSAGE } from './chat.types';

// The wire shapes of the /api/chat routes, in the snake_case their API documents; chat.presenter.ts maps
// them to and from the services' camelCase.

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class ChatProviderChoiceDto {
  @ApiProperty({ example: 'GPT-4', description: 'A provider name of GET /api/ai/providers (case-insensitive)' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  provider: string;

  @ApiPropertyOptional({ example: 'gpt-4o', description: 'One of its models; default: its default model' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  model?: string;
}

export class SendChatMessageDto {
  @ApiProperty({ example: 'Bonjour', maxLength: 20000 })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  message: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Continue this conversation; omitted: a new one is created' })
  @IsOptional()
  @IsUUID()
  conversation_id?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['GPT-4', 'Claude'],
    description: 'Provider names (with selected_models). Default: the first configured provider',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PROVIDERS_PER_MESSAGE)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  selected_providers?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'GPT-4': 'gpt-4o' },
    description: 'Model per provider name of selected_providers',
  })
  @IsOptional()
  @IsObject()
  selected_models?: Record<string, string>;

  @ApiPropertyOptional({
    type: [ChatProviderChoiceDto],
    description: 'Alternative to selected_providers: provider and model pairs (the same provider may appear twice)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PROVIDERS_PER_MESSAGE)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ChatProviderChoiceDto)
  providers?: ChatProviderChoiceDto[];

  @ApiPropertyOptional({ minimum: 0, maximum: 2, default: 0.7 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(2)
  temperature?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 32000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(32000)
  max_tokens?: number;

  @ApiPropertyOptional({ example: 'Général', description: 'Folder of a new conversation (default Général)' })
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  folder?: string;
}

export class ChatAnswerDto {
  @ApiProperty({ example: 'GPT-4' }) provider: string;
  @ApiProperty({ example: 'gpt-4o' }) model: string;
  @ApiProperty({ format: 'uuid' }) message_id: string;
  @ApiProperty({ example: 'Bonjour ! Comment puis-je vous aider ?' }) content: string;
  @ApiProperty({ example: 12 }) tokens_in: number;
  @ApiProperty({ example: 9 }) tokens_out: number;
  @ApiProperty({ example: 840 }) latency_ms: number;
}

export class ChatProviderErrorDto {
  @ApiProperty({ example: 'Claude' }) provider: string;
  @ApiProperty({ example: 'claude-3-opus' }) model: string;
  @ApiProperty({ example: 'AI_PROVIDER_ERROR', description: 'AiErrorCode of the failure' }) code: string;
  @ApiProperty({ example: 'AI provider "Claude" failed: 500 upstream error' }) message: string;
  @ApiProperty({ format: 'uuid', description: 'The stored failed answer (role assistant, error set)' })
  message_id: string;
}

export class SendChatMessageResponseDto {
  @ApiProperty({ format: 'uuid' }) conversation_id: string;
  @ApiProperty({ example: 'Stratégie marketing digital' }) title: string;
  @ApiProperty({ format: 'uuid', description: 'The stored user message' }) message_id: string;
  @ApiProperty({ example: 'Bonjour' }) user_message: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'GPT-4': 'Bonjour !' },
    description: 'Answer per provider that succeeded (key `provider/model` when a provider was asked twice)',
  })
  ai_responses: Record<string, string>;
  @ApiProperty({ type: [ChatAnswerDto], description: 'The answers that succeeded, in the order asked' })
  answers: ChatAnswerDto[];
  @ApiProperty({ type: [ChatProviderErrorDto], description: 'One entry per provider that failed' })
  errors: ChatProviderErrorDto[];
  @ApiProperty({ example: 1234, description: 'Wall time of the fan-out, ms' }) response_time: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

/** Page metadata of the chat lists: the documented page fields, and the cursors in the routes' snake_case. */
export class ChatPaginationDto {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 1,
    description: 'The page asked for; null when paging by cursor',
  })
  page: number | null;
  @ApiProperty({ example: 20 }) limit: number;
  @ApiProperty({
    example: 45,
    description: 'Matching rows: exact up to 10 000, beyond it the planner’s estimate (total_is_estimate)',
  })
  total: number;
  @ApiProperty({ example: 3 }) pages: number;
  @ApiProperty({ example: false, description: 'true when total is an estimate (more than 10 000 rows match)' })
  total_is_estimate: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Cursor of the next page (query `cursor`); null on the last page',
  })
  next_cursor: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the page before; null on the first page' })
  prev_cursor: string | null;
}

export class ChatListConversationsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ example: 'Général', description: 'Only this folder (exact)' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  folder?: string;

  @ApiPropertyOptional({ description: 'Only conversations carrying this tag', example: 'marketing' })
  @IsOptional()
  @Transform(lowerTrim)
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  tag?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only favourites (true) or the others (false)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  favorite?: 'true' | 'false';
}

export class ChatConversationSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Discussion marketing' }) title: string;
  @ApiProperty({ example: 'Général' }) folder: string;
  @ApiProperty() is_favorite: boolean;
  @ApiProperty({ type: [String], example: ['marketing'] }) tags: string[];
  @ApiProperty({ example: 'Comment améliorer ma stratégie…', description: 'Start of the last message (200 chars)' })
  preview: string;
  @ApiProperty({ example: 15 }) message_count: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export class ChatConversationListResponseDto {
  @ApiProperty({ type: [ChatConversationSummaryDto], description: 'Most recently active first' })
  conversations: ChatConversationSummaryDto[];
  @ApiProperty({ type: ChatPaginationDto }) pagination: ChatPaginationDto;
}

export class ChatMessageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ChatRole }) role: ChatRole;
  @ApiProperty({ example: 'Voici quelques conseils…' }) content: string;
  @ApiProperty({ type: String, nullable: true, example: 'GPT-4', description: 'Provider of an answer' })
  ai_provider: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'gpt-4o' }) model: string | null;
  @ApiProperty({ type: Number, nullable: true }) tokens_in: number | null;
  @ApiProperty({ type: Number, nullable: true }) tokens_out: number | null;
  @ApiProperty({ type: Number, nullable: true }) latency_ms: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Error code of a failed answer' }) error: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class ChatConversationDetailDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty() folder: string;
  @ApiProperty() is_favorite: boolean;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty() message_count: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
  @ApiProperty({ type: [ChatMessageDto], description: 'Oldest first' }) messages: ChatMessageDto[];
}

export class RenameConversationDto {
  @ApiProperty({ example: 'Plan de lancement', description: 'Stored trimmed; 1 to 200 characters' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;
}

export class FavoriteResponseDto {
  @ApiProperty() is_favorite: boolean;
}

export class DeletedResponseDto {
  @ApiProperty({ example: 'Conversation deleted successfully' }) message: string;
}

export class AddTagDto {
  @ApiProperty({ example: 'marketing', description: 'Stored trimmed and lower-cased; letters, digits, space, - _' })
  @Transform(lowerTrim)
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  @Matches(/^[\p{L}\p{N} _-]+$/u, { message: 'tag may hold letters, digits, spaces, - and _' })
  tag: string;
}

export class TagParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;

  @ApiProperty({ example: 'marketing' })
  @Transform(lowerTrim)
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  tag: string;
}

export class TagsResponseDto {
  @ApiProperty({ type: [String], example: ['marketing', 'stratégie'] }) tags: string[];
}

export class FolderDto {
  @ApiProperty({ example: 'Général' }) name: string;
  @ApiProperty({ example: 12 }) count: number;
}

export class FoldersResponseDto {
  @ApiProperty({ type: [FolderDto], description: 'Folders holding at least one conversation, by name' })
  folders: FolderDto[];
}

export class SearchChatQueryDto extends CursorPaginationQueryDto {
  @ApiProperty({
    example: 'stratégie -vente',
    description: 'Web-search syntax (websearch_to_tsquery): words, "a phrase", or, -word. Accents are ignored.',
  })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q: string;
}

export class ChatSearchResultDto {
  @ApiProperty({ format: 'uuid' }) conversation_id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null when the title matched' })
  message_id: string | null;
  @ApiProperty({ example: 'Discussion marketing' }) title: string;
  @ApiProperty({
    example: '…améliorer ma <mark>stratégie</mark> marketing…',
    description:
      'ts_headline of the match: matched words between <mark> and </mark>, an excerpt of at most 35 words around the best match',
  })
  snippet: string;
  @ApiProperty({ example: 0.0607, description: 'ts_rank (title matches weigh double); results by rank, best first' })
  rank: number;
  @ApiProperty({ format: 'date-time', description: 'When the message was written (the conversation’s last update)' })
  date: string;
}

export class ChatSearchResponseDto {
  @ApiProperty({ type: [ChatSearchResultDto] }) results: ChatSearchResultDto[];
  @ApiProperty({ type: ChatPaginationDto }) pagination: ChatPaginationDto;
}

export class ExportConversationQueryDto {
  @ApiProperty({ enum: exportFormats, example: 'pdf' })
  @IsIn(exportFormats)
  format: ExportFormat;
}

export class StreamParamDto {
  @ApiProperty({ format: 'uuid', description: 'The stream id (first event of POST /api/chat/send/stream)' })
  @IsUUID()
  id: string;
}

export class ResumeStreamQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: -1,
    default: -1,
    description: 'Index of the last event received: replay starts after it (-1: from the start)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(-1)
  after = -1;
}

export class AbortStreamResponseDto {
  @ApiProperty({ format: 'uuid' }) stream_id: string;
  @ApiProperty({ description: 'true: the abort was sent (a finished stream is left as is)' }) aborted: boolean;
}

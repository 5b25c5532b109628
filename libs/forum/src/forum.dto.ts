import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { CursorPaginationMetaDto, CursorPaginationQueryDto, IsOmittable } from '@crescendo/platform';
import { forumCategoryIds, type ForumCategory } from './forum.categories';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ForumTopicIdParamDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id: string;
}

export class ListForumTopicsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: forumCategoryIds }) @IsOptional() @IsIn(forumCategoryIds) category?: ForumCategory;
  @ApiPropertyOptional({ description: 'Full-text search in titles and contents (Postgres, any language)' })
  @IsOptional()
  @IsString()
  @Transform(trim)
  @MaxLength(200)
  search?: string;
}

export class CreateForumTopicDto {
  @ApiProperty({ minLength: 3, maxLength: 200 })
  @IsString()
  @Transform(trim)
  @MinLength(3)
  @MaxLength(200)
  title: string;
  @ApiProperty({ description: 'Markdown (rendered and sanitised on the server)', minLength: 1, maxLength: 20000 })
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(20000)
  content: string;
  @ApiProperty({ enum: forumCategoryIds }) @IsIn(forumCategoryIds) category: ForumCategory;
}

/** Edits within FORUM_EDIT_WINDOW_MINUTES of posting; fields left out stay as they are. */
export class UpdateForumTopicDto {
  @ApiPropertyOptional({ minLength: 3, maxLength: 200 })
  @IsOmittable()
  @IsString()
  @Transform(trim)
  @MinLength(3)
  @MaxLength(200)
  title?: string;
  @ApiPropertyOptional({ description: 'Markdown', minLength: 1, maxLength: 20000 })
  @IsOmittable()
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(20000)
  content?: string;
}

export class ForumReportIdParamDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id: string;
}

export class ForumCommentIdParamDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id: string;
}

export class CreateForumCommentDto {
  @ApiProperty({ description: 'Markdown', minLength: 1, maxLength: 10000 })
  @IsString()
  @Transform(trim)
  @MinLength(1)
  @MaxLength(10000)
  content: string;
}

export class ModerateForumTopicDto {
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() isPinned?: boolean;
  @ApiPropertyOptional() @IsOmittable() @IsBoolean() isLocked?: boolean;
  @ApiPropertyOptional({ description: 'Hidden topics are left out of lists and answer 404 to readers' })
  @IsOmittable()
  @IsBoolean()
  isHidden?: boolean;
}

export class ForumCategoryDto {
  @ApiProperty({ enum: forumCategoryIds }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
}

export class ForumCategoriesResponseDto {
  @ApiProperty({ type: [ForumCategoryDto] }) categories: ForumCategoryDto[];
}

export class ForumTopicSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: forumCategoryIds }) category: string;
  @ApiProperty({ type: String, nullable: true, description: 'null once the author erased their account' })
  userId: string | null;
  @ApiProperty({ description: 'The author’s display name' }) userName: string;
  @ApiProperty() views: number;
  @ApiProperty() commentCount: number;
  @ApiProperty() isPinned: boolean;
  @ApiProperty() isLocked: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ForumTopicsResponseDto {
  @ApiProperty({ type: [ForumTopicSummaryDto] }) topics: ForumTopicSummaryDto[];
  @ApiProperty({ type: CursorPaginationMetaDto }) pagination: CursorPaginationMetaDto;
}

export class ForumTopicDetailDto extends ForumTopicSummaryDto {
  @ApiProperty({ description: 'Markdown as written' }) content: string;
  @ApiProperty({ description: 'Rendered, sanitised HTML' }) contentHtml: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) editedAt: string | null;
}

export class ForumCommentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() content: string;
  @ApiProperty() contentHtml: string;
  @ApiProperty({ type: String, nullable: true }) userId: string | null;
  @ApiProperty() userName: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ForumTopicResponseDto {
  @ApiProperty({ type: ForumTopicDetailDto }) topic: ForumTopicDetailDto;
  @ApiProperty({ type: [ForumCommentDto], description: 'Oldest first (at most 500; hidden ones left out)' })
  comments: ForumCommentDto[];
}

export class ForumTopicCreatedDto {
  @ApiProperty({ format: 'uuid' }) topicId: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ForumCommentCreatedDto {
  @ApiProperty({ format: 'uuid' }) commentId: string;
  @ApiProperty() content: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CreateForumReportDto {
  @ApiProperty({ minLength: 3, maxLength: 500, example: 'Spam link' })
  @IsString()
  @Transform(trim)
  @MinLength(3)
  @MaxLength(500)
  reason: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'A comment of the topic; left out: the topic itself' })
  @IsOptional()
  @IsUUID()
  commentId?: string;
}

export class ForumReportCreatedDto {
  @ApiProperty({ format: 'uuid' }) reportId: string;
}

export class ListForumReportsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'resolved', 'dismissed'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'resolved', 'dismissed'])
  status?: 'open' | 'resolved' | 'dismissed';
}

export class HandleForumReportDto {
  @ApiProperty({ enum: ['resolved', 'dismissed'] }) @IsIn(['resolved', 'dismissed']) status: 'resolved' | 'dismissed';
}

export class ForumReportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) topicId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) commentId: string | null;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ['open', 'resolved', 'dismissed'] }) status: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) handledAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

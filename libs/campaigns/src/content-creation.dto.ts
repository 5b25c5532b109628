import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { CursorPaginationMetaDto, CursorPaginationQueryDto } from '@crescendo/platform';
import { CampaignStatus, campaignStatuses } from './campaigns.types';
import { CampaignResponseDto } from './campaigns.dto';
import { PostPlatform, postPlatforms, ScheduledPostStatus, scheduledPostStatuses } from './campaigns.types';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerTrim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** The `meta` block of every content-creation answer. */
export class ResponseMetaDto {
  @ApiProperty({ example: '5b3c9a1e-2f0e-4a43-9d53-8d7b7a3f5a10' }) requestId: string;
  @ApiProperty({ type: String, format: 'date-time' }) timestamp: string;
  @ApiProperty({ example: 12.5, description: 'Milliseconds spent on the request' }) duration: number;
}

export class ListContentCampaignsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: CampaignStatus })
  @IsOptional()
  @IsIn(campaignStatuses)
  status?: CampaignStatus;

  @ApiPropertyOptional({ description: 'Case-insensitive match on the name', maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;
}

export class ContentCampaignListDto {
  @ApiProperty({ type: [CampaignResponseDto] }) campaigns: CampaignResponseDto[];
  @ApiProperty({ type: CursorPaginationMetaDto }) pagination: CursorPaginationMetaDto;
}

export class ContentCampaignListResponseDto {
  @ApiProperty({ example: true }) success: boolean;
  @ApiProperty({ type: ContentCampaignListDto }) data: ContentCampaignListDto;
  @ApiProperty({ type: ResponseMetaDto }) meta: ResponseMetaDto;
}

export class ContentCampaignDto {
  @ApiProperty({ type: CampaignResponseDto }) campaign: CampaignResponseDto;
}

export class ContentCampaignResponseDto {
  @ApiProperty({ example: true }) success: boolean;
  @ApiProperty({ type: ContentCampaignDto }) data: ContentCampaignDto;
  @ApiProperty({ type: ResponseMetaDto }) meta: ResponseMetaDto;
}

export class ListScheduledPostsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Publishing at or after (ISO 8601)' })
  @IsOptional()
  @IsDateString({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Publishing before (ISO 8601, exclusive)' })
  @IsOptional()
  @IsDateString({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: postPlatforms })
  @IsOptional()
  @Transform(lowerTrim)
  @IsIn(postPlatforms)
  platform?: PostPlatform;

  @ApiPropertyOptional({ enum: ScheduledPostStatus })
  @IsOptional()
  @IsIn(scheduledPostStatuses)
  status?: ScheduledPostStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only posts of this campaign' })
  @IsOptional()
  @IsUUID()
  campaignId?: string;
}

export class CreateScheduledPostDto {
  @ApiProperty({ enum: postPlatforms, example: 'instagram' })
  @Transform(lowerTrim)
  @IsIn(postPlatforms)
  platform: PostPlatform;

  @ApiProperty({ maxLength: 5000, example: 'New drop this Friday ✨' })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  caption: string;

  @ApiPropertyOptional({ type: [String], format: 'uri', maxItems: 20, example: ['https://cdn.example.com/a.jpg'] })
  @ValidateIf((o: CreateScheduledPostDto) => o.mediaUrls !== undefined)
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { each: true })
  @MaxLength(2000, { each: true })
  mediaUrls?: string[];

  @ApiProperty({ type: String, format: 'date-time', description: 'In the future (400 PUBLISH_AT_IN_PAST otherwise)' })
  @IsDateString({ strict: true })
  publishAt: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'A campaign of the workspace' })
  @IsOptional()
  @IsUUID()
  campaignId?: string | null;
}

export class ScheduledPostResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: postPlatforms }) platform: PostPlatform;
  @ApiProperty() caption: string;
  @ApiProperty({ type: [String] }) mediaUrls: string[];
  @ApiProperty({ type: String, format: 'date-time' }) publishAt: string;
  @ApiProperty({ enum: ScheduledPostStatus }) status: ScheduledPostStatus;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) campaignId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) createdById: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class ScheduledPostListDto {
  @ApiProperty({ type: [ScheduledPostResponseDto] }) posts: ScheduledPostResponseDto[];
  @ApiProperty({ type: CursorPaginationMetaDto }) pagination: CursorPaginationMetaDto;
}

export class ScheduledPostListResponseDto {
  @ApiProperty({ example: true }) success: boolean;
  @ApiProperty({ type: ScheduledPostListDto }) data: ScheduledPostListDto;
  @ApiProperty({ type: ResponseMetaDto }) meta: ResponseMetaDto;
}

export class ScheduledPostDto {
  @ApiProperty({ type: ScheduledPostResponseDto }) post: ScheduledPostResponseDto;
}

export class ScheduledPostCreatedResponseDto {
  @ApiProperty({ example: true }) success: boolean;
  @ApiProperty({ type: ScheduledPostDto }) data: ScheduledPostDto;
  @ApiProperty({ type: ResponseMetaDto }) meta: ResponseMetaDto;
}

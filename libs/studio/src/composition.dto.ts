import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CursorPaginationQueryDto } from '@crescendo/platform';
import { JobAcceptedResponseDto, JobErrorDto, jobStatuses, JobStatus } from '@crescendo/jobs';
import { TRANSITIONS } from './composition';

/** The studio's job types (GET /api/studio/jobs?type=). */
export const STUDIO_JOB_TYPES = ['studio.compose'] as const;

const assetRef =
  'One of the workspace’s assets: its `url` (`/api/studio/assets/<id>/download`) or its id. Anything else is a 400.';

export class ComposeClipDto {
  @ApiProperty({ example: '/api/studio/assets/6f1c…/download', description: assetRef })
  @IsString()
  @MaxLength(300)
  url: string;

  @ApiPropertyOptional({ minimum: 0, example: 0, description: 'In point (seconds into a video clip); default 0' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  startTime?: number;

  @ApiPropertyOptional({ minimum: 0, example: 10, description: 'Out point (seconds); default the clip’s end' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  endTime?: number;

  @ApiPropertyOptional({
    minimum: 0.1,
    maximum: 600,
    description: 'How long an image clip shows (seconds; default 5); for a video, endTime − startTime',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(600)
  duration?: number;
}

export class SubtitleCueDto {
  @ApiProperty({ minimum: 0, example: 0 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) start: number;
  @ApiProperty({ minimum: 0, example: 2.5 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) end: number;
  @ApiProperty({ maxLength: 500, example: 'Bonjour, bienvenue sur Créalia' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  text: string;
}

export class ComposeVideoDto {
  @ApiProperty({ type: [ComposeClipDto], minItems: 1, maxItems: 50, description: 'In order' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ComposeClipDto)
  clips: ComposeClipDto[];

  @ApiPropertyOptional({
    enum: TRANSITIONS,
    isArray: true,
    example: ['fade'],
    description: 'Between the clips: one per boundary (clips − 1), or one for all; `cut` for none. Default cuts.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(49)
  @IsIn(TRANSITIONS, { each: true })
  transitions?: (typeof TRANSITIONS)[number][];

  @ApiPropertyOptional({ minimum: 0.1, maximum: 5, default: 0.5, description: 'Seconds each transition lasts' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(5)
  transitionDuration?: number;

  @ApiPropertyOptional({ description: `Background music, looped to the video’s length. ${assetRef}` })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  music?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 2, default: 0.3, description: 'Music level (1: as recorded)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(2)
  musicVolume?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 10, default: 1, description: 'Music fade-in and fade-out (seconds)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(10)
  musicFade?: number;

  @ApiPropertyOptional({ description: `A voice-over track (e.g. POST /api/ai/voice’s audio). ${assetRef}` })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  voiceOver?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'When the voice-over starts (seconds); default 0' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  voiceOverStart?: number;

  @ApiPropertyOptional({
    type: [SubtitleCueDto],
    maxItems: 1000,
    description: 'Cues in output time (POST /api/ai/subtitles’ output fits as is)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => SubtitleCueDto)
  subtitles?: SubtitleCueDto[];

  @ApiPropertyOptional({
    enum: ['burn', 'track'],
    default: 'burn',
    description: '`burn`: drawn into the picture; `track`: a subtitle stream (mov_text in MP4, WebVTT in WebM)',
  })
  @IsOptional()
  @IsIn(['burn', 'track'])
  subtitlesMode?: 'burn' | 'track';

  @ApiPropertyOptional({ enum: ['mp4', 'webm'], default: 'mp4' })
  @IsOptional()
  @IsIn(['mp4', 'webm'])
  outputFormat?: 'mp4' | 'webm';

  @ApiPropertyOptional({ minimum: 128, maximum: 3840, default: 1280, description: 'Even number of pixels' })
  @IsOptional()
  @IsInt()
  @Min(128)
  @Max(3840)
  width?: number;

  @ApiPropertyOptional({ minimum: 128, maximum: 2160, default: 720, description: 'Even number of pixels' })
  @IsOptional()
  @IsInt()
  @Min(128)
  @Max(2160)
  height?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 60, default: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  fps?: number;

  @ApiPropertyOptional({ maxLength: 255, description: 'Title of the output asset; default "Composition"' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  title?: string;
}

/** 202 of POST /api/studio/video/compose. */
export class ComposeAcceptedDto extends JobAcceptedResponseDto {
  @ApiProperty({ example: 60, description: 'Seconds the composition should take, from its inputs’ durations' })
  estimatedTime: number;
}

@ApiExtraModels(JobErrorDto)
export class StudioJobDto {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ enum: STUDIO_JOB_TYPES, example: 'studio.compose' }) type: string;
  @ApiProperty({ enum: jobStatuses, example: JobStatus.Processing }) status: JobStatus;
  @ApiProperty({ minimum: 0, maximum: 100, example: 42 }) progress: number;
  @ApiProperty({ type: String, nullable: true }) message: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'A completed composition: `{assetId, videoUrl, duration, size, width, height, format}`; the video is an asset',
    example: { assetId: '6f1c…', videoUrl: '/api/studio/assets/6f1c…/download', duration: 60 },
  })
  output: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, allOf: [{ $ref: getSchemaPath(JobErrorDto) }] }) error: JobErrorDto | null;
  @ApiProperty() attempts: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
}

export class ListStudioJobsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: jobStatuses })
  @IsOptional()
  @IsIn(jobStatuses)
  status?: JobStatus;

  @ApiPropertyOptional({ enum: STUDIO_JOB_TYPES })
  @IsOptional()
  @IsIn(STUDIO_JOB_TYPES)
  type?: (typeof STUDIO_JOB_TYPES)[number];
}

export class StudioJobParamsDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() jobId: string;
}

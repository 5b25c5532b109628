import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { JobStatus, jobStatuses } from '@crescendo/jobs';

export const IMAGE_SIZES = ['1024x1024', '1792x1024', '1024x1792'] as const;
export const IMAGE_QUALITIES = ['standard', 'hd'] as const;
export const VOICES = ['alloy', 'ash', 'coral', 'echo', 'fable', 'onyx', 'nova', 'sage', 'shimmer'] as const;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

class AiMediaProviderDto {
  @ApiPropertyOptional({ description: 'An AI provider name (GET /api/ai/providers); default: the first' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  provider?: string;
}

export class GenerateImageDto extends AiMediaProviderDto {
  @ApiProperty({ minLength: 1, maxLength: 4000, example: 'A futuristic city at sunset' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  prompt: string;

  @ApiPropertyOptional({ enum: IMAGE_SIZES, default: '1024x1024' })
  @IsOptional()
  @IsIn(IMAGE_SIZES)
  size: (typeof IMAGE_SIZES)[number] = '1024x1024';

  @ApiPropertyOptional({ enum: IMAGE_QUALITIES, default: 'standard' })
  @IsOptional()
  @IsIn(IMAGE_QUALITIES)
  quality: (typeof IMAGE_QUALITIES)[number] = 'standard';
}

export class GenerateVoiceDto extends AiMediaProviderDto {
  @ApiProperty({ minLength: 1, maxLength: 4096, example: 'Bonjour, bienvenue sur Créalia' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  text: string;

  @ApiPropertyOptional({ enum: VOICES, default: 'alloy' })
  @IsOptional()
  @IsIn(VOICES)
  voice: (typeof VOICES)[number] = 'alloy';

  @ApiPropertyOptional({ type: Number, minimum: 0.25, maximum: 4, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0.25)
  @Max(4)
  speed = 1;
}

export class GenerateSubtitlesDto extends AiMediaProviderDto {
  @ApiProperty({
    maxLength: 2000,
    example: '/api/studio/assets/6f1c…/download',
    description:
      'One of the workspace’s audio or video assets (its url, or a voice-over’s audioUrl), or an http(s) URL ' +
      'fetched under the same rules as outgoing webhooks (no private addresses, no redirects, 25 MB at most)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  audioUrl: string;

  @ApiPropertyOptional({ example: 'fr', description: 'ISO-639-1 language of the speech; omitted: detected' })
  @IsOptional()
  @Matches(/^[a-z]{2}$/, { message: 'language must be an ISO-639-1 code such as fr or en' })
  language?: string;
}

export class SubtitleSegmentDto {
  @ApiProperty({ example: 0, description: 'Seconds from the start' }) start: number;
  @ApiProperty({ example: 2.5 }) end: number;
  @ApiProperty({ example: 'Bonjour, bienvenue sur Créalia' }) text: string;
}

export class AiImageOutputDto {
  @ApiProperty({ type: [String], example: ['/api/studio/assets/6f1c…/download'] }) urls: string[];
  @ApiProperty({ type: [String], description: 'The studio assets holding the images' }) assetIds: string[];
  @ApiProperty({ type: String, nullable: true, description: 'The prompt as the model rewrote it' })
  revisedPrompt: string | null;
}

export class AiVoiceOutputDto {
  @ApiProperty({ example: '/api/ai/voice/6f1c…/audio.mp3', description: 'Serves the MP3 (Range honoured)' })
  audioUrl: string;
  @ApiProperty({ format: 'uuid', description: 'The studio asset holding the audio' }) assetId: string;
  @ApiProperty({ type: Number, nullable: true, example: 2.4 }) durationSeconds: number | null;
}

@ApiExtraModels(SubtitleSegmentDto)
export class AiSubtitlesOutputDto {
  @ApiProperty({ type: [SubtitleSegmentDto] }) subtitles: SubtitleSegmentDto[];
  @ApiProperty({ type: String, nullable: true, example: 'french' }) language: string | null;
  @ApiProperty({ example: '/api/ai/subtitles/6f1c…/subtitles.srt' }) srtUrl: string;
  @ApiProperty({ example: '/api/ai/subtitles/6f1c…/subtitles.vtt' }) vttUrl: string;
  @ApiProperty({ format: 'uuid', description: 'The studio asset holding the SRT file' }) assetId: string;
}

class AiMediaJobBase {
  @ApiProperty({ format: 'uuid', description: 'Follow it at GET /api/jobs/:id (its result is `output`)' })
  jobId: string;
  @ApiProperty({ enum: jobStatuses, example: JobStatus.Completed }) status: JobStatus;
}

export class AiImageResponseDto extends AiMediaJobBase {
  @ApiProperty({ type: AiImageOutputDto }) output: AiImageOutputDto;
}

export class AiVoiceResponseDto extends AiMediaJobBase {
  @ApiProperty({ type: AiVoiceOutputDto }) output: AiVoiceOutputDto;
}

export class AiSubtitlesResponseDto extends AiMediaJobBase {
  @ApiProperty({ type: AiSubtitlesOutputDto }) output: AiSubtitlesOutputDto;
}

export class AiMediaJobParamDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  jobId: string;
}

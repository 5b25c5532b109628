import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { CursorPaginationQueryDto } from '@crescendo/platform';

const ASSET_KINDS = ['image', 'video', 'audio', 'document', 'text'] as const;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class UploadResponseDto {
  @ApiProperty({ format: 'uuid', description: 'The asset id' }) fileId: string;
  @ApiProperty({ example: '/api/studio/assets/6f1c…/download', description: 'Authenticated download of the file' })
  url: string;
  @ApiProperty({ example: 15728640 }) size: number;
  @ApiProperty({ example: 'video/mp4', description: 'Read from the file’s own bytes, not the declared type' })
  mimeType: string;
}

export class AssetResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Intro clip' }) title: string;
  @ApiProperty({ example: 'intro.mp4' }) originalName: string;
  @ApiProperty({ type: String, nullable: true, example: 'campaign/spring' }) folder: string | null;
  @ApiProperty({ type: [String], example: ['intro'] }) tags: string[];
  @ApiProperty({ enum: ASSET_KINDS }) kind: string;
  @ApiProperty({ example: 'video/mp4' }) mimeType: string;
  @ApiProperty({ example: 15728640 }) size: number;
  @ApiProperty({
    example: 'upload',
    description: 'What produced the asset: upload, text, ai-image, tts, subtitles, composition',
  })
  source: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The job that produced it (null: upload)' })
  jobId: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 1280, description: 'Pixels, as displayed (EXIF orientation)' })
  width: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 720 }) height: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 12.5, description: 'Audio and video, from ffprobe' })
  durationSeconds: number | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { format: 'mov,mp4,m4a,3gp,3g2,mj2', streams: [{ type: 'video', codec: 'h264', fps: 25 }] },
    description:
      'Read from the file: container `format`, `bitRate`, `streams` (type, codec, size, sample rate, fps); for ' +
      'images `format`, `space`, `exif` (make, model, software, dateTime, orientation) and `location` ' +
      '(`removed`: the GPS data was stripped from the stored file, `kept`)',
  })
  metadata: Record<string, unknown>;
  @ApiProperty({ example: '/api/studio/assets/6f1c…/download' }) url: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '/api/studio/assets/6f1c…/thumbnail',
    description: 'Thumbnail (images) or poster frame (videos), at most 320 px',
  })
  thumbnailUrl: string | null;
  @ApiProperty({
    example: '/api/studio/files/6f1c…/file?expires=1796563200&signature=…',
    description: 'The file without credentials (for <img>, <video>; Range honoured) for one to two hours',
  })
  signedUrl: string;
  @ApiProperty({ type: String, nullable: true, description: 'The thumbnail, signed the same way' })
  signedThumbnailUrl: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class SignedFileParamsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
  @ApiProperty({ enum: ['file', 'thumbnail'] })
  @IsIn(['file', 'thumbnail'])
  variant: 'file' | 'thumbnail';
}

export class SignedFileQueryDto {
  @ApiProperty({ description: 'Unix time (seconds) after which the link stops working' })
  @Type(() => Number)
  @IsInt()
  expires: number;
  @ApiProperty({ description: 'HMAC of the asset id, variant and expiry' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/)
  signature: string;
}

export class StorageUsageResponseDto {
  @ApiProperty({ example: 15728640, description: 'Bytes the workspace’s assets take' }) used: number;
  @ApiProperty({ type: Number, nullable: true, example: 1073741824, description: 'Bytes allowed (null: no limit)' })
  total: number | null;
}

export class ListAssetsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: ASSET_KINDS })
  @IsOptional()
  @IsIn(ASSET_KINDS)
  kind?: (typeof ASSET_KINDS)[number];

  @ApiPropertyOptional({ description: 'Only the assets of this folder (exact)' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  folder?: string;

  @ApiPropertyOptional({ description: 'Only the assets carrying this tag' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  tag?: string;

  @ApiPropertyOptional({ description: 'Part of the title or file name (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class UpdateAssetDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 255 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  title?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 20, description: 'Replaces the tags' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 255, description: 'null takes it out of folders' })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  folder?: string | null;
}

export class CreateTextAssetDto {
  @ApiProperty({ minLength: 1, maxLength: 255, example: 'Caption ideas for spring' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  title: string;

  @ApiProperty({ maxLength: 100000, description: 'The text itself (UTF-8), stored as a text/plain file' })
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  content: string;

  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  folder?: string;
}

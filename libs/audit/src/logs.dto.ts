import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CursorPaginationQueryDto } from '@crescendo/platform';
import { LogLevel, LogType } from './audit.types';

/** Filters shared by every log route; newest first. */
export class FilterLogsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: LogLevel, description: 'Only entries of this level' })
  @IsOptional()
  @IsEnum(LogLevel)
  level?: LogLevel;

  @ApiPropertyOptional({ example: 'login_success', maxLength: 64, description: 'Only entries with this exact action' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z0-9_.:-]+$/i, { message: 'action must contain only letters, digits and _ . : -' })
  action?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only entries caused by this user' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-01-01T00:00:00Z',
    description: 'Entries at or after this time',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-01-31T23:59:59Z',
    description: 'Entries at or before this time',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class ListLogsQueryDto extends FilterLogsQueryDto {
  @ApiPropertyOptional({ enum: LogType, description: 'Only entries of this type' })
  @IsOptional()
  @IsEnum(LogType)
  type?: LogType;
}

export class LogResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: LogType }) type: LogType;
  @ApiProperty({ enum: LogLevel }) level: LogLevel;
  @ApiProperty({ example: 'login_success' }) action: string;
  @ApiProperty({ example: 'Signed in' }) message: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The user who caused the entry' })
  userId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The API key that caused the entry' })
  apiKeyId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Structured context of the entry' })
  metadata: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true, description: 'Request id, to match server logs' })
  requestId: string | null;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' }) ip: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

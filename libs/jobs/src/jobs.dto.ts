import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { IsInt, IsString, IsUUID, Matches } from 'class-validator';
import { Type } from 'class-transformer';
import { JobStatus, jobStatuses } from './jobs.types';

export class JobErrorDto {
  @ApiProperty({ example: 'IMPORT_FILE_UNREADABLE' }) code: string;
  @ApiProperty({ example: 'The file is not a valid CSV' }) message: string;
}

export class JobFileDto {
  @ApiProperty({ example: 'report.csv' }) name: string;
  @ApiProperty({ example: 'text/csv' }) contentType: string;
  @ApiProperty({ example: 1024 }) size: number;
  @ApiProperty({ description: 'Signed download link; works without a token until expiresAt' }) url: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

@ApiExtraModels(JobErrorDto)
export class JobResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'leads.import', description: 'What the job does' }) type: string;
  @ApiProperty({ enum: jobStatuses, example: JobStatus.Processing }) status: JobStatus;
  @ApiProperty({ minimum: 0, maximum: 100, example: 42 }) progress: number;
  @ApiProperty({ type: String, nullable: true, example: '42 000 of 100 000 rows' }) message: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Output of a completed job; its shape depends on the job type',
  })
  result: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, allOf: [{ $ref: getSchemaPath(JobErrorDto) }], description: 'Why it failed' })
  error: JobErrorDto | null;
  @ApiProperty({ type: [JobFileDto] }) files: JobFileDto[];
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
}

/** Answer of a route that queued a job (202). */
export class JobAcceptedResponseDto {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ enum: jobStatuses, example: JobStatus.Pending }) status: JobStatus;
  @ApiProperty({ example: '/api/jobs/6f1c…', description: 'Poll this, or follow /events for live progress' })
  statusUrl: string;
}

export class JobFileParamsDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id: string;
  @ApiProperty({ example: 'report.csv' }) @IsString() @Matches(/^[A-Za-z0-9._-]{1,100}$/) name: string;
}

export class JobFileQueryDto {
  @ApiProperty({ description: 'Unix time (seconds) after which the link stops working' })
  @Type(() => Number)
  @IsInt()
  expires: number;
  @ApiProperty({ description: 'HMAC of the job id, file name and expiry' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/)
  signature: string;
}

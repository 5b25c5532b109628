import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional, IsString, MaxLength } from 'class-validator';
import { aiProviderKinds, CursorPaginationMetaDto, CursorPaginationQueryDto } from '@crescendo/platform';
import { aiUsageStatuses } from './ai.types';

export class AiUsageQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'From this instant, inclusive (default: 30 days ago)' })
  @IsOptional()
  @IsDateString({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Until this instant, exclusive (default: now)' })
  @IsOptional()
  @IsDateString({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Only this provider (exact name)', example: 'GPT-4' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  provider?: string;

  @ApiPropertyOptional({ description: 'Only this feature', example: 'chat' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  feature?: string;
}

export class AiUsageTotalsDto {
  @ApiProperty({ example: 42, description: 'Calls, including failed and cached ones' }) requests: number;
  @ApiProperty({ example: 3 }) errors: number;
  @ApiProperty({ example: 5, description: 'Calls answered from the prompt cache' }) cached: number;
  @ApiProperty({ example: 12000 }) inputTokens: number;
  @ApiProperty({ example: 3400 }) outputTokens: number;
  @ApiProperty({ example: 0.064, description: 'USD' }) costUsd: number;
}

export class AiUsageGroupDto extends AiUsageTotalsDto {
  @ApiProperty({ example: 'GPT-4', description: 'The provider, model or feature this line totals' }) name: string;
  @ApiPropertyOptional({ example: 'GPT-4', description: 'The provider of the model (byModel lines only)' })
  provider?: string;
}

export class AiUsageRowDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for system calls (jobs)' })
  userId: string | null;
  @ApiProperty({ example: 'GPT-4' }) provider: string;
  @ApiProperty({ example: 'gpt-4o' }) model: string;
  @ApiProperty({ example: 'chat' }) feature: string;
  @ApiProperty({ example: 120 }) inputTokens: number;
  @ApiProperty({ example: 40 }) outputTokens: number;
  @ApiProperty({ example: 0.0007, description: 'USD' }) costUsd: number;
  @ApiProperty({ example: 850 }) latencyMs: number;
  @ApiProperty({ enum: aiUsageStatuses, example: 'ok' }) status: (typeof aiUsageStatuses)[number];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'The error code of a failed call' })
  errorCode: string | null;
  @ApiProperty({
    type: [String],
    example: ['lead_profile', 'email_redacted'],
    description: 'Kinds of personal data the call carried; `_redacted`: replaced by placeholders before it left',
  })
  dataCategories: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AiUsageResponseDto {
  @ApiProperty({ format: 'date-time', description: 'The period: from (inclusive)' }) from: string;
  @ApiProperty({ format: 'date-time', description: 'The period: to (exclusive)' }) to: string;
  @ApiProperty({ type: AiUsageTotalsDto }) totals: AiUsageTotalsDto;
  @ApiProperty({ type: [AiUsageGroupDto], description: 'Totals by provider, most expensive first' })
  byProvider: AiUsageGroupDto[];
  @ApiProperty({ type: [AiUsageGroupDto], description: 'Totals by provider and model, most expensive first' })
  byModel: AiUsageGroupDto[];
  @ApiProperty({ type: [AiUsageGroupDto], description: 'Totals by feature, most expensive first' })
  byFeature: AiUsageGroupDto[];
  @ApiProperty({ type: [AiUsageRowDto], description: 'The calls, newest first, one page' }) data: AiUsageRowDto[];
  @ApiProperty({ type: CursorPaginationMetaDto }) pagination: CursorPaginationMetaDto;
}

export class AiProviderResponseDto {
  @ApiProperty({ example: 'GPT-4', description: 'The name to send as `provider`' }) name: string;
  @ApiProperty({ enum: aiProviderKinds, example: 'openai' }) kind: (typeof aiProviderKinds)[number];
  @ApiProperty({ type: [String], example: ['gpt-4o', 'gpt-4o-mini'] }) models: string[];
  @ApiProperty({ example: 'gpt-4o' }) defaultModel: string;
  @ApiProperty({
    enum: ['closed', 'open', 'half-open'],
    example: 'closed',
    description: 'Circuit breaker: open = failing fast (503) after repeated failures; half-open = probing',
  })
  state: 'closed' | 'open' | 'half-open';
}

export class AiProvidersResponseDto {
  @ApiProperty({ type: [AiProviderResponseDto], description: 'Empty when AI_PROVIDERS is not set' })
  data: AiProviderResponseDto[];
}

import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

export class MemoryUsageDto {
  @ApiProperty({ example: 256, description: 'Resident memory of the process, MB' }) used: number;
  @ApiProperty({ example: 1024, description: 'Memory available to the process (container limit or host), MB' })
  total: number;
  @ApiProperty({ example: 25, description: 'used / total, percent' }) percentage: number;
}

export class QueueCountsDto {
  @ApiProperty({ example: 0 }) waiting: number;
  @ApiProperty({ example: 0 }) active: number;
  @ApiProperty({ example: 0 }) delayed: number;
  @ApiProperty({ example: 0 }) failed: number;
}

export class AiProviderHealthDto {
  @ApiProperty({ example: 'GPT-4' }) name: string;
  @ApiProperty({
    enum: ['closed', 'open', 'half-open'],
    example: 'closed',
    description: 'Circuit breaker state: open means the provider is failing and calls answer 503',
  })
  state: 'closed' | 'open' | 'half-open';
}

export class AiHealthDto {
  @ApiProperty({ example: true, description: 'false when AI_PROVIDERS is empty (AI features answer 503)' })
  configured: boolean;
  @ApiProperty({ type: [AiProviderHealthDto] }) providers: AiProviderHealthDto[];
}

const DETAIL = 'Only for the METRICS_TOKEN bearer or an instance administrator.';

export class HealthResponseDto {
  @ApiProperty({
    enum: ['healthy', 'degraded', 'unhealthy'],
    example: 'healthy',
    description:
      'unhealthy (HTTP 503) when the database is down; degraded (HTTP 200) when Redis is down or an AI ' +
      "provider's circuit breaker is open",
  })
  status: 'healthy' | 'degraded' | 'unhealthy';
  @ApiPropertyOptional({ enum: ['connected', 'disconnected'], example: 'connected', description: DETAIL })
  database?: 'connected' | 'disconnected';
  @ApiPropertyOptional({ enum: ['connected', 'disconnected'], example: 'connected', description: DETAIL })
  redis?: 'connected' | 'disconnected';
  @ApiPropertyOptional({
    description: `BullMQ job counts by queue name, or "disconnected" when Redis is unreachable. ${DETAIL}`,
    oneOf: [
      { type: 'object', additionalProperties: { $ref: getSchemaPath(QueueCountsDto) } },
      { type: 'string', enum: ['disconnected'] },
    ],
    example: { maintenance: { waiting: 0, active: 0, delayed: 1, failed: 0 } },
  })
  queues?: Record<string, QueueCountsDto> | 'disconnected';
  @ApiPropertyOptional({ type: AiHealthDto, description: `AI providers and their circuit breakers. ${DETAIL}` })
  ai?: AiHealthDto;
  @ApiPropertyOptional({ type: MemoryUsageDto, description: DETAIL }) memory?: MemoryUsageDto;
  @ApiPropertyOptional({ example: 3600, description: `Seconds since the process started. ${DETAIL}` })
  uptime?: number;
  @ApiPropertyOptional({ example: '2026-01-20T10:30:00.000Z', description: DETAIL }) timestamp?: string;
}

import { Controller, Get, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors, Public, RateLimit } from '@crescendo/platform';
import { HealthResponseDto, QueueCountsDto } from './health.dto';
import { HealthService } from './health.service';

@ApiTags('operations')
@ApiExtraModels(QueueCountsDto)
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @RateLimit(false)
  @ApiOperation({ summary: 'Health of the instance: database, Redis, queues, memory, uptime (seeds 001, 002)' })
  @ApiOkResponse({
    type: HealthResponseDto,
    description: "healthy, or degraded when Redis is unreachable or an AI provider's breaker is open",
  })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto, description: 'unhealthy: the database is unreachable' })
  @ApiErrors()
  async getHealth(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponseDto> {
    const result = await this.health.check();
    reply.status(result.status === 'unhealthy' ? 503 : 200);
    return result;
  }
}

import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors, AppConfig, Public, RateLimit } from '@crescendo/platform';
import { InstanceAdminService } from '../admin/instance-admin.service';
import { hasMetricsToken } from '../metrics/metrics-token.guard';
import { HealthResponseDto, QueueCountsDto } from './health.dto';
import { HealthService } from './health.service';

@ApiTags('operations')
@ApiExtraModels(QueueCountsDto)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly config: AppConfig,
    private readonly admins: InstanceAdminService,
  ) {}

  @Get()
  @Public()
  @RateLimit(false)
  @ApiOperation({
    summary: 'Health of the instance: database, Redis, queues, memory, uptime',
    description:
      'Anonymous callers get the status only. The details (database, Redis, queues, AI, memory, uptime) need ' +
      '`Authorization: Bearer <METRICS_TOKEN>` or an instance administrator’s access token; other ' +
      'credentials are not refused, they get the status only.',
  })
  @ApiOkResponse({
    type: HealthResponseDto,
    description: "healthy, or degraded when Redis is unreachable or an AI provider's breaker is open",
  })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto, description: 'unhealthy: the database is unreachable' })
  @ApiErrors()
  async getHealth(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HealthResponseDto> {
    const [result, details] = await Promise.all([this.health.check(), this.mayReadDetails(request)]);
    reply.status(result.status === 'unhealthy' ? 503 : 200);
    return details ? result : { status: result.status };
  }

  /** Probes need no credentials and are never refused; the internals are for operators only. */
  private async mayReadDetails(request: FastifyRequest): Promise<boolean> {
    const { authorization } = request.headers;
    if (!authorization) return false;
    if (hasMetricsToken(this.config, authorization)) return true;
    return this.admins.authorize({ authorization }).then(
      () => true,
      () => false,
    );
  }
}

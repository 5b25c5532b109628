import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Public, RateLimit } from '@crescendo/platform';
import { MetricsTokenGuard } from './metrics-token.guard';
import { PROMETHEUS_CONTENT_TYPE, PrometheusService } from './prometheus.service';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly prometheus: PrometheusService) {}

  @Get()
  @Public()
  @UseGuards(MetricsTokenGuard)
  @RateLimit(false)
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Prometheus metrics: HTTP traffic, process, queue depths',
    description:
      'Only with `Authorization: Bearer <METRICS_TOKEN>`: 401 METRICS_TOKEN_REQUIRED without it, 403 ' +
      'METRICS_TOKEN_INVALID for another token, 403 METRICS_DISABLED when the instance sets no METRICS_TOKEN.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4',
    schema: { type: 'string', example: '# HELP http_requests_total HTTP requests by method, route and status\n' },
  })
  @ApiErrors(401, 403)
  getMetrics(): Promise<string> {
    return this.prometheus.scrape();
  }
}

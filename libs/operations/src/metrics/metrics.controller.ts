import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Public, RateLimit } from '@crescendo/platform';
import { PROMETHEUS_CONTENT_TYPE, PrometheusService } from './prometheus.service';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly prometheus: PrometheusService) {}

  @Get()
  @Public()
  @RateLimit(false)
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({ summary: 'Prometheus metrics: HTTP traffic, process, queue depths (seed 001)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4',
    schema: { type: 'string', example: '# HELP http_requests_total HTTP requests by method, route and status\n' },
  })
  @ApiErrors()
  getMetrics(): Promise<string> {
    return this.prometheus.scrape();
  }
}

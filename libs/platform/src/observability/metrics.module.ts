import { Global, Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/** The one Prometheus registry of the process, shared by the HTTP hooks and the /api/metrics route. */
@Global()
@Module({ providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}

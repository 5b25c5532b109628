import { Injectable } from '@nestjs/common';
import { CleanupService } from '../cleanup/cleanup.service';
import { InstanceMetricsService } from '../instance-metrics/instance-metrics.service';
import { CleanupResponseDto, CronMetricsResponseDto } from './cron.dto';

/** Shapes the answers of the cron routes around the services the worker also runs. */
@Injectable()
export class CronService {
  constructor(
    private readonly cleanup: CleanupService,
    private readonly instanceMetrics: InstanceMetricsService,
  ) {}

  async runCleanup(): Promise<CleanupResponseDto> {
    const { cleaned, details } = await this.cleanup.run();
    return { success: true, cleaned, details, timestamp: new Date().toISOString() };
  }

  async collectMetrics(): Promise<CronMetricsResponseDto> {
    const metrics = await this.instanceMetrics.collect();
    return { success: true, metrics, timestamp: new Date().toISOString() };
  }
}

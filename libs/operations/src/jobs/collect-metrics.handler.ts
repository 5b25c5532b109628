import { Injectable, Logger } from '@nestjs/common';
import { OnJob, type TriggeredJob } from '@crescendo/platform';
import { InstanceMetrics, InstanceMetricsService } from '../instance-metrics/instance-metrics.service';
import { OperationsJobs } from '../operations.jobs';

/** Collects the instance figures every 15 minutes and writes them to the structured log (nothing stored). */
@Injectable()
export class CollectMetricsHandler {
  private readonly logger = new Logger(CollectMetricsHandler.name);

  constructor(private readonly instanceMetrics: InstanceMetricsService) {}

  @OnJob(OperationsJobs.CollectMetrics)
  async handleCollectMetrics(data: TriggeredJob): Promise<InstanceMetrics> {
    const metrics = await this.instanceMetrics.collect();
    this.logger.log({ metrics, trigger: data.trigger }, 'Instance metrics');
    return metrics;
  }
}

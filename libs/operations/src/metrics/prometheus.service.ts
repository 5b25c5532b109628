import { Injectable } from '@nestjs/common';
import { MetricsService } from '@crescendo/platform';
import { QueueStatusService } from '../queues/queue-status.service';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Renders the process registry in the Prometheus text format, queue depths refreshed at scrape time. */
@Injectable()
export class PrometheusService {
  constructor(
    private readonly metrics: MetricsService,
    private readonly queueStatus: QueueStatusService,
  ) {}

  async scrape(): Promise<string> {
    // A Redis outage leaves the last known depths in place rather than failing the scrape.
    const counts = await this.queueStatus.counts();
    if (counts) {
      for (const [queue, byState] of Object.entries(counts)) {
        for (const [state, value] of Object.entries(byState)) {
          this.metrics.queueDepth.set({ queue, state }, value);
        }
      }
    }
    return this.metrics.registry.metrics();
  }
}

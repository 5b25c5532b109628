import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig, deleteInBatches, OnJob } from '@crescendo/platform';
import { WebhooksJobs } from './webhooks.jobs';

/** Deletes the inbound and outgoing delivery logs older than WEBHOOK_DELIVERY_RETENTION_DAYS. */
@Injectable()
export class WebhookRetentionHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  @OnJob(WebhooksJobs.PurgeWebhookDeliveries)
  async purgeWebhookDeliveries(): Promise<{ inbound: number; outgoing: number }> {
    const days = [this.config.env.WEBHOOK_DELIVERY_RETENTION_DAYS];
    const olderThan = (column: string) => `${column} < now() - make_interval(days => $1)`;
    return {
      // Past this, a replayed inbound event is no longer recognised as a duplicate: the window is the setting.
      inbound: await deleteInBatches(this.dataSource, 'webhook_deliveries_inbound', olderThan('received_at'), days),
      outgoing: await deleteInBatches(this.dataSource, 'webhook_deliveries', olderThan('created_at'), days),
    };
  }
}

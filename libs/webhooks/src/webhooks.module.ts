import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretBox } from '@crescendo/platform';
import { IdentityModule } from '@crescendo/identity';
import { CampaignsModule } from '@crescendo/campaigns';
import { LeadsModule } from '@crescendo/leads';
import { SettingsModule } from '@crescendo/settings';
import { InboundWebhooksService } from './inbound-webhooks.service';
import { WebhookDeliveryHandler } from './webhook-delivery.handler';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookRetentionHandler } from './webhook-retention.handler';
import { WebhookSender } from './webhook-sender.service';
import { WebhooksController } from './webhooks.controller';
import { webhookEntities } from './webhooks.entity';
import { DeliveryAttemptRepository, InboundDeliveryRepository, WebhookEndpointRepository } from './webhooks.repository';

/** API side: signed inbound webhooks, outgoing endpoints and their delivery log. */
@Module({
  imports: [TypeOrmModule.forFeature(webhookEntities), IdentityModule, LeadsModule, CampaignsModule, SettingsModule],
  controllers: [WebhooksController],
  providers: [
    InboundWebhooksService,
    WebhookEndpointsService,
    WebhookSender,
    SecretBox,
    WebhookEndpointRepository,
    DeliveryAttemptRepository,
    InboundDeliveryRepository,
  ],
})
export class WebhooksModule {}

/** Worker side: fans domain events out to the endpoints and delivers them with retries; purges old logs. */
@Module({
  imports: [TypeOrmModule.forFeature(webhookEntities)],
  providers: [
    WebhookDeliveryHandler,
    WebhookRetentionHandler,
    WebhookSender,
    SecretBox,
    WebhookEndpointRepository,
    DeliveryAttemptRepository,
  ],
})
export class WebhookDeliveryModule {}

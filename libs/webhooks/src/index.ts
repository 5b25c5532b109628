export * from './webhooks.types';
export * from './webhooks.dto';
export * from './webhooks.module';
export * from './inbound-webhooks.service';
export * from './webhook-endpoints.service';
export * from './webhook-sender.service';
export * from './webhook-delivery.handler';
export * from './webhook-retention.handler';

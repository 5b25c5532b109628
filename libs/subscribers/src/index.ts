export * from './subscriber.entity';
export * from './earning.entity';
export * from './subscribers.module';
export * from './subscribers.service';
export * from './earnings.service';
export * from './subscribers.dto';
export * from './earnings.dto';
export { SubscriberLookupsService } from './subscriber-lookups.service';
export type { SubscriberPricingFigures } from './subscriber-lookups.service';

export * from './subscribers.types';
export * from './subscribers.module';
export * from './subscribers.service';
export * from './earnings.service';
export * from './subscribers.dto';
export * from './earnings.dto';
export * from './revenue-stats.service';
export { SubscriberLookupsService } from './subscriber-lookups.service';
export type { SubscriberPricingFigures } from './subscriber-lookups.service';

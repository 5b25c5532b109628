import { SetMetadata } from '@nestjs/common';

export const ON_DOMAIN_EVENT = 'crescendo:on-domain-event';

/**
 * Marks a provider method `(event: DomainEvent) => Promise<void>` that receives every domain event in
 * the worker. Keep it quick and idempotent (a retry re-delivers the event to every subscriber): enqueue
 * the real work as its own job with a job id derived from `event.id`.
 */
export const OnDomainEvent = () => SetMetadata(ON_DOMAIN_EVENT, true);

import { SetMetadata } from '@nestjs/common';
import type { DomainEvent, DomainEventName } from './domain-event';

export const ON_DOMAIN_EVENT = 'crescendo:on-domain-event';

/** The shape of a subscriber to the events N: it receives one of them, typed as its feature declares it. */
export type DomainEventHandler<N extends DomainEventName> = (event: DomainEvent<N>) => unknown;

/**
 * Marks a provider method that receives, in the worker, the domain events named (every event when none is).
 * The method's parameter must accept each of them as declared (a handler typed for another event does not
 * compile). Keep it quick and idempotent (a retry re-delivers the event to every subscriber): enqueue the real
 * work as its own job with a job id derived from `event.id`.
 */
export const OnDomainEvent =
  <N extends DomainEventName = DomainEventName>(...names: N[]) =>
  <H extends DomainEventHandler<N>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>) => {
    SetMetadata(ON_DOMAIN_EVENT, names)(target, key, descriptor);
  };

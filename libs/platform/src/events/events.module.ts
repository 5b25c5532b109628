import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DomainEventDispatcher } from './domain-event.dispatcher';
import { EventPublisher } from './event-publisher';

/** Publishing side, for the API and the worker alike. */
@Global()
@Module({ providers: [EventPublisher], exports: [EventPublisher] })
export class EventsModule {}

/** Delivery side: only the worker imports it, so the API never runs subscribers. */
@Module({ imports: [DiscoveryModule], providers: [DomainEventDispatcher], exports: [DomainEventDispatcher] })
export class DomainEventDeliveryModule {}

import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { OnJob } from '../jobs/on-job.decorator';
import type { DomainEvent, DomainEventName } from './domain-event';
import { EventJobs } from './event.jobs';
import { ON_DOMAIN_EVENT } from './on-domain-event.decorator';

type Subscriber = {
  source: string;
  /** The events it takes; empty: every event. */
  names: readonly DomainEventName[];
  handle: (event: DomainEvent) => unknown;
};

/** Worker side: delivers each published event to every @OnDomainEvent method found at boot. */
@Injectable()
export class DomainEventDispatcher implements OnModuleInit {
  private readonly logger = new Logger(DomainEventDispatcher.name);
  private subscribers: Subscriber[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const seen = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic() || seen.has(instance)) {
        continue;
      }
      seen.add(instance);
      const prototype = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const names = this.reflector.get<DomainEventName[] | undefined>(ON_DOMAIN_EVENT, prototype[method]);
        if (!names) continue;
        this.subscribers.push({
          source: `${instance.constructor.name}.${method}`,
          names,
          handle: (event) => (instance[method] as Subscriber['handle']).call(instance, event),
        });
      }
    }
  }

  get subscriberNames(): string[] {
    return this.subscribers.map((s) => s.source).sort();
  }

  /** Every subscriber to the event runs even if one fails; the job fails (and is retried) if any did. */
  @OnJob(EventJobs.DispatchDomainEvent)
  async dispatch(event: DomainEvent): Promise<{ delivered: number }> {
    const subscribers = this.subscribers.filter((s) => !s.names.length || s.names.includes(event.type));
    const results = await Promise.allSettled(subscribers.map(async (s) => s.handle(event)));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [[subscribers[i].source, r.reason]] : []));
    for (const [source, reason] of failed) {
      this.logger.warn({ err: reason, subscriber: source, event: event.type, eventId: event.id }, 'Subscriber failed');
    }
    if (failed.length) throw new Error(`Domain event ${event.id} failed in ${failed.map(([s]) => s).join(', ')}`);
    return { delivered: subscribers.length };
  }
}

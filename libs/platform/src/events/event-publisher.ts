import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventJobs } from './event.jobs';
import { QueueRegistry } from '../jobs/queue.registry';
import type { DomainEvent, DomainEventName, NewDomainEvent } from './domain-event';

/**
 * Publishes a domain event as a durable job: the worker hands it to every @OnDomainEvent subscriber.
 * Call it after the change has committed, so subscribers never see a change that was rolled back.
 */
@Injectable()
export class EventPublisher {
  private readonly logger = new Logger(EventPublisher.name);

  constructor(private readonly queues: QueueRegistry) {}

  /**
   * Never throws: the change it reports has already committed, so a queue outage must not turn the
   * caller's success into an error; the lost event is logged with everything needed to replay it.
   */
  async publish<N extends DomainEventName>(event: NewDomainEvent<N>): Promise<DomainEvent<N>> {
    const full = completed(event, new Date().toISOString());
    try {
      await this.queues.enqueue(EventJobs.DispatchDomainEvent, full as DomainEvent, { jobId: full.id });
    } catch (error) {
      this.logger.error({ err: error, event: full }, 'Domain event not published');
    }
    return full;
  }

  /**
   * publish() for many events (a bulk action's, one or two per item), a few round trips instead of one each.
   * Never throws either: events not enqueued are logged one by one, with what is needed to replay them.
   */
  async publishMany(events: NewDomainEvent[]): Promise<DomainEvent[]> {
    const occurredAt = new Date().toISOString();
    const full = events.map((event) => completed(event, occurredAt));
    if (!full.length) return full;
    try {
      await this.queues.enqueueMany(
        EventJobs.DispatchDomainEvent,
        full.map((event) => ({ data: event, options: { jobId: event.id } })),
      );
    } catch (error) {
      // A chunk may have gone before the failure: a replay of those is a no-op (the job id is the event id).
      for (const event of full) this.logger.error({ err: error, event }, 'Domain event not published');
    }
    return full;
  }
}

/** The event as subscribers get it: its id (the job's id too), when it happened, and its actor or null. */
function completed<N extends DomainEventName>(event: NewDomainEvent<N>, occurredAt: string): DomainEvent<N> {
  return { id: randomUUID(), occurredAt, ...event, actorUserId: event.actorUserId ?? null } as DomainEvent<N>;
}

import { defineJobs, QueueName } from '../jobs/job.types';
import type { DomainEvent } from './domain-event';

/** The platform's own job: one published domain event, handed to every subscriber in the worker. */
export const EventJobs = { DispatchDomainEvent: 'events.dispatch' } as const;

declare module '../jobs/job.types' {
  interface JobPayloads {
    [EventJobs.DispatchDomainEvent]: DomainEvent;
  }
}

defineJobs(EventJobs, { [EventJobs.DispatchDomainEvent]: { queue: QueueName.Events } });

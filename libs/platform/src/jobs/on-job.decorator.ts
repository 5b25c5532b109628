import { SetMetadata } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { JobName, JobPayloads } from './job.types';

export const ON_JOB = 'crescendo:on-job';

/** The shape of the handler of job `N`: its payload (as the job's feature declares it), and the BullMQ job. */
export type JobHandler<N extends JobName> = (data: JobPayloads[N], job: Job) => unknown;

/**
 * Marks a provider method as the one handler of a job; the worker binds it, the API never runs it. The method's
 * parameter must accept the payload declared for that name (a handler typed for another job does not compile).
 */
export const OnJob =
  <N extends JobName>(name: N) =>
  <H extends JobHandler<N>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>): void => {
    SetMetadata(ON_JOB, name)(target, key, descriptor);
  };

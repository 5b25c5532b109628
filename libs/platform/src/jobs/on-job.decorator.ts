import { SetMetadata } from '@nestjs/common';
import type { JobName } from './job.types';

export const ON_JOB = 'crescendo:on-job';

/** Marks a provider method as the one handler of a job; the worker binds it, the API never runs it. */
export const OnJob = (name: JobName) => SetMetadata(ON_JOB, name);

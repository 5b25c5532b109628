export * from './jobs.types';
export * from './jobs.dto';
export * from './job-tracker.service';
export * from './jobs.module';
export * from './respond-async';
export * from './jobs.jobs';
export * from './jobs.events';

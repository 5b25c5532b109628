export * from './agents.module';
export * from './agents.types';
export * from './agents.dto';
export * from './agents.service';
export * from './agent-runs.queue';
export * from './agent-stats.service';
export * from './agents.jobs';

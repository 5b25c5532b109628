export * from './agent.entity';
export * from './agent-run.entity';
export * from './agent-log.entity';
export * from './agents.dto';
export * from './agents.service';
export * from './agent-runs.queue';
export * from './agents.module';

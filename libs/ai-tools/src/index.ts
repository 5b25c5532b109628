export * from './ai-tools.module';
export * from './ai-tools.service';
export * from './ai-jobs.service';
export * from './ai-quota.service';
export * from './ai-tools.dto';
export * from './ai-tool-call.decorator';
export * from './ai-tools.jobs';
export * from './ai-tools.events';

export * from './operations.module';
export * from './admin/instance-admin.service';
export * from './cleanup/cleanup.service';
export * from './instance-metrics/instance-metrics.service';
export * from './health/health.service';
export * from './jobs/cleanup.handler';
export * from './jobs/collect-metrics.handler';
export * from './operations.jobs';

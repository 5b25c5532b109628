export * from './analytics.module';
export * from './notifications.module';
export * from './notifications.service';
export * from './analytics.dto';
export * from './dashboard.dto';
export * from './analytics-window';
export * from './rollup.module';
export * from './rollup.service';

export * from './ai-tools.module';
export * from './ai-tools.service';
export * from './ai-jobs.service';
export * from './ai-quota.service';
export * from './ai-quota-usage.entity';
export * from './ai-quota-reservation.entity';
export * from './ai-tools.dto';

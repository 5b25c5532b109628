export * from './audit.types';
export * from './audit.service';
export * from './audit.module';
export * from './logs.dto';
export * from './logs.service';

export * from './subscribers.types';
export * from './subscribers.module';
export * from './subscribers.service';
export * from './earnings.service';
export * from './subscribers.dto';
export * from './earnings.dto';

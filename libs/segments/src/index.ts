export * from './segment-rules';
export * from './segments.dto';
export * from './segments.service';
export * from './segments.module';

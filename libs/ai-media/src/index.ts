export * from './ai-media.module';
export * from './ai-media.service';
export * from './ai-media.dto';
export * from './subtitles-format';
export * from './ai-media.jobs';

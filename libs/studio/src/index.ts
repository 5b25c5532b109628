export * from './studio.module';
export * from './studio.service';
export * from './studio.dto';
export * from './asset-storage';
export * from './media-type';
export * from './asset-reply';
export * from './ffmpeg-binaries';

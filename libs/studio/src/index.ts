export * from './studio.module';
export * from './studio.service';
export * from './studio.dto';
export * from './asset-storage';
export * from './media-type';

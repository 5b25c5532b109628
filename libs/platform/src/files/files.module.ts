import { Global, Module } from '@nestjs/common';
import { FileStore } from './file-store';

@Global()
@Module({ providers: [FileStore], exports: [FileStore] })
export class FilesModule {}

import { Global, Module } from '@nestjs/common';
import { CursorCodec } from './cursor';

/** What every paged list needs: the signed cursor codec. */
@Global()
@Module({ providers: [CursorCodec], exports: [CursorCodec] })
export class ListsModule {}

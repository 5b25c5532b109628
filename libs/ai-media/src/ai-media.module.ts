import { Module } from '@nestjs/common';
import { AiModule } from '@crescendo/ai';
import { AiToolsModule } from '@crescendo/ai-tools';
import { TrackedJobsModule } from '@crescendo/jobs';
import { StudioModule } from '@crescendo/studio';
import { AiMediaController } from './ai-media.controller';
import { AiMediaService } from './ai-media.service';

/**
 * AI media for the studio: images, voice-overs and subtitles through the AI layer, kept as studio assets,
 * with the AI quota of libs/ai-tools; run now or as tracked jobs (the worker runs AiMediaService's handler).
 */
@Module({
  imports: [AiModule, AiToolsModule, TrackedJobsModule, StudioModule],
  controllers: [AiMediaController],
  providers: [AiMediaService],
  exports: [AiMediaService],
})
export class AiMediaModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AiModule } from '@crescendo/ai';
import { AiQuotaService } from './ai-quota.service';
import { AiQuotaUsageEntity } from './ai-quota-usage.entity';
import { AiAssistantController, ContentAiGenerateController, ContentIdeasController } from './ai-tools.controller';
import { AiToolsService } from './ai-tools.service';

/** AI generation tools (seeds 000, 001): content ideas, assistant, message generator, pricing, quota'd content. */
@Module({
  imports: [TypeOrmModule.forFeature([AiQuotaUsageEntity]), AiModule],
  controllers: [ContentIdeasController, AiAssistantController, ContentAiGenerateController],
  providers: [AiToolsService, AiQuotaService],
  exports: [AiToolsService, AiQuotaService],
})
export class AiToolsModule {}

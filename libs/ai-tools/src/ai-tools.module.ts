import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AiModule } from '@crescendo/ai';
import { TrackedJobsModule } from '@crescendo/jobs';
import { AiJobsService } from './ai-jobs.service';
import { AiQuotaReservationEntity } from './ai-quota-reservation.entity';
import { AiQuotaSweepHandler } from './ai-quota-sweep.handler';
import { AiQuotaService } from './ai-quota.service';
import { AiQuotaUsageEntity } from './ai-quota-usage.entity';
import { AiAssistantController, ContentAiGenerateController, ContentIdeasController } from './ai-tools.controller';
import { AiToolsService } from './ai-tools.service';

/**
 * AI generation tools (seeds 000, 001): content ideas, assistant, message generator, pricing, quota'd content;
 * run now or as tracked jobs (the API queues them, the worker runs AiJobsService's handler).
 */
@Module({
  imports: [TypeOrmModule.forFeature([AiQuotaUsageEntity, AiQuotaReservationEntity]), AiModule, TrackedJobsModule],
  controllers: [ContentIdeasController, AiAssistantController, ContentAiGenerateController],
  providers: [AiToolsService, AiQuotaService, AiJobsService, AiQuotaSweepHandler],
  exports: [AiToolsService, AiQuotaService],
})
export class AiToolsModule {}

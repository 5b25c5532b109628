import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AiModule } from '@crescendo/ai';
import { IdentityModule } from '@crescendo/identity';
import { TrackedJobsModule } from '@crescendo/jobs';
import { SubscribersModule } from '@crescendo/subscribers';
import { AiJobsService } from './ai-jobs.service';
import { AiQuotaReservationEntity } from './ai-quota-reservation.entity';
import { AiQuotaSweepHandler } from './ai-quota-sweep.handler';
import { AiQuotaRepository } from './ai-quota.repository';
import { AiQuotaService } from './ai-quota.service';
import { AiQuotaUsageEntity } from './ai-quota-usage.entity';
import { AiAssistantController, ContentAiGenerateController, ContentIdeasController } from './ai-tools.controller';
import { AiToolsService } from './ai-tools.service';

/**
 * AI generation tools: content ideas, assistant, message generator, pricing, quota'd content;
 * run now or as tracked jobs (the API queues them, the worker runs AiJobsService's handler).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([AiQuotaUsageEntity, AiQuotaReservationEntity]),
    AiModule,
    TrackedJobsModule,
    // The workspace's plan (identity) and the pricing figures (subscribers), through their services.
    IdentityModule,
    SubscribersModule,
  ],
  controllers: [ContentIdeasController, AiAssistantController, ContentAiGenerateController],
  providers: [AiQuotaRepository, AiToolsService, AiQuotaService, AiJobsService, AiQuotaSweepHandler],
  exports: [AiToolsService, AiQuotaService],
})
export class AiToolsModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SettingsModule, WorkspaceSettingsService } from '@crescendo/settings';
import { AiCacheService } from './ai-cache.service';
import { AiController } from './ai.controller';
import { AiProviderRegistry } from './ai-provider.registry';
import { AiService } from './ai.service';
import { AiUsageEntity } from './ai-usage.entity';
import { AiUsageRepository } from './ai-usage.repository';
import { AiUsageService } from './ai-usage.service';
import { WorkspaceAiCredentialsSource } from './workspace-credentials';
import { AiPersonalData } from './ai-personal-data.provider';

/**
 * The AI layer: providers from AI_PROVIDERS, AiService (chat, stream, structured), the usage ledger and
 * its routes. Needs the platform's config, database and Redis modules. Import it in a feature module to
 * inject AiService; the API and the worker each hold their own breakers and concurrency limits.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AiUsageEntity]), SettingsModule],
  controllers: [AiController],
  providers: [
    AiPersonalData,
    AiProviderRegistry,
    AiCacheService,
    AiUsageRepository,
    AiUsageService,
    AiService,
    // A workspace's own OpenAI key is a workspace setting.
    { provide: WorkspaceAiCredentialsSource, useExisting: WorkspaceSettingsService },
  ],
  exports: [AiService, AiProviderRegistry, AiUsageService],
})
export class AiModule {}

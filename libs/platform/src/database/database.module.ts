import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/config.service';
import { dataSourceOptions } from './data-source-options';
import { PersonalDataRegistry } from '../personal-data/personal-data';
import { AiPrivacy, ImportedConsentRecorder } from '../personal-data/ai-privacy';
import { MemberNotifier } from '../notifications/member-notifier';
import { WorkspaceChanges } from './workspace-changes';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.env.DATABASE_URL, {
          extra: { max: config.env.DATABASE_POOL_SIZE },
        }),
        autoLoadEntities: true,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
    }),
  ],
  // Global beside the data source: every composition root has it, so each table owner can register how its
  // personal data is exported and erased without depending on the GDPR feature.
  providers: [PersonalDataRegistry, AiPrivacy, ImportedConsentRecorder, MemberNotifier, WorkspaceChanges],
  exports: [PersonalDataRegistry, AiPrivacy, ImportedConsentRecorder, MemberNotifier, WorkspaceChanges],
})
@Global()
export class DatabaseModule {}

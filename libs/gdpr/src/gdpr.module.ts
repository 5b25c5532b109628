import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule } from '@crescendo/platform';
import { AuditModule } from '@crescendo/audit';
import { IdentityModule } from '@crescendo/identity';
import { TrackedJobsModule } from '@crescendo/jobs';
import { ConsentRecordEntity } from './consent-record.entity';
import { ConsentService } from './consent.service';
import { GdprErasureService } from './gdpr-erasure.service';
import { GdprExportHandler } from './gdpr-export.handler';
import { GdprExportService } from './gdpr-export.service';
import { GdprPersonalData } from './gdpr-personal-data.provider';
import { GdprController } from './gdpr.controller';
import { GdprRetentionHandler } from './gdpr-retention.handler';
import { AiPrivacyController, RetentionController } from './retention.controller';
import { SubjectConsentRecordEntity } from './subject-consent-record.entity';
import { SubjectConsentService } from './subject-consent.service';
import { RetentionSettingsEntity } from './retention-settings.entity';
import { RetentionService } from './retention.service';
import { GdprSubjectsController } from './gdpr-subjects.controller';
import { GdprSubjectsService } from './gdpr-subjects.service';
import { GdprService } from './gdpr.service';
import { GdprUserSessionGuard } from './user-session.guard';

/**
 * Export, erasure and consent. It reads no other feature's tables: each owner registers a PersonalDataProvider
 * (libs/platform) and this module walks them.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([ConsentRecordEntity, RetentionSettingsEntity, SubjectConsentRecordEntity]),
    IdentityModule,
    AuditModule,
    TrackedJobsModule,
    MailModule,
  ],
  controllers: [GdprController, GdprSubjectsController, RetentionController, AiPrivacyController],
  providers: [
    GdprService,
    GdprExportService,
    GdprErasureService,
    ConsentService,
    GdprPersonalData,
    GdprExportHandler,
    GdprUserSessionGuard,
    GdprSubjectsService,
    RetentionService,
    GdprRetentionHandler,
    SubjectConsentService,
  ],
  exports: [GdprExportService, GdprErasureService, ConsentService, RetentionService, SubjectConsentService],
})
export class GdprModule {}
